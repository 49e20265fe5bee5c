// Wycheproof primitive vectors (tests/vectors/wycheproof-jwe) through
// jwtgate's JWE primitives, with JWE's own rules applied on top:
//  - a128cbc_hs256 / a192cbc_hs384 / a256cbc_hs512: decrypt_content with the
//    composite enc (RFC 7518 5.2): every "valid" decrypts to "msg", every
//    "invalid" (modified tags) is refused.
//  - aes_gcm: decrypt_content for A128GCM/A192GCM/A256GCM. JWE fixes the IV
//    at 96 bits (RFC 7518 5.3): "valid" vectors with any other IV size are
//    refused by that rule (counted apart), the 96-bit ones must decrypt.
//  - aes_wrap: aes_kw_unwrap. JWE's smallest CEK is 128 bits, so wrapped
//    keys under 24 bytes are refused: the "acceptable" 8-byte key wraps
//    (ShortKey) count as refused, as acceptable must.
//  - rsa_oaep_*: rsa_oaep_decrypt with the group's private key (PKCS#8)
//    and RSA-OAEP (SHA-1) or RSA-OAEP-256. JWE uses the empty label: the
//    "valid" vectors encrypted with a label (EncryptionWithLabel) must fail
//    to decrypt here (counted apart); the others must decrypt to "msg".
//  - ecdh_secp*_ecpoint: ecdh_es_agree with the private scalar and the
//    public point given as a JWK epk would give it: x and y from an
//    uncompressed point. A compressed or otherwise encoded point cannot be
//    written in a JWK epk: refused as not representable (this covers the
//    "acceptable" CompressedPublic vectors). Every "valid" must give
//    "shared"; every invalid-curve point must be refused.
//  - x25519: ecdh_es_agree on X25519. Every "valid" gives "shared". All 254
//    "acceptable" vectors are refused: low-order points give the all-zero
//    secret (RFC 7748 6.1), twist points and non-canonical encodings are not
//    the u-coordinate of a point of the curve (x25519_public_on_curve).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <simdjson.h>

#include "jwe/content_cipher.h"
#include "jwe/decryption_key.h"
#include "jwe/key_management.h"
#include "test_support.h"

using namespace jwtgate;
using jwtgate_test::from_hex;
using jwtgate_test::read_data;

namespace {

struct Tally {
  int valid_ok = 0, valid_refused_by_rule = 0, invalid_refused = 0, acceptable_refused = 0;
};

void print(const char* file, const Tally& t, const char* rule) {
  std::printf("%s: %d valid accepted, %d valid refused by a JWE rule (%s), %d invalid refused, "
              "%d acceptable refused\n",
              file, t.valid_ok, t.valid_refused_by_rule, rule, t.invalid_refused,
              t.acceptable_refused);
}

bool has_flag(simdjson::dom::element t, std::string_view flag) {
  for (simdjson::dom::element f : t["flags"].get_array())
    if (f.get_string().value() == flag) return true;
  return false;
}

std::vector<uint8_t> hex(simdjson::dom::element t, const char* name) {
  return from_hex(t[name].get_string().value());
}

void count_refusal(Tally& t, std::string_view result) {
  if (result == "acceptable") ++t.acceptable_refused;
  else ++t.invalid_refused;
}

// expect checks one Wycheproof case and counts it in |t|: a "valid" case
// succeeds (|ok|) with |want| as its output (|got_len| bytes at |got|),
// unless a JWE rule refuses it (|by_rule|); every other case is refused.
void expect(Tally& t, std::string_view result, bool by_rule, bool ok, const uint8_t* got, size_t got_len,
            const std::vector<uint8_t>& want) {
  if (result == "valid" && !by_rule) {
    CHECK(ok);
    if (ok) {
      CHECK(std::vector<uint8_t>(got, got + got_len) == want);
      ++t.valid_ok;
    }
  } else {
    CHECK_FALSE(ok);
    if (!ok) {
      if (result == "valid") ++t.valid_refused_by_rule;
      else count_refusal(t, result);
    }
  }
}

Tally run_aead(const char* file, bool gcm) {
  const std::string text = read_data(std::string("vectors/wycheproof-jwe/") + file);
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(text);
  Tally tally;
  for (simdjson::dom::element g : root["testGroups"].get_array()) {
    const int64_t key_bits = g["keySize"].get_int64().value();
    for (simdjson::dom::element t : g["tests"].get_array()) {
      const int64_t id = t["tcId"].get_int64().value();
      const std::string_view result = t["result"].get_string().value();
      const auto key = hex(t, "key"), iv = hex(t, "iv"), aad = hex(t, "aad"), msg = hex(t, "msg"),
                 ct = hex(t, "ct"), tag = hex(t, "tag");
      ContentEnc enc;
      if (gcm) {
        enc = key_bits == 128 ? ContentEnc::A128GCM
              : key_bits == 192 ? ContentEnc::A192GCM
                                : ContentEnc::A256GCM;
      } else {
        enc = key_bits == 256 ? ContentEnc::A128CBC_HS256
              : key_bits == 384 ? ContentEnc::A192CBC_HS384
                                : ContentEnc::A256CBC_HS512;
      }
      REQUIRE(key.size() == enc_cek_bytes(enc));
      ContentInput in;
      in.cek = key.data();
      in.iv = iv.data();
      in.iv_len = iv.size();
      in.aad = std::string_view(reinterpret_cast<const char*>(aad.data()), aad.size());
      in.ciphertext = ct.data();
      in.ciphertext_len = ct.size();
      in.tag = tag.data();
      in.tag_len = tag.size();
      std::vector<uint8_t> out(ct.size() + 16);
      size_t out_len = 0;
      const bool ok = decrypt_content(enc, in, out.data(), &out_len);
      INFO(file << " tcId " << id << " " << result);
      const bool jwe_rule = gcm && iv.size() != 12;  // RFC 7518 5.3: 96-bit IVs only
      expect(tally, result, jwe_rule, ok, out.data(), out_len, msg);
    }
  }
  return tally;
}

EVP_PKEY* pkcs8(const std::vector<uint8_t>& der) {
  const unsigned char* p = der.data();
  return d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
}

}  // namespace

TEST_CASE("Wycheproof AES-CBC-HMAC vectors through decrypt_content", "[jwe]") {
  for (const char* f : {"a128cbc_hs256_test.json", "a192cbc_hs384_test.json", "a256cbc_hs512_test.json"}) {
    const Tally t = run_aead(f, false);
    print(f, t, "none");
    CHECK(t.valid_ok == 67);
    CHECK(t.invalid_refused == 27);
  }
}

TEST_CASE("Wycheproof AES-GCM vectors through decrypt_content", "[jwe]") {
  const Tally t = run_aead("aes_gcm_test.json", true);
  print("aes_gcm_test.json", t, "96-bit IV");
  CHECK(t.valid_ok + t.valid_refused_by_rule == 229);
  CHECK(t.valid_ok == 116);
  CHECK(t.invalid_refused == 87);
}

TEST_CASE("Wycheproof AES key wrap vectors through aes_kw_unwrap", "[jwe]") {
  const std::string text = read_data("vectors/wycheproof-jwe/aes_wrap_test.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(text);
  Tally tally;
  for (simdjson::dom::element g : root["testGroups"].get_array()) {
    for (simdjson::dom::element t : g["tests"].get_array()) {
      const int64_t id = t["tcId"].get_int64().value();
      const std::string_view result = t["result"].get_string().value();
      const auto key = hex(t, "key"), msg = hex(t, "msg"), ct = hex(t, "ct");
      std::vector<uint8_t> out(ct.size() + 16);
      size_t n = 0;
      const bool ok = aes_kw_unwrap(key.data(), key.size(), ct.data(), ct.size(), out.data(), &n);
      INFO("aes_wrap tcId " << id << " " << result);
      expect(tally, result, false, ok, out.data(), n, msg);
    }
  }
  print("aes_wrap_test.json", tally, "none");
  CHECK(tally.valid_ok == 36);
  CHECK(tally.invalid_refused == 126);
  CHECK(tally.acceptable_refused == 3);
}

TEST_CASE("Wycheproof RSA-OAEP vectors through rsa_oaep_decrypt", "[jwe]") {
  for (const char* f : {"rsa_oaep_2048_sha1_mgf1sha1_test.json", "rsa_oaep_2048_sha256_mgf1sha256_test.json",
                        "rsa_oaep_3072_sha256_mgf1sha256_test.json", "rsa_oaep_4096_sha256_mgf1sha256_test.json"}) {
    const std::string text = read_data(std::string("vectors/wycheproof-jwe/") + f);
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(text);
    Tally tally;
    for (simdjson::dom::element g : root["testGroups"].get_array()) {
      const KeyAlg alg = g["sha"].get_string().value() == "SHA-1" ? KeyAlg::RSA_OAEP : KeyAlg::RSA_OAEP_256;
      DecryptionKey key;
      std::string why;
      REQUIRE(make_private_decryption_key(pkcs8(from_hex(g["privateKeyPkcs8"].get_string().value())), key, &why));
      for (simdjson::dom::element t : g["tests"].get_array()) {
        const int64_t id = t["tcId"].get_int64().value();
        const std::string_view result = t["result"].get_string().value();
        const auto msg = hex(t, "msg"), ct = hex(t, "ct");
        const bool labelled = !t["label"].get_string().value().empty();
        std::vector<uint8_t> out(kMaxRsaModulusBytes);
        size_t n = 0;
        const bool ok = rsa_oaep_decrypt(*key.material, alg, ct.data(), ct.size(), out.data(), &n);
        INFO(f << " tcId " << id << " " << result);
        expect(tally, result, labelled, ok, out.data(), n, msg);
      }
    }
    print(f, tally, "JWE's empty OAEP label");
    CHECK(tally.invalid_refused == 19);
    CHECK(tally.valid_ok + tally.valid_refused_by_rule == (std::string(f).find("sha1") != std::string::npos ? 17 : 18));
  }
}

namespace {

// ec_private_key builds an EC private key on |group| from the scalar |d|
// (big-endian, any length), with its public point.
EVP_PKEY* ec_private_key(const char* group, const std::vector<uint8_t>& d) {
  BIGNUM* priv = BN_bin2bn(d.data(), static_cast<int>(d.size()), nullptr);
  const int nid = OBJ_sn2nid(group);
  EC_GROUP* g = EC_GROUP_new_by_curve_name(nid);
  EC_POINT* pub = EC_POINT_new(g);
  EC_POINT_mul(g, pub, priv, nullptr, nullptr, nullptr);
  uint8_t buf[200];
  const size_t len = EC_POINT_point2oct(g, pub, POINT_CONVERSION_UNCOMPRESSED, buf, sizeof buf, nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, OBJ_nid2sn(nid), 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, buf, len);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  EC_POINT_free(pub);
  EC_GROUP_free(g);
  BN_free(priv);
  return pkey;
}

}  // namespace

TEST_CASE("Wycheproof ECDH vectors through ecdh_es_agree", "[jwe]") {
  struct File { const char* name; const char* group; size_t len; int valid; };
  for (const File& f : {File{"ecdh_secp256r1_ecpoint_test.json", "prime256v1", 32, 330},
                        File{"ecdh_secp384r1_ecpoint_test.json", "secp384r1", 48, 771},
                        File{"ecdh_secp521r1_ecpoint_test.json", "secp521r1", 66, 632}}) {
    const std::string text = read_data(std::string("vectors/wycheproof-jwe/") + f.name);
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(text);
    Tally tally;
    int not_representable = 0;
    for (simdjson::dom::element g : root["testGroups"].get_array()) {
      for (simdjson::dom::element t : g["tests"].get_array()) {
        const int64_t id = t["tcId"].get_int64().value();
        const std::string_view result = t["result"].get_string().value();
        const auto pub = hex(t, "public"), d = hex(t, "private"), shared = hex(t, "shared");
        INFO(f.name << " tcId " << id << " " << result);
        bool ok = false;
        uint8_t z[66];
        size_t z_len = 0;
        if (pub.size() == 1 + 2 * f.len && pub[0] == 0x04) {
          DecryptionKey key;
          std::string why;
          REQUIRE(make_private_decryption_key(ec_private_key(f.group, d), key, &why));
          EphemeralKey epk;
          epk.curve_nid = key.curve_nid;
          epk.len = f.len;
          std::memcpy(epk.x.data(), pub.data() + 1, f.len);
          std::memcpy(epk.y.data(), pub.data() + 1 + f.len, f.len);
          ok = ecdh_es_agree(*key.material, key.curve_nid, epk, z, &z_len);
        } else {
          ++not_representable;
        }
        expect(tally, result, false, ok, z, z_len, shared);
      }
    }
    std::printf("%s: %d valid accepted, %d invalid refused, %d acceptable refused (%d points not "
                "representable as a JWK epk)\n",
                f.name, tally.valid_ok, tally.invalid_refused, tally.acceptable_refused,
                not_representable);
    CHECK(tally.valid_ok == f.valid);
    CHECK(tally.acceptable_refused == 1);
  }
}

TEST_CASE("Wycheproof X25519 vectors through ecdh_es_agree", "[jwe]") {
  const std::string text = read_data("vectors/wycheproof-jwe/x25519_test.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(text);
  Tally tally;
  int zero_secret = 0, twist_or_noncanonical = 0;
  for (simdjson::dom::element g : root["testGroups"].get_array()) {
    for (simdjson::dom::element t : g["tests"].get_array()) {
      const int64_t id = t["tcId"].get_int64().value();
      const std::string_view result = t["result"].get_string().value();
      const auto pub = hex(t, "public"), d = hex(t, "private"), shared = hex(t, "shared");
      REQUIRE(pub.size() == 32);
      DecryptionKey key;
      std::string why;
      REQUIRE(make_private_decryption_key(
          EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, d.data(), d.size()), key, &why));
      EphemeralKey epk;
      epk.curve_nid = NID_X25519;
      epk.len = 32;
      std::memcpy(epk.x.data(), pub.data(), 32);
      uint8_t z[66];
      size_t z_len = 0;
      const bool ok = ecdh_es_agree(*key.material, NID_X25519, epk, z, &z_len);
      INFO("x25519 tcId " << id << " " << result);
      expect(tally, result, false, ok, z, z_len, shared);
      if (result != "valid" && !ok) {
        if (has_flag(t, "ZeroSharedSecret")) ++zero_secret;
        else ++twist_or_noncanonical;
      }
    }
  }
  std::printf("x25519_test.json: %d valid accepted, %d acceptable refused (%d zero secret or low "
              "order, %d twist or non-canonical)\n",
              tally.valid_ok, tally.acceptable_refused, zero_secret, twist_or_noncanonical);
  CHECK(tally.valid_ok == 264);
  CHECK(tally.acceptable_refused == 254);
}
