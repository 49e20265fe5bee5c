// OpenID discovery documents (src/discovery): the two members a validator
// reads, strictly typed, and no repeated member names anywhere in the
// document (the README's promise for every JSON input).
#include <catch2/catch.hpp>

#include <string>

#include "discovery/discovery_document.h"

using namespace jwtgate;

namespace {

struct Parsed {
  bool ok = false;
  DiscoveryDocument doc;
  Diagnostics diag;
};

Parsed parse(const std::string& json) {
  Parsed p;
  p.ok = parse_discovery_document(json, "https://issuer.example/.well-known/openid-configuration",
                                  p.doc, p.diag);
  return p;
}

// the one error's message, or "" when there is not exactly one.
std::string only_error(const Parsed& p) {
  return p.diag.items().size() == 1 && !p.diag.items()[0].warning ? p.diag.items()[0].message : "";
}

}  // namespace

TEST_CASE("discovery: issuer and jwks_uri are read", "[discovery]") {
  const Parsed p = parse(R"({"issuer":"https://issuer.example/","jwks_uri":"https://issuer.example/keys",)"
                         R"("id_token_signing_alg_values_supported":["RS256"]})");
  REQUIRE(p.ok);
  CHECK(p.diag.empty());
  CHECK(p.doc.issuer == "https://issuer.example/");
  CHECK(p.doc.jwks_uri == "https://issuer.example/keys");
}

TEST_CASE("discovery: a repeated member name refuses the document", "[discovery]") {
  struct Case {
    const char* what;
    const char* json;
    const char* name;
  };
  const Case cases[] = {
      {"issuer twice", R"({"issuer":"https://a.example/","jwks_uri":"https://a.example/keys","issuer":"https://b.example/"})",
       "issuer"},
      {"jwks_uri twice", R"({"jwks_uri":"https://a.example/keys","issuer":"https://a.example/","jwks_uri":"https://b.example/keys"})",
       "jwks_uri"},
      {"a repeat spelled with an escape", R"({"issuer":"https://a.example/","jwks_uri":"https://a.example/keys","iss\u0075er":"x"})",
       "issuer"},
      {"a repeat in a nested object", R"({"issuer":"https://a.example/","jwks_uri":"https://a.example/keys","mtls_endpoint_aliases":{"token_endpoint":"a","token_endpoint":"b"}})",
       "token_endpoint"},
      {"a repeat in an object inside an array", R"({"issuer":"https://a.example/","jwks_uri":"https://a.example/keys","x":[{"y":1,"y":2}]})",
       "y"},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      const Parsed p = parse(c.json);
      CHECK_FALSE(p.ok);
      CHECK(only_error(p) == std::string("discovery document repeats the member name \"") + c.name +
                                 "\" (RFC 8259 section 4: names should be unique; jwtgate refuses repeats)");
      CHECK(p.diag.items()[0].path == "https://issuer.example/.well-known/openid-configuration");
    }
  }
}

TEST_CASE("discovery: what is not a discovery document is said so", "[discovery]") {
  CHECK(only_error(parse("[1,2]")) == "discovery document is not a JSON object");
  CHECK(only_error(parse("{\"issuer\":")).rfind("discovery document is not valid JSON: ", 0) == 0);
  const Parsed jwks = parse(R"({"keys":[]})");
  CHECK_FALSE(jwks.ok);
  REQUIRE(jwks.diag.items().size() == 2);
  CHECK(jwks.diag.items()[0].message ==
        "discovery document has no string \"issuer\" (this looks like a JWK Set, not a discovery document)");
  CHECK(jwks.diag.items()[1].message ==
        "discovery document has no string \"jwks_uri\" (this looks like a JWK Set, not a discovery document)");
  CHECK(only_error(parse(R"({"issuer":"https://a.example/","jwks_uri":7})")) ==
        "discovery document has no string \"jwks_uri\"");
}
