// The JOSE cookbook (RFC 7520 and RFC 8037 A.4, machine-readable copies in
// tests/vectors/jose-cookbook, see README.upstream.md section 2).
//
// - Every compact output (output.compact) is verified with input.key as the
//   only key and input.alg as the only allowed algorithm, through TokenParser
//   (payload_is_json = false: the payload is prose) and check_signature.
//   4_5 (detached content; jwtgate takes no detached payload): as a plain
//   JWS its empty payload segment is an empty payload that the MAC does not
//   cover (SIGNATURE_INVALID); as a JWT it is MALFORMED ("payload").
//   4_6, 4_7 and 4_8 have no compact form (unprotected headers / several
//   signatures): counted, and their JSON serializations are checked to be
//   refused like every other JSON text.
// - Every signing entry (signing, or each element of 4_8's array) is checked
//   twice: its sig-input + "." + sig, which is a compact JWS whenever there is
//   a protected header (not in 4_7 and 4_8 #1, whose alg is unprotected:
//   MALFORMED, "header"; their signatures are checked at the primitive
//   instead), verifies; and its signature is reproduced. RS256, HS256 and
//   EdDSA are deterministic: re-signing sig-input with the private key
//   (sign_with_pem with a PEM built here from the private JWK, or
//   sign_with_secret) gives sig byte for byte. PS384 and ES512 are
//   randomized: the new signature must verify instead.
// - The jwk/ examples load as what they are (public or private, signature or
//   encryption), and are the keys the JWS examples verify with.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include "core/diagnostics.h"
#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "jwtgate.h"
#include "crypto/key.h"
#include "keys/key_parsers.h"
#include "keys/key_set.h"
#include "jws_outcome.h"
#include "test_support.h"
#include "token/token.h"
#include "validate/signature_stage.h"
#include "sign.h"

using namespace jwtgate;

namespace {

const TokenLimits kPlainJws{.payload_is_json = false};
const TokenLimits kJwt{};
const KeyRules kRules{.min_rsa_bits = 2048};

// ------------------------------------------------------------------ files

struct Doc {
  std::string name;  // e.g. "jws/4_1.rsa_v15_signature.json"
  std::string text;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
};

std::vector<std::string> list_dir(std::string_view rel) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(jwtgate_test::data_path(rel)))
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<Doc> load_doc(const std::string& name) {
  auto d = std::make_unique<Doc>();
  d->name = name;
  d->text = jwtgate_test::read_data("vectors/jose-cookbook/" + name);
  REQUIRE(d->parser.parse(d->text).get(d->root) == simdjson::SUCCESS);
  return d;
}

// The JWS examples: jws/4_*.json and the RFC 8037 A.4 Ed25519 example.
std::vector<std::string> jws_example_names() {
  std::vector<std::string> names;
  for (const auto& n : list_dir("vectors/jose-cookbook/jws")) names.push_back("jws/" + n);
  names.push_back("curve25519/jws.json");
  return names;
}

std::string text_of(simdjson::dom::element e) {
  return e.is_string() ? std::string(e.get_string().value_unsafe()) : simdjson::minify(e);
}

std::string member(simdjson::dom::object o, const char* name) {
  simdjson::dom::element e;
  REQUIRE(o[name].get(e) == simdjson::SUCCESS);
  return text_of(e);
}

bool has(simdjson::dom::object o, const char* name) {
  simdjson::dom::element ignored;
  return o[name].get(ignored) == simdjson::SUCCESS;
}

std::vector<uint8_t> b64u_member(simdjson::dom::object jwk, const char* name) {
  std::vector<uint8_t> out;
  INFO("JWK member " << name);
  REQUIRE(base64url_decode(member(jwk, name), out));
  REQUIRE_FALSE(out.empty());
  return out;
}

// ------------------------------------------- private JWK -> PKCS#8 PEM

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string to_pem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(bio != nullptr);
  const bool ok = PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem = ok && len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
  BIO_free(bio);
  REQUIRE(ok);
  return pem;
}

// from_params builds a key pair of |type| ("RSA", "EC") from OSSL_PARAMs.
PkeyPtr from_params(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  REQUIRE(params);
  REQUIRE(ctx);
  EVP_PKEY* pkey = nullptr;
  REQUIRE(EVP_PKEY_fromdata_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_KEYPAIR, params.get()) == 1);
  return PkeyPtr(pkey);
}

// private_pem_from_jwk writes the private JWK (RFC 7518 6.3.2 RSA with CRT
// members, 6.2.2 EC, RFC 8037 2 OKP Ed25519) as a PKCS#8 PEM, the form
// sign_with_pem reads.
std::string private_pem_from_jwk(simdjson::dom::object jwk) {
  const std::string kty = member(jwk, "kty");
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  REQUIRE(bld);
  std::vector<std::unique_ptr<BIGNUM, BnFree>> bns;  // alive until to_param
  auto push_bn = [&](const char* param, const char* name) {
    const std::vector<uint8_t> bytes = b64u_member(jwk, name);
    bns.emplace_back(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    REQUIRE(bns.back());
    REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), param, bns.back().get()) == 1);
  };

  if (kty == "RSA") {
    push_bn(OSSL_PKEY_PARAM_RSA_N, "n");
    push_bn(OSSL_PKEY_PARAM_RSA_E, "e");
    push_bn(OSSL_PKEY_PARAM_RSA_D, "d");
    push_bn(OSSL_PKEY_PARAM_RSA_FACTOR1, "p");
    push_bn(OSSL_PKEY_PARAM_RSA_FACTOR2, "q");
    push_bn(OSSL_PKEY_PARAM_RSA_EXPONENT1, "dp");
    push_bn(OSSL_PKEY_PARAM_RSA_EXPONENT2, "dq");
    push_bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, "qi");
    return to_pem(from_params("RSA", bld.get()).get());
  }
  if (kty == "EC") {
    const std::string crv = member(jwk, "crv");
    const char* group = crv == "P-256"   ? "prime256v1"
                        : crv == "P-384" ? "secp384r1"
                        : crv == "P-521" ? "secp521r1"
                                         : nullptr;
    REQUIRE(group != nullptr);
    std::vector<uint8_t> point{0x04};  // SEC 1 2.3.3 uncompressed
    for (const char* c : {"x", "y"}) {
      const std::vector<uint8_t> coord = b64u_member(jwk, c);
      point.insert(point.end(), coord.begin(), coord.end());
    }
    REQUIRE(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1);
    REQUIRE(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                             point.size()) == 1);
    push_bn(OSSL_PKEY_PARAM_PRIV_KEY, "d");
    return to_pem(from_params("EC", bld.get()).get());
  }
  REQUIRE(kty == "OKP");
  REQUIRE(member(jwk, "crv") == "Ed25519");
  const std::vector<uint8_t> d = b64u_member(jwk, "d");
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, d.data(), d.size()));
  REQUIRE(pkey);
  return to_pem(pkey.get());
}

// ------------------------------------------------------------ verifying

using Outcome = jwtgate_test::JwsOutcome;

Outcome verify(std::string_view jws, const KeySet& keys, AlgSet allowed,
               const TokenLimits& limits = kPlainJws) {
  return jwtgate_test::verify_jws(jws, limits, keys, allowed, kRules);
}

KeySet public_key_set(simdjson::dom::object jwk) {
  std::vector<Key> keys;
  Diagnostics diag;
  const std::string text = simdjson::minify(jwk);
  const bool ok = parse_jwk(text, keys, diag);
  INFO(text << "\n" << diag.text());
  REQUIRE(ok);
  REQUIRE(keys.size() == 1);
  return KeySet(std::move(keys));
}

// One signature of an example: the signing entry and the key it used.
struct Signing {
  std::string file;
  int index;  // position in 4_8's arrays, else 0
  simdjson::dom::object signing;
  simdjson::dom::object key;
  std::string alg;
};

// signings lists every signing entry of |doc| with its key; 4_8 pairs its
// arrays by position (signing[i] was made with key[i]).
std::vector<Signing> signings(const Doc& doc) {
  std::vector<Signing> out;
  simdjson::dom::object input;
  REQUIRE(doc.root["input"].get(input) == simdjson::SUCCESS);
  simdjson::dom::element signing_el, key_el;
  REQUIRE(doc.root["signing"].get(signing_el) == simdjson::SUCCESS);
  REQUIRE(input["key"].get(key_el) == simdjson::SUCCESS);
  auto add = [&](simdjson::dom::element s, simdjson::dom::element k, int index) {
    Signing sg;
    sg.file = doc.name;
    sg.index = index;
    REQUIRE(s.get(sg.signing) == simdjson::SUCCESS);
    REQUIRE(k.get(sg.key) == simdjson::SUCCESS);
    // alg is protected, except in 4_7 (protecting content only).
    simdjson::dom::object header;
    if (sg.signing["protected"].get(header) != simdjson::SUCCESS)
      REQUIRE(sg.signing["unprotected"].get(header) == simdjson::SUCCESS);
    sg.alg = member(header, "alg");
    out.push_back(sg);
  };
  if (signing_el.is_array()) {
    simdjson::dom::array ss, ks;
    REQUIRE(signing_el.get(ss) == simdjson::SUCCESS);
    REQUIRE(key_el.get(ks) == simdjson::SUCCESS);
    REQUIRE(ss.size() == ks.size());
    for (size_t i = 0; i < ss.size(); ++i)
      add(ss.at(i).value_unsafe(), ks.at(i).value_unsafe(), static_cast<int>(i));
  } else {
    add(signing_el, key_el, 0);
  }
  return out;
}

std::string decoded(std::string_view b64u) {
  std::vector<uint8_t> bytes;
  REQUIRE(base64url_decode(b64u, bytes));
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("JOSE cookbook: compact JWS examples verify with their key", "[rfc]") {
  struct Expectation {
    const char* file;
    const char* stage;  // "accepted", "parse", or "" when there is no compact form
    jwtgate_reason reason;
    const char* subject;
  };
  const Expectation expectations[] = {
      {"jws/4_1.rsa_v15_signature.json", "accepted", JWTGATE_REASON_NONE, ""},
      {"jws/4_2.rsa-pss_signature.json", "accepted", JWTGATE_REASON_NONE, ""},
      {"jws/4_3.ecdsa_signature.json", "accepted", JWTGATE_REASON_NONE, ""},
      {"jws/4_4.hmac-sha2_integrity_protection.json", "accepted", JWTGATE_REASON_NONE, ""},
      // Detached content (RFC 7515 Appendix F): the payload segment is empty.
      {"jws/4_5.signature_with_detached_content.json", "signature", JWTGATE_REASON_SIGNATURE_INVALID,
       "signature"},
      // Unprotected header members or several signatures: JSON only.
      {"jws/4_6.protecting_specific_header_fields.json", "", JWTGATE_REASON_NONE, ""},
      {"jws/4_7.protecting_content_only.json", "", JWTGATE_REASON_NONE, ""},
      {"jws/4_8.multiple_signatures.json", "", JWTGATE_REASON_NONE, ""},
      {"curve25519/jws.json", "accepted", JWTGATE_REASON_NONE, ""},
  };
  const std::vector<std::string> names = jws_example_names();
  REQUIRE(names.size() == std::size(expectations));
  int verified = 0, refused = 0, json_only = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const Expectation& e = expectations[i];
    INFO(names[i]);
    REQUIRE(names[i] == e.file);
    const auto doc = load_doc(names[i]);
    simdjson::dom::object output, input, key;
    REQUIRE(doc->root["output"].get(output) == simdjson::SUCCESS);
    REQUIRE(doc->root["input"].get(input) == simdjson::SUCCESS);
    if (std::string_view(e.stage).empty()) {
      CHECK_FALSE(has(output, "compact"));
      ++json_only;
      continue;
    }
    const std::string compact = member(output, "compact");
    REQUIRE(input["key"].get(key) == simdjson::SUCCESS);
    const KeySet keys = public_key_set(key);
    const AlgSet allowed = alg_bit(alg_from_name(member(input, "alg")));
    const Outcome o = verify(compact, keys, allowed, kPlainJws);
    INFO("got " << o.stage << ":" << jwtgate_reason_str(o.reason) << " \"" << o.subject
                << "\": " << o.detail);
    CHECK(o.stage == e.stage);
    CHECK(o.reason == e.reason);
    CHECK(o.subject == e.subject);
    (o.accepted ? verified : refused)++;
    // As JWTs: the payloads are prose, not claims sets, except that the
    // detached one never gets that far.
    const Outcome jwt = verify(compact, keys, allowed, kJwt);
    CHECK(jwt.stage == "parse");
    if (compact.find("..") != std::string::npos) {
      CHECK(jwt.reason == JWTGATE_REASON_MALFORMED);
      CHECK(jwt.subject == "payload");
    } else {
      CHECK(jwt.reason == JWTGATE_REASON_BAD_JSON);
    }
  }
  CHECK(verified == 5);
  CHECK(refused == 1);
  CHECK(json_only == 3);
}

TEST_CASE("JOSE cookbook: every signing input with its signature verifies as a compact JWS",
          "[rfc]") {
  int verified = 0, refused = 0;
  for (const auto& name : jws_example_names()) {
    const auto doc = load_doc(name);
    for (const Signing& s : signings(*doc)) {
      INFO(s.file << " signature #" << s.index << " " << s.alg);
      const std::string sig_input = member(s.signing, "sig-input");
      const std::string jws = sig_input + "." + member(s.signing, "sig");
      const Outcome o = verify(jws, public_key_set(s.key), alg_bit(alg_from_name(s.alg)));
      INFO(o.stage << ":" << jwtgate_reason_str(o.reason) << " " << o.detail);
      if (sig_input[0] == '.') {
        // 4_7 and 4_8 #1: alg is in the unprotected header only, so there
        // is no protected header and no compact form. The signature itself
        // is sound: the primitive verifies it over the signing input.
        CHECK(o.stage == "parse");
        CHECK(o.reason == JWTGATE_REASON_MALFORMED);
        CHECK(o.subject == "header");
        const KeySet keys = public_key_set(s.key);
        const std::string sig = decoded(member(s.signing, "sig"));
        CHECK(verify_signature(keys.keys()[0], alg_from_name(s.alg), sig_input,
                               reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
        ++refused;
      } else {
        CHECK(o.accepted);
        ++verified;
      }
    }
  }
  CHECK(verified == 9);
  CHECK(refused == 2);
}

TEST_CASE("JOSE cookbook: RS256, HS256 and EdDSA re-sign byte for byte; PS384 and ES512 "
          "re-sign verifiably",
          "[rfc]") {
  int deterministic = 0, randomized = 0;
  for (const auto& name : jws_example_names()) {
    const auto doc = load_doc(name);
    for (const Signing& s : signings(*doc)) {
      INFO(s.file << " signature #" << s.index << " " << s.alg);
      const Alg alg = alg_from_name(s.alg);
      REQUIRE(alg != Alg::Unknown);
      const std::string sig_input = member(s.signing, "sig-input");
      const std::string expected = decoded(member(s.signing, "sig"));
      std::string sig;
      if (alg_family(alg) == AlgFamily::HMAC) {
        const std::vector<uint8_t> secret = b64u_member(s.key, "k");
        REQUIRE(sign_with_secret(alg, secret.data(), secret.size(), sig_input, sig));
      } else {
        REQUIRE(sign_with_pem(alg, private_pem_from_jwk(s.key), sig_input, sig));
      }
      if (alg == Alg::RS256 || alg == Alg::HS256 || alg == Alg::EdDSA) {
        CHECK(sig == expected);  // byte for byte
        ++deterministic;
      } else {
        CHECK(sig != expected);  // randomized (PS384 salt, ECDSA k)
        CHECK(sig.size() == expected.size());
        ++randomized;
      }
      // Either way the new signature verifies with the public key: as a
      // compact JWS, or (no protected header: 4_7, 4_8 #1) at the primitive.
      const KeySet keys = public_key_set(s.key);
      if (sig_input[0] != '.') {
        const Outcome o = verify(sig_input + "." + base64url_encode(sig), keys, alg_bit(alg));
        INFO(o.detail);
        CHECK(o.accepted);
      } else {
        CHECK(verify_signature(keys.keys()[0], alg, sig_input, reinterpret_cast<const uint8_t*>(sig.data()),
                               sig.size()));
      }
    }
  }
  // 4_1, 4_4, 4_5, 4_6, 4_7, 4_8 #0 (RS256) and #2 (HS256), curve25519.
  CHECK(deterministic == 8);
  // 4_2 (PS384), 4_3 and 4_8 #1 (ES512).
  CHECK(randomized == 3);
}

TEST_CASE("JOSE cookbook: JSON serializations are refused (compact only)", "[rfc]") {
  // A JSON text is never a compact JWS; which check refuses it depends on
  // how many '.' its kid values happen to hold: two make three "segments"
  // that fail base64url, four make five, which the parser takes for a JWE
  // (RFC 7516 9 tells compact JWS and JWE apart by segment count), any other
  // number is MALFORMED.
  int refused = 0;
  TokenParser parser;
  for (const auto& name : jws_example_names()) {
    const auto doc = load_doc(name);
    simdjson::dom::object output;
    REQUIRE(doc->root["output"].get(output) == simdjson::SUCCESS);
    for (const char* form : {"json", "json_flat"}) {
      if (!has(output, form)) continue;
      INFO(name << " " << form);
      const std::string text = member(output, form);
      REQUIRE(text[0] == '{');
      ParsedToken t;
      ParseFailure pf;
      CHECK_FALSE(parser.parse(text, kPlainJws, t, pf));
      // Recognised as a JSON serialization before any segment counting.
      CHECK(pf.reason == JWTGATE_REASON_MALFORMED);
      CHECK(pf.detail.find("JSON serialization is not supported") != std::string::npos);
      ++refused;
    }
  }
  CHECK(refused == 17);  // json in all 9, json_flat in all but 4_8
}

TEST_CASE("JOSE cookbook: the JWK examples load as what they are", "[rfc]") {
  struct Expectation {
    const char* file;
    KeyType type;
    int bits;
    const char* kid;
    const char* use;
    bool private_warning;  // private members present, ignored with a warning
    AlgSet compatible;     // the algorithms key_compatible allows it for
  };
  const AlgSet rsa = alg_bit(Alg::RS256) | alg_bit(Alg::RS384) | alg_bit(Alg::RS512) |
                     alg_bit(Alg::PS256) | alg_bit(Alg::PS384) | alg_bit(Alg::PS512);
  const Expectation expectations[] = {
      {"3_1.ec_public_key.json", KeyType::EC, 521, "bilbo.baggins@hobbiton.example", "sig", false,
       alg_bit(Alg::ES512)},
      {"3_2.ec_private_key.json", KeyType::EC, 521, "bilbo.baggins@hobbiton.example", "sig", true,
       alg_bit(Alg::ES512)},
      {"3_3.rsa_public_key.json", KeyType::RSA, 2048, "bilbo.baggins@hobbiton.example", "sig", false, rsa},
      {"3_4.rsa_private_key.json", KeyType::RSA, 2048, "bilbo.baggins@hobbiton.example", "sig", true, rsa},
      {"3_5.symmetric_key_mac_computation.json", KeyType::Oct, 256, "018c0ae5-4d9b-471b-bfd6-eef314bc7037",
       "sig", false, alg_bit(Alg::HS256)},
      // An AES-GCM encryption key: loads (a single JWK with use "enc" is
      // loaded with a warning) but verifies nothing.
      {"3_6.symmetric_key_encryption.json", KeyType::Oct, 256, "1e571774-2e08-40da-8308-e8d68773842d", "enc",
       false, 0},
  };
  const std::vector<std::string> names = list_dir("vectors/jose-cookbook/jwk");
  REQUIRE(names.size() == std::size(expectations));
  std::vector<std::vector<Key>> loaded;
  for (size_t i = 0; i < names.size(); ++i) {
    const Expectation& e = expectations[i];
    INFO(names[i]);
    REQUIRE(names[i] == e.file);
    std::vector<Key> keys;
    Diagnostics diag;
    const bool ok = parse_jwk(jwtgate_test::read_data("vectors/jose-cookbook/jwk/" + names[i]), keys, diag);
    INFO(diag.text());
    REQUIRE(ok);
    REQUIRE(keys.size() == 1);
    const Key& k = keys[0];
    CHECK(k.type == e.type);
    CHECK(k.bits == e.bits);
    CHECK(k.kid == e.kid);
    CHECK(k.use == e.use);
    CHECK((diag.text().find("private key members are ignored") != std::string::npos) == e.private_warning);
    CHECK(diag.has_errors() == false);
    for (int a = 0; a < kAlgCount; ++a) {
      const Alg alg = static_cast<Alg>(a);
      INFO(alg_name(alg));
      CHECK(key_compatible(k, alg, kRules, nullptr) == ((e.compatible & alg_bit(alg)) != 0));
    }
    loaded.push_back(std::move(keys));
  }
  // A private key's public half is the public example.
  CHECK(same_public_key(loaded[1][0], loaded[0][0]));
  CHECK(same_public_key(loaded[3][0], loaded[2][0]));

  // And they are the keys of the JWS examples.
  struct Use {
    size_t key;
    const char* example;
  };
  for (const Use u : {Use{0, "jws/4_3.ecdsa_signature.json"}, Use{2, "jws/4_1.rsa_v15_signature.json"},
                      Use{2, "jws/4_2.rsa-pss_signature.json"},
                      Use{4, "jws/4_4.hmac-sha2_integrity_protection.json"}}) {
    INFO(u.example);
    const auto doc = load_doc(u.example);
    simdjson::dom::object output, input;
    REQUIRE(doc->root["output"].get(output) == simdjson::SUCCESS);
    REQUIRE(doc->root["input"].get(input) == simdjson::SUCCESS);
    const Outcome o = verify(member(output, "compact"), KeySet(loaded[u.key]),
                             alg_bit(alg_from_name(member(input, "alg"))));
    CHECK(o.accepted);
  }
}
