// Where the token comes from: header-name, query-parameter-name, token-value
// and require-scheme, and one token per request (DUPLICATE_TOKEN).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "policy/policy_loader.h"
#include "validate/request_names.h"
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
  std::string subject;
  std::string detail;
};

Got extract(const Policy& p, const Request& req) {
  std::string_view token;
  std::string source;
  FailureList f;
  bool ok = extract_token(p, req, token, source, f);
  if (f.empty()) return {ok, std::string(token), JWTGATE_REASON_NONE, "", ""};
  return {ok, std::string(token), f[0].reason, f[0].subject, f[0].detail};
}

Request headers(std::initializer_list<std::pair<std::string, std::string>> entries) {
  Request r;
  for (const auto& [n, v] : entries) r.add_header(n, v);
  return r;
}

Request query(std::initializer_list<std::pair<std::string, std::string>> entries) {
  Request r;
  for (const auto& [n, v] : entries) r.add_query(n, v);
  return r;
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
  r.add_query("a", "1");
  r.add_query("access_token", "abc.def.ghi");
  CHECK(extract(*q, r).token == "abc.def.ghi");
  // The name is case-sensitive, as for APIM: another case alone is no token.
  Request other_case;
  other_case.add_query("Access_Token", "abc.def.ghi");
  CHECK(extract(*q, other_case).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
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

// ------------------------------------------------------- one token per request

TEST_CASE("a header that appears twice is refused, whatever the case of its name", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\"");
  auto g = extract(*p, headers({{"authorization", "Bearer abc.def.ghi"}, {"Authorization", "Bearer x.y.z"}}));
  CHECK_FALSE(g.ok);
  CHECK(g.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(g.subject == "Authorization");
  CHECK(g.detail == "the header \"Authorization\" appears 2 times in the request (as \"authorization\", "
                    "\"Authorization\"); the token must come exactly once");
  // Only one of them Bearer, one of them empty, or three: still refused.
  CHECK(extract(*p, headers({{"Authorization", "Basic dXNlcg=="}, {"Authorization", "Bearer abc.def.ghi"}}))
            .reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(extract(*p, headers({{"Authorization", "Bearer abc.def.ghi"}, {"AUTHORIZATION", ""}})).reason ==
        JWTGATE_REASON_DUPLICATE_TOKEN);
  auto three = extract(*p, headers({{"Authorization", "a"}, {"X", "1"}, {"authorization", "b"}, {"Authorization", "c"}}));
  CHECK(three.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK_THAT(three.detail, Catch::Contains("appears 3 times"));
  // With require-scheme, the duplicate is named before the scheme.
  auto scheme = load("\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\"");
  CHECK(extract(*scheme, headers({{"Authorization", "Bearer abc.def.ghi"}, {"Authorization", "Bearer x.y.z"}}))
            .reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  // Once, among other headers: the token.
  CHECK(extract(*p, headers({{"Accept", "*/*"}, {"Authorization", "Bearer abc.def.ghi"}, {"X-Authorization", "1"}}))
            .token == "abc.def.ghi");
}

TEST_CASE("a custom header twice, or under its CGI spelling, is refused", "[validate]") {
  auto p = load("\"header-name\": \"X-Api-Token\"");
  CHECK(extract(*p, headers({{"X-Api-Token", "abc.def.ghi"}, {"x-api-token", "x.y.z"}})).reason ==
        JWTGATE_REASON_DUPLICATE_TOKEN);
  // CGI (RFC 3875 4.1.18) gives both to the application as HTTP_X_API_TOKEN.
  auto cgi = extract(*p, headers({{"X-Api-Token", "abc.def.ghi"}, {"X_Api_Token", "x.y.z"}}));
  CHECK(cgi.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(cgi.subject == "X-Api-Token");
  // The CGI spelling alone is not the header: no token.
  CHECK(extract(*p, headers({{"X_Api_Token", "abc.def.ghi"}})).reason == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(extract(*p, headers({{"X-Api-Token", "abc.def.ghi"}})).token == "abc.def.ghi");
}

TEST_CASE("a header holding a comma-separated list of tokens is refused", "[validate]") {
  auto p = load("\"header-name\": \"Authorization\"");
  auto joined = extract(*p, headers({{"Authorization", "Bearer abc.def.ghi, Bearer x.y.z"}}));
  CHECK(joined.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(joined.subject == "Authorization");
  CHECK(joined.detail == "the header \"Authorization\" holds a comma-separated list of 2 values (how "
                         "repeated header lines are joined, RFC 9110 5.3); the token must come exactly "
                         "once");
  CHECK(extract(*p, headers({{"Authorization", "abc.def.ghi,x.y.z"}})).reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(extract(*p, headers({{"Authorization", "Bearer abc.def.ghi,"}})).reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  auto scheme = load("\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\"");
  CHECK(extract(*scheme, headers({{"Authorization", "Bearer abc.def.ghi, Bearer x.y.z"}})).reason ==
        JWTGATE_REASON_DUPLICATE_TOKEN);
  auto custom = load("\"header-name\": \"X-Api-Token\"");
  CHECK(extract(*custom, headers({{"X-Api-Token", "abc.def.ghi, x.y.z"}})).reason ==
        JWTGATE_REASON_DUPLICATE_TOKEN);
  // A query value is not a header list: a comma there is just a bad token.
  auto q = load("\"query-parameter-name\": \"access_token\"");
  CHECK(extract(*q, query({{"access_token", "abc.def.ghi,x.y.z"}})).ok);
}

TEST_CASE("a query parameter twice, or under a name a backend reads as it, is refused", "[validate]") {
  auto q = load("\"query-parameter-name\": \"access_token\"");
  auto twice = extract(*q, query({{"access_token", "abc.def.ghi"}, {"access_token", "x.y.z"}}));
  CHECK(twice.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(twice.subject == "access_token");
  CHECK(twice.detail == "the query parameter \"access_token\" appears 2 times in the request (as "
                        "\"access_token\", \"access_token\"); the token must come exactly once");
  // By percent-encoding (either hex case), "+" for a space, PHP's name
  // mangling (" ", "." and "[" as "_", and its array syntax), ASP.NET
  // Core's case-insensitive keys; an empty copy counts too.
  for (const char* alias : {"access%5Ftoken", "access%5ftoken", "%61ccess_token", "access.token", "access+token",
                            "access%20token", "access[token", "access_token[]", "access_token[0]", "ACCESS_TOKEN",
                            "Access_Token", "+access_token", "access%2Etoken"}) {
    INFO(alias);
    CHECK(extract(*q, query({{"access_token", "abc.def.ghi"}, {alias, "x.y.z"}})).reason ==
          JWTGATE_REASON_DUPLICATE_TOKEN);
    CHECK(extract(*q, query({{alias, ""}, {"access_token", "abc.def.ghi"}})).reason ==
          JWTGATE_REASON_DUPLICATE_TOKEN);
  }
  // Names a backend keeps apart: not a duplicate.
  for (const char* other : {"access_tokens", "access-token", "xaccess_token", "access_toke", "access%255Ftoken"}) {
    INFO(other);
    CHECK(extract(*q, query({{"access_token", "abc.def.ghi"}, {other, "x.y.z"}})).token == "abc.def.ghi");
  }
  // A name given raw is decoded: alone, it is the parameter.
  CHECK(extract(*q, query({{"access%5Ftoken", "abc.def.ghi"}})).token == "abc.def.ghi");
  // The policy's own name is decoded too.
  auto encoded = load("\"query-parameter-name\": \"access%5Ftoken\"");
  CHECK(extract(*encoded, query({{"access_token", "abc.def.ghi"}})).token == "abc.def.ghi");
  CHECK(extract(*encoded, query({{"access_token", "abc.def.ghi"}, {"access%5ftoken", ""}})).reason ==
        JWTGATE_REASON_DUPLICATE_TOKEN);
  // Headers do not count for a query policy, nor the query for a header one.
  Request both = query({{"access_token", "abc.def.ghi"}});
  both.add_header("access_token", "x.y.z");
  CHECK(extract(*q, both).token == "abc.def.ghi");
}

TEST_CASE("token-value takes no token from the request, so none can be repeated", "[validate]") {
  auto v = load("\"token-value\": \"abc.def.ghi\"");
  Request r = headers({{"Authorization", "Bearer a.b.c"}, {"Authorization", "Bearer x.y.z"}});
  r.add_query("access_token", "1");
  r.add_query("access_token", "2");
  CHECK(extract(*v, r).token == "abc.def.ghi");
}

TEST_CASE("request_names: the two relations", "[validate]") {
  CHECK(is_header("authorization", "Authorization"));
  CHECK_FALSE(is_header("X_Token", "X-Token"));
  CHECK(header_may_be_read_as("X_Token", "x-token"));
  CHECK_FALSE(header_may_be_read_as("X-Tokens", "X-Token"));
  CHECK(is_query_parameter("a%5Fb", "a_b"));
  CHECK(is_query_parameter("a+b", "a%20b"));
  CHECK(is_query_parameter("100%", "100%"));    // a lone "%" stands for itself
  CHECK(is_query_parameter("%zz", "%zz"));
  CHECK_FALSE(is_query_parameter("a%5", "a_"));  // cut short: no escape
  CHECK_FALSE(is_query_parameter("A_b", "a_b"));
  CHECK(query_parameter_may_be_read_as("A.B", "a_b"));
  CHECK(query_parameter_may_be_read_as("  a b", "a_b"));
  CHECK(query_parameter_may_be_read_as("a_b[x][y]", "a_b"));
  CHECK_FALSE(query_parameter_may_be_read_as("a_bc", "a_b"));
  CHECK_FALSE(query_parameter_may_be_read_as("", "a_b"));
}

// The generator: for a table of policies, a request with filler headers and
// parameters, the token once, and a second copy under a random spelling a
// backend reads as the same name, at a random place, holding a random
// value. Every such request must be refused as DUPLICATE_TOKEN, and the
// same request without the second copy must give the token.
namespace {

struct SourceCase {
  const char* policy;
  bool header;
  const char* name;
  const char* prefix;  // what goes before the token in its value
};

std::string spell_header(std::string name, std::mt19937& rng) {
  for (char& c : name) {
    const unsigned pick = rng() % 4;
    if (c >= 'a' && c <= 'z' && pick == 0) c = static_cast<char>(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z' && pick == 0) c = static_cast<char>(c - 'A' + 'a');
    else if (c == '-' && pick == 1) c = '_';
  }
  return name;
}

std::string spell_query(const std::string& name, std::mt19937& rng) {
  static const char kHex[] = "0123456789ABCDEF0123456789abcdef";
  std::string out;
  if (rng() % 8 == 0) out += rng() % 2 ? "+" : "%20";  // a leading space
  for (char c : name) {
    const unsigned pick = rng() % 6;
    const unsigned hexcase = rng() % 2 ? 16 : 0;
    if (pick == 0) {  // percent-encoded, either hex case
      out += '%';
      out += kHex[hexcase + (static_cast<unsigned char>(c) >> 4)];
      out += kHex[hexcase + (static_cast<unsigned char>(c) & 15)];
    } else if (pick == 1 && c == '_') {
      out += ". [+"[rng() % 4];  // PHP's "_"
    } else if (pick == 2 && c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');  // ASP.NET Core ignores case
    } else {
      out += c;
    }
  }
  if (rng() % 8 == 0) out += rng() % 2 ? "[]" : "%5B1%5D";  // PHP's array syntax
  return out;
}

}  // namespace

TEST_CASE("generated: a token repeated under any spelling, anywhere, is refused", "[validate]") {
  const SourceCase cases[] = {
      {"\"header-name\": \"Authorization\"", true, "Authorization", "Bearer "},
      {"\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\"", true, "Authorization", "Bearer "},
      {"\"header-name\": \"X-Api-Token\"", true, "X-Api-Token", ""},
      {"\"header-name\": \"x-ms-token-aad-access-token\"", true, "x-ms-token-aad-access-token", ""},
      {"\"query-parameter-name\": \"access_token\"", false, "access_token", ""},
      {"\"query-parameter-name\": \"id_token\"", false, "id_token", ""},
      {"\"query-parameter-name\": \"jwt\"", false, "jwt", ""},
  };
  const uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  const std::string token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
  const char* const forged[] = {"", "x.y.z", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "Bearer x.y.z"};
  int checked = 0;
  for (const SourceCase& c : cases) {
    auto p = load(c.policy);
    for (int round = 0; round < 300; ++round) {
      // The entries in order: fillers, the token, the second copy.
      std::vector<std::pair<std::string, std::string>> entries;
      const int fillers = static_cast<int>(rng() % 6);
      for (int i = 0; i < fillers; ++i)
        entries.emplace_back((c.header ? "X-Filler-" : "filler_") + std::to_string(i), "v" + std::to_string(i));
      const auto at = [&] { return entries.begin() + static_cast<long>(rng() % (entries.size() + 1)); };
      entries.insert(at(), {c.name, c.prefix + token});
      Request once;
      for (const auto& [n, v] : entries) c.header ? once.add_header(n, v) : once.add_query(n, v);
      auto g = extract(*p, once);
      INFO("once: " << c.policy);
      REQUIRE(g.ok);
      CHECK(g.token == token);

      const std::string spelt = c.header ? spell_header(c.name, rng) : spell_query(c.name, rng);
      entries.insert(at(), {spelt, forged[rng() % 4]});
      Request twice;
      for (const auto& [n, v] : entries) c.header ? twice.add_header(n, v) : twice.add_query(n, v);
      auto d = extract(*p, twice);
      INFO("twice: " << c.policy << " second copy named " << spelt);
      CHECK_FALSE(d.ok);
      CHECK(d.reason == JWTGATE_REASON_DUPLICATE_TOKEN);
      CHECK(d.subject == c.name);
      ++checked;

      if (c.header) {  // the same two tokens joined into one header line
        Request joined;
        joined.add_header(c.name, c.prefix + token + (rng() % 2 ? ", " : ",") + forged[1 + rng() % 3]);
        CHECK(extract(*p, joined).reason == JWTGATE_REASON_DUPLICATE_TOKEN);
      }
    }
  }
  CHECK(checked == 7 * 300);
}
