// Where the token comes from: header-name, query-parameter-name, token-value
// and require-scheme (apim-semantics 1.2).
#include <catch2/catch.hpp>

#include "policy/policy_loader.h"
#include "validate/token_source.h"

using namespace jwtgate;

namespace {

std::shared_ptr<const Policy> load(const std::string& members) {
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {" + members + "}}", LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

struct Got {
  bool ok;
  std::string token;
  jwtgate_reason reason;
};

Got extract(const Policy& p, const Request& req) {
  std::string_view token;
  std::string source;
  FailureList f;
  bool ok = extract_token(p, req, token, source, f);
  return {ok, std::string(token), f.empty() ? JWTGATE_REASON_NONE : f[0].reason};
}

Request with_header(const std::string& name, const std::string& value) {
  Request r;
  r.add_header(name, value);
  return r;
}

}  // namespace

TEST_CASE("Authorization without require-scheme takes Bearer or a bare token", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\"");
  CHECK(extract(*p, with_header("Authorization", "Bearer abc.def.ghi")).token == "abc.def.ghi");
  CHECK(extract(*p, with_header("authorization", "bearer   abc.def.ghi ")).token == "abc.def.ghi");
  CHECK(extract(*p, with_header("AUTHORIZATION", "abc.def.ghi")).token == "abc.def.ghi");
  // Another scheme is left in place, so the token fails as malformed later.
  CHECK(extract(*p, with_header("Authorization", "Basic dXNlcg==")).token == "Basic dXNlcg==");
}

TEST_CASE("require-scheme is case-insensitive and mandatory when set", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\"");
  CHECK(extract(*p, with_header("Authorization", "BEARER abc")).token == "abc");
  auto bare = extract(*p, with_header("Authorization", "abc.def.ghi"));
  CHECK_FALSE(bare.ok);
  CHECK(bare.reason == JWTGATE_REASON_SCHEME_MISMATCH);
  CHECK(extract(*p, with_header("Authorization", "JWT abc")).reason == JWTGATE_REASON_SCHEME_MISMATCH);
  CHECK(extract(*p, with_header("Authorization", "Bearer ")).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
}

TEST_CASE("a custom header ignores require-scheme, as APIM does", "[validate]") {
  auto p = load("\"header-name\": \"X-Token\", \"require-scheme\": \"Bearer\"");
  CHECK(extract(*p, with_header("x-token", "abc.def.ghi")).token == "abc.def.ghi");
  // "Bearer " stays in the value: APIM says a custom header must not carry it.
  CHECK(extract(*p, with_header("X-Token", "Bearer abc")).token == "Bearer abc");
}

TEST_CASE("absent or empty tokens are TokenNotPresent", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\"");
  CHECK(extract(*p, Request{}).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(extract(*p, with_header("Authorization", "   ")).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(extract(*p, with_header("X-Other", "abc")).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
}

TEST_CASE("query-parameter-name and token-value", "[validate]") {
  auto q = load("\"query-parameter-name\": \"access_token\"");
  Request r;
  r.add_query("Access_Token", "wrong-case");
  r.add_query("access_token", "abc.def.ghi");
  CHECK(extract(*q, r).token == "abc.def.ghi");
  CHECK(extract(*q, Request{}).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  auto v = load("\"token-value\": \"abc.def.ghi\"");
  CHECK(extract(*v, Request{}).token == "abc.def.ghi");
}

TEST_CASE("a reused request forgets its previous entries", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\"");
  Request r;
  r.add_header("Authorization", "Bearer first");
  r.clear();
  CHECK(extract(*p, r).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  r.add_header("Authorization", "Bearer second");
  CHECK(extract(*p, r).token == "second");
}
