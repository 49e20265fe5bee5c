// Encrypted tokens end to end (policy -> decryption keys -> JWE -> nested
// JWS -> signature and claims -> result): the nested JWT goes through the
// same checks as any token, the encryption setting of the policy, the one
// failure reason and message of decryption, the local explanation that
// names the failed step, and the verified-token cache on encrypted tokens.
#include <catch2/catch.hpp>

#include <string>

#include "diagnose/diagnosis.h"
#include "encoding/base64url.h"
#include "jwe_encrypt.h"
#include "keys/key_parsers.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::make_token;
using jwtgate_test::read_data;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kAesB64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31

std::string claims(int64_t exp = kNow + 600) {
  return "{\"iss\":\"https://a.example\",\"aud\":\"api://demo\",\"sub\":\"alice\",\"exp\":" +
         std::to_string(exp) + "}";
}

std::string signed_jwt(const std::string& c = claims()) {
  return make_token("{\"alg\":\"RS256\",\"kid\":\"rk\"}", c, "RS256", jwtgate_test::rsa_private_pem());
}

KeySetPtr signing_keys() {
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_pem(read_data("data/keys/rsa2048.pub.pem"), keys, diag));
  keys[0].kid = "rk";
  keys[0].has_kid = true;
  return std::make_shared<const KeySet>(std::move(keys));
}

// A policy with the RSA test key registered as "enc-cert" and an AES key
// as Base64 text.
std::shared_ptr<const Policy> policy(const std::string& extra = "", bool with_keys = true) {
  const std::string text =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://a.example\"],"
      " \"audiences\": [\"api://demo\"]" +
      std::string(with_keys ? ", \"decryption-keys\": [{\"certificate-id\": \"enc-cert\"}, {\"value\": \"" +
                                  kAesB64 + "\"}]"
                            : "") +
      (extra.empty() ? "" : ", " + extra) + "}}";
  LoadOptions opts;
  Diagnostics diag;
  REQUIRE(load_decryption_private_key(jwtgate_test::rsa_private_pem(), "", opts.decryption_keys["enc-cert"], diag));
  auto p = load_policy(text, opts, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

EVP_PKEY* rsa_public() {
  static EVP_PKEY* k = [] {
    std::vector<DecryptionKey> keys;
    Diagnostics diag;
    REQUIRE(load_decryption_private_key(jwtgate_test::rsa_private_pem(), "", keys, diag));
    EVP_PKEY_up_ref(keys[0].material->pkey);
    return keys[0].material->pkey;
  }();
  return k;
}

std::string encrypt(const std::string& content, KeyAlg alg = KeyAlg::RSA_OAEP_256,
                    ContentEnc enc = ContentEnc::A256GCM, const std::string& cty = "JWT") {
  JweEncryptParams p;
  p.alg = alg;
  p.enc = enc;
  p.cty = cty;
  if (key_alg_family(alg) == KeyAlgFamily::RsaOaep) p.recipient = rsa_public();
  else {
    std::vector<uint8_t> k;
    REQUIRE(base64_decode(kAesB64, k));
    p.secret = k;
  }
  std::string out, why;
  REQUIRE(jwe_encrypt_compact(p, content, out, &why));
  return out;
}

struct Run {
  bool valid;
  jwtgate_reason reason;
  std::string subject, detail, message, explanation;
  bool encrypted;
};

Run run(const std::shared_ptr<const Policy>& p, const std::string& token) {
  Validator v(p, signing_keys());
  Result r;
  const bool ok = v.validate_token(token, kNow, r);
  Run out{ok, r.reason, r.failures.empty() ? "" : r.failures[0].subject,
          r.failures.empty() ? "" : r.failures[0].detail, r.message, "", r.encrypted};
  out.explanation = diagnosis_text(diagnose(r, *p), false);
  return out;
}

}  // namespace

TEST_CASE("a nested JWT is decrypted and then checked like any token", "[validate][jwe]") {
  const auto p = policy();
  for (KeyAlg a : {KeyAlg::RSA_OAEP, KeyAlg::RSA_OAEP_256, KeyAlg::A256KW, KeyAlg::A256GCMKW, KeyAlg::Dir}) {
    const Run r = run(p, encrypt(signed_jwt(), a, a == KeyAlg::Dir ? ContentEnc::A128CBC_HS256 : ContentEnc::A256GCM));
    INFO(key_alg_name(a) << ": " << r.detail);
    CHECK(r.valid);
    CHECK(r.encrypted);
  }
  // The inner token's claims decide: expired inside is expired.
  const Run expired = run(p, encrypt(signed_jwt(claims(kNow - 10))));
  CHECK(expired.reason == JWTGATE_REASON_EXPIRED);
  // A signature that does not verify inside is a signature failure.
  std::string jws = signed_jwt();
  jws[jws.size() - 5] = jws[jws.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(run(p, encrypt(jws)).reason == JWTGATE_REASON_SIGNATURE_INVALID);
}

TEST_CASE("a nested JWS with alg none is refused by the JWS rules", "[validate][jwe]") {
  const std::string none = base64url_encode(std::string("{\"alg\":\"none\"}")) + "." +
                           base64url_encode(claims()) + ".";
  const Run r = run(policy(), encrypt(none));
  CHECK(r.reason == JWTGATE_REASON_ALG_NONE);
  CHECK(r.detail.rfind("in the decrypted (nested) token: ", 0) == 0);
}

TEST_CASE("only nested JWTs: cty JWT, a compact JWS inside, one level", "[validate][jwe]") {
  const auto p = policy();
  Run r = run(p, encrypt(signed_jwt(), KeyAlg::RSA_OAEP_256, ContentEnc::A256GCM, ""));
  CHECK(r.reason == JWTGATE_REASON_HEADER_INVALID);
  CHECK(r.subject == "cty");
  CHECK(run(p, encrypt(signed_jwt(), KeyAlg::RSA_OAEP_256, ContentEnc::A256GCM, "application/jwt")).valid);
  // A claims set encrypted directly (no signature): refused as malformed.
  r = run(p, encrypt(claims()));
  CHECK(r.reason == JWTGATE_REASON_MALFORMED);
  // A JWE inside a JWE.
  r = run(p, encrypt(encrypt(signed_jwt())));
  CHECK(r.reason == JWTGATE_REASON_MALFORMED);
  CHECK(r.detail.find("itself a JWE") != std::string::npos);
}

TEST_CASE("the policy requires, allows or forbids encryption", "[validate][jwe]") {
  const std::string jwe = encrypt(signed_jwt());
  const std::string jws = signed_jwt();
  CHECK(run(policy(), jws).valid);
  CHECK(run(policy(), jwe).valid);
  const auto required = policy("\"jwtgate\": {\"encryption\": \"required\"}");
  CHECK(run(required, jwe).valid);
  CHECK(run(required, jws).reason == JWTGATE_REASON_ENCRYPTION_REQUIRED);
  const auto forbidden = policy("\"jwtgate\": {\"encryption\": \"forbidden\"}");
  CHECK(run(forbidden, jws).valid);
  CHECK(run(forbidden, jwe).reason == JWTGATE_REASON_ENCRYPTION_FORBIDDEN);
  const auto no_keys = policy("", false);
  const Run r = run(no_keys, jwe);
  CHECK(r.reason == JWTGATE_REASON_JWE_NOT_SUPPORTED);
  CHECK(r.explanation.find("--decryption-key") != std::string::npos);
  // Allow-lists of the policy.
  const auto only_ecdh = policy("\"jwtgate\": {\"jwe-algorithms\": \"ECDH-ES ECDH-ES+A256KW\"}");
  CHECK(run(only_ecdh, jwe).reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
  const auto only_cbc = policy("\"jwtgate\": {\"jwe-encryptions\": \"A256CBC-HS512\"}");
  CHECK(run(only_cbc, jwe).reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
}

TEST_CASE("a decryption failure says the same to the client whatever failed", "[validate][jwe]") {
  const auto p = policy();
  const std::string good = encrypt(signed_jwt());
  auto seg = [&](int i) {
    size_t start = 0;
    for (int k = 0; k < i; ++k) start = good.find('.', start) + 1;
    return start;
  };
  std::string bad_key = good, bad_tag = good;
  bad_key[seg(1) + 5] = bad_key[seg(1) + 5] == 'A' ? 'B' : 'A';
  bad_tag[seg(4) + 2] = bad_tag[seg(4) + 2] == 'A' ? 'B' : 'A';
  const Run a = run(p, bad_key), b = run(p, bad_tag);
  for (const Run* r : {&a, &b}) {
    CHECK(r->reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED);
    CHECK(r->message == "IDX10603: Decryption failed. Access denied.");
    CHECK(r->detail == "the encrypted token (JWE) could not be decrypted with the policy's decryption keys");
    CHECK(r->subject.empty());
    CHECK(std::string(jwtgate_reason_apim(r->reason)) == "JwtInvalid");
  }
  // The operator's explanation names the step.
  CHECK(a.explanation.find("could not be unwrapped") != std::string::npos);
  CHECK(b.explanation.find("authentication tag did not verify") != std::string::npos);
}

TEST_CASE("decryption keys load through the policy, or say why not", "[validate][jwe]") {
  Diagnostics diag;
  LoadOptions opts;
  opts.certificates["pub"];  // registered as a (public) certificate only
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"decryption-keys\": "
                       "[{\"certificate-id\": \"pub\"}]}}",
                       opts, diag);
  CHECK_FALSE(p);
  CHECK(diag.text().find("registered as a certificate, which verifies signatures") != std::string::npos);
  Diagnostics d2;
  p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"decryption-keys\": "
                  "[{\"value\": \"c2hvcnQ=\"}]}}",
                  {}, d2);
  CHECK_FALSE(p);
  CHECK(d2.text().find("16, 24, 32, 48 or 64 bytes") != std::string::npos);
  Diagnostics d3;
  p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"jwtgate\": "
                  "{\"encryption\": \"required\"}}}",
                  {}, d3);
  CHECK_FALSE(p);
  CHECK(d3.text().find("no decryption-keys") != std::string::npos);
  Diagnostics d4;
  p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"jwtgate\": "
                  "{\"jwe-algorithms\": \"RSA1_5\"}}}",
                  {}, d4);
  CHECK_FALSE(p);
  CHECK(d4.text().find("Bleichenbacher") != std::string::npos);
}

TEST_CASE("a failed encrypted token shows no claims, not even the last token's", "[validate][jwe]") {
  const auto p = policy();
  Validator v(p, signing_keys());
  Result r;
  REQUIRE(v.validate_token(signed_jwt(), kNow, r));
  REQUIRE(r.claims_available);
  std::string bad = encrypt(signed_jwt());
  bad[bad.size() - 3] = bad[bad.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(v.validate_token(bad, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED);
  CHECK_FALSE(r.header_available);
  CHECK_FALSE(r.claims_available);
  CHECK(r.token.compact.empty());
}

TEST_CASE("the verified-token cache serves encrypted tokens by their bytes", "[validate][jwe]") {
  const auto p = policy();
  ValidatorOptions o;
  o.cache_entries = 100;
  Validator v(p, signing_keys(), o);
  const std::string jwe = encrypt(signed_jwt());
  Result r;
  REQUIRE(v.validate_token(jwe, kNow, r));
  CHECK_FALSE(r.cache_hit);
  REQUIRE(v.validate_token(jwe, kNow, r));
  CHECK(r.cache_hit);
  simdjson::dom::element sub;
  REQUIRE_FALSE(r.token.payload["sub"].get(sub));
  CHECK(sub.get_string().value() == "alice");
  // Expiry is checked again on a hit; another encryption of the same JWS is
  // another entry; a modified copy is not served from the cache.
  CHECK_FALSE(v.validate_token(jwe, kNow + 3600, r));
  CHECK(r.reason == JWTGATE_REASON_EXPIRED);
  std::string bad = jwe;
  bad[bad.size() - 3] = bad[bad.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(v.validate_token(bad, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED);
}
