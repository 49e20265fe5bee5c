// Claim masking (jwtgate_validator_options_mask_claim) is structural: a
// masked claim's value is never written, in any form, in the message, the
// details, the result JSON, the trace events or the explanations; "***"
// stands in its place whatever the value's type. The values below carry a
// marker (S3CR3T, or the digits 918273645) that survives any escaping, so
// a search for it finds the value in whatever form it leaked.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <simdjson.h>

#include "core/quote.h"
#include "jwtgate_experimental.h"
#include "test_support.h"

using jwtgate_test::make_token;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

std::vector<std::string> g_events;
void collect(void*, const char* json, size_t len) { g_events.emplace_back(json, len); }

struct Run {
  jwtgate_policy* p = nullptr;
  jwtgate_validator* v = nullptr;
  jwtgate_result* r = jwtgate_result_new();

  Run(const std::string& policy_members, const std::vector<const char*>& masked) {
    const std::string text =
        "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": [{\"id\": \"hk\", "
        "\"value\": \"" + kSecretB64 + "\"}]" + (policy_members.empty() ? "" : ", " + policy_members) + "}}";
    REQUIRE(jwtgate_policy_load(&p, nullptr, text.data(), text.size(), nullptr) == JWTGATE_OK);
    jwtgate_validator_options* o = jwtgate_validator_options_new();
    REQUIRE(jwtgate_validator_options_set_trace(o, collect, nullptr) == JWTGATE_OK);
    REQUIRE(jwtgate_validator_options_set_trace_token(o, 1) == JWTGATE_OK);
    for (const char* name : masked) REQUIRE(jwtgate_validator_options_mask_claim(o, name) == JWTGATE_OK);
    REQUIRE(jwtgate_validator_new_with_options(&v, nullptr, p, nullptr, o) == JWTGATE_OK);
    jwtgate_validator_options_free(o);
  }
  ~Run() {
    jwtgate_result_free(r);
    jwtgate_validator_free(v);
    jwtgate_policy_free(p);
  }

  // validate returns every text output of one validation, one per line.
  std::string validate(const std::string& claims) {
    g_events.clear();
    const std::string token = make_token("{\"alg\":\"HS256\",\"kid\":\"hk\"}", claims, "HS256", kSecret);
    const jwtgate_status st = jwtgate_validate_token(v, r, token.data(), token.size(), kNow);
    CHECK((st == JWTGATE_OK || st == JWTGATE_INVALID_TOKEN));
    std::string all = std::string("message: ") + jwtgate_result_message(r) + "\n";
    for (size_t i = 0; i < jwtgate_result_failure_count(r); ++i)
      all += std::string("failure: ") + jwtgate_result_failure_subject(r, i) + ": " +
             jwtgate_result_failure_detail(r, i) + "\n";
    all += std::string("json: ") + jwtgate_result_to_json(r) + "\n";
    for (const std::string& e : g_events) all += "trace: " + e + "\n";
    all += std::string("explain:\n") + jwtgate_result_explain(r, 0);
    all += jwtgate_result_explain(r, 1);
    all += std::string("explain json: ") + jwtgate_result_explain_json(r) + "\n";
    return all;
  }

  // claim_in_json reads claims.|name| of the result JSON, as JSON text.
  std::string claim_in_json(const char* name) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    REQUIRE(parser.parse(std::string(jwtgate_result_to_json(r))).get(e) == simdjson::SUCCESS);
    simdjson::dom::element c;
    if (e["claims"][name].get(c)) return "(absent)";
    return simdjson::minify(c);
  }
};

std::string exp_member(int64_t exp = kNow + 600) { return "\"exp\":" + std::to_string(exp); }

}  // namespace

TEST_CASE("a masked claim's value is never written, whatever it holds", "[diagnose]") {
  // Values that JSON escapes (so that a search for the raw text in escaped
  // JSON misses them), non-ASCII, numbers, arrays and objects.
  const std::vector<std::string> values = {
      "\"S3CR3T\"",
      "\"quote\\\" S3CR3T\"",
      "\"back\\\\slash S3CR3T\"",
      "\"newline\\n S3CR3T \\u001b[31m\"",
      "\"unicode \xc3\xa9\xe2\x80\xae S3CR3T\"",
      "918273645",
      "9182736.45",
      "[\"S3CR3T\", \"a\\\"b S3CR3T\"]",
      "[918273645, 1]",
      "{\"k\": \"S3CR3T\", \"n\": 918273645}",
      "true",
  };
  for (const std::string& value : values) {
    INFO("value: " << value);
    // A required claim compares it (details and APIM's message quote the
    // value), the trace carries the claims, explain lists the check.
    Run run("\"required-claims\": [{\"name\": \"secret\", \"values\": [\"S3CR3T-not-this\"]}]", {"secret"});
    const std::string all =
        run.validate("{\"sub\":\"alice\",\"secret\":" + value + "," + exp_member() + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
    // The policy's own value is shown; the token's never.
    std::string scrubbed = all;
    for (size_t at = scrubbed.find("S3CR3T-not-this"); at != std::string::npos;
         at = scrubbed.find("S3CR3T-not-this"))
      scrubbed.erase(at, 15);
    CHECK(scrubbed.find("S3CR3T") == std::string::npos);
    CHECK(scrubbed.find("918273645") == std::string::npos);
    CHECK(scrubbed.find("9182736.45") == std::string::npos);
    CHECK(scrubbed.find("9.18273645") == std::string::npos);
    if (value == "true") CHECK(all.find("secret\":true") == std::string::npos);
    // Where the value would be, "***" is.
    CHECK(std::string(jwtgate_result_message(run.r)) == "Claim secret value of *** is not allowed. Access denied.");
    CHECK(std::string(jwtgate_result_detail(run.r)).rfind("claim \"secret\" is ***; match=\"all\"", 0) == 0);
    CHECK(run.claim_in_json("secret") == "\"***\"");
    bool trace_masked = false;
    for (const std::string& e : g_events) trace_masked = trace_masked || e.find("\"secret\":\"***\"") != std::string::npos;
    CHECK(trace_masked);
    // The program still reads the claim itself.
    const char* json = nullptr;
    size_t len = 0;
    REQUIRE(jwtgate_result_get_json(run.r, JWTGATE_PART_CLAIMS, "secret", &json, &len) == JWTGATE_OK);
    const std::string read(json, len);
    const bool unmasked = read.find("S3CR3T") != std::string::npos || read.find("918273645") != std::string::npos ||
                          read.find("9182736.45") != std::string::npos || read == "true";
    CHECK(unmasked);
  }
}

TEST_CASE("masking: a value JSON escapes is masked in the trace (the search-and-replace missed it)", "[diagnose]") {
  Run run("", {"email"});
  const std::string all = run.validate("{\"email\":\"ali\\\"ce\\\\S3CR3T\\n@example.org\"," + exp_member() + "}");
  INFO(all);
  CHECK(jwtgate_result_valid(run.r) == 1);
  for (const std::string& e : g_events) CHECK(e.find("S3CR3T") == std::string::npos);
  CHECK(all.find("S3CR3T") == std::string::npos);
}

TEST_CASE("masking covers only the named claim", "[diagnose]") {
  // upn holds the same text as the masked email: it is not masked. Masking
  // hides one claim's value; it does not search for that text elsewhere.
  Run run("\"required-claims\": [{\"name\": \"upn\", \"values\": [\"bob@example.org\"]}]", {"email"});
  const std::string all =
      run.validate("{\"email\":\"alice@example.org\",\"upn\":\"alice@example.org\"," + exp_member() + "}");
  INFO(all);
  CHECK(run.claim_in_json("email") == "\"***\"");
  CHECK(run.claim_in_json("upn") == "\"alice@example.org\"");
  CHECK(std::string(jwtgate_result_detail(run.r)).find("\"alice@example.org\"") != std::string::npos);
  CHECK(std::string(jwtgate_result_message(run.r)) ==
        "Claim upn value of alice@example.org is not allowed. Access denied.");
}

TEST_CASE("masked registered claims: iss, aud, exp, nbf and their derived forms", "[diagnose]") {
  SECTION("iss") {
    Run run("\"issuers\": [\"https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/v2.0\"]", {"iss"});
    const std::string all = run.validate(
        "{\"iss\":\"https://S3CR3T.example/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0\",\"ver\":\"2.0\"," +
        exp_member() + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_ISSUER_NOT_ALLOWED);
    CHECK(all.find("S3CR3T") == std::string::npos);
    CHECK(all.find("9188040d") == std::string::npos);  // the tenant inside iss
    CHECK(std::string(jwtgate_result_detail(run.r)).rfind("token issuer *** is not among", 0) == 0);
    CHECK(std::string(jwtgate_result_message(run.r)).find("Issuer: '***'") != std::string::npos);
  }
  SECTION("aud") {
    Run run("\"audiences\": [\"api://demo\"]", {"aud"});
    const std::string all = run.validate("{\"aud\":[\"api://S3CR3T\"]," + exp_member() + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_AUDIENCE_NOT_ALLOWED);
    CHECK(all.find("S3CR3T") == std::string::npos);
    CHECK(std::string(jwtgate_result_message(run.r)).find("Audiences: '***'") != std::string::npos);
  }
  SECTION("exp, as a number and as a date") {
    Run run("", {"exp"});
    const int64_t exp = kNow - 3725;  // 2027-01-15T06:57:55Z, 1 h 2 min before kNow
    const std::string all = run.validate("{\"sub\":\"alice\"," + exp_member(exp) + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_EXPIRED);
    CHECK(all.find(std::to_string(exp)) == std::string::npos);
    CHECK(all.find("06:57:55") == std::string::npos);
    CHECK(all.find("1 h 2 min") == std::string::npos);  // the distance gives it away too
    CHECK(std::string(jwtgate_result_detail(run.r)).rfind("the token expired at ***, before ", 0) == 0);
    CHECK(std::string(jwtgate_result_message(run.r)).find("ValidTo (UTC): '***'") != std::string::npos);
  }
  SECTION("nbf of the wrong type") {
    Run run("", {"nbf"});
    const std::string all = run.validate("{\"nbf\":\"S3CR3T\"," + exp_member() + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_TIME_CLAIM_INVALID);
    CHECK(all.find("S3CR3T") == std::string::npos);
    CHECK(std::string(jwtgate_result_detail(run.r)).rfind("claim \"nbf\" is ***, not a NumericDate", 0) == 0);
  }
  SECTION("sub of the wrong type") {
    Run run("", {"sub"});
    const std::string all = run.validate("{\"sub\":918273645," + exp_member() + "}");
    INFO(all);
    CHECK(jwtgate_result_reason(run.r) == JWTGATE_REASON_CLAIM_TYPE_INVALID);
    CHECK(all.find("918273645") == std::string::npos);
  }
}
