// The attack classes of encrypted tokens, each with its own test, and the
// round trip of every supported alg x enc through JweDecryptor:
//  - every alg x enc decrypts (encrypted with jwe_encrypt_compact here; the
//    same matrix made by another library is tests/python/test_jwe_interop.py);
//  - one reason and one detail for every failure after the header rules
//    (wrong key, modified encrypted key, IV, header (the AAD), ciphertext,
//    truncated or extended tag, CEK of the wrong length, invalid-curve epk),
//    while step() tells the operator which step failed;
//  - comparable time for a failed key unwrap and a failed tag check;
//  - a key of the wrong type for alg is never used; RSA1_5 and PBES2 are
//    refused with their reasons; zip (a compression bomb) is refused before
//    any decryption; the header rules of JWS (embedded keys, crit,
//    duplicate members, strict base64url, size and depth) hold for JWE.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "encoding/base64url.h"
#include "jwe/content_cipher.h"
#include "jwe/jwe_decrypt.h"
#include "jwe/key_management.h"
#include "jwe_fixture.h"
#include "test_support.h"

using namespace jwtgate;
using jwe_test::fixture;
using jwe_test::join;
using jwe_test::split;

namespace {

constexpr const char* kPlain = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

struct Outcome {
  bool ok;
  ParseFailure fail;
  DecryptStep step;
};

Outcome run(const std::string& token, const DecryptionKeySet& keys, JweDecryptOptions opts = {}) {
  static JweDecryptor d;
  Outcome o{};
  TokenLimits limits;
  o.ok = d.decrypt_compact(token, limits, keys, opts, o.fail);
  o.step = d.step();
  return o;
}

Outcome run(const std::string& token) { return run(token, fixture().keys); }

std::string header_with(const std::string& compact, const std::string& old_text,
                        const std::string& new_text) {
  auto s = split(compact);
  std::vector<uint8_t> h;
  REQUIRE(base64url_decode(s[0], h));
  std::string json(h.begin(), h.end());
  const size_t at = json.find(old_text);
  REQUIRE(at != std::string::npos);
  json.replace(at, old_text.size(), new_text);
  s[0] = base64url_encode(json);
  return join(s);
}

std::string flip(const std::string& segment, size_t byte) {
  std::vector<uint8_t> v;
  REQUIRE(base64url_decode(segment, v));
  REQUIRE(byte < v.size());
  v[byte] ^= 0x01;
  return base64url_encode(v.data(), v.size());
}

void expect_decryption_failed(const Outcome& o, DecryptStep step) {
  CHECK_FALSE(o.ok);
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED);
  CHECK(o.fail.subject.empty());
  CHECK(o.fail.detail ==
        "the encrypted token (JWE) could not be decrypted with the policy's decryption keys");
  CHECK(o.step == step);
}

constexpr KeyAlg kAlgs[] = {KeyAlg::RSA_OAEP,       KeyAlg::RSA_OAEP_256,   KeyAlg::RSA_OAEP_384,
                            KeyAlg::RSA_OAEP_512,   KeyAlg::A128KW,         KeyAlg::A192KW,
                            KeyAlg::A256KW,         KeyAlg::A128GCMKW,      KeyAlg::A192GCMKW,
                            KeyAlg::A256GCMKW,      KeyAlg::Dir,            KeyAlg::ECDH_ES,
                            KeyAlg::ECDH_ES_A128KW, KeyAlg::ECDH_ES_A192KW, KeyAlg::ECDH_ES_A256KW};
constexpr ContentEnc kEncs[] = {ContentEnc::A128CBC_HS256, ContentEnc::A192CBC_HS384,
                                ContentEnc::A256CBC_HS512, ContentEnc::A128GCM,
                                ContentEnc::A192GCM,       ContentEnc::A256GCM};

}  // namespace

TEST_CASE("every alg x enc round-trips through JweDecryptor", "[jwe]") {
  int n = 0;
  for (KeyAlg a : kAlgs)
    for (ContentEnc e : kEncs) {
      const std::string token = fixture().encrypt(a, e, kPlain);
      const Outcome o = run(token);
      INFO(key_alg_name(a) << " + " << enc_name(e) << ": " << o.fail.detail);
      CHECK(o.ok);
      n += o.ok;
    }
  CHECK(n == 15 * 6);
}

TEST_CASE("X25519 ECDH-ES round-trips", "[jwe]") {
  JweEncryptParams p;
  p.alg = KeyAlg::ECDH_ES_A256KW;
  p.enc = ContentEnc::A256GCM;
  p.recipient = fixture().x25519;
  p.apu = "Alice";
  p.apv = "Bob";
  std::string token, why;
  REQUIRE(jwe_encrypt_compact(p, kPlain, token, &why));
  CHECK(run(token).ok);
  p.alg = KeyAlg::ECDH_ES;
  REQUIRE(jwe_encrypt_compact(p, kPlain, token, &why));
  CHECK(run(token).ok);
}

TEST_CASE("modified parts all fail with one reason and detail", "[jwe]") {
  for (KeyAlg a : {KeyAlg::RSA_OAEP_256, KeyAlg::A128KW, KeyAlg::A256GCMKW, KeyAlg::Dir,
                   KeyAlg::ECDH_ES, KeyAlg::ECDH_ES_A128KW})
    for (ContentEnc e : {ContentEnc::A128CBC_HS256, ContentEnc::A256GCM}) {
      const std::string token = fixture().encrypt(a, e, kPlain);
      INFO(key_alg_name(a) << " + " << enc_name(e));
      auto s = split(token);
      // The ciphertext, the IV, the tag: the tag check fails.
      for (int part : {2, 3, 4}) {
        auto m = s;
        m[part] = flip(s[part], 0);
        expect_decryption_failed(run(join(m)), DecryptStep::Tag);
      }
      // The header is the AAD: a harmless extra member breaks the tag.
      expect_decryption_failed(run(header_with(token, "\"cty\":\"JWT\"", "\"cty\":\"JWT\",\"x\":1")),
                               DecryptStep::Tag);
      // A truncated tag, a longer one, none: the tag's length is enc's.
      for (const std::string& tag :
           {s[4].substr(0, s[4].size() - 2), s[4] + "AA", std::string()}) {
        auto m = s;
        m[4] = tag;
        const Outcome o = run(join(m));
        CHECK_FALSE(o.ok);
        CHECK((o.fail.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED ||
               o.fail.reason == JWTGATE_REASON_BAD_BASE64URL));
      }
      // The encrypted key: unwrap fails (a random CEK then fails the tag).
      if (!s[1].empty()) {
        auto m = s;
        m[1] = flip(s[1], 3);
        expect_decryption_failed(run(join(m)), DecryptStep::KeyUnwrap);
      }
    }
}

TEST_CASE("a CEK of the wrong length fails like a bad tag", "[jwe]") {
  // RSA-OAEP-256 wrapping a 16-byte CEK for A256GCM, which needs 32.
  const std::string token = fixture().encrypt(KeyAlg::RSA_OAEP_256, ContentEnc::A256GCM, kPlain);
  auto s = split(token);
  std::vector<uint8_t> short_cek(16, 0x42), ek;
  REQUIRE(rsa_oaep_encrypt(fixture().rsa, KeyAlg::RSA_OAEP_256, short_cek.data(), 16, ek));
  s[1] = base64url_encode(ek.data(), ek.size());
  expect_decryption_failed(run(join(s)), DecryptStep::CekLength);
  // And A128KW wrapping 24 bytes for A128GCM: the wrapped key's length is
  // public, so it fails before any unwrap.
  const std::string kw = fixture().encrypt(KeyAlg::A128KW, ContentEnc::A128GCM, kPlain);
  auto k = split(kw);
  std::vector<uint8_t> cek24(24, 1), wrapped(32);
  size_t n = 0;
  REQUIRE(aes_kw_wrap(fixture().k16.data(), 16, cek24.data(), 24, wrapped.data(), &n));
  k[1] = base64url_encode(wrapped.data(), n);
  expect_decryption_failed(run(join(k)), DecryptStep::Structure);
}

TEST_CASE("the wrong key fails like a bad tag; a key of the wrong type is never used", "[jwe]") {
  // Only the RSA key: an A256KW token has no key that fits.
  DecryptionKeySet rsa_only(fixture().keys.begin(), fixture().keys.begin() + 1);
  REQUIRE(rsa_only[0].type == KeyType::RSA);
  expect_decryption_failed(run(fixture().encrypt(KeyAlg::A256KW, ContentEnc::A256GCM, kPlain), rsa_only),
                           DecryptStep::NoKey);
  // Only symmetric keys: an RSA-OAEP token has none either.
  DecryptionKeySet oct_only(fixture().keys.begin() + 3, fixture().keys.end());
  expect_decryption_failed(run(fixture().encrypt(KeyAlg::RSA_OAEP, ContentEnc::A128GCM, kPlain), oct_only),
                           DecryptStep::NoKey);
  // Another RSA key: OAEP unwrap fails.
  std::vector<DecryptionKey> other;
  Diagnostics diag;
  REQUIRE(load_decryption_private_key(jwtgate_test::read_data("data/keys/rsa2048b.pem"), "", other, diag));
  expect_decryption_failed(run(fixture().encrypt(KeyAlg::RSA_OAEP_256, ContentEnc::A256GCM, kPlain), other),
                           DecryptStep::KeyUnwrap);
  // Another AES key of the right size: the unwrap's integrity check fails.
  std::vector<DecryptionKey> wrong16;
  std::vector<uint8_t> k(16, 9);
  REQUIRE(load_decryption_secret(k.data(), 16, wrong16, diag));
  expect_decryption_failed(run(fixture().encrypt(KeyAlg::A128KW, ContentEnc::A256GCM, kPlain), wrong16),
                           DecryptStep::KeyUnwrap);
  // dir with another key: only the tag can tell.
  expect_decryption_failed(run(fixture().encrypt(KeyAlg::Dir, ContentEnc::A128GCM, kPlain), wrong16),
                           DecryptStep::Tag);
}

TEST_CASE("an invalid-curve or wrong-curve epk is refused before key agreement", "[jwe]") {
  const std::string token = fixture().encrypt(KeyAlg::ECDH_ES, ContentEnc::A256GCM, kPlain);
  auto s = split(token);
  std::vector<uint8_t> h;
  REQUIRE(base64url_decode(s[0], h));
  std::string json(h.begin(), h.end());
  // Change y by one bit: the point leaves the curve.
  const size_t y = json.find("\"y\":\"") + 5;
  json[y] = json[y] == 'A' ? 'B' : 'A';
  s[0] = base64url_encode(json);
  expect_decryption_failed(run(join(s)), DecryptStep::KeyAgreement);
  // The point at infinity cannot be written as x, y; (0, 0) is off the curve.
  const std::string zero = base64url_encode(std::string(32, '\0'));
  const std::string origin = "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"EC\","
                             "\"crv\":\"P-256\",\"x\":\"" + zero + "\",\"y\":\"" + zero + "\"}}";
  auto t = split(token);
  t[0] = base64url_encode(origin);
  expect_decryption_failed(run(join(t)), DecryptStep::KeyAgreement);
  // A P-384 epk for the P-256 key: another curve than the key's.
  JweEncryptParams p;
  p.alg = KeyAlg::ECDH_ES;
  p.enc = ContentEnc::A256GCM;
  EVP_PKEY* p384 = nullptr;
  EVP_PKEY_CTX* g = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  REQUIRE(EVP_PKEY_keygen_init(g) == 1);
  REQUIRE(EVP_PKEY_CTX_set_group_name(g, "P-384") == 1);
  REQUIRE(EVP_PKEY_generate(g, &p384) == 1);
  EVP_PKEY_CTX_free(g);
  p.recipient = p384;
  std::string other;
  REQUIRE(jwe_encrypt_compact(p, kPlain, other, nullptr));
  EVP_PKEY_free(p384);
  expect_decryption_failed(run(other), DecryptStep::KeyAgreement);
  // A low-order X25519 point (u = 0) and a twist point are refused.
  for (const std::string& u : {std::string(32, '\0'), std::string("\x02") + std::string(31, '\0')}) {
    const std::string hdr = "{\"alg\":\"ECDH-ES\",\"enc\":\"A256GCM\",\"epk\":{\"kty\":\"OKP\","
                            "\"crv\":\"X25519\",\"x\":\"" + base64url_encode(u) + "\"}}";
    auto m = split(token);
    m[0] = base64url_encode(hdr);
    expect_decryption_failed(run(join(m)), DecryptStep::KeyAgreement);
  }
  CHECK_FALSE(x25519_public_on_curve(reinterpret_cast<const uint8_t*>(std::string(32, '\0').data())));
  uint8_t nine[32] = {9};
  CHECK(x25519_public_on_curve(nine));  // the base point
}

TEST_CASE("a failed unwrap takes about as long as a failed tag check", "[jwe]") {
  // RFC 7516 11.5's rule, checked for RSA-OAEP-256: a modified encrypted key
  // goes on with a random CEK, so both cost a private-key operation and a
  // tag check. The fastest of several runs of each must be within a factor
  // of two (the machine may be loaded; minima are stable).
  const std::string token = fixture().encrypt(KeyAlg::RSA_OAEP_256, ContentEnc::A256GCM, kPlain);
  auto s = split(token);
  auto bad_key = s, bad_tag = s;
  bad_key[1] = flip(s[1], 10);
  bad_tag[4] = flip(s[4], 0);
  const std::string a = join(bad_key), b = join(bad_tag);
  const auto fastest = [](const std::string& t) {
    double best = 1e9;
    for (int i = 0; i < 30; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      const Outcome o = run(t);
      const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
      CHECK_FALSE(o.ok);
      best = std::min(best, us);
    }
    return best;
  };
  const double unwrap_us = fastest(a), tag_us = fastest(b);
  INFO("failed unwrap " << unwrap_us << " us, failed tag " << tag_us << " us");
  CHECK(unwrap_us < 2 * tag_us);
  CHECK(tag_us < 2 * unwrap_us);
}

TEST_CASE("RSA1_5, PBES2, none and unknown algorithms are refused in the header", "[jwe]") {
  const std::string token = fixture().encrypt(KeyAlg::RSA_OAEP, ContentEnc::A128GCM, kPlain);
  Outcome o = run(header_with(token, "\"alg\":\"RSA-OAEP\"", "\"alg\":\"RSA1_5\""));
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  CHECK(o.fail.detail.find("Bleichenbacher") != std::string::npos);
  CHECK(o.step == DecryptStep::None);  // refused before any key was touched
  o = run(header_with(token, "\"alg\":\"RSA-OAEP\"", "\"alg\":\"PBES2-HS256+A128KW\""));
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  CHECK(o.fail.detail.find("password") != std::string::npos);
  o = run(header_with(token, "\"alg\":\"RSA-OAEP\"", "\"alg\":\"nOnE\""));
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  o = run(header_with(token, "\"enc\":\"A128GCM\"", "\"enc\":\"A128CBC\""));
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  CHECK(o.fail.subject == "enc");
  // Not allowed by the policy's allow-lists.
  JweDecryptOptions only_gcm256;
  only_gcm256.header.encs = enc_bit(ContentEnc::A256GCM);
  o = run(token, fixture().keys, only_gcm256);
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  CHECK(o.fail.detail == "the JWE enc A128GCM is not allowed by the policy");
  JweDecryptOptions only_ecdh;
  only_ecdh.header.algs = key_alg_bit(KeyAlg::ECDH_ES);
  o = run(token, fixture().keys, only_ecdh);
  CHECK(o.fail.detail == "the JWE alg RSA-OAEP is not allowed by the policy");
}

TEST_CASE("zip (a compression bomb) is refused before any decryption", "[jwe]") {
  // A valid token whose header asks for DEF: the tag would verify, but the
  // content is never decrypted, let alone inflated.
  const std::string token =
      fixture().encrypt(KeyAlg::A256KW, ContentEnc::A256GCM, std::string(8000, 'A'), "\"zip\":\"DEF\"");
  const Outcome o = run(token, fixture().keys);
  CHECK(o.fail.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  CHECK(o.fail.subject == "zip");
  CHECK(o.step == DecryptStep::None);
}

TEST_CASE("the JWS header rules hold for JWE headers", "[jwe]") {
  const std::string token = fixture().encrypt(KeyAlg::A256KW, ContentEnc::A256GCM, kPlain);
  struct Case { const char* add; jwtgate_reason reason; const char* subject; };
  const Case cases[] = {
      {",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}", JWTGATE_REASON_EMBEDDED_KEY, "jwk"},
      {",\"jku\":\"https://attacker.example/k\"", JWTGATE_REASON_EMBEDDED_KEY, "jku"},
      {",\"x5u\":\"https://attacker.example/c\"", JWTGATE_REASON_EMBEDDED_KEY, "x5u"},
      {",\"x5c\":[\"AAAA\"]", JWTGATE_REASON_EMBEDDED_KEY, "x5c"},
      {",\"crit\":[\"exp\"],\"exp\":1", JWTGATE_REASON_CRIT_UNSUPPORTED, "crit"},
      {",\"crit\":[\"enc\"]", JWTGATE_REASON_CRIT_UNSUPPORTED, "crit"},
      {",\"crit\":[]", JWTGATE_REASON_HEADER_INVALID, "crit"},
      {",\"kid\":7", JWTGATE_REASON_HEADER_INVALID, "kid"},
      {",\"alg\":\"A128KW\"", JWTGATE_REASON_DUPLICATE_MEMBER, "alg"},
      {",\"a\\u006cg\":\"A128KW\"", JWTGATE_REASON_DUPLICATE_MEMBER, "alg"},
      {",\"epk\":{\"kty\":\"EC\"}", JWTGATE_REASON_HEADER_INVALID, "epk"},
      {",\"iv\":\"AAAAAAAAAAAAAAAA\"", JWTGATE_REASON_HEADER_INVALID, "iv"},
      {",\"p2c\":1000000000", JWTGATE_REASON_HEADER_INVALID, "p2c"},
      {",\"x\":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]", JWTGATE_REASON_JSON_TOO_DEEP, "header"},
  };
  for (const Case& c : cases) {
    const Outcome o = run(header_with(token, "\"cty\":\"JWT\"", std::string("\"cty\":\"JWT\"") + c.add));
    INFO(c.add << ": " << o.fail.detail);
    CHECK(o.fail.reason == c.reason);
    CHECK(o.fail.subject == c.subject);
    CHECK(o.step == DecryptStep::None);
  }
  // An epk with a private member is refused.
  const std::string ecdh = fixture().encrypt(KeyAlg::ECDH_ES, ContentEnc::A256GCM, kPlain);
  Outcome o = run(header_with(ecdh, "\"kty\":\"EC\"", "\"kty\":\"EC\",\"d\":\"AAAA\""));
  CHECK(o.fail.reason == JWTGATE_REASON_HEADER_INVALID);
  CHECK(o.fail.detail.find("private member \"d\"") != std::string::npos);
  // Strict base64url in every segment.
  auto s = split(token);
  for (int part : {0, 1, 2, 3, 4}) {
    auto m = s;
    m[part] += "=";
    o = run(join(m));
    INFO("segment " << part);
    CHECK(o.fail.reason == JWTGATE_REASON_BAD_BASE64URL);
  }
  // Six segments, four, an empty header; the size limit comes first.
  CHECK(run(token + ".AAAA").fail.reason == JWTGATE_REASON_MALFORMED);
  CHECK(run(join({s[0], s[1], s[2], s[3]})).fail.reason == JWTGATE_REASON_MALFORMED);
  CHECK(run("." + token.substr(token.find('.') + 1)).fail.reason == JWTGATE_REASON_MALFORMED);
  TokenLimits small;
  small.max_token_bytes = 100;
  JweDecryptor d;
  ParseFailure pf;
  CHECK_FALSE(d.decrypt_compact(token, small, fixture().keys, {}, pf));
  CHECK(pf.reason == JWTGATE_REASON_TOO_LARGE);
}

TEST_CASE("the JSON serializations decrypt and keep their headers disjoint", "[jwe]") {
  const std::string token = fixture().encrypt(KeyAlg::A256KW, ContentEnc::A128CBC_HS256, kPlain);
  auto s = split(token);
  const std::string flat = "{\"protected\":\"" + s[0] + "\",\"encrypted_key\":\"" + s[1] +
                           "\",\"iv\":\"" + s[2] + "\",\"ciphertext\":\"" + s[3] + "\",\"tag\":\"" +
                           s[4] + "\"}";
  JweDecryptor d;
  ParseFailure pf;
  TokenLimits limits;
  REQUIRE(d.decrypt_json(flat, limits, fixture().keys, {}, pf));
  CHECK(d.plaintext() == kPlain);
  const std::string general = "{\"protected\":\"" + s[0] + "\",\"recipients\":[{\"encrypted_key\":\"" +
                              s[1] + "\"}],\"iv\":\"" + s[2] + "\",\"ciphertext\":\"" + s[3] +
                              "\",\"tag\":\"" + s[4] + "\"}";
  REQUIRE(d.decrypt_json(general, limits, fixture().keys, {}, pf));
  // A member in both the protected and the unprotected header is refused.
  const std::string twice = flat.substr(0, flat.size() - 1) + ",\"unprotected\":{\"alg\":\"A256KW\"}}";
  CHECK_FALSE(d.decrypt_json(twice, limits, fixture().keys, {}, pf));
  CHECK(pf.reason == JWTGATE_REASON_DUPLICATE_MEMBER);
  // A jku in the unprotected header is refused as in the protected one.
  const std::string jku = flat.substr(0, flat.size() - 1) + ",\"unprotected\":{\"jku\":\"https://x\"}}";
  CHECK_FALSE(d.decrypt_json(jku, limits, fixture().keys, {}, pf));
  CHECK(pf.reason == JWTGATE_REASON_EMBEDDED_KEY);
}
