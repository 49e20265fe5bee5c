// Secrets never leave: every output a validation can produce (result
// message, details, failures, result JSON, explanation text and JSON, trace
// events with and without the token, metrics, policy load errors) is searched
// for a known HMAC secret (raw, base64, hex) and the token's signature.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "jwtgate_experimental.h"
#include "test_support.h"

using jwtgate_test::b64url;
using jwtgate_test::make_token;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "Tr0ub4dor&3-correct-horse-battery";  // 33 bytes
const std::string kSecretB64 = "VHIwdWI0ZG9yJjMtY29ycmVjdC1ob3JzZS1iYXR0ZXJ5";
const std::string kSecretHex = "547230756234646f7226332d636f72726563742d686f7273652d62617474657279";

std::vector<std::string> g_events;

void collect(void*, const char* json, size_t len) { g_events.emplace_back(json, len); }

void expect_clean(const std::string& where, const std::string& text, const std::string& signature) {
  INFO(where << ": " << text);
  CHECK(text.find(kSecret) == std::string::npos);
  CHECK(text.find(kSecretB64) == std::string::npos);
  CHECK(text.find(kSecretB64.substr(0, 24)) == std::string::npos);
  CHECK(text.find(kSecretHex.substr(0, 24)) == std::string::npos);
  CHECK(text.find(signature) == std::string::npos);
  CHECK(text.find(signature.substr(0, 16)) == std::string::npos);
}

}  // namespace

TEST_CASE("no output of a validation carries the secret or the signature", "[diagnose]") {
  const std::string policy_text =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer\"],"
      " \"audiences\": [\"api://a\"], \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"" + kSecretB64 + "\"}],"
      " \"required-claims\": [{\"name\": \"roles\", \"values\": [\"admin\"]}]}}";
  jwtgate_policy* p = nullptr;
  REQUIRE(jwtgate_policy_load(&p, nullptr, policy_text.data(), policy_text.size(), nullptr) == JWTGATE_OK);
  // (jwtgate_policy_to_json is the policy itself, keys included: policy
  // convert must lose nothing. It is configuration, not a validation output.)

  for (int with_token = 0; with_token < 2; ++with_token) {
    jwtgate_validator_options* o = jwtgate_validator_options_new();
    REQUIRE(jwtgate_validator_options_set_trace(o, collect, nullptr) == JWTGATE_OK);
    REQUIRE(jwtgate_validator_options_set_trace_token(o, with_token) == JWTGATE_OK);
    REQUIRE(jwtgate_validator_options_mask_claim(o, "email") == JWTGATE_OK);
    jwtgate_validator* v = nullptr;
    REQUIRE(jwtgate_validator_new_with_options(&v, nullptr, p, nullptr, o) == JWTGATE_OK);
    jwtgate_validator_options_free(o);
    jwtgate_result* r = jwtgate_result_new();

    const std::string good_claims = "{\"iss\":\"https://issuer\",\"aud\":\"api://a\",\"exp\":" +
                                    std::to_string(kNow + 60) + ",\"roles\":[\"admin\"],\"email\":\"alice@example.org\"}";
    struct Case {
      const char* name;
      std::string token;
    };
    const std::string valid = make_token("{\"alg\":\"HS256\",\"kid\":\"k1\"}", good_claims, "HS256", kSecret);
    std::vector<Case> cases = {
        {"valid", valid},
        {"tampered", valid.substr(0, valid.rfind('.') - 2) + "xx" + valid.substr(valid.rfind('.'))},
        {"expired", make_token("{\"alg\":\"HS256\",\"kid\":\"k1\"}",
                               "{\"iss\":\"https://issuer\",\"aud\":\"api://b\",\"exp\":1,\"email\":\"alice@example.org\"}",
                               "HS256", kSecret)},
        {"unknown kid", make_token("{\"alg\":\"HS256\",\"kid\":\"zz\"}", good_claims, "HS256", kSecret + "x")},
        {"wrong alg", make_token("{\"alg\":\"HS384\"}", good_claims, "HS384", kSecret + kSecret)},
    };
    for (const Case& c : cases) {
      g_events.clear();
      const std::string sig = c.token.substr(c.token.rfind('.') + 1);
      REQUIRE(sig.size() > 20);
      jwtgate_status st = jwtgate_validate_token(v, r, c.token.data(), c.token.size(), kNow);
      CHECK((st == JWTGATE_OK || st == JWTGATE_INVALID_TOKEN));
      const std::string where = std::string(c.name) + (with_token ? " (token in trace)" : "");
      std::string all = std::string(jwtgate_result_message(r)) + "\n" + jwtgate_result_detail(r) + "\n" +
                        jwtgate_result_subject(r) + "\n";
      for (size_t i = 0; i < jwtgate_result_failure_count(r); ++i)
        all += std::string(jwtgate_result_failure_subject(r, i)) + jwtgate_result_failure_detail(r, i) + "\n";
      all += jwtgate_result_to_json(r);
      all += jwtgate_result_explain(r, 0);
      all += jwtgate_result_explain_json(r);
      REQUIRE_FALSE(g_events.empty());
      for (const auto& e : g_events) all += e + "\n";
      expect_clean(where, all, sig);
      // The trace holds header and claims only when asked, and masked claims never.
      bool saw_claims = false;
      for (const auto& e : g_events) {
        CHECK(e.find("alice@example.org") == std::string::npos);
        saw_claims = saw_claims || e.find("\"claims\":") != std::string::npos;
      }
      // Claims appear only when asked for (and only for a token that parsed).
      if (!with_token) CHECK_FALSE(saw_claims);
    }
    jwtgate_metrics m{};
    m.struct_size = sizeof m;
    REQUIRE(jwtgate_validator_get_metrics(v, &m) == JWTGATE_OK);
    CHECK(m.valid == 1);
    CHECK(m.invalid == 4);
    uint64_t expired = 0;
    REQUIRE(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_EXPIRED, &expired) == JWTGATE_OK);
    CHECK(expired == 1);
    // By reason, every validation once: NONE counts the valid one.
    uint64_t by_reason_total = 0, valid_count = 0;
#define ADD_REASON_(name, number, code, apim, text)                                       \
  {                                                                                       \
    uint64_t n_ = 0;                                                                      \
    REQUIRE(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_##name, &n_) == JWTGATE_OK); \
    by_reason_total += n_;                                                                \
  }
    JWTGATE_REASON_LIST(ADD_REASON_)
#undef ADD_REASON_
    REQUIRE(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_NONE, &valid_count) == JWTGATE_OK);
    CHECK(valid_count == 1);
    CHECK(by_reason_total == 5);
    CHECK(jwtgate_validator_metrics_by_reason(v, jwtgate_reason(4), &expired) == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(jwtgate_validator_metrics_by_reason(v, jwtgate_reason(-1), &expired) == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_NONE, nullptr) == JWTGATE_ERR_INVALID_ARGUMENT);
    uint64_t in_buckets = 0;
    for (uint64_t b : m.latency_us_log2) in_buckets += b;
    CHECK(in_buckets == 5);
    jwtgate_result_free(r);
    jwtgate_validator_free(v);
  }
  jwtgate_policy_free(p);
}

TEST_CASE("key and policy load errors never echo key material", "[diagnose]") {
  // A secret with one character wrong, an RSA modulus in standard base64 and
  // a JWK set with a broken oct key: the errors say what is wrong, not what
  // the key was.
  const std::string broken = kSecretB64.substr(0, 20) + "!" + kSecretB64.substr(21);
  const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": [{\"value\": \"" +
                           broken + "\"}]}}";
  jwtgate_policy* p = nullptr;
  jwtgate_error* err = nullptr;
  CHECK(jwtgate_policy_load(&p, &err, text.data(), text.size(), nullptr) == JWTGATE_ERR_POLICY);
  REQUIRE(err);
  const std::string e1 = jwtgate_error_text(err);
  // |err| goes on to the next call, which frees the list (jwtgate.h's rule).
  CHECK(e1.find(broken.substr(0, 12)) == std::string::npos);
  CHECK_FALSE(e1.empty());

  const std::string jwks = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + b64url(kSecret) + "=\"}]}";
  jwtgate_keyset* ks = nullptr;
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS, jwks.data(), jwks.size()) == JWTGATE_ERR_KEY);
  REQUIRE(err);
  const std::string e2 = jwtgate_error_text(err);
  jwtgate_error_free(err);
  CHECK(e2.find(b64url(kSecret).substr(0, 12)) == std::string::npos);
}

TEST_CASE("metrics can be turned off", "[diagnose]") {
  const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\"}}";
  jwtgate_policy* p = nullptr;
  REQUIRE(jwtgate_policy_load(&p, nullptr, text.data(), text.size(), nullptr) == JWTGATE_OK);
  jwtgate_validator_options* o = jwtgate_validator_options_new();
  REQUIRE(jwtgate_validator_options_set_metrics(o, 0) == JWTGATE_OK);
  jwtgate_validator* v = nullptr;
  REQUIRE(jwtgate_validator_new_with_options(&v, nullptr, p, nullptr, o) == JWTGATE_OK);
  jwtgate_metrics m{};
  m.struct_size = sizeof m;
  CHECK(jwtgate_validator_get_metrics(v, &m) == JWTGATE_ERR_UNSUPPORTED);
  uint64_t n = 7;
  CHECK(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_EXPIRED, &n) == JWTGATE_ERR_UNSUPPORTED);
  CHECK(n == 7);
  m.struct_size = 3;
  CHECK(jwtgate_validator_get_metrics(v, &m) == JWTGATE_ERR_INVALID_ARGUMENT);
  jwtgate_validator_free(v);
  jwtgate_validator_options_free(o);
  jwtgate_policy_free(p);
}
