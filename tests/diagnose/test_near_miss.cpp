// The pieces the diagnosis reasons with, on their own: the near-miss
// comparisons, the issuer classifier, the kinds of presented text, the
// token candidates of a request.
#include <catch2/catch.hpp>

#include "diagnose/issuer_family.h"
#include "diagnose/near_miss.h"
#include "diagnose/token_kind.h"
#include "policy/policy.h"
#include "validate/token_candidates.h"

using namespace jwtgate;

namespace {
const std::string kT = "0da700fe-a3a7-4aaa-a43f-48a79eefc326";
const std::string kOther = "72f988bf-86f1-41af-91ab-2d7cd011db47";
}  // namespace

TEST_CASE("near_miss names the smallest relaxation that makes two values equal", "[diagnose]") {
  CHECK(near_miss("https://dev-x.us.auth0.com/", "https://dev-x.us.auth0.com") == kRelaxTrailingSlash);
  CHECK(near_miss("api://Orders", "api://orders") == kRelaxCase);
  CHECK(near_miss("abc ", "abc") == kRelaxWhitespace);
  CHECK(near_miss("https://id.example.com", "http://id.example.com") == kRelaxScheme);
  CHECK(near_miss("https://ID.example.com/", "https://id.example.com") == (kRelaxCase | kRelaxTrailingSlash));
  CHECK(near_miss("api://" + kT, kT) == kRelaxAppIdUri);
  CHECK(near_miss(kT, "api://" + kT + "/") == kRelaxAppIdUri);
  CHECK(near_miss("https://sts.windows.net/" + kT + "/", "https://login.microsoftonline.com/" + kT + "/v2.0") ==
        kRelaxEntraVersion);
  CHECK(near_miss("https://sts.windows.net/" + kT + "/", "https://login.microsoftonline.com/" + kT + "/") ==
        kRelaxEntraHost);
  CHECK(near_miss("https://login.microsoftonline.us/" + kT + "/v2.0",
                  "https://login.microsoftonline.com/" + kT + "/v2.0") == kRelaxCloud);
  // Not near misses: equal values, another tenant, another audience, a typo
  // in a value, another Keycloak host.
  CHECK(near_miss("same", "same") == 0);
  CHECK(near_miss("https://login.microsoftonline.com/" + kOther + "/v2.0",
                  "https://login.microsoftonline.com/" + kT + "/v2.0") == 0);
  CHECK(near_miss("api://" + kOther, kT) == 0);
  CHECK(near_miss("https://login.microsoftonline.com/" + kT + "/v2.0.", "https://login.microsoftonline.com/" + kT +
                  "/v2.0") == 0);
  CHECK(near_miss("http://keycloak/auth/realms/sample", "http://keycloak:8080/auth/realms/sample") == 0);
}

TEST_CASE("describe_difference quotes the exact difference", "[diagnose]") {
  CHECK(describe_difference(kRelaxTrailingSlash) == "differs only by a trailing '/'");
  CHECK(describe_difference(kRelaxCase | kRelaxWhitespace) ==
        "differs only by letter case and surrounding whitespace");
}

TEST_CASE("name_near_miss: separators, typos, and case only where it matters", "[diagnose]") {
  CHECK(name_near_miss("X_Api_Token", "X-Api-Token", false) == kRelaxSeparator);
  CHECK(name_near_miss("Authorisation", "Authorization", false) == kRelaxTypo);
  CHECK(name_near_miss("authorization", "Authorization", false) == 0);  // header names ignore case
  CHECK(name_near_miss("Roles", "roles", true) == kRelaxCase);
  CHECK(name_near_miss("Cookie", "Authorization", false) == 0);
  CHECK(name_near_miss("scp", "sub", true) == 0);  // short names: no typo guessing
}

TEST_CASE("the issuer classifier tells every family by its issuer's shape", "[diagnose]") {
  struct Row {
    std::string iss;
    IssuerFamily family;
    Cloud cloud;
    int version;
    std::string tenant;
    std::string label;
  };
  const std::vector<Row> rows = {
      {"https://login.microsoftonline.com/" + kT + "/v2.0", IssuerFamily::Entra, Cloud::Public, 2, kT,
       "Entra ID (public cloud)"},
      {"https://sts.windows.net/" + kT + "/", IssuerFamily::Entra, Cloud::Public, 1, kT, "Entra ID (public cloud)"},
      {"https://login.microsoftonline.us/" + kT + "/v2.0", IssuerFamily::Entra, Cloud::UsGovernment, 2, kT,
       "Entra ID (US Government)"},
      {"https://login.partner.microsoftonline.cn/" + kT + "/v2.0", IssuerFamily::Entra, Cloud::China, 2, kT,
       "Entra ID (China, 21Vianet)"},
      {"https://sts.chinacloudapi.cn/" + kT + "/", IssuerFamily::Entra, Cloud::China, 1, kT,
       "Entra ID (China, 21Vianet)"},
      {"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
       IssuerFamily::MicrosoftAccount, Cloud::Public, 2, "9188040d-6c67-4c5b-b112-36a304b66dad",
       "Microsoft personal accounts (Entra ID public cloud)"},
      {"https://contoso.b2clogin.com/" + kT + "/v2.0/", IssuerFamily::AzureAdB2C, Cloud::Public, 0, kT,
       "Azure AD B2C"},
      {"https://login.microsoftonline.com/tfp/" + kT + "/B2C_1_signin/v2.0/", IssuerFamily::AzureAdB2C,
       Cloud::Public, 0, kT, "Azure AD B2C"},
      {"https://" + kT + ".ciamlogin.com/" + kT + "/v2.0", IssuerFamily::ExternalId, Cloud::Public, 0, kT,
       "Entra External ID (CIAM)"},
      {"https://dev-abc.us.auth0.com/", IssuerFamily::Auth0, Cloud::Unknown, 0, "dev-abc",
       "Auth0 (dev-abc.us.auth0.com)"},
      {"https://dev-1.okta.com/oauth2/default", IssuerFamily::Okta, Cloud::Unknown, 0, "dev-1",
       "Okta (authorization server \"default\")"},
      {"https://dev-1.okta.com", IssuerFamily::Okta, Cloud::Unknown, 0, "dev-1", "Okta (org authorization server)"},
      {"https://sso.example.org/auth/realms/shop", IssuerFamily::Keycloak, Cloud::Unknown, 0, "shop",
       "Keycloak (realm \"shop\")"},
      {"https://accounts.google.com", IssuerFamily::Google, Cloud::Unknown, 0, "", "Google"},
      {"accounts.google.com", IssuerFamily::Google, Cloud::Unknown, 0, "", "Google"},
      {"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC", IssuerFamily::Cognito, Cloud::Unknown, 0,
       "eu-west-1_AbC", "Amazon Cognito (user pool \"eu-west-1_AbC\")"},
      {"https://issuer.example.com/", IssuerFamily::Other, Cloud::Unknown, 0, "", "other (issuer.example.com)"},
  };
  for (const Row& row : rows) {
    INFO(row.iss);
    const IssuerInfo i = classify_issuer(row.iss);
    CHECK(i.family == row.family);
    CHECK(i.cloud == row.cloud);
    CHECK(i.entra_version == row.version);
    CHECK(i.tenant == row.tenant);
    CHECK(issuer_label(i) == row.label);
  }
  CHECK(classify_issuer("https://sso.example.org/auth/realms/shop").detail.empty());
  CHECK(classify_issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC").detail == "eu-west-1");
}

TEST_CASE("claims tell the family where iss does not", "[diagnose]") {
  simdjson::dom::parser p;
  auto obj = [&](const char* json) { return p.parse(std::string(json)).get_object().value(); };
  CHECK(classify_token("https://login.contoso.com/" + kT + "/v2.0/", obj("{\"tfp\":\"B2C_1_signupsignin\"}"), true)
            .family == IssuerFamily::AzureAdB2C);
  CHECK(classify_token("", obj("{\"token_use\":\"access\"}"), true).family == IssuerFamily::Cognito);
  CHECK(classify_token("", obj("{\"ver\":\"1.0\"}"), true).family == IssuerFamily::Entra);
  CHECK(classify_token("", obj("{\"ver\":1}"), true).family == IssuerFamily::Unknown);  // Okta's number
  // An issuer of its own is not guessed from claims.
  CHECK(classify_token("https://issuer.example.com/", obj("{\"ver\":\"2.0\"}"), true).family == IssuerFamily::Other);
}

TEST_CASE("the kind of a presented text that is not a JWS", "[diagnose]") {
  CHECK(kind_of_text("undefined").kind == TokenKind::Placeholder);
  CHECK(kind_of_text("null").kind == TokenKind::Placeholder);
  CHECK(kind_of_text("<token>").kind == TokenKind::Placeholder);
  CHECK(kind_of_text("ya29.a0AfH6SMBx-example-google-access-token").kind == TokenKind::Opaque);
  CHECK(kind_of_text("KBSxkmG-OcpA6-cg").kind == TokenKind::Opaque);
  CHECK(kind_of_text("PHNhbWw6QXNzZXJ0aW9uIHhtbG5zOnNhbWw9").kind == TokenKind::Saml);
  CHECK(kind_of_text("<saml:Assertion ID=\"x\"></saml:Assertion>").kind == TokenKind::Saml);
  CHECK(kind_of_text("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..a.b.c").kind == TokenKind::Encrypted);
  CHECK(kind_of_text("0.A" + std::string(200, 'x')).kind == TokenKind::Refresh);
  CHECK(kind_of_text("a.b").kind == TokenKind::NotAToken);
  CHECK(microsoft_api("https://graph.microsoft.com/") == "Microsoft Graph");
  CHECK(microsoft_api("https://management.azure.com/") == "Azure Resource Manager");
  CHECK(microsoft_api("api://my-api").empty());
}

TEST_CASE("token candidates: every header, query parameter and cookie holding a token", "[diagnose]") {
  const std::string jws = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
  CHECK(token_segments(jws) == 3);
  CHECK(token_segments("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn") == 5);
  CHECK(token_segments("a.b.c") == 0);               // too short, not JSON
  CHECK(token_segments("abcdefgh.ijkl.mnop") == 0);  // the header is not a JSON object
  Policy p;
  Request req;
  req.add_header("Accept", "application/json");
  req.add_header("X-Access-Token", "Bearer " + jws);
  req.add_header("Cookie", "theme=dark; access_token=\"" + jws + "\"");
  req.add_query("access_token", jws);
  std::vector<TokenCandidate> out;
  const size_t n = find_token_candidates(p, req, out);
  REQUIRE(n == 3);
  CHECK(out[0].place == TokenPlace::Header);
  CHECK(out[0].name == "X-Access-Token");
  CHECK(out[0].scheme == "Bearer");
  CHECK(out[1].place == TokenPlace::Cookie);
  CHECK(out[1].name == "access_token");
  CHECK(out[2].place == TokenPlace::QueryParameter);
  CHECK_FALSE(out[2].read_by_policy);
}
