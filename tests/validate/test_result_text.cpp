// A refused token's result keeps the token's text (Result::own_token_text):
// the one copy, in Result::presented, with token.compact and signing_input
// pointing into it, so the result can be read and explained after the
// caller's buffer is gone; never a view left from an earlier validation.
#include <catch2/catch.hpp>

#include <string>

#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/request.h"
#include "validate/result.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::make_token;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

std::shared_ptr<const Policy> policy(const std::string& extra = "") {
  Diagnostics diag;
  auto p = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\","
      " \"audiences\": [\"api://demo\"], \"issuer-signing-keys\": [{\"id\": \"hk\", \"value\": \"" +
          kSecretB64 + "\"}]" + extra + "}}",
      LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

std::string token(const std::string& aud) {
  return make_token("{\"alg\":\"HS256\"}", "{\"aud\":\"" + aud + "\",\"exp\":" + std::to_string(kNow + 600) + "}",
                    "HS256", kSecret);
}

bool within(std::string_view view, const std::string& s) {
  return view.data() >= s.data() && view.data() + view.size() <= s.data() + s.size();
}

}  // namespace

TEST_CASE("a refused token's text is the result's own", "[validate]") {
  Validator v(policy(), nullptr);
  Result r;
  std::string given = token("api://other");
  const std::string copy = given;
  REQUIRE_FALSE(v.validate_token(given, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_AUDIENCE_NOT_ALLOWED);
  given.assign(given.size(), 'x');  // the caller's buffer, reused
  CHECK(r.presented == copy);
  CHECK(r.token.compact == copy);
  CHECK(within(r.token.compact, r.presented));
  CHECK(r.token.signing_input == copy.substr(0, copy.rfind('.')));
  CHECK(within(r.token.signing_input, r.presented));

  // A valid token is not copied: its views are the caller's.
  const std::string good = token("api://demo");
  REQUIRE(v.validate_token(good, kNow, r));
  CHECK(r.presented.empty());
  CHECK(r.token.compact.data() == good.data());
}

TEST_CASE("a refusal before parsing keeps no view of an earlier token", "[validate]") {
  Validator v(policy(), nullptr);
  Result r;
  {
    const std::string good = token("api://demo");
    REQUIRE(v.validate_request(
        [&] {
          Request q;
          q.add_header("Authorization", "Bearer " + good);
          return q;
        }(),
        kNow, r));
  }  // the request and its token are gone; r.token still views them
  Request none;
  REQUIRE_FALSE(v.validate_request(none, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(r.presented.empty());
  CHECK(r.token.compact.empty());
  CHECK(r.token.signing_input.empty());

  // The same after a refused token: the old copy is not kept in view.
  REQUIRE_FALSE(v.validate_token(token("api://other"), kNow, r));
  REQUIRE_FALSE(v.validate_token("", kNow, r));
  CHECK(r.reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(r.presented.empty());
  CHECK(r.token.compact.empty());
}

TEST_CASE("an oversized token is kept only up to the size limit", "[validate]") {
  Validator v(policy(", \"jwtgate\": {\"max-token-bytes\": 1024}"), nullptr);
  Result r;
  const std::string big = token("api://demo") + std::string(2000, 'A');
  REQUIRE_FALSE(v.validate_token(big, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_TOO_LARGE);
  CHECK(r.presented == big.substr(0, 1024));
  CHECK(r.token.compact == r.presented);
  CHECK(within(r.token.compact, r.presented));
}
