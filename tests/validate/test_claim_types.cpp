// The registered claims have their RFC 7519 section 4.1 types whatever the
// policy compares: iss, sub and jti are strings, aud a string or an array of
// strings, exp, nbf and iat NumericDates. A policy that configures no issuer
// and no audience still refuses "iss": true. End to end (policy -> token ->
// result), with the exact reason, subject and detail; then every registered
// claim against every JSON type, the verdict taken from a table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/result.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::make_token;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

// A policy with a key and nothing else: no issuers, no audiences, no
// required claims. |extra| adds members.
std::shared_ptr<const Policy> bare_policy(const std::string& extra = "") {
  const std::string text =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": "
      "[{\"id\": \"hk\", \"value\": \"" + kSecretB64 + "\"}]" + (extra.empty() ? "" : ", " + extra) + "}}";
  Diagnostics diag;
  auto p = load_policy(text, LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

// claims: |member| ("name": value) plus a future exp unless |member| is exp.
std::string claims(const std::string& name, const std::string& value) {
  std::string c = "{\"" + name + "\":" + value;
  if (name != "exp") c += ",\"exp\":" + std::to_string(kNow + 600);
  return c + "}";
}

struct Verdict {
  bool valid;
  jwtgate_reason reason;
  std::string subject;
  std::string detail;
  std::string all;  // every failure, for messages
};

Verdict validate(const std::shared_ptr<const Policy>& p, const std::string& claims_json) {
  Validator v(p, nullptr);
  Result r;
  const std::string token = make_token("{\"alg\":\"HS256\",\"kid\":\"hk\"}", claims_json, "HS256", kSecret);
  const bool ok = v.validate_token(token, kNow, r);
  CHECK(ok == r.valid);
  Verdict out{ok, r.reason, "", "", ""};
  if (!r.failures.empty()) {
    out.subject = r.failures[0].subject;
    out.detail = r.failures[0].detail;
  }
  for (const Failure& f : r.failures)
    out.all += std::string(jwtgate_reason_str(f.reason)) + " (" + f.subject + "): " + f.detail + "\n";
  return out;
}

}  // namespace

TEST_CASE("registered claims of the wrong type are refused when nothing compares them", "[validate]") {
  const auto p = bare_policy();
  struct Case {
    const char* name;
    const char* value;
    jwtgate_reason reason;
  };
  const Case cases[] = {
      {"iss", "true", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"sub", "123456", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"jti", "1234567", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", "1234567", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", "[1,2]", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", "[\"a\", 1]", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"iss", "null", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", "null", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", "[null]", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"sub", "{\"id\":\"alice\"}", JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"exp", "\"123\"", JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"nbf", "true", JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"iat", "[]", JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"exp", "null", JWTGATE_REASON_TIME_CLAIM_INVALID},
  };
  for (const Case& c : cases) {
    const Verdict v = validate(p, claims(c.name, c.value));
    INFO(c.name << ": " << c.value << "\n" << v.all);
    CHECK_FALSE(v.valid);
    CHECK(v.reason == c.reason);
    CHECK(v.subject == c.name);
  }
}

TEST_CASE("claim type failures say what the claim is and what RFC 7519 wants", "[validate]") {
  const auto p = bare_policy();
  CHECK(validate(p, claims("iss", "true")).detail ==
        "claim \"iss\" is true, not a string (RFC 7519 section 4.1.1)");
  CHECK(validate(p, claims("sub", "123456")).detail ==
        "claim \"sub\" is 123456, not a string (RFC 7519 section 4.1.2)");
  CHECK(validate(p, claims("jti", "1234567")).detail ==
        "claim \"jti\" is 1234567, not a string (RFC 7519 section 4.1.7)");
  CHECK(validate(p, claims("aud", "[\"a\", 1]")).detail ==
        "claim \"aud\" is [\"a\",1], not a string or an array of strings (RFC 7519 section 4.1.3)");
  CHECK(validate(p, claims("exp", "\"123\"")).detail ==
        "claim \"exp\" is \"123\", not a NumericDate (a JSON number of seconds between 0 and 253402300799)");
  // APIM answers a malformed token with JwtInvalid / "Invalid JWT.".
  Validator val(p, nullptr);
  Result r;
  REQUIRE_FALSE(val.validate_token(
      make_token("{\"alg\":\"HS256\",\"kid\":\"hk\"}", claims("iss", "true"), "HS256", kSecret), kNow, r));
  CHECK(std::string(jwtgate_reason_apim(r.reason)) == "JwtInvalid");
  CHECK(r.message == "Invalid JWT.");
}

TEST_CASE("well-typed registered claims pass when nothing compares them", "[validate]") {
  const auto p = bare_policy();
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"iss", "\"https://a.example\""},
           {"sub", "\"alice\""},
           {"jti", "\"1234567\""},
           {"aud", "\"api://demo\""},
           {"aud", "[\"api://demo\",\"other\"]"},
           {"aud", "[]"},  // an array of no strings is an array of strings
           {"exp", std::to_string(kNow + 60)},
           {"nbf", std::to_string(kNow - 60)},
           {"iat", std::to_string(kNow - 60) + ".5"},
       }) {
    const Verdict v = validate(p, claims(name, value));
    INFO(name << ": " << value << "\n" << v.all);
    CHECK(v.valid);
  }
}

TEST_CASE("a wrongly typed iss decides before the issuer comparison", "[validate]") {
  const auto p = bare_policy("\"issuers\": [\"https://a.example\"], \"audiences\": [\"api://demo\"]");
  const Verdict iss = validate(p, "{\"iss\":true,\"aud\":\"api://demo\",\"exp\":" + std::to_string(kNow + 60) + "}");
  INFO(iss.all);
  CHECK(iss.reason == JWTGATE_REASON_CLAIM_TYPE_INVALID);
  CHECK(iss.subject == "iss");
  // The comparison still fails closed: the issuer is not among the allowed.
  CHECK(iss.all.find("issuer_not_allowed (iss)") != std::string::npos);
  const Verdict aud =
      validate(p, "{\"iss\":\"https://a.example\",\"aud\":[\"api://demo\",7],\"exp\":" + std::to_string(kNow + 60) + "}");
  INFO(aud.all);
  CHECK(aud.reason == JWTGATE_REASON_CLAIM_TYPE_INVALID);
  CHECK(aud.subject == "aud");
  CHECK(aud.all.find("audience_not_allowed (aud)") != std::string::npos);
}

TEST_CASE("a policy cannot name a null issuer or audience", "[validate]") {
  for (const char* member : {"\"issuers\": [null]", "\"audiences\": [null]", "\"issuers\": [\"a\", null]"}) {
    const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\", " + std::string(member) + "}}";
    Diagnostics diag;
    INFO(member);
    CHECK_FALSE(load_policy(text, LoadOptions{}, diag));
    CHECK(diag.text().find("must be a string") != std::string::npos);
  }
}

TEST_CASE("every registered claim against every JSON type: the verdict table", "[validate]") {
  const auto p = bare_policy();
  // The JSON types, one value each (a number is the claim's own valid one).
  enum Type { String, Number, Bool, Null, Strings, Numbers, Empty, Object };
  const char* const type_name[] = {"string", "number", "bool", "null", "array of strings",
                                   "array of numbers", "empty array", "object"};
  auto value_of = [](const std::string& claim, Type t) -> std::string {
    switch (t) {
      case String: return "\"1800000000\"";
      case Number:
        if (claim == "exp") return std::to_string(kNow + 600);
        if (claim == "nbf" || claim == "iat") return std::to_string(kNow - 600);
        return "1800000000";
      case Bool: return "true";
      case Null: return "null";
      case Strings: return "[\"a\",\"b\"]";
      case Numbers: return "[1,2]";
      case Empty: return "[]";
      case Object: return "{\"a\":\"b\"}";
    }
    return "";
  };
  // The table: which types each claim accepts (RFC 7519 4.1), and the reason
  // for every other one.
  struct Row {
    const char* claim;
    std::vector<Type> accepted;
    jwtgate_reason otherwise;
  };
  const Row rows[] = {
      {"iss", {String}, JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"sub", {String}, JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"jti", {String}, JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"aud", {String, Strings, Empty}, JWTGATE_REASON_CLAIM_TYPE_INVALID},
      {"exp", {Number}, JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"nbf", {Number}, JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"iat", {Number}, JWTGATE_REASON_TIME_CLAIM_INVALID},
  };
  int cases = 0;
  for (const Row& row : rows) {
    for (Type t : {String, Number, Bool, Null, Strings, Numbers, Empty, Object}) {
      const bool accepted = std::find(row.accepted.begin(), row.accepted.end(), t) != row.accepted.end();
      const Verdict v = validate(p, claims(row.claim, value_of(row.claim, t)));
      INFO(row.claim << " as " << type_name[t] << ": " << value_of(row.claim, t) << "\n" << v.all);
      CHECK(v.valid == accepted);
      if (!accepted) {
        CHECK(v.reason == row.otherwise);
        CHECK(v.subject == row.claim);
      }
      ++cases;
    }
  }
  CHECK(cases == 56);
}
