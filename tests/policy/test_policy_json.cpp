// The JSON form of a policy: every member, the defaults, and every error.
#include <catch2/catch.hpp>

#include "policy/policy_forms.h"
#include "policy/policy_loader.h"

using namespace jwtgate;

namespace {

Policy parse_ok(const std::string& text, const LoadOptions& opts = {}) {
  Policy p;
  Diagnostics diag;
  bool ok = load_policy_json(text, opts, p, diag);
  INFO(diag.text());
  REQUIRE(ok);
  return p;
}

std::string errors_of(const std::string& text, const LoadOptions& opts = {}) {
  Policy p;
  Diagnostics diag;
  CHECK_FALSE(load_policy_json(text, opts, p, diag));
  return diag.text();
}

}  // namespace

TEST_CASE("validate-jwt defaults follow APIM", "[policy]") {
  Policy p = parse_ok("{\"validate-jwt\": {\"header-name\": \"Authorization\"}}");
  CHECK(p.kind == PolicyKind::ValidateJwt);
  CHECK(p.failed_status == 401);
  CHECK_FALSE(p.failed_message.has_value());
  CHECK(p.require_expiration_time);
  CHECK(p.require_signed_tokens);
  CHECK(p.clock_skew == 0);
  CHECK(p.require_scheme.empty());
}

TEST_CASE("every validate-jwt member is read", "[policy]") {
  Policy p = parse_ok(R"J({"validate-jwt": {
    "id": "v1", "header-name": "X-Token", "failed-validation-httpcode": "403",
    "failed-validation-error-message": "Denied.", "require-expiration-time": "false",
    "require-scheme": "Bearer", "require-signed-tokens": true, "clock-skew": 30,
    "output-token-variable-name": "jwt",
    "openid-config": [{"url": "https://idp/.well-known/openid-configuration", "validate-connectivity": false}],
    "issuer-signing-keys": [{"id": "k1", "n": "AQAB", "e": "AQAB"}, {"value": "c2VjcmV0"}, {"certificate-id": "c1"}],
    "decryption-keys": [{"certificate-id": "d1"}],
    "audiences": ["a1", "a2"], "issuers": ["i1"],
    "required-claims": [{"name": "scp", "match": "any", "separator": " ", "values": ["x", "y"]}],
    "jwtgate": {"algorithms": ["RS256", "EdDSA"], "typ": "at+jwt", "min-rsa-bits": 3072,
                "min-hmac-bits": 128, "max-token-bytes": 8192, "max-json-depth": 8, "reject-future-iat": true}}})J");
  CHECK(p.id == "v1");
  CHECK(p.source == TokenSourceKind::Header);
  CHECK(p.header_name == "X-Token");
  CHECK(p.failed_status == 403);
  CHECK(*p.failed_message == "Denied.");
  CHECK_FALSE(p.require_expiration_time);
  CHECK(p.require_scheme == "Bearer");
  CHECK(p.clock_skew == 30);
  CHECK(p.output_token_variable_name == "jwt");
  REQUIRE(p.openid_configs.size() == 1);
  CHECK_FALSE(p.openid_configs[0].validate_connectivity);
  REQUIRE(p.issuer_signing_keys.size() == 3);
  CHECK(p.issuer_signing_keys[0].id == "k1");
  CHECK(p.issuer_signing_keys[1].value == "c2VjcmV0");
  CHECK(p.issuer_signing_keys[2].certificate_id == "c1");
  CHECK(p.decryption_keys.size() == 1);
  CHECK(p.audiences == std::vector<std::string>{"a1", "a2"});
  CHECK(p.issuers == std::vector<std::string>{"i1"});
  REQUIRE(p.required_claims.size() == 1);
  CHECK_FALSE(p.required_claims[0].match_all);
  CHECK(p.required_claims[0].separator == " ");
  CHECK(p.required_claims[0].values.size() == 2);
  CHECK(p.ext.algorithms == (alg_bit(Alg::RS256) | alg_bit(Alg::EdDSA)));
  CHECK(p.ext.typ == "at+jwt");
  CHECK(p.ext.key_rules.min_rsa_bits == 3072);
  CHECK(p.ext.key_rules.min_hmac_bits == 128);
  CHECK(p.ext.limits.max_token_bytes == 8192);
  CHECK(p.ext.limits.max_json_depth == 8);
  CHECK(p.ext.reject_future_iat);
}

TEST_CASE("validate-azure-ad-token members", "[policy]") {
  Policy p = parse_ok(R"J({"validate-azure-ad-token": {"tenant-id": "contoso.onmicrosoft.com",
    "authentication-endpoint": "login.microsoftonline.us",
    "client-application-ids": ["c1"], "backend-application-ids": ["b1"], "audiences": ["a"]}})J");
  CHECK(p.kind == PolicyKind::ValidateAzureAdToken);
  CHECK(p.header_name == "Authorization");  // the default for this policy
  CHECK(p.tenant_id == "contoso.onmicrosoft.com");
  CHECK(p.client_application_ids == std::vector<std::string>{"c1"});
  CHECK(errors_of(R"J({"validate-azure-ad-token": {"header-name": "Authorization"}})J").find("tenant-id is required") !=
        std::string::npos);
}

TEST_CASE("named values and expressions", "[policy]") {
  LoadOptions o;
  o.named_values["aud"] = "api://x";
  o.named_values["tenant"] = "t1";
  o.expression_values["@(context.Request.OriginalUrl.Host)"] = "example.org";
  Policy p = parse_ok(R"J({"validate-jwt": {"header-name": "Authorization",
    "audiences": ["{{aud}}", "@(context.Request.OriginalUrl.Host)"],
    "issuers": ["https://login/{{tenant}}/v2.0"]}})J", o);
  CHECK(p.audiences == std::vector<std::string>{"api://x", "example.org"});
  CHECK(p.issuers[0] == "https://login/t1/v2.0");
  std::string e = errors_of(R"J({"validate-jwt": {"header-name": "Authorization", "audiences": ["{{nope}}"]}})J");
  CHECK(e.find("{{nope}} is not defined") != std::string::npos);
  CHECK(e.find("validate-jwt.audiences[0]") != std::string::npos);
  e = errors_of(R"J({"validate-jwt": {"header-name": "Authorization", "audiences": ["@(context.Api.Name)"]}})J");
  CHECK(e.find("@(context.Api.Name) cannot run outside API Management") != std::string::npos);
  e = errors_of(R"J({"validate-jwt": {"header-name": "Authorization", "output-token-variable-name": "@(x)"}})J");
  CHECK(e.find("not allowed here") != std::string::npos);
}

TEST_CASE("every error is reported, not just the first", "[policy]") {
  std::string e = errors_of(R"J({"validate-jwt": {"header-name": "A", "query-parameter-name": "q",
    "clock-skew": "soon", "require-scheme": 5, "frob": 1,
    "required-claims": [{"name": "x", "match": "some"}],
    "issuer-signing-keys": [{"n": "AQAB"}],
    "jwtgate": {"algorithms": ["none"]}}})J");
  for (const char* want : {"only one of header-name", "clock-skew: must be an integer", "require-scheme: must be a string",
                           "unknown member \"frob\"", "match must be \"all\" or \"any\"",
                           "needs both \"n\" and \"e\"", "\"none\" is not a JWS algorithm"})
    CHECK(e.find(want) != std::string::npos);
}

TEST_CASE("malformed documents", "[policy]") {
  CHECK(errors_of("{").find("not valid JSON") != std::string::npos);
  CHECK(errors_of("[]").find("must be an object") != std::string::npos);
  CHECK(errors_of("{\"validate-jwt\": {}}").find("one of header-name") != std::string::npos);
  CHECK(errors_of(R"J({"validate-jwt": {"header-name": "A", "header-name": "B"}})J").find("appears twice") !=
        std::string::npos);
  CHECK(errors_of(R"J({"validate-jwt": {"header-name": "A"}, "validate-azure-ad-token": {"tenant-id": "x"}})J")
            .find("exactly one validation element") != std::string::npos);
}

TEST_CASE("a policies list is selected by id or position", "[policy]") {
  const std::string doc = R"J({"policies": [{"validate-jwt": {"id": "first", "header-name": "A"}},
                                          {"validate-jwt": {"id": "second", "header-name": "B"}}]})J";
  CHECK(parse_ok(doc).header_name == "A");
  LoadOptions o;
  o.select = "second";
  CHECK(parse_ok(doc, o).header_name == "B");
  o.select = "1";
  CHECK(parse_ok(doc, o).header_name == "A");
  o.select = "third";
  CHECK(errors_of(doc, o).find("no validation element has id or position \"third\"") != std::string::npos);
}

TEST_CASE("policy_to_json round-trips", "[policy]") {
  const std::string text = R"J({"validate-jwt": {"id": "v", "header-name": "Authorization",
    "failed-validation-httpcode": 403, "failed-validation-error-message": "m", "require-scheme": "Bearer",
    "clock-skew": 5, "issuer-signing-keys": [{"id": "k", "value": "c2VjcmV0"}],
    "audiences": ["a"], "issuers": ["i"],
    "required-claims": [{"name": "scp", "match": "any", "separator": " ", "values": ["x"]}],
    "jwtgate": {"algorithms": ["HS256"], "typ": "at+jwt", "min-hmac-bits": 128}}})J";
  std::string once = policy_to_json(parse_ok(text));
  std::string twice = policy_to_json(parse_ok(once));
  CHECK(once == twice);
  CHECK(once.find("\"separator\":\" \"") != std::string::npos);
}

TEST_CASE("load_policy is all or nothing", "[policy]") {
  Diagnostics diag;
  // The key is malformed: the whole policy fails, nothing half-loaded.
  auto p = load_policy(R"J({"validate-jwt": {"header-name": "A", "issuer-signing-keys": [{"value": "not base64!"}]}})J",
                       LoadOptions{}, diag);
  CHECK_FALSE(p);
  CHECK(diag.has_errors());
  CHECK(diag.text().find("issuer-signing-keys/key[1]") != std::string::npos);
  Diagnostics d2;
  CHECK_FALSE(load_policy("   ", LoadOptions{}, d2));
  CHECK(d2.text().find("policy is empty") != std::string::npos);
  Diagnostics d3;
  CHECK_FALSE(load_policy("hello", LoadOptions{}, d3));
  Diagnostics d4;
  CHECK_FALSE(load_policy(std::string(300 * 1024, ' ') + "{}", LoadOptions{}, d4));
  CHECK(d4.text().find("256 KiB") != std::string::npos);
}

TEST_CASE("an empty allow-list is refused, never read as no check", "[policy]") {
  // An empty list is what a configuration with a missing setting becomes;
  // leaving the member out is how a policy asks for no check.
  CHECK(errors_of(R"({"validate-jwt": {"header-name": "A", "audiences": []}})")
            .find("audiences is empty: at least one audience must be specified") != std::string::npos);
  CHECK(errors_of(R"({"validate-jwt": {"header-name": "A", "issuers": []}})")
            .find("issuers is empty: at least one issuer must be specified") != std::string::npos);
  CHECK(parse_ok(R"({"validate-jwt": {"header-name": "A"}})").issuers.empty());
}
