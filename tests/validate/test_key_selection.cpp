// Which keys a token is checked against (docs/keys-and-network.md, "Which
// keys a token is checked against"):
//  - a key published with a kid (a JWK's "kid": JWK Sets from files, offline
//    documents or the network) verifies only tokens that name that kid; a
//    token whose kid matches nothing costs a lookup and no verification
//    (jwt_verify_lib's NonExistKidFail cases, for every key type);
//  - keys the operator wrote (<issuer-signing-keys>, APIM: "If no keys match
//    the claim, API Management will attempt each specified key") and keys
//    without a kid (PEM, DER, certificates) are still tried for a token
//    whose kid matches no key, and every compatible key for a token without
//    kid;
//  - at most kMaxSignatureVerifications (16) verifications per token.
// Each case asserts the reason and the number of verifications made.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "encoding/base64url.h"
#include "jwk_text.h"
#include "keys/key_parsers.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "token/token.h"
#include "validate/signature_stage.h"
#include "validate/result.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::jwk_set;
using jwtgate_test::make_token;
using jwtgate_test::oct_jwk;
using jwtgate_test::public_jwk;
using jwtgate_test::read_data;

namespace {

constexpr int64_t kNow = 1800000000;
// The documented cap (docs/keys-and-network.md).
constexpr size_t kCap = 16;
const std::string kClaims =
    "{\"iss\":\"https://a.example\",\"aud\":\"api://demo\",\"exp\":" + std::to_string(kNow + 600) + "}";
const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

// std_b64: the standard base64 of an APIM <key> secret.
std::string std_b64(const std::string& raw) {
  return base64_encode(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
}

std::string header(const std::string& alg, const std::string& kid) {
  return "{\"alg\":\"" + alg + "\"" + (kid.empty() ? "" : ",\"kid\":\"" + kid + "\"") + "}";
}

KeySetPtr jwks(const std::string& text) {
  std::vector<Key> keys;
  Diagnostics diag;
  INFO(diag.text());
  REQUIRE(parse_jwks(text, keys, diag));
  return std::make_shared<const KeySet>(std::move(keys));
}

KeySetPtr pem_keys(const std::string& pem, const std::string& kid = "") {
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_pem(pem, keys, diag));
  for (Key& k : keys)
    if (!kid.empty()) {  // an id given at load, as jwtgate_keyset_builder_add's kid argument does
      k.kid = kid;
      k.has_kid = true;
    }
  return std::make_shared<const KeySet>(std::move(keys));
}

struct Checked {
  bool verified = false;
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  std::string subject, detail;
  size_t verifications = 0;
};

// check runs the signature stage alone over |sets|, counting verifications.
Checked check(const std::string& token, const std::vector<const KeySet*>& sets) {
  TokenParser parser;
  ParsedToken t;
  ParseFailure pf;
  REQUIRE(parser.parse(token, TokenLimits{}, t, pf));
  const KeyRules rules;
  FailureList failures;
  Checked c;
  SignatureInput in{sets.data(), sets.size(), kAllAlgs, &rules};
  in.verifications = &c.verifications;
  c.verified = check_signature(t, in, failures) != nullptr;
  if (!c.verified) {
    REQUIRE(failures.size() == 1);
    c.reason = failures[0].reason;
    c.subject = failures[0].subject;
    c.detail = failures[0].detail;
  }
  return c;
}

std::shared_ptr<const Policy> load(const std::string& json, const LoadOptions& opts = {}) {
  Diagnostics diag;
  auto p = load_policy(json, opts, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

// A policy without keys of its own: every key comes from the caller's set.
std::shared_ptr<const Policy> keyless_policy() {
  return load("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://a.example\"],"
              " \"audiences\": [\"api://demo\"], \"jwtgate\": {\"algorithms\": [\"RS256\", \"PS256\", "
              "\"ES256\", \"HS256\", \"EdDSA\"]}}}");
}

struct Run {
  bool valid;
  jwtgate_reason reason;
  std::string subject, detail;
};

Run validate(const std::shared_ptr<const Policy>& p, const std::string& token, KeySetPtr keys = nullptr) {
  Validator v(p, std::move(keys));
  Result r;
  const bool ok = v.validate_token(token, kNow, r);
  return Run{ok, r.reason, r.failures.empty() ? "" : r.failures[0].subject,
             r.failures.empty() ? "" : r.failures[0].detail};
}

struct Family {
  const char* alg;
  std::string signer;  // PEM private key, or the raw secret for HS256
  std::string jwk_a;   // the signer's public JWK (or oct JWK) with kid "a"
};

std::vector<Family> families() {
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  const std::string ec = read_data("data/keys/ec256.pem");
  const std::string ed = read_data("data/keys/ed25519.pem");
  return {
      {"RS256", rsa, public_jwk(rsa, "a")},
      {"PS256", rsa, public_jwk(rsa, "a")},
      {"ES256", ec, public_jwk(ec, "a")},
      {"HS256", kSecret, oct_jwk(kSecret, "a")},
      {"EdDSA", ed, public_jwk(ed, "a")},
  };
}

}  // namespace

TEST_CASE("key selection: a JWK Set key with kid \"a\" never verifies a token with kid \"b\" "
          "(NonExistKidFail)", "[validate]") {
  for (const Family& f : families()) {
    INFO(f.alg);
    const KeySetPtr set = jwks(jwk_set({f.jwk_a}));
    const std::string named_b = make_token(header(f.alg, "b"), kClaims, f.alg, f.signer);
    const Checked miss = check(named_b, {set.get()});
    CHECK_FALSE(miss.verified);
    CHECK(miss.reason == JWTGATE_REASON_KEY_NOT_FOUND);
    CHECK(miss.subject == "b");
    CHECK_THAT(miss.detail, Catch::Contains("no key has kid \"b\""));
    CHECK(miss.verifications == 0);  // a lookup, no signature operation
    // End to end, with the set as the caller's keys (jwtgate_validator_set_keys, --keys).
    const Run run = validate(keyless_policy(), named_b, set);
    CHECK_FALSE(run.valid);
    CHECK(run.reason == JWTGATE_REASON_KEY_NOT_FOUND);
    // The same key verifies a token that names it, and a token without kid.
    const Checked hit = check(make_token(header(f.alg, "a"), kClaims, f.alg, f.signer), {set.get()});
    CHECK(hit.verified);
    CHECK(hit.verifications == 1);
    const Checked none = check(make_token(header(f.alg, ""), kClaims, f.alg, f.signer), {set.get()});
    CHECK(none.verified);
    CHECK(none.verifications == 1);
    CHECK(validate(keyless_policy(), make_token(header(f.alg, "a"), kClaims, f.alg, f.signer), set).valid);
  }
}

TEST_CASE("key selection: an unknown kid against 1,000 published keys costs no verification",
          "[validate]") {
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  std::vector<std::string> entries;
  for (int i = 0; i < 1000; ++i) entries.push_back(public_jwk(rsa, "k" + std::to_string(i)));
  const KeySetPtr set = jwks(jwk_set(entries));
  REQUIRE(set->size() == 1000);
  // Signed by another key: before, each of the 1,000 keys was tried.
  const std::string other = make_token(header("RS256", "forged"), kClaims, "RS256",
                                       read_data("data/keys/rsa2048b.pem"));
  const Checked c = check(other, {set.get()});
  CHECK(c.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(c.verifications == 0);
  // Signed by the key itself under an unknown kid: still not accepted.
  const Checked own = check(make_token(header("RS256", "k1000"), kClaims, "RS256", rsa), {set.get()});
  CHECK_FALSE(own.verified);
  CHECK(own.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(own.verifications == 0);
  CHECK(check(make_token(header("RS256", "k999"), kClaims, "RS256", rsa), {set.get()}).verifications == 1);
}

TEST_CASE("key selection: keys of an offline openid-config document are selected by kid alone",
          "[validate]") {
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  LoadOptions opts;
  opts.discovery_documents["https://a.example/.well-known/openid-configuration"] =
      "{\"issuer\":\"https://a.example\",\"jwks_uri\":\"https://a.example/keys\"}";
  opts.jwks_documents["https://a.example/keys"] = jwk_set({public_jwk(rsa, "a")});
  // The policy also writes a key of its own: the offline keys join the
  // policy's key set, and keep their rule there.
  const auto p = load("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"audiences\": [\"api://demo\"],"
                      " \"openid-config\": [{\"url\": \"https://a.example/.well-known/openid-configuration\"}],"
                      " \"issuer-signing-keys\": [{\"id\": \"hk\", \"value\": \"" + kSecretB64 + "\"}]}}",
                      opts);
  CHECK(validate(p, make_token(header("RS256", "a"), kClaims, "RS256", rsa)).valid);
  const Run miss = validate(p, make_token(header("RS256", "b"), kClaims, "RS256", rsa));
  CHECK(miss.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(miss.subject == "b");
  // The policy's own key keeps APIM's fallback.
  CHECK(validate(p, make_token(header("HS256", "b"), kClaims, "HS256", kSecret)).valid);
}

TEST_CASE("key selection: <issuer-signing-keys> rollover still accepts an unmatched kid", "[validate]") {
  const std::string old_secret(32, 'o');
  const auto p = load(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://a.example\"],"
      " \"audiences\": [\"api://demo\"], \"issuer-signing-keys\": [{\"id\": \"old\", \"value\": \"" +
      std_b64(old_secret) + "\"}, {\"id\": \"new\", \"value\": \"" + kSecretB64 + "\"}]}}");
  const std::string rotated = make_token(header("HS256", "rotated"), kClaims, "HS256", kSecret);
  CHECK(validate(p, rotated).valid);
  const Checked c = check(rotated, {p->signing_keys.get()});
  CHECK(c.verified);
  CHECK(c.verifications == 2);  // "old" tried, then "new"
  // An RSA key written as n/e with an id: the same.
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  const std::string jwk = public_jwk(rsa, "");
  const auto member = [&](const char* name) {
    const std::string key = std::string("\"") + name + "\":\"";
    const size_t at = jwk.find(key) + key.size();
    return jwk.substr(at, jwk.find('"', at) - at);
  };
  const auto pn = load("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://a.example\"],"
                       " \"audiences\": [\"api://demo\"], \"issuer-signing-keys\": [{\"id\": \"k1\", \"n\": \"" +
                       member("n") + "\", \"e\": \"" + member("e") + "\"}]}}");
  CHECK(validate(pn, make_token(header("RS256", "elsewhere"), kClaims, "RS256", rsa)).valid);
}

TEST_CASE("key selection: keys without a published kid are tried for an unknown kid", "[validate]") {
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  const std::string rsa_b = read_data("data/keys/rsa2048b.pem");
  const std::string pub = read_data("data/keys/rsa2048.pub.pem");
  // PEM without kid, and PEM given an id at load (a hint, as in the policy).
  for (const std::string& given : {std::string(), std::string("pem-id")}) {
    INFO("id given at load: \"" << given << "\"");
    const KeySetPtr set = pem_keys(pub, given);
    const Checked c = check(make_token(header("RS256", "unknown"), kClaims, "RS256", rsa), {set.get()});
    CHECK(c.verified);
    CHECK(c.verifications == 1);
    CHECK(validate(keyless_policy(), make_token(header("RS256", "unknown"), kClaims, "RS256", rsa), set).valid);
  }
  // A JWK without kid in a set: tried too (jwt_verify_lib: keys without kid are tried).
  const KeySetPtr kidless = jwks(jwk_set({public_jwk(rsa, "")}));
  CHECK(check(make_token(header("RS256", "unknown"), kClaims, "RS256", rsa), {kidless.get()}).verified);
  // A JWK Set with kid "a" beside a PEM key: the published key is skipped,
  // the PEM key tried.
  const KeySetPtr published = jwks(jwk_set({public_jwk(rsa_b, "a")}));
  const KeySetPtr pem = pem_keys(pub);
  const Checked by_pem = check(make_token(header("RS256", "b"), kClaims, "RS256", rsa), {published.get(), pem.get()});
  CHECK(by_pem.verified);
  CHECK(by_pem.verifications == 1);
  const Checked by_jwks = check(make_token(header("RS256", "b"), kClaims, "RS256", rsa_b), {published.get(), pem.get()});
  CHECK_FALSE(by_jwks.verified);
  CHECK(by_jwks.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(by_jwks.verifications == 1);  // the PEM key only
  // A kid that matches a key that does not verify: no fallback at all.
  const Checked matched = check(make_token(header("RS256", "a"), kClaims, "RS256", rsa), {published.get(), pem.get()});
  CHECK(matched.reason == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(matched.verifications == 1);
}

TEST_CASE("key selection: a token without kid tries compatible keys, at most 16 of them", "[validate]") {
  // 20 distinct HMAC keys without kid (a local secrets file), and a token
  // without kid signed by the n-th.
  std::vector<std::string> secrets, entries;
  for (int i = 0; i < 20; ++i) {
    secrets.push_back(std::string(31, 'a' + static_cast<char>(i)) + "!");
    entries.push_back(oct_jwk(secrets.back(), ""));
  }
  const KeySetPtr set = jwks(jwk_set(entries));
  REQUIRE(set->size() == 20);
  for (size_t n : {size_t{1}, size_t{5}, kCap}) {
    const Checked c = check(make_token(header("HS256", ""), kClaims, "HS256", secrets[n - 1]), {set.get()});
    INFO("signed by key " << n);
    CHECK(c.verified);
    CHECK(c.verifications == n);
  }
  // The 17th and later are beyond the cap: refused after 16 verifications.
  for (size_t n : {kCap + 1, size_t{20}}) {
    const Checked c = check(make_token(header("HS256", ""), kClaims, "HS256", secrets[n - 1]), {set.get()});
    INFO("signed by key " << n << ": " << c.detail);
    CHECK_FALSE(c.verified);
    CHECK(c.reason == JWTGATE_REASON_SIGNATURE_INVALID);
    CHECK(c.verifications == kCap);
    CHECK_THAT(c.detail, Catch::Contains("16 signature verifications per token"));
  }
  // A token signed by none of them: 16 verifications, not 20.
  const Checked none = check(make_token(header("HS256", ""), kClaims, "HS256", std::string(32, 'z')), {set.get()});
  CHECK(none.reason == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(none.verifications == kCap);
}

TEST_CASE("key selection: the cap also bounds an unknown kid against policy keys, and duplicate kids",
          "[validate]") {
  std::vector<std::string> secrets;
  std::string policy_keys, dup_entries;
  for (int i = 0; i < 20; ++i) {
    secrets.push_back(std::string(31, 'A' + static_cast<char>(i)) + "!");
    policy_keys += std::string(i ? "," : "") + "{\"id\": \"p" + std::to_string(i) + "\", \"value\": \"" +
                   std_b64(secrets.back()) + "\"}";
    dup_entries += std::string(i ? "," : "") + oct_jwk(secrets.back(), "dup");
  }
  const auto p = load("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": [" +
                      policy_keys + "]}}");
  const Checked miss = check(make_token(header("HS256", "unknown"), kClaims, "HS256", std::string(32, 'z')),
                             {p->signing_keys.get()});
  CHECK(miss.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(miss.subject == "unknown");
  CHECK(miss.verifications == kCap);
  CHECK_THAT(miss.detail, Catch::Contains("16 signature verifications per token"));
  CHECK(check(make_token(header("HS256", "unknown"), kClaims, "HS256", secrets[3]), {p->signing_keys.get()})
            .verifications == 4);
  // 20 keys sharing kid "dup": the kid selects all of them, the cap still holds.
  const KeySetPtr dups = jwks("{\"keys\":[" + dup_entries + "]}");
  const Checked last = check(make_token(header("HS256", "dup"), kClaims, "HS256", secrets[19]), {dups.get()});
  CHECK(last.reason == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(last.verifications == kCap);
  CHECK(check(make_token(header("HS256", "dup"), kClaims, "HS256", secrets[2]), {dups.get()}).verifications == 3);
}
