// The APIM XML form of a policy (src/policy/policy_xml_*.cpp): every attribute
// and element of validate-jwt and validate-azure-ad-token, their defaults, the
// APIM documentation's example policies (examples/policies/), each kind of
// malformed policy with its exact line and column, the choice of a policy in
// a <policies> document, and lossless XML <-> JSON round trips.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy_forms.h"
#include "test_support.h"

using namespace jwtgate;

namespace {

// The named values and expression results the example policies refer to,
// as a caller of jwtgate would supply them.
LoadOptions example_options() {
  LoadOptions o;
  o.named_values["jwt-signing-key"] = "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE=";
  o.named_values["aad-tenant-id"] = "f7740624-492c-4b76-a428-11a3b77edfdb";
  o.named_values["aad-client-application-id"] = "d3ff6c21-7b50-42a6-832e-0cee9bbdeec8";
  o.expression_values["@(context.Request.OriginalUrl.Host)"] = "contoso.azure-api.net";
  // A named value may hold an expression, which is then evaluated (APIM).
  o.named_values["scheme"] = "@(context.Variables[\"scheme\"])";
  o.expression_values["@(context.Variables[\"scheme\"])"] = "Bearer";
  return o;
}

struct Loaded {
  bool ok = false;
  Policy policy;
  Diagnostics diag;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

Loaded load(std::string_view xml, const LoadOptions& opts = example_options()) {
  Loaded l;
  l.ok = load_policy_xml(xml, opts, l.policy, l.diag);
  for (const Diagnostic& d : l.diag.items()) (d.warning ? l.warnings : l.errors).push_back(d);
  return l;
}

std::string example(const std::string& name) {
  return jwtgate_test::read_data("../examples/policies/" + name);
}

const std::vector<std::string> kExamples = {
    "apim-simple-symmetric-key.xml", "apim-rsa-certificate.xml",
    "apim-rsa-modulus-exponent.xml", "apim-entra-single-tenant.xml",
    "apim-entra-customer-tenant.xml", "apim-b2c.xml",
    "apim-claims-group-any.xml",     "apim-decryption-key.xml",
    "auth0.xml",                     "entra-scp-delegated.xml",
    "azure-ad-token-simple.xml",     "azure-ad-token-audience-claims.xml",
    "azure-ad-token-us-government.xml", "jwtgate-extensions.xml",
    "article-entra-v2.xml",
};

struct FieldCase {
  const char* what;
  std::string xml;
  std::function<void(const Policy&)> check;
};

void run_field_cases(const std::vector<FieldCase>& cases) {
  for (const FieldCase& c : cases) {
    INFO(c.what << "\n" << c.xml);
    const Loaded l = load(c.xml);
    INFO(l.diag.text());
    REQUIRE(l.ok);
    CHECK(l.errors.empty());
    c.check(l.policy);
  }
}

std::string jwt(std::string_view attrs, std::string_view body = "") {
  return "<validate-jwt header-name=\"Authorization\"" + std::string(attrs.empty() ? "" : " ") +
         std::string(attrs) + ">" + std::string(body) + "</validate-jwt>";
}

std::string aad(std::string_view attrs, std::string_view body = "") {
  return "<validate-azure-ad-token tenant-id=\"contoso.onmicrosoft.com\"" +
         std::string(attrs.empty() ? "" : " ") + std::string(attrs) + ">" + std::string(body) +
         "</validate-azure-ad-token>";
}

}  // namespace

// ---- validate-jwt: attributes ----

TEST_CASE("xml: validate-jwt defaults when attributes and elements are absent", "[policy]") {
  const Loaded l = load("<validate-jwt header-name=\"Authorization\"/>");
  REQUIRE(l.ok);
  CHECK(l.diag.empty());
  const Policy& p = l.policy;
  CHECK(p.kind == PolicyKind::ValidateJwt);
  CHECK(p.id.empty());
  CHECK(p.source == TokenSourceKind::Header);
  CHECK(p.header_name == "Authorization");
  CHECK(p.failed_status == 401);  // APIM default
  CHECK_FALSE(p.failed_message.has_value());
  CHECK(p.require_expiration_time);  // APIM default true
  CHECK(p.require_scheme.empty());
  CHECK(p.require_signed_tokens);  // APIM default true
  CHECK(p.clock_skew == 0);        // APIM default 0, not .NET's 300
  CHECK(p.output_token_variable_name.empty());
  CHECK(p.openid_configs.empty());
  CHECK(p.issuer_signing_keys.empty());
  CHECK(p.decryption_keys.empty());
  CHECK(p.audiences.empty());
  CHECK(p.issuers.empty());
  CHECK(p.required_claims.empty());
  CHECK(p.ext.algorithms == 0);
  CHECK(p.ext.typ.empty());
  CHECK(p.ext.key_rules.min_rsa_bits == KeyRules{}.min_rsa_bits);
  CHECK(p.ext.key_rules.min_hmac_bits == KeyRules{}.min_hmac_bits);
  CHECK(p.ext.limits.max_token_bytes == TokenLimits{}.max_token_bytes);
  CHECK(p.ext.limits.max_json_depth == TokenLimits{}.max_json_depth);
  CHECK_FALSE(p.ext.reject_future_iat);
}

TEST_CASE("xml: validate-jwt attributes", "[policy]") {
  run_field_cases({
      {"id", jwt("id=\"primary\""), [](const Policy& p) { CHECK(p.id == "primary"); }},
      {"header-name", "<validate-jwt header-name=\"X-Api-Token\"/>",
       [](const Policy& p) {
         CHECK(p.source == TokenSourceKind::Header);
         CHECK(p.header_name == "X-Api-Token");
       }},
      {"query-parameter-name", "<validate-jwt query-parameter-name=\"access_token\"/>",
       [](const Policy& p) {
         CHECK(p.source == TokenSourceKind::Query);
         CHECK(p.query_parameter_name == "access_token");
       }},
      {"token-value (an expression the caller supplied)",
       "<validate-jwt token-value=\"@(context.Request.OriginalUrl.Host)\"/>",
       [](const Policy& p) {
         CHECK(p.source == TokenSourceKind::Value);
         CHECK(p.token_value == "contoso.azure-api.net");
       }},
      {"failed-validation-httpcode", jwt("failed-validation-httpcode=\"403\""),
       [](const Policy& p) { CHECK(p.failed_status == 403); }},
      {"failed-validation-error-message with an escaped quote",
       jwt("failed-validation-error-message=\"Say &quot;no&quot; &amp; go\""),
       [](const Policy& p) {
         REQUIRE(p.failed_message.has_value());
         CHECK(*p.failed_message == "Say \"no\" & go");
       }},
      {"failed-validation-error-message empty is still set",
       jwt("failed-validation-error-message=\"\""),
       [](const Policy& p) {
         REQUIRE(p.failed_message.has_value());
         CHECK(p.failed_message->empty());
       }},
      {"require-expiration-time", jwt("require-expiration-time=\"false\""),
       [](const Policy& p) { CHECK_FALSE(p.require_expiration_time); }},
      {"require-expiration-time is case-insensitive", jwt("require-expiration-time=\"False\""),
       [](const Policy& p) { CHECK_FALSE(p.require_expiration_time); }},
      {"require-scheme", jwt("require-scheme=\"Bearer\""),
       [](const Policy& p) { CHECK(p.require_scheme == "Bearer"); }},
      {"require-signed-tokens", jwt("require-signed-tokens=\"FALSE\""),
       [](const Policy& p) { CHECK_FALSE(p.require_signed_tokens); }},
      {"require-signed-tokens true", jwt("require-signed-tokens=\"true\""),
       [](const Policy& p) { CHECK(p.require_signed_tokens); }},
      {"clock-skew", jwt("clock-skew=\"300\""), [](const Policy& p) { CHECK(p.clock_skew == 300); }},
      {"output-token-variable-name", jwt("output-token-variable-name=\"jwt\""),
       [](const Policy& p) { CHECK(p.output_token_variable_name == "jwt"); }},
      {"a named value inside an attribute", jwt("failed-validation-error-message=\"key {{aad-tenant-id}}!\""),
       [](const Policy& p) {
         CHECK(*p.failed_message == "key f7740624-492c-4b76-a428-11a3b77edfdb!");
       }},
      {"an attribute whose named value holds an expression",
       jwt("require-scheme=\"{{scheme}}\""),
       [](const Policy& p) { CHECK(p.require_scheme == "Bearer"); }},
  });
}

// ---- validate-jwt: child elements ----

TEST_CASE("xml: validate-jwt child elements", "[policy]") {
  run_field_cases({
      {"openid-config url, validate-connectivity and line",
       "<validate-jwt header-name=\"Authorization\">\n"
       "  <openid-config url=\"https://a.example/.well-known/openid-configuration\"/>\n"
       "  <openid-config url=\"https://b.example/.well-known/openid-configuration\" "
       "validate-connectivity=\"false\"/>\n"
       "</validate-jwt>",
       [](const Policy& p) {
         REQUIRE(p.openid_configs.size() == 2);
         CHECK(p.openid_configs[0].url == "https://a.example/.well-known/openid-configuration");
         CHECK(p.openid_configs[0].validate_connectivity);
         CHECK(p.openid_configs[0].line == 2);
         CHECK(p.openid_configs[1].url == "https://b.example/.well-known/openid-configuration");
         CHECK_FALSE(p.openid_configs[1].validate_connectivity);
         CHECK(p.openid_configs[1].line == 3);
       }},
      {"issuer-signing-keys: text, certificate-id, n and e, id, line",
       "<validate-jwt header-name=\"Authorization\">\n"
       "  <issuer-signing-keys>\n"
       "    <key id=\"k1\">{{jwt-signing-key}}</key>\n"
       "    <key certificate-id=\"my-cert\"/>\n"
       "    <key id=\"k3\" n=\"0vx7agoebGcQSuuPiLJXZpt\" e=\"AQAB\"/>\n"
       "  </issuer-signing-keys>\n"
       "</validate-jwt>",
       [](const Policy& p) {
         REQUIRE(p.issuer_signing_keys.size() == 3);
         const PolicyKey& a = p.issuer_signing_keys[0];
         CHECK(a.id == "k1");
         CHECK(a.value == "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE=");
         CHECK(a.certificate_id.empty());
         CHECK(a.line == 3);
         CHECK(p.issuer_signing_keys[1].certificate_id == "my-cert");
         CHECK(p.issuer_signing_keys[1].value.empty());
         CHECK(p.issuer_signing_keys[1].line == 4);
         CHECK(p.issuer_signing_keys[2].id == "k3");
         CHECK(p.issuer_signing_keys[2].n == "0vx7agoebGcQSuuPiLJXZpt");
         CHECK(p.issuer_signing_keys[2].e == "AQAB");
         CHECK(p.issuer_signing_keys[2].line == 5);
       }},
      {"a key whose base64 text spans lines keeps it (base64 ignores whitespace)",
       jwt("", "<issuer-signing-keys><key>\n  c2VjcmV0\n  c2VjcmV0\n</key></issuer-signing-keys>"),
       [](const Policy& p) {
         REQUIRE(p.issuer_signing_keys.size() == 1);
         CHECK(p.issuer_signing_keys[0].value == "\n  c2VjcmV0\n  c2VjcmV0\n");
       }},
      {"layout whitespace beside certificate-id is not a second key form",
       jwt("", "<issuer-signing-keys><key certificate-id=\"c\">\n</key></issuer-signing-keys>"),
       [](const Policy& p) {
         REQUIRE(p.issuer_signing_keys.size() == 1);
         CHECK(p.issuer_signing_keys[0].value.empty());
       }},
      {"an empty issuer-signing-keys", jwt("", "<issuer-signing-keys/>"),
       [](const Policy& p) { CHECK(p.issuer_signing_keys.empty()); }},
      {"decryption-keys: certificate-id with id, base64 text",
       jwt("", "<decryption-keys><key id=\"d1\" certificate-id=\"dec\"/><key>ZGVj</key></decryption-keys>"),
       [](const Policy& p) {
         REQUIRE(p.decryption_keys.size() == 2);
         CHECK(p.decryption_keys[0].id == "d1");
         CHECK(p.decryption_keys[0].certificate_id == "dec");
         CHECK(p.decryption_keys[1].value == "ZGVj");
       }},
      {"audiences in order, with an expression the caller supplied",
       jwt("", "<audiences><audience>api://a</audience>"
               "<audience>@(context.Request.OriginalUrl.Host)</audience></audiences>"),
       [](const Policy& p) {
         CHECK(p.audiences == std::vector<std::string>{"api://a", "contoso.azure-api.net"});
       }},
      {"issuers in order",
       jwt("", "<issuers><issuer>https://sts.windows.net/t/</issuer>"
               "<issuer>https://login.microsoftonline.com/t/v2.0</issuer></issuers>"),
       [](const Policy& p) {
         CHECK(p.issuers == std::vector<std::string>{"https://sts.windows.net/t/",
                                                     "https://login.microsoftonline.com/t/v2.0"});
       }},
      {"required-claims: name, match, separator, values",
       jwt("", "<required-claims>"
               "<claim name=\"roles\" match=\"any\"><value>Reader</value><value>Writer</value></claim>"
               "<claim name=\"scp\" separator=\" \"><value>Orders.Read</value></claim>"
               "<claim name=\"sub\"/>"
               "</required-claims>"),
       [](const Policy& p) {
         REQUIRE(p.required_claims.size() == 3);
         CHECK(p.required_claims[0].name == "roles");
         CHECK_FALSE(p.required_claims[0].match_all);
         CHECK(p.required_claims[0].separator.empty());
         CHECK(p.required_claims[0].values == std::vector<std::string>{"Reader", "Writer"});
         CHECK(p.required_claims[1].name == "scp");
         CHECK(p.required_claims[1].match_all);  // APIM default match="all"
         CHECK(p.required_claims[1].separator == " ");
         CHECK(p.required_claims[2].name == "sub");
         CHECK(p.required_claims[2].values.empty());  // presence only
       }},
      {"a claim value from a named value; CDATA text",
       jwt("", "<required-claims><claim name=\"tid\" match=\"all\">"
               "<value>{{aad-tenant-id}}</value><value><![CDATA[a<b]]></value></claim>"
               "</required-claims>"),
       [](const Policy& p) {
         REQUIRE(p.required_claims.size() == 1);
         CHECK(p.required_claims[0].values ==
               std::vector<std::string>{"f7740624-492c-4b76-a428-11a3b77edfdb", "a<b"});
       }},
      {"a value of one space is kept (<value> </value>)",
       jwt("", "<required-claims><claim name=\"x\"><value> </value></claim></required-claims>"),
       [](const Policy& p) { CHECK(p.required_claims[0].values == std::vector<std::string>{" "}); }},
      {"elements in any order (decryption-keys last, as in the APIM example)",
       jwt("", "<required-claims><claim name=\"a\"/></required-claims>"
               "<issuers><issuer>i</issuer></issuers>"
               "<openid-config url=\"https://x/\"/>"
               "<decryption-keys><key certificate-id=\"c\"/></decryption-keys>"),
       [](const Policy& p) {
         CHECK(p.required_claims.size() == 1);
         CHECK(p.issuers.size() == 1);
         CHECK(p.openid_configs.size() == 1);
         CHECK(p.decryption_keys.size() == 1);
       }},
      {"comments and an XML declaration are ignored",
       "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->\n" +
           jwt("", "<!-- inside --><audiences><!-- x --><audience>a</audience></audiences>"),
       [](const Policy& p) { CHECK(p.audiences == std::vector<std::string>{"a"}); }},
  });
}

TEST_CASE("xml: jwtgate extensions element", "[policy]") {
  run_field_cases({
      {"algorithms, space-separated", jwt("", "<jwtgate algorithms=\"RS256  ES256\n PS256\"/>"),
       [](const Policy& p) {
         CHECK(p.ext.algorithms == (alg_bit(Alg::RS256) | alg_bit(Alg::ES256) | alg_bit(Alg::PS256)));
       }},
      {"typ", jwt("", "<jwtgate typ=\"at+jwt\"/>"), [](const Policy& p) { CHECK(p.ext.typ == "at+jwt"); }},
      {"min-rsa-bits", jwt("", "<jwtgate min-rsa-bits=\"3072\"/>"),
       [](const Policy& p) { CHECK(p.ext.key_rules.min_rsa_bits == 3072); }},
      {"min-hmac-bits", jwt("", "<jwtgate min-hmac-bits=\"256\"/>"),
       [](const Policy& p) { CHECK(p.ext.key_rules.min_hmac_bits == 256); }},
      {"max-token-bytes", jwt("", "<jwtgate max-token-bytes=\"4096\"/>"),
       [](const Policy& p) { CHECK(p.ext.limits.max_token_bytes == 4096); }},
      {"max-json-depth", jwt("", "<jwtgate max-json-depth=\"8\"/>"),
       [](const Policy& p) { CHECK(p.ext.limits.max_json_depth == 8); }},
      {"reject-future-iat", jwt("", "<jwtgate reject-future-iat=\"true\"/>"),
       [](const Policy& p) { CHECK(p.ext.reject_future_iat); }},
      {"in validate-azure-ad-token too", aad("", "<jwtgate typ=\"JWT\"/>"),
       [](const Policy& p) { CHECK(p.ext.typ == "JWT"); }},
  });
}

TEST_CASE("xml: XSD-only items are accepted with a warning", "[policy]") {
  struct Case {
    const char* xml;
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {"<validate-jwt header-name=\"A\"><openid-config url=\"https://x/\" host=\"h\"/></validate-jwt>",
       "validate-jwt/openid-config[1]/@host", "\"host\" is known only to the APIM schema"},
      {"<validate-jwt header-name=\"A\"><issuer-signing-tokens><token>t</token>"
       "</issuer-signing-tokens></validate-jwt>",
       "validate-jwt/issuer-signing-tokens", "issuer-signing-tokens is known only"},
      {"<validate-jwt header-name=\"A\"><issuer-signing-keys><zumo-master-key>k</zumo-master-key>"
       "</issuer-signing-keys></validate-jwt>",
       "validate-jwt/issuer-signing-keys/zumo-master-key", "zumo-master-key is known only"},
      {"<validate-azure-ad-token tenant-id=\"common\" require-scheme=\"Bearer\"/>",
       "validate-azure-ad-token/@require-scheme", "require-scheme is known only"},
      {"<validate-azure-ad-token tenant-id=\"common\" allow-protected-forwarded-tokens=\"true\"/>",
       "validate-azure-ad-token/@allow-protected-forwarded-tokens", "is not supported"},
      {"<validate-azure-ad-token tenant-id=\"common\" allow-proof-of-possession-tokens=\"false\"/>",
       "validate-azure-ad-token/@allow-proof-of-possession-tokens", "is not supported"},
  };
  for (const Case& c : cases) {
    INFO(c.xml);
    const Loaded l = load(c.xml);
    INFO(l.diag.text());
    CHECK(l.ok);
    REQUIRE(l.warnings.size() == 1);
    CHECK(l.warnings[0].path == c.path);
    CHECK_THAT(l.warnings[0].message, Catch::Contains(c.message));
    CHECK(l.warnings[0].line == 1);
  }
  // The ignored items leave the policy as if they were absent.
  const Loaded with = load(
      "<validate-jwt header-name=\"A\"><issuer-signing-keys><zumo-master-key>k</zumo-master-key>"
      "<key>c2VjcmV0</key></issuer-signing-keys></validate-jwt>");
  REQUIRE(with.policy.issuer_signing_keys.size() == 1);
  CHECK(with.policy.issuer_signing_keys[0].value == "c2VjcmV0");
}

TEST_CASE("xml: a value with surrounding whitespace is kept, with a warning", "[policy]") {
  const Loaded l = load(
      "<validate-jwt header-name=\"A\">\n"
      "  <audiences>\n"
      "    <audience>\n"
      "      api://x\n"
      "    </audience>\n"
      "  </audiences>\n"
      "</validate-jwt>");
  REQUIRE(l.ok);
  CHECK(l.policy.audiences == std::vector<std::string>{"\n      api://x\n    "});
  REQUIRE(l.warnings.size() == 1);
  CHECK(l.warnings[0].path == "validate-jwt/audiences/audience[1]");
  CHECK(l.warnings[0].line == 4);  // the value's first character
  CHECK(l.warnings[0].column == 7);
}

// ---- validate-azure-ad-token ----

TEST_CASE("xml: validate-azure-ad-token defaults", "[policy]") {
  const Loaded l = load("<validate-azure-ad-token tenant-id=\"organizations\"/>");
  REQUIRE(l.ok);
  CHECK(l.diag.empty());
  const Policy& p = l.policy;
  CHECK(p.kind == PolicyKind::ValidateAzureAdToken);
  CHECK(p.tenant_id == "organizations");
  // APIM: header-name defaults to Authorization for this policy.
  CHECK(p.source == TokenSourceKind::Header);
  CHECK(p.header_name == "Authorization");
  CHECK(p.authentication_endpoint.empty());
  CHECK(p.failed_status == 401);
  CHECK_FALSE(p.failed_message.has_value());
  CHECK(p.output_token_variable_name.empty());
  CHECK(p.client_application_ids.empty());
  CHECK(p.backend_application_ids.empty());
  CHECK(p.audiences.empty());
  CHECK(p.required_claims.empty());
  CHECK(p.decryption_keys.empty());
  // Derived later by derive_azure_ad, never by the loader.
  CHECK(p.openid_configs.empty());
  CHECK(p.issuers.empty());
}

TEST_CASE("xml: validate-azure-ad-token attributes and elements", "[policy]") {
  run_field_cases({
      {"tenant-id from a named value", "<validate-azure-ad-token tenant-id=\"{{aad-tenant-id}}\"/>",
       [](const Policy& p) { CHECK(p.tenant_id == "f7740624-492c-4b76-a428-11a3b77edfdb"); }},
      {"id", aad("id=\"entra\""), [](const Policy& p) { CHECK(p.id == "entra"); }},
      {"header-name", aad("header-name=\"X-Token\""),
       [](const Policy& p) { CHECK(p.header_name == "X-Token"); }},
      {"query-parameter-name", aad("query-parameter-name=\"t\""),
       [](const Policy& p) {
         CHECK(p.source == TokenSourceKind::Query);
         CHECK(p.query_parameter_name == "t");
       }},
      {"token-value", aad("token-value=\"@(context.Request.OriginalUrl.Host)\""),
       [](const Policy& p) {
         CHECK(p.source == TokenSourceKind::Value);
         CHECK(p.token_value == "contoso.azure-api.net");
       }},
      {"authentication-endpoint", aad("authentication-endpoint=\"https://login.microsoftonline.us\""),
       [](const Policy& p) { CHECK(p.authentication_endpoint == "https://login.microsoftonline.us"); }},
      {"failed-validation-httpcode", aad("failed-validation-httpcode=\"403\""),
       [](const Policy& p) { CHECK(p.failed_status == 403); }},
      {"failed-validation-error-message", aad("failed-validation-error-message=\"No.\""),
       [](const Policy& p) { CHECK(*p.failed_message == "No."); }},
      {"output-token-variable-name", aad("output-token-variable-name=\"jwt\""),
       [](const Policy& p) { CHECK(p.output_token_variable_name == "jwt"); }},
      {"client-application-ids",
       aad("", "<client-application-ids><application-id>c1</application-id>"
               "<application-id>{{aad-client-application-id}}</application-id></client-application-ids>"),
       [](const Policy& p) {
         CHECK(p.client_application_ids ==
               std::vector<std::string>{"c1", "d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"});
       }},
      {"backend-application-ids",
       aad("", "<backend-application-ids><application-id>b1</application-id></backend-application-ids>"),
       [](const Policy& p) { CHECK(p.backend_application_ids == std::vector<std::string>{"b1"}); }},
      {"audiences", aad("", "<audiences><audience>api://x</audience></audiences>"),
       [](const Policy& p) { CHECK(p.audiences == std::vector<std::string>{"api://x"}); }},
      {"required-claims",
       aad("", "<required-claims><claim name=\"ctry\" match=\"any\"><value>US</value></claim></required-claims>"),
       [](const Policy& p) {
         REQUIRE(p.required_claims.size() == 1);
         CHECK(p.required_claims[0].name == "ctry");
         CHECK_FALSE(p.required_claims[0].match_all);
       }},
      {"decryption-keys", aad("", "<decryption-keys><key id=\"d\" certificate-id=\"c\"/></decryption-keys>"),
       [](const Policy& p) {
         REQUIRE(p.decryption_keys.size() == 1);
         CHECK(p.decryption_keys[0].certificate_id == "c");
       }},
  });
}

// ---- the documentation's examples and the article ----

TEST_CASE("xml: APIM example, simple token validation with a named-value key", "[policy]") {
  const Loaded l = load(example("apim-simple-symmetric-key.xml"));
  INFO(l.diag.text());
  REQUIRE(l.ok);
  CHECK(l.diag.empty());
  const Policy& p = l.policy;
  CHECK(p.require_scheme == "Bearer");
  REQUIRE(p.issuer_signing_keys.size() == 1);
  CHECK(p.issuer_signing_keys[0].value == "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE=");
  CHECK(p.issuer_signing_keys[0].line == 5);
  CHECK(p.audiences == std::vector<std::string>{"contoso.azure-api.net"});
  CHECK(p.issuers == std::vector<std::string>{"http://contoso.com/"});
}

TEST_CASE("xml: APIM example, RSA certificate and modulus/exponent keys", "[policy]") {
  const Loaded cert = load(example("apim-rsa-certificate.xml"));
  REQUIRE(cert.ok);
  REQUIRE(cert.policy.issuer_signing_keys.size() == 1);
  CHECK(cert.policy.issuer_signing_keys[0].certificate_id == "my-rsa-cert");

  const Loaded ne = load(example("apim-rsa-modulus-exponent.xml"));
  REQUIRE(ne.ok);
  REQUIRE(ne.policy.issuer_signing_keys.size() == 1);
  CHECK(ne.policy.issuer_signing_keys[0].id == "rsa-2048");
  CHECK(ne.policy.issuer_signing_keys[0].n.size() == 342);  // 2048 bits in base64url
  CHECK(ne.policy.issuer_signing_keys[0].e == "AQAB");
}

TEST_CASE("xml: APIM example, Entra single tenant", "[policy]") {
  const Loaded l = load(example("apim-entra-single-tenant.xml"));
  REQUIRE(l.ok);
  const Policy& p = l.policy;
  CHECK(p.failed_status == 401);
  CHECK(*p.failed_message == "Unauthorized. Access token is missing or invalid.");
  REQUIRE(p.openid_configs.size() == 1);
  CHECK(p.openid_configs[0].url ==
        "https://login.microsoftonline.com/f7740624-492c-4b76-a428-11a3b77edfdb/v2.0/"
        ".well-known/openid-configuration");
  CHECK(p.openid_configs[0].line == 6);
  CHECK(p.audiences == std::vector<std::string>{"api://5b873676-2f5b-4b87-a3bc-b626c4aa4e86"});
  CHECK(p.issuers ==
        std::vector<std::string>{"https://sts.windows.net/f7740624-492c-4b76-a428-11a3b77edfdb/"});
  REQUIRE(p.required_claims.size() == 1);
  CHECK(p.required_claims[0].name == "aud");
  CHECK(p.required_claims[0].match_all);
  CHECK(p.required_claims[0].values ==
        std::vector<std::string>{"5b873676-2f5b-4b87-a3bc-b626c4aa4e86"});
}

TEST_CASE("xml: APIM examples, customer tenant, B2C, Auth0-style", "[policy]") {
  const Loaded ciam = load(example("apim-entra-customer-tenant.xml"));
  REQUIRE(ciam.ok);
  CHECK(ciam.policy.openid_configs[0].url.find(".ciamlogin.com/") != std::string::npos);
  CHECK(ciam.policy.required_claims[0].name == "azp");

  const Loaded b2c = load(example("apim-b2c.xml"));
  REQUIRE(b2c.ok);
  CHECK(b2c.policy.openid_configs[0].url ==
        "https://login.microsoftonline.com/tfp/contoso.onmicrosoft.com/b2c_1_signin/v2.0/"
        ".well-known/openid-configuration");
  CHECK(b2c.policy.audiences == std::vector<std::string>{"e3b0f9bd-aeeb-4e2a-8f56-0ca735baca99"});

  const Loaded auth0 = load(example("auth0.xml"));
  REQUIRE(auth0.ok);
  CHECK(auth0.policy.issuers == std::vector<std::string>{"https://contoso.eu.auth0.com/"});
  REQUIRE(auth0.policy.required_claims.size() == 1);
  CHECK(auth0.policy.required_claims[0].separator == " ");
}

TEST_CASE("xml: APIM example, claims with match any and the jwt variable", "[policy]") {
  const Loaded l = load(example("apim-claims-group-any.xml"));
  REQUIRE(l.ok);
  CHECK(l.policy.output_token_variable_name == "jwt");
  REQUIRE(l.policy.required_claims.size() == 1);
  const RequiredClaim& c = l.policy.required_claims[0];
  CHECK(c.name == "group");
  CHECK_FALSE(c.match_all);
  CHECK(c.values == std::vector<std::string>{"finance", "logistics"});
}

TEST_CASE("xml: APIM example, decryption keys after required-claims", "[policy]") {
  const Loaded l = load(example("apim-decryption-key.xml"));
  REQUIRE(l.ok);
  CHECK(l.diag.empty());  // any order, no warning
  REQUIRE(l.policy.decryption_keys.size() == 1);
  CHECK(l.policy.decryption_keys[0].certificate_id == "my-decryption-cert");
}

TEST_CASE("xml: scp split on a space", "[policy]") {
  const Loaded l = load(example("entra-scp-delegated.xml"));
  REQUIRE(l.ok);
  const RequiredClaim& c = l.policy.required_claims.at(0);
  CHECK(c.name == "scp");
  CHECK(c.separator == " ");
  CHECK_FALSE(c.match_all);
  CHECK(c.values == std::vector<std::string>{"Orders.Read", "Orders.ReadWrite"});
  CHECK(l.policy.failed_status == 403);
}

TEST_CASE("xml: APIM validate-azure-ad-token examples", "[policy]") {
  const Loaded simple = load(example("azure-ad-token-simple.xml"));
  REQUIRE(simple.ok);
  CHECK(simple.policy.kind == PolicyKind::ValidateAzureAdToken);
  CHECK(simple.policy.tenant_id == "f7740624-492c-4b76-a428-11a3b77edfdb");
  CHECK(simple.policy.client_application_ids ==
        std::vector<std::string>{"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"});

  const Loaded claims = load(example("azure-ad-token-audience-claims.xml"));
  REQUIRE(claims.ok);
  CHECK(claims.policy.output_token_variable_name == "jwt");
  CHECK(claims.policy.audiences == std::vector<std::string>{"contoso.azure-api.net"});
  CHECK(claims.policy.required_claims.at(0).values == std::vector<std::string>{"US"});

  const Loaded gov = load(example("azure-ad-token-us-government.xml"));
  REQUIRE(gov.ok);
  CHECK(gov.policy.id == "gov");
  CHECK(gov.policy.authentication_endpoint == "login.microsoftonline.us");
  CHECK(gov.policy.client_application_ids.size() == 2);
  CHECK(gov.policy.backend_application_ids ==
        std::vector<std::string>{"5b873676-2f5b-4b87-a3bc-b626c4aa4e86"});
}

TEST_CASE("xml: the article's inbound policy", "[policy]") {
  // examples/policies/article-entra-v2.xml is the article's <inbound> section
  // (with the page's stray "Jump" text removed): <base/> and
  // <set-backend-service> are skipped, validate-jwt is taken.
  const Loaded l = load(example("article-entra-v2.xml"), LoadOptions{});
  INFO(l.diag.text());
  REQUIRE(l.ok);
  CHECK(l.diag.empty());
  const Policy& p = l.policy;
  CHECK(p.header_name == "Authorization");
  CHECK(p.failed_status == 401);
  CHECK(*p.failed_message == "Unauthorized. Invalid token.");
  REQUIRE(p.openid_configs.size() == 1);
  CHECK(p.openid_configs[0].url ==
        "https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/v2.0/"
        ".well-known/openid-configuration");
  CHECK(p.openid_configs[0].line == 5);
  CHECK(p.issuers == std::vector<std::string>{
                         "https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/v2.0"});
  REQUIRE(p.required_claims.size() == 1);
  CHECK(p.required_claims[0].name == "aud");
  CHECK_FALSE(p.required_claims[0].match_all);
  CHECK(p.required_claims[0].values ==
        std::vector<std::string>{"7e5ff242-8d3a-46a9-8890-45722c2f3d27"});
  CHECK(p.audiences.empty());

  // The same section inside a complete <policies> document loads the same.
  const std::string doc = "<policies>\n" + example("article-entra-v2.xml") +
                          "<backend><base /></backend>\n<outbound><base /></outbound>\n"
                          "<on-error><base /></on-error>\n</policies>\n";
  const Loaded d = load(doc, LoadOptions{});
  REQUIRE(d.ok);
  CHECK(policy_to_json(d.policy) == policy_to_json(p));
  CHECK(d.policy.openid_configs[0].line == 6);
}

// ---- malformed policies: the exact line and column ----

TEST_CASE("xml: malformed policies report line, column and path", "[policy]") {
  struct Bad {
    const char* what;
    std::string xml;
    unsigned line, column;
    const char* path;
    const char* message;
  };
  const std::vector<Bad> cases = {
      {"unknown attribute",
       "<validate-jwt header-name=\"Authorization\"\n"
       "              clock-skew=\"5\" colour=\"red\"/>",
       2, 30, "validate-jwt", "unknown attribute \"colour\" for validate-jwt"},
      {"an attribute of the other policy",
       "<validate-jwt header-name=\"A\" tenant-id=\"common\"/>", 1, 31, "validate-jwt",
       "unknown attribute \"tenant-id\" for validate-jwt (it belongs to validate-azure-ad-token)"},
      {"unknown attribute in claim[2]",
       "<validate-jwt header-name=\"A\">\n"
       "    <required-claims>\n"
       "        <claim name=\"a\"/>\n"
       "        <claim name=\"b\" matches=\"any\"/>\n"
       "    </required-claims>\n"
       "</validate-jwt>",
       4, 25, "validate-jwt/required-claims/claim[2]", "unknown attribute \"matches\" for claim"},
      {"unknown element",
       "<validate-jwt header-name=\"A\">\n"
       "  <audience>x</audience>\n"
       "</validate-jwt>",
       2, 3, "validate-jwt", "unknown element <audience> in validate-jwt"},
      {"unknown element in claim[2]",
       "<validate-jwt header-name=\"A\">\n"
       "    <required-claims>\n"
       "        <claim name=\"a\"><value>x</value></claim>\n"
       "        <claim name=\"b\"><valeu>y</valeu></claim>\n"
       "    </required-claims>\n"
       "</validate-jwt>",
       4, 25, "validate-jwt/required-claims/claim[2]", "unknown element <valeu> in claim"},
      {"bad boolean", "<validate-jwt header-name=\"Authorization\" require-signed-tokens=\"maybe\"/>",
       1, 43, "validate-jwt/@require-signed-tokens", "must be true or false, not \"maybe\""},
      {"the XSD's boolean 1 is refused", "<validate-jwt header-name=\"A\" require-expiration-time=\"1\"/>",
       1, 31, "validate-jwt/@require-expiration-time", "must be true or false, not \"1\""},
      {"bad boolean in openid-config",
       "<validate-jwt header-name=\"A\">\n"
       "\t<openid-config url=\"https://x/\" validate-connectivity=\"no\"/>\n"
       "</validate-jwt>",
       2, 34, "validate-jwt/openid-config[1]/@validate-connectivity", "must be true or false, not \"no\""},
      {"bad integer", "<validate-jwt header-name=\"A\" clock-skew=\"5s\"/>", 1, 31,
       "validate-jwt/@clock-skew", "must be an integer, not \"5s\""},
      {"integer with a plus sign", "<validate-jwt header-name=\"A\" clock-skew=\"+5\"/>", 1, 31,
       "validate-jwt/@clock-skew", "must be an integer, not \"+5\""},
      {"integer with a space", "<validate-jwt header-name=\"A\" failed-validation-httpcode=\" 401\"/>",
       1, 31, "validate-jwt/@failed-validation-httpcode", "must be an integer, not \" 401\""},
      {"integer out of range", "<validate-jwt header-name=\"A\" failed-validation-httpcode=\"99\"/>",
       1, 31, "validate-jwt/@failed-validation-httpcode", "must be between 100 and 599, not 99"},
      {"negative clock-skew", "<validate-jwt header-name=\"A\" clock-skew=\"-1\"/>", 1, 31,
       "validate-jwt/@clock-skew", "must be between 0 and 86400, not -1"},
      {"bad match value",
       "<validate-jwt header-name=\"A\">\n"
       "  <required-claims>\n"
       "    <claim name=\"roles\" match=\"ANY\"/>\n"
       "  </required-claims>\n"
       "</validate-jwt>",
       3, 25, "validate-jwt/required-claims/claim[1]/@match", "match must be \"all\" or \"any\", not \"ANY\""},
      {"unresolved named value in an attribute",
       "<validate-azure-ad-token tenant-id=\"{{tenant}}\"/>", 1, 26,
       "validate-azure-ad-token/@tenant-id", "named value {{tenant}} is not defined"},
      {"unresolved named value in element text",
       "<validate-jwt header-name=\"A\">\n"
       "  <issuer-signing-keys>\n"
       "    <key>{{signing-key}}</key>\n"
       "  </issuer-signing-keys>\n"
       "</validate-jwt>",
       3, 10, "validate-jwt/issuer-signing-keys/key[1]", "named value {{signing-key}} is not defined"},
      {"expression without a supplied value",
       "<validate-jwt header-name=\"A\">\n"
       "  <audiences>\n"
       "    <audience>x</audience>\n"
       "    <audience>@(context.Api.ServiceUrl.Host)</audience>\n"
       "  </audiences>\n"
       "</validate-jwt>",
       4, 15, "validate-jwt/audiences/audience[2]",
       "policy expression @(context.Api.ServiceUrl.Host) cannot run outside API Management"},
      {"multi-statement expression without a supplied value",
       "<validate-jwt header-name=\"A\" require-scheme=\"@{ return &quot;Bearer&quot;; }\"/>", 1, 31,
       "validate-jwt/@require-scheme", "policy expression @{ return \"Bearer\"; } cannot run"},
      {"expression in output-token-variable-name",
       "<validate-jwt header-name=\"A\" output-token-variable-name=\"@(&quot;jwt&quot;)\"/>", 1, 31,
       "validate-jwt/@output-token-variable-name",
       "policy expressions are not allowed in output-token-variable-name (APIM forbids them too)"},
      {"expression in key n",
       "<validate-jwt header-name=\"A\">\n"
       "  <issuer-signing-keys><key n=\"@(x)\" e=\"AQAB\"/></issuer-signing-keys>\n"
       "</validate-jwt>",
       2, 29, "validate-jwt/issuer-signing-keys/key[1]/@n",
       "policy expressions are not allowed in n (APIM forbids them too)"},
      {"expression in key e",
       "<validate-jwt header-name=\"A\">\n"
       "  <issuer-signing-keys><key n=\"AQAB\" e=\"@(x)\"/></issuer-signing-keys>\n"
       "</validate-jwt>",
       2, 38, "validate-jwt/issuer-signing-keys/key[1]/@e",
       "policy expressions are not allowed in e (APIM forbids them too)"},
      {"expression in application-id",
       "<validate-azure-ad-token tenant-id=\"common\">\n"
       "  <client-application-ids>\n"
       "    <application-id>@(context.Variables[\"app\"])</application-id>\n"
       "  </client-application-ids>\n"
       "</validate-azure-ad-token>",
       3, 21, "validate-azure-ad-token/client-application-ids/application-id[1]",
       "policy expressions are not allowed in <application-id> (APIM forbids them too)"},
      {"expression in id (needed to select the policy)",
       "<validate-jwt id=\"@(x)\" header-name=\"A\"/>", 1, 15, "validate-jwt/@id",
       "policy expressions are not allowed in id (jwtgate needs its value when the policy loads)"},
      {"two token sources",
       "\n  <validate-jwt header-name=\"A\" query-parameter-name=\"t\"/>", 2, 3, "validate-jwt",
       "give only one of header-name, query-parameter-name and token-value"},
      {"no token source", "<validate-jwt clock-skew=\"0\"/>", 1, 1, "validate-jwt",
       "one of header-name, query-parameter-name or token-value must be specified"},
      {"empty audiences",
       "<validate-jwt header-name=\"A\">\n"
       "    <audiences>\n"
       "    </audiences>\n"
       "</validate-jwt>",
       2, 5, "validate-jwt/audiences", "At least one audience must be specified"},
      {"empty issuers (an empty allow-list is refused, not read as no check)",
       "<validate-jwt header-name=\"A\"><issuers/></validate-jwt>", 1, 31,
       "validate-jwt/issuers", "At least one issuer must be specified"},
      {"empty audiences in validate-azure-ad-token",
       "<validate-azure-ad-token tenant-id=\"common\"><audiences/></validate-azure-ad-token>", 1, 45,
       "validate-azure-ad-token/audiences", "At least one audience must be specified"},
      {"tenant-id missing", "<validate-azure-ad-token header-name=\"A\"/>", 1, 1,
       "validate-azure-ad-token", "tenant-id is required"},
      {"tenant-id empty", "<validate-azure-ad-token tenant-id=\"\"/>", 1, 1,
       "validate-azure-ad-token", "tenant-id is required"},
      {"openid-config without url",
       "<validate-jwt header-name=\"A\"><openid-config validate-connectivity=\"true\"/></validate-jwt>",
       1, 31, "validate-jwt/openid-config[1]", "openid-config needs a url"},
      {"a key with two forms",
       "<validate-jwt header-name=\"A\"><issuer-signing-keys>\n"
       "<key certificate-id=\"c\">c2VjcmV0</key></issuer-signing-keys></validate-jwt>",
       2, 1, "validate-jwt/issuer-signing-keys/key[1]", "a key needs exactly one of"},
      {"a key with no form",
       "<validate-jwt header-name=\"A\"><issuer-signing-keys><key id=\"k\"/></issuer-signing-keys></validate-jwt>",
       1, 52, "validate-jwt/issuer-signing-keys/key[1]", "a key needs exactly one of"},
      {"n and e in a decryption key",
       "<validate-jwt header-name=\"A\"><decryption-keys><key n=\"AQAB\" e=\"AQAB\"/></decryption-keys></validate-jwt>",
       1, 53, "validate-jwt/decryption-keys/key[1]", "unknown attribute \"n\" for key"},
      {"a claim without a name",
       "<validate-jwt header-name=\"A\"><required-claims><claim match=\"any\"/></required-claims></validate-jwt>",
       1, 48, "validate-jwt/required-claims/claim[1]", "a required claim needs a non-empty \"name\""},
      {"duplicate attribute", "<validate-jwt header-name=\"A\" clock-skew=\"1\" clock-skew=\"2\"/>",
       1, 46, "validate-jwt", "attribute \"clock-skew\" appears twice"},
      {"an element the XSD allows once, twice",
       "<validate-jwt header-name=\"A\">\n"
       "  <issuers><issuer>a</issuer></issuers>\n"
       "  <issuers><issuer>b</issuer></issuers>\n"
       "</validate-jwt>",
       3, 3, "validate-jwt/issuers", "<issuers> appears twice"},
      {"text in a container", "<validate-jwt header-name=\"A\"><audiences>\n  api://x\n  <audience>a</audience></audiences></validate-jwt>",
       2, 3, "validate-jwt/audiences", "unexpected text \"api://x\" in <audiences>"},
      {"an attribute on a text element",
       "<validate-jwt header-name=\"A\"><audiences><audience lang=\"en\">a</audience></audiences></validate-jwt>",
       1, 52, "validate-jwt/audiences/audience[1]", "unknown attribute \"lang\" for audience"},
      {"unknown jwtgate extension", "<validate-jwt header-name=\"A\"><jwtgate max-age=\"5\"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate", "unknown jwtgate extension \"max-age\""},
      {"unknown algorithm", "<validate-jwt header-name=\"A\"><jwtgate algorithms=\"RS256 none\"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate/@algorithms", "\"none\" is not a JWS algorithm jwtgate implements"},
      {"algorithm names are case-sensitive", "<validate-jwt header-name=\"A\"><jwtgate algorithms=\"rs256\"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate/@algorithms", "\"rs256\" is not a JWS algorithm"},
      {"no algorithm", "<validate-jwt header-name=\"A\"><jwtgate algorithms=\" \"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate/@algorithms", "must list at least one algorithm"},
      {"jwtgate value out of range", "<validate-jwt header-name=\"A\"><jwtgate min-rsa-bits=\"512\"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate/@min-rsa-bits", "must be between 1024 and 16384, not 512"},
      {"expression in jwtgate typ", "<validate-jwt header-name=\"A\"><jwtgate typ=\"@(t)\"/></validate-jwt>",
       1, 40, "validate-jwt/jwtgate/@typ", "policy expressions are not allowed in typ"},
      {"DOCTYPE",
       "<!DOCTYPE validate-jwt [<!ENTITY aud \"api://x\">]>\n"
       "<validate-jwt header-name=\"A\"><audiences><audience>&aud;</audience></audiences></validate-jwt>",
       1, 1, "", "a policy must not contain a DOCTYPE declaration"},
      {"DOCTYPE after the declaration",
       "<?xml version=\"1.0\"?>\n  <!DOCTYPE validate-jwt SYSTEM \"file:///etc/passwd\">\n<validate-jwt header-name=\"A\"/>",
       2, 3, "", "a policy must not contain a DOCTYPE declaration"},
      {"DOCTYPE inside an element",
       "<validate-jwt header-name=\"A\">\n<!DOCTYPE x>\n</validate-jwt>", 2, 1, "",
       "a policy must not contain a DOCTYPE declaration"},
      {"malformed XML: mismatched end tag",
       "<validate-jwt header-name=\"A\">\n  <audiences>\n    <audience>a</audience>\n</validate-jwt>", 4,
       3, "", "policy is not well-formed XML: Start-end tags mismatch"},
      {"malformed XML: unquoted attribute", "<validate-jwt header-name=A/>", 1, 27, "",
       "policy is not well-formed XML: Error parsing element attribute"},
      {"malformed XML: not XML at all", "<", 1, 1, "", "policy is not well-formed XML"},
      {"a NUL byte", std::string("<validate-jwt header-name=\"A\"/>\n\0", 33), 2, 1, "",
       "policy contains a NUL byte"},
      {"two top-level elements", "<validate-jwt header-name=\"A\"/>\n<validate-jwt header-name=\"B\"/>",
       2, 1, "validate-jwt", "a policy has one top-level element"},
      {"text outside the top-level element", "<validate-jwt header-name=\"A\"/>\n Jump", 2, 2, "",
       "text \"Jump\" outside the top-level element"},
      {"an unknown top-level element", "\n\n   <policy/>", 3, 4, "policy",
       "the top-level element is <policy>"},
      {"validate-jwt in outbound",
       "<policies>\n"
       "    <inbound><base /></inbound>\n"
       "    <outbound>\n"
       "        <base />\n"
       "        <validate-jwt header-name=\"Authorization\" />\n"
       "    </outbound>\n"
       "</policies>",
       5, 9, "policies/outbound/validate-jwt",
       "<validate-jwt> is in <outbound>: APIM allows it in the inbound section only"},
      {"validate-azure-ad-token nested in on-error",
       "<policies>\n<inbound><validate-jwt header-name=\"A\"/></inbound>\n"
       "<on-error><choose><when condition=\"@(true)\"><validate-azure-ad-token tenant-id=\"common\"/>"
       "</when></choose></on-error>\n</policies>",
       3, 45, "policies/on-error/validate-azure-ad-token",
       "<validate-azure-ad-token> is in <on-error>: APIM allows it in the inbound section only"},
      {"validate-jwt directly under policies",
       "<policies>\n  <validate-jwt header-name=\"A\"/>\n</policies>", 2, 3, "policies/validate-jwt",
       "<validate-jwt> must be inside <inbound>"},
  };
  for (const Bad& c : cases) {
    INFO(c.what << "\n" << c.xml);
    const Loaded l = load(c.xml, LoadOptions{});
    INFO(l.diag.text());
    CHECK_FALSE(l.ok);
    REQUIRE_FALSE(l.errors.empty());
    const Diagnostic& e = l.errors[0];
    CHECK_THAT(e.message, Catch::Contains(c.message));
    CHECK(e.path == c.path);
    CHECK(e.line == c.line);
    CHECK(e.column == c.column);
  }
}

TEST_CASE("xml: every error is reported, not just the first", "[policy]") {
  const Loaded l = load(
      "<validate-jwt header-name=\"A\" query-parameter-name=\"q\" clock-skew=\"x\" bogus=\"1\">\n"
      "  <audiences/>\n"
      "  <required-claims><claim name=\"r\" match=\"some\"/></required-claims>\n"
      "  <issuers><issuer>{{nope}}</issuer></issuers>\n"
      "  <surprise/>\n"
      "</validate-jwt>",
      LoadOptions{});
  CHECK_FALSE(l.ok);
  INFO(l.diag.text());
  REQUIRE(l.errors.size() == 7);
  CHECK(l.errors[0].path == "validate-jwt/@clock-skew");
  CHECK(l.errors[1].message == "unknown attribute \"bogus\" for validate-jwt");
  CHECK(l.errors[2].path == "validate-jwt/audiences");
  CHECK(l.errors[3].path == "validate-jwt/required-claims/claim[1]/@match");
  CHECK(l.errors[4].path == "validate-jwt/issuers/issuer[1]");
  CHECK(l.errors[5].message == "unknown element <surprise> in validate-jwt");
  CHECK(l.errors[6].message == "give only one of header-name, query-parameter-name and token-value");
  // The positions are in document order.
  for (size_t i = 1; i + 1 < l.errors.size(); ++i) CHECK(l.errors[i - 1].line <= l.errors[i].line);
}

TEST_CASE("xml: columns count characters, not bytes, after a byte order mark", "[policy]") {
  // U+00E9 is two bytes in UTF-8 but one column; the BOM is no column.
  const Loaded l = load("\xEF\xBB\xBF<validate-jwt header-name=\"\xC3\xA9\" bogus=\"1\"/>");
  REQUIRE(l.errors.size() == 1);
  CHECK(l.errors[0].line == 1);
  CHECK(l.errors[0].column == 31);
}

TEST_CASE("xml: CRLF and CR line endings", "[policy]") {
  const Loaded crlf = load("<validate-jwt header-name=\"A\">\r\n\r\n  <bogus/>\r\n</validate-jwt>");
  REQUIRE(crlf.errors.size() == 1);
  CHECK(crlf.errors[0].line == 3);
  CHECK(crlf.errors[0].column == 3);
  const Loaded cr = load("<validate-jwt header-name=\"A\">\r\r  <bogus/>\r</validate-jwt>");
  REQUIRE(cr.errors.size() == 1);
  CHECK(cr.errors[0].line == 3);
  CHECK(cr.errors[0].column == 3);
}

TEST_CASE("xml: an entity a DTD would define is never expanded", "[policy]") {
  // Without the DOCTYPE, &aud; is an unknown reference: pugixml keeps it as
  // text, and it is compared literally (it can never match a real audience).
  const Loaded l = load(jwt("", "<audiences><audience>&aud;</audience></audiences>"));
  REQUIRE(l.ok);
  CHECK(l.policy.audiences == std::vector<std::string>{"&aud;"});
}

// ---- choosing the policy in a document ----

TEST_CASE("xml: choosing among the policies of <inbound>", "[policy]") {
  const std::string doc =
      "<policies>\n"
      "  <inbound>\n"
      "    <base />\n"
      "    <validate-jwt id=\"partners\" header-name=\"X-Partner-Token\" />\n"
      "    <choose>\n"
      "      <when condition=\"@(context.Request.Url.Path.StartsWith(&quot;/admin&quot;))\">\n"
      "        <validate-jwt header-name=\"X-Admin\" />\n"
      "      </when>\n"
      "    </choose>\n"
      "    <validate-azure-ad-token id=\"entra\" tenant-id=\"common\" />\n"
      "    <validate-jwt query-parameter-name=\"t\" />\n"
      "  </inbound>\n"
      "  <outbound><base /></outbound>\n"
      "</policies>\n";
  auto with = [&](const std::string& select) {
    LoadOptions o;
    o.select = select;
    return load(doc, o);
  };
  const Loaded first = with("");
  REQUIRE(first.ok);
  CHECK(first.policy.id == "partners");
  // The nested one is reported, and never offered.
  REQUIRE(first.warnings.size() == 1);
  CHECK(first.warnings[0].line == 7);
  CHECK(first.warnings[0].column == 9);
  CHECK(first.warnings[0].path == "policies/inbound/choose");
  CHECK_THAT(first.warnings[0].message, Catch::Contains("does not evaluate policy conditions"));

  const Loaded by_id = with("entra");
  REQUIRE(by_id.ok);
  CHECK(by_id.policy.kind == PolicyKind::ValidateAzureAdToken);

  const Loaded by_position = with("3");
  REQUIRE(by_position.ok);
  CHECK(by_position.policy.source == TokenSourceKind::Query);

  const Loaded by_position_1 = with("1");
  REQUIRE(by_position_1.ok);
  CHECK(by_position_1.policy.id == "partners");

  for (const char* missing : {"admin", "4", "0", "-1"}) {
    INFO(missing);
    const Loaded none = with(missing);
    CHECK_FALSE(none.ok);
    REQUIRE(none.errors.size() == 1);
    CHECK(none.errors[0].message ==
          "no validation element has id or position \"" + std::string(missing) +
              "\" (3 found: 1: <validate-jwt> id=\"partners\" at line 4; 2: "
              "<validate-azure-ad-token> id=\"entra\" at line 10; 3: <validate-jwt> at line 11)");
  }
}

TEST_CASE("xml: an id that looks like a position wins over the position", "[policy]") {
  const std::string doc =
      "<inbound><validate-jwt header-name=\"A\"/><validate-jwt id=\"1\" header-name=\"B\"/></inbound>";
  LoadOptions o;
  o.select = "1";
  const Loaded l = load(doc, o);
  REQUIRE(l.ok);
  CHECK(l.policy.header_name == "B");
}

TEST_CASE("xml: a bare policy can be selected by its id or as position 1", "[policy]") {
  LoadOptions o;
  o.select = "main";
  CHECK(load("<validate-jwt id=\"main\" header-name=\"A\"/>", o).ok);
  o.select = "1";
  CHECK(load("<validate-jwt header-name=\"A\"/>", o).ok);
  o.select = "2";
  const Loaded l = load("<validate-jwt header-name=\"A\"/>", o);
  CHECK_FALSE(l.ok);
  CHECK_THAT(l.errors.at(0).message, Catch::Contains("(1 found: 1: <validate-jwt> at line 1)"));
}

TEST_CASE("xml: a document without a usable policy", "[policy]") {
  const Loaded l = load("<policies><inbound><base/><set-header name=\"x\"/></inbound></policies>");
  CHECK_FALSE(l.ok);
  REQUIRE(l.errors.size() == 1);
  CHECK(l.errors[0].message ==
        "no validate-jwt or validate-azure-ad-token element found as a direct child of <inbound>");
  const Loaded empty = load("   ");
  CHECK_FALSE(empty.ok);
  CHECK(empty.errors.at(0).message == "policy has no XML element");
}

// ---- XML and JSON load to the same policy ----

TEST_CASE("xml: XML and JSON forms load to the same policy", "[policy]") {
  const std::string xml =
      "<validate-jwt id=\"p\" header-name=\"Authorization\" failed-validation-httpcode=\"403\" "
      "failed-validation-error-message=\"Denied\" require-expiration-time=\"false\" "
      "require-scheme=\"Bearer\" require-signed-tokens=\"true\" clock-skew=\"60\" "
      "output-token-variable-name=\"jwt\">"
      "<openid-config url=\"https://a/\" validate-connectivity=\"false\"/>"
      "<issuer-signing-keys><key id=\"k\">{{jwt-signing-key}}</key><key certificate-id=\"c\"/>"
      "<key n=\"AQAB\" e=\"AQAB\"/></issuer-signing-keys>"
      "<decryption-keys><key certificate-id=\"d\"/></decryption-keys>"
      "<audiences><audience>a1</audience><audience>@(context.Request.OriginalUrl.Host)</audience></audiences>"
      "<issuers><issuer>i1</issuer></issuers>"
      "<required-claims><claim name=\"scp\" match=\"any\" separator=\" \"><value>r</value></claim></required-claims>"
      "<jwtgate algorithms=\"ES256 RS256\" typ=\"at+jwt\" min-rsa-bits=\"3072\" min-hmac-bits=\"256\" "
      "max-token-bytes=\"4096\" max-json-depth=\"8\" reject-future-iat=\"true\"/>"
      "</validate-jwt>";
  const std::string json = R"json({"validate-jwt": {"id": "p", "header-name": "Authorization",
      "failed-validation-httpcode": "403", "failed-validation-error-message": "Denied",
      "require-expiration-time": "false", "require-scheme": "Bearer",
      "require-signed-tokens": true, "clock-skew": 60, "output-token-variable-name": "jwt",
      "openid-config": [{"url": "https://a/", "validate-connectivity": false}],
      "issuer-signing-keys": [{"id": "k", "value": "{{jwt-signing-key}}"},
                              {"certificate-id": "c"}, {"n": "AQAB", "e": "AQAB"}],
      "decryption-keys": [{"certificate-id": "d"}],
      "audiences": ["a1", "@(context.Request.OriginalUrl.Host)"], "issuers": ["i1"],
      "required-claims": [{"name": "scp", "match": "any", "separator": " ", "values": ["r"]}],
      "jwtgate": {"algorithms": ["ES256", "RS256"], "typ": "at+jwt", "min-rsa-bits": 3072,
                  "min-hmac-bits": 256, "max-token-bytes": 4096, "max-json-depth": 8,
                  "reject-future-iat": true}}})json";
  const Loaded from_xml = load(xml);
  INFO(from_xml.diag.text());
  REQUIRE(from_xml.ok);
  Policy from_json;
  Diagnostics jd;
  REQUIRE(load_policy_json(json, example_options(), from_json, jd));
  CHECK(policy_to_json(from_xml.policy) == policy_to_json(from_json));
}

// ---- writing XML, and round trips ----

TEST_CASE("xml: policy_to_xml writes a fixed, indented layout", "[policy]") {
  Policy p;
  p.id = "x";
  p.failed_message = "No";
  p.audiences = {"a"};
  p.required_claims.push_back({"roles", false, ",", {"r1", "r2"}});
  p.ext.typ = "JWT";
  CHECK(policy_to_xml(p) ==
        "<validate-jwt id=\"x\" header-name=\"Authorization\" failed-validation-httpcode=\"401\" "
        "failed-validation-error-message=\"No\" require-expiration-time=\"true\" "
        "require-signed-tokens=\"true\" clock-skew=\"0\">\n"
        "    <audiences>\n"
        "        <audience>a</audience>\n"
        "    </audiences>\n"
        "    <required-claims>\n"
        "        <claim name=\"roles\" match=\"any\" separator=\",\">\n"
        "            <value>r1</value>\n"
        "            <value>r2</value>\n"
        "        </claim>\n"
        "    </required-claims>\n"
        "    <jwtgate typ=\"JWT\" />\n"
        "</validate-jwt>\n");
}

TEST_CASE("xml: round trips of every example", "[policy]") {
  for (const std::string& name : kExamples) {
    INFO(name);
    const Loaded l = load(example(name));
    INFO(l.diag.text());
    REQUIRE(l.ok);
    const std::string json1 = policy_to_json(l.policy);
    const std::string xml1 = policy_to_xml(l.policy);

    // XML -> Policy -> XML -> Policy: identical.
    const Loaded again = load(xml1, LoadOptions{});
    INFO(xml1);
    INFO(again.diag.text());
    REQUIRE(again.ok);
    CHECK(again.diag.empty());
    CHECK(policy_to_json(again.policy) == json1);
    CHECK(policy_to_xml(again.policy) == xml1);

    // XML -> JSON -> XML.
    Policy from_json;
    Diagnostics jd;
    REQUIRE(load_policy_json(json1, LoadOptions{}, from_json, jd));
    CHECK(policy_to_xml(from_json) == xml1);

    // JSON -> XML -> JSON.
    const Loaded via_xml = load(policy_to_xml(from_json), LoadOptions{});
    REQUIRE(via_xml.ok);
    CHECK(policy_to_json(via_xml.policy) == json1);
  }
}

// GCC 12 at -O2 reports a std::string member of the local Policy as maybe
// uninitialized inside Catch2's expansion (a false positive that comes and
// goes with Policy's layout); the test itself is plain.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
TEST_CASE("xml: values XML normalises survive a round trip", "[policy]") {
  // Attribute whitespace other than space is normalised on reading (XML 1.0
  // 3.3.3) and a CR in text becomes LF (2.11): the writer uses character
  // references so that nothing is lost.
  // On the heap: on the stack, GCC 12 at -O2 reports the empty optional
  // below as maybe-uninitialized (a false positive, -Werror).
  const auto holder = std::make_unique<Policy>();
  Policy& p = *holder;
  p.failed_message.emplace("tab\there \"quoted\" <b> & 'single' \xC3\xA9\r\nline");
  p.required_claims.push_back(
      {"na<me>", true, "\t", {" lead", "trail ", "cr\rlf\r\n", "<&>\"'", "\xE2\x9C\x93", ""}});
  p.required_claims.push_back({"sep", true, "\n", {}});
  p.audiences = {"  ", "\n"};
  p.issuer_signing_keys.push_back({"id&", "", "", "", "a2V5\r\n", 0});
  const std::string xml = policy_to_xml(p);
  INFO(xml);
  const Loaded l = load(xml, LoadOptions{});
  INFO(l.diag.text());
  REQUIRE(l.ok);
  CHECK(policy_to_json(l.policy) == policy_to_json(p));
  CHECK(*l.policy.failed_message == *p.failed_message);
  CHECK(l.policy.required_claims[0].separator == "\t");
  CHECK(l.policy.required_claims[0].values == p.required_claims[0].values);
  CHECK(l.policy.required_claims[1].separator == "\n");
  CHECK(l.policy.audiences == p.audiences);
  CHECK(l.policy.issuer_signing_keys[0].value == "a2V5\r\n");
}
#pragma GCC diagnostic pop

TEST_CASE("xml: a validate-azure-ad-token round trip", "[policy]") {
  Policy p;
  p.kind = PolicyKind::ValidateAzureAdToken;
  p.tenant_id = "contoso.onmicrosoft.com";
  p.authentication_endpoint = "login.microsoftonline.us";
  p.source = TokenSourceKind::Query;
  p.query_parameter_name = "access_token";
  p.client_application_ids = {"c"};
  p.backend_application_ids = {"b"};
  p.audiences = {"a"};
  p.decryption_keys.push_back({"", "dec", "", "", "", 0});
  p.required_claims.push_back({"ctry", false, "", {"US"}});
  const std::string xml = policy_to_xml(p);
  CHECK(xml ==
        "<validate-azure-ad-token tenant-id=\"contoso.onmicrosoft.com\" "
        "query-parameter-name=\"access_token\" authentication-endpoint=\"login.microsoftonline.us\" "
        "failed-validation-httpcode=\"401\">\n"
        "    <client-application-ids>\n"
        "        <application-id>c</application-id>\n"
        "    </client-application-ids>\n"
        "    <backend-application-ids>\n"
        "        <application-id>b</application-id>\n"
        "    </backend-application-ids>\n"
        "    <audiences>\n"
        "        <audience>a</audience>\n"
        "    </audiences>\n"
        "    <required-claims>\n"
        "        <claim name=\"ctry\" match=\"any\">\n"
        "            <value>US</value>\n"
        "        </claim>\n"
        "    </required-claims>\n"
        "    <decryption-keys>\n"
        "        <key certificate-id=\"dec\" />\n"
        "    </decryption-keys>\n"
        "</validate-azure-ad-token>\n");
  const Loaded l = load(xml, LoadOptions{});
  REQUIRE(l.ok);
  CHECK(policy_to_json(l.policy) == policy_to_json(p));
}
