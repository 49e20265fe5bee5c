// validate-azure-ad-token: what derive_azure_ad and pin_azure_ad_tenant
// (src/policy/azure_ad.cpp) work out from tenant-id, authentication-endpoint
// and backend-application-ids, and the client application check
// (src/claims/client_application.cpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <simdjson.h>

#include "claims/client_application.h"
#include "claims/registered_claims.h"
#include "policy/azure_ad.h"
#include "policy/policy_forms.h"
#include "test_support.h"

using namespace jwtgate;

namespace {

constexpr const char* kTenant = "f7740624-492c-4b76-a428-11a3b77edfdb";
constexpr const char* kApi = "5b873676-2f5b-4b87-a3bc-b626c4aa4e86";

Policy aad(const std::string& tenant, const std::string& endpoint = "") {
  Policy p;
  p.kind = PolicyKind::ValidateAzureAdToken;
  p.tenant_id = tenant;
  p.authentication_endpoint = endpoint;
  p.client_application_ids = {"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"};
  return p;
}

struct Derived {
  bool ok = false;
  Policy policy;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

Derived derive(Policy p) {
  Derived d;
  Diagnostics diag;
  d.ok = derive_azure_ad(p, diag);
  d.policy = std::move(p);
  for (const Diagnostic& x : diag.items()) (x.warning ? d.warnings : d.errors).push_back(x);
  return d;
}

std::vector<std::string> urls(const Policy& p) {
  std::vector<std::string> out;
  for (const OpenIdConfig& c : p.openid_configs) out.push_back(c.url);
  return out;
}

}  // namespace

// ---- tenant-id forms ----

TEST_CASE("azure ad: a tenant GUID pins v2.0 and v1.0 issuers", "[policy]") {
  const Derived d = derive(aad(kTenant));
  REQUIRE(d.ok);
  CHECK(d.errors.empty());
  CHECK(d.warnings.empty());
  CHECK(urls(d.policy) ==
        std::vector<std::string>{"https://login.microsoftonline.com/" + std::string(kTenant) +
                                 "/v2.0/.well-known/openid-configuration"});
  CHECK(d.policy.issuers ==
        std::vector<std::string>{"https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0",
                                 "https://sts.windows.net/" + std::string(kTenant) + "/"});
}

TEST_CASE("azure ad: tenant-id forms", "[policy]") {
  const std::string v2 = "https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0";
  const std::string v1 = "https://sts.windows.net/" + std::string(kTenant) + "/";
  struct Case {
    std::string tenant;
    std::string discovery_tenant;
  };
  const std::vector<Case> cases = {
      {"F7740624-492C-4B76-A428-11A3B77EDFDB", kTenant},  // GUIDs in lower case, as Entra writes them
      {"https://login.microsoftonline.com/" + std::string(kTenant), kTenant},
      {"https://login.microsoftonline.com/" + std::string(kTenant) + "/", kTenant},
      {"https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0", kTenant},
      {"HTTPS://Login.MicrosoftOnline.com/" + std::string(kTenant) + "/v2.0/", kTenant},
  };
  for (const Case& c : cases) {
    INFO(c.tenant);
    const Derived d = derive(aad(c.tenant));
    REQUIRE(d.ok);
    CHECK(d.warnings.empty());
    CHECK(urls(d.policy) == std::vector<std::string>{"https://login.microsoftonline.com/" +
                                                     c.discovery_tenant +
                                                     "/v2.0/.well-known/openid-configuration"});
    CHECK(d.policy.issuers == std::vector<std::string>{v2, v1});
  }
}

TEST_CASE("azure ad: organizations and common accept any tenant through the template", "[policy]") {
  for (const char* tenant : {"organizations", "common", "Common",
                             "https://login.microsoftonline.com/organizations"}) {
    INFO(tenant);
    const Derived d = derive(aad(tenant));
    REQUIRE(d.ok);
    CHECK(d.warnings.empty());
    const std::string t = std::string(tenant).find("rganizations") != std::string::npos
                              ? "organizations"
                              : "common";
    CHECK(urls(d.policy) == std::vector<std::string>{"https://login.microsoftonline.com/" + t +
                                                     "/v2.0/.well-known/openid-configuration"});
    CHECK(d.policy.issuers ==
          std::vector<std::string>{"https://login.microsoftonline.com/{tenantid}/v2.0",
                                   "https://sts.windows.net/{tenantid}/"});
  }
  // The validator's issuer check fills the template with the token's tid.
  const Derived d = derive(aad("organizations"));
  CHECK(issuer_matches(d.policy.issuers[0],
                       "https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0", kTenant));
  CHECK(issuer_matches(d.policy.issuers[1], "https://sts.windows.net/" + std::string(kTenant) + "/",
                       kTenant));
  CHECK_FALSE(issuer_matches(d.policy.issuers[0], "https://evil.example/" + std::string(kTenant) + "/v2.0",
                             kTenant));
}

TEST_CASE("azure ad: consumers is the personal-account tenant, v2.0 only", "[policy]") {
  const Derived d = derive(aad("consumers"));
  REQUIRE(d.ok);
  CHECK(urls(d.policy) == std::vector<std::string>{
                              "https://login.microsoftonline.com/consumers/v2.0/.well-known/openid-configuration"});
  CHECK(d.policy.issuers == std::vector<std::string>{
                                "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"});
}

TEST_CASE("azure ad: a domain-name tenant uses the template and warns", "[policy]") {
  const Derived d = derive(aad("Contoso.onmicrosoft.com"));
  REQUIRE(d.ok);
  CHECK(urls(d.policy) == std::vector<std::string>{"https://login.microsoftonline.com/"
                                                   "contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"});
  CHECK(d.policy.issuers ==
        std::vector<std::string>{"https://login.microsoftonline.com/{tenantid}/v2.0",
                                 "https://sts.windows.net/{tenantid}/"});
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].path == "validate-azure-ad-token/@tenant-id");
  CHECK_THAT(d.warnings[0].message,
             Catch::Contains("cannot be pinned to the tenant GUID without the discovery document"));
}

TEST_CASE("azure ad: pin_azure_ad_tenant pins a domain tenant from its discovery document", "[policy]") {
  Derived d = derive(aad("contoso.onmicrosoft.com"));
  REQUIRE(d.ok);
  d.policy.discovered_issuers = {"https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0"};
  Diagnostics diag;
  pin_azure_ad_tenant(d.policy, diag);
  CHECK(diag.empty());
  CHECK(d.policy.issuers ==
        std::vector<std::string>{"https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0",
                                 "https://sts.windows.net/" + std::string(kTenant) + "/"});
  // A token from another tenant no longer passes.
  const std::string other = "0da700fe-a3a7-4aaa-a43f-48a79eefc326";
  CHECK_FALSE(issuer_matches(d.policy.issuers[0],
                             "https://login.microsoftonline.com/" + other + "/v2.0", other));

  // Without a tenant GUID in the discovered issuer: a warning, nothing pinned.
  Derived multi = derive(aad("contoso.onmicrosoft.com"));
  multi.policy.discovered_issuers = {"https://login.microsoftonline.com/{tenantid}/v2.0"};
  Diagnostics warn;
  pin_azure_ad_tenant(multi.policy, warn);
  REQUIRE(warn.items().size() == 1);
  CHECK(warn.items()[0].warning);
  CHECK(multi.policy.issuers[0] == "https://login.microsoftonline.com/{tenantid}/v2.0");

  // organizations stays a template on purpose; a GUID tenant needs nothing.
  for (const char* tenant : {"organizations", kTenant}) {
    Derived o = derive(aad(tenant));
    const auto before = o.policy.issuers;
    o.policy.discovered_issuers = {"https://login.microsoftonline.com/" + std::string(kTenant) + "/v2.0"};
    Diagnostics none;
    pin_azure_ad_tenant(o.policy, none);
    CHECK(none.empty());
    CHECK(o.policy.issuers == before);
  }
}

TEST_CASE("azure ad: unusable tenant-id values", "[policy]") {
  struct Case {
    const char* tenant;
    const char* message;
  };
  const Case cases[] = {
      {"", "tenant-id is required"},
      {"contoso", "is not a tenant GUID, a domain name"},
      {"f7740624-492c-4b76-a428-11a3b77edfd", "is not a tenant GUID"},
      {"contoso..com", "is not a tenant GUID"},
      {"http://login.microsoftonline.com/common", "must be an https URL"},
      {"https://login.microsoftonline.com/", "is not a tenant URL"},
      {"https://login.microsoftonline.com/tfp/contoso.onmicrosoft.com/b2c_1_signin", "is not a tenant URL"},
  };
  for (const Case& c : cases) {
    INFO(c.tenant);
    const Derived d = derive(aad(c.tenant));
    CHECK_FALSE(d.ok);
    REQUIRE(d.errors.size() == 1);
    CHECK(d.errors[0].path == "validate-azure-ad-token/@tenant-id");
    CHECK_THAT(d.errors[0].message, Catch::Contains(c.message));
  }
}

// ---- authentication-endpoint: sovereign clouds ----

TEST_CASE("azure ad: authentication-endpoint and the cloud's issuers", "[policy]") {
  const std::string t = kTenant;
  struct Case {
    const char* endpoint;
    std::string discovery_host;
    std::vector<std::string> issuers;
  };
  const std::vector<Case> cases = {
      {"", "login.microsoftonline.com",
       {"https://login.microsoftonline.com/" + t + "/v2.0", "https://sts.windows.net/" + t + "/"}},
      {"login.microsoftonline.com", "login.microsoftonline.com",
       {"https://login.microsoftonline.com/" + t + "/v2.0", "https://sts.windows.net/" + t + "/"}},
      {"https://login.microsoftonline.com/", "login.microsoftonline.com",
       {"https://login.microsoftonline.com/" + t + "/v2.0", "https://sts.windows.net/" + t + "/"}},
      // US Government: v2.0 on login.microsoftonline.us, v1.0 still sts.windows.net.
      {"https://login.microsoftonline.us", "login.microsoftonline.us",
       {"https://login.microsoftonline.us/" + t + "/v2.0", "https://sts.windows.net/" + t + "/"}},
      // China (21Vianet): both endpoints issue as login.partner.microsoftonline.cn
      // and sts.chinacloudapi.cn.
      {"login.partner.microsoftonline.cn", "login.partner.microsoftonline.cn",
       {"https://login.partner.microsoftonline.cn/" + t + "/v2.0",
        "https://sts.chinacloudapi.cn/" + t + "/"}},
      {"Login.ChinaCloudApi.cn", "login.chinacloudapi.cn",
       {"https://login.partner.microsoftonline.cn/" + t + "/v2.0",
        "https://sts.chinacloudapi.cn/" + t + "/"}},
  };
  for (const Case& c : cases) {
    INFO(c.endpoint);
    const Derived d = derive(aad(kTenant, c.endpoint));
    REQUIRE(d.ok);
    CHECK(d.warnings.empty());
    CHECK(urls(d.policy) == std::vector<std::string>{"https://" + c.discovery_host + "/" + t +
                                                     "/v2.0/.well-known/openid-configuration"});
    CHECK(d.policy.issuers == c.issuers);
  }
}

TEST_CASE("azure ad: a tenant URL names the cloud", "[policy]") {
  const Derived d = derive(aad("https://login.microsoftonline.us/" + std::string(kTenant)));
  REQUIRE(d.ok);
  CHECK(urls(d.policy).at(0) ==
        "https://login.microsoftonline.us/" + std::string(kTenant) + "/v2.0/.well-known/openid-configuration");
  CHECK(d.policy.issuers.at(0) == "https://login.microsoftonline.us/" + std::string(kTenant) + "/v2.0");

  const Derived clash =
      derive(aad("https://login.microsoftonline.us/" + std::string(kTenant), "login.microsoftonline.com"));
  CHECK_FALSE(clash.ok);
  REQUIRE(clash.errors.size() == 1);
  CHECK(clash.errors[0].message ==
        "tenant-id names host login.microsoftonline.us but authentication-endpoint is "
        "login.microsoftonline.com");
}

TEST_CASE("azure ad: an unknown endpoint accepts v2.0 tokens only, with a warning", "[policy]") {
  const Derived d = derive(aad(kTenant, "login.example.net"));
  REQUIRE(d.ok);
  CHECK(d.policy.issuers ==
        std::vector<std::string>{"https://login.example.net/" + std::string(kTenant) + "/v2.0"});
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].path == "validate-azure-ad-token/@authentication-endpoint");
  CHECK_THAT(d.warnings[0].message, Catch::Contains("is not a known Entra cloud"));
}

TEST_CASE("azure ad: unusable authentication-endpoint values", "[policy]") {
  for (const char* endpoint : {"http://login.microsoftonline.com", "login microsoftonline com",
                               "https://login.microsoftonline.com/tenant", "localhost", "-bad.example",
                               "https://"}) {
    INFO(endpoint);
    const Derived d = derive(aad(kTenant, endpoint));
    CHECK_FALSE(d.ok);
    REQUIRE(d.errors.size() == 1);
    CHECK(d.errors[0].path == "validate-azure-ad-token/@authentication-endpoint");
  }
}

// ---- audiences ----

TEST_CASE("azure ad: backend application ids become audiences in both forms", "[policy]") {
  Policy p = aad(kTenant);
  p.audiences = {"https://api.contoso.com"};
  p.backend_application_ids = {"5B873676-2F5B-4B87-A3BC-B626C4AA4E86", "not-a-guid"};
  const Derived d = derive(p);
  REQUIRE(d.ok);
  CHECK(d.policy.audiences == std::vector<std::string>{"https://api.contoso.com", kApi,
                                                       "api://" + std::string(kApi), "not-a-guid"});
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].path == "validate-azure-ad-token/backend-application-ids");
  CHECK_THAT(d.warnings[0].message, Catch::Contains("\"not-a-guid\" is not a GUID"));
}

TEST_CASE("azure ad: neither client ids nor audiences draws a warning", "[policy]") {
  Policy p = aad(kTenant);
  p.client_application_ids.clear();
  const Derived d = derive(p);
  REQUIRE(d.ok);
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0].message, Catch::Contains("a token the tenant issued for any application"));
  // Backend application ids count as audiences.
  p.backend_application_ids = {kApi};
  CHECK(derive(p).warnings.empty());
}

TEST_CASE("azure ad: deriving twice adds nothing", "[policy]") {
  Policy p = aad("organizations");
  p.backend_application_ids = {kApi};
  Derived once = derive(p);
  REQUIRE(once.ok);
  const Derived twice = derive(once.policy);
  REQUIRE(twice.ok);
  CHECK(twice.policy.openid_configs.size() == 1);
  CHECK(twice.policy.issuers == once.policy.issuers);
  CHECK(twice.policy.audiences == once.policy.audiences);
}

TEST_CASE("azure ad: validate-jwt policies are left alone", "[policy]") {
  Policy p;
  p.tenant_id = "ignored";
  Diagnostics diag;
  CHECK(derive_azure_ad(p, diag));
  CHECK(diag.empty());
  CHECK(p.openid_configs.empty());
  CHECK(p.issuers.empty());
  pin_azure_ad_tenant(p, diag);
  CHECK(diag.empty());
}

TEST_CASE("azure ad: the US Government example policy", "[policy]") {
  Policy p;
  Diagnostics diag;
  REQUIRE(load_policy_xml(
      jwtgate_test::read_data("../examples/policies/azure-ad-token-us-government.xml"), LoadOptions{}, p,
      diag));
  REQUIRE(derive_azure_ad(p, diag));
  CHECK(diag.empty());
  const std::string t = "b7a72ea2-c664-4474-818b-12c7ffdf985f";
  CHECK(urls(p) == std::vector<std::string>{"https://login.microsoftonline.us/" + t +
                                            "/v2.0/.well-known/openid-configuration"});
  CHECK(p.issuers == std::vector<std::string>{"https://login.microsoftonline.us/" + t + "/v2.0",
                                              "https://sts.windows.net/" + t + "/"});
  CHECK(p.audiences == std::vector<std::string>{kApi, "api://" + std::string(kApi)});
}

// ---- client-application-ids ----

namespace {

struct ClientCheck {
  bool allowed = false;
  FailureList failures;
};

ClientCheck check(const std::string& payload, const std::vector<std::string>& allowed) {
  Policy p = aad(kTenant);
  p.client_application_ids = allowed;
  simdjson::dom::parser parser;
  simdjson::dom::object claims;
  REQUIRE(parser.parse(payload).get(claims) == simdjson::SUCCESS);
  ClientCheck c;
  c.allowed = check_client_application(claims, p, c.failures);
  CHECK(c.allowed == c.failures.empty());
  return c;
}

const std::vector<std::string> kClients = {"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8",
                                           "e3b0f9bd-aeeb-4e2a-8f56-0ca735baca99"};

}  // namespace

TEST_CASE("client application: allowed clients pass", "[policy]") {
  // v2.0: azp.
  CHECK(check(R"({"ver":"2.0","azp":"e3b0f9bd-aeeb-4e2a-8f56-0ca735baca99"})", kClients).allowed);
  // v1.0: appid.
  CHECK(check(R"({"ver":"1.0","appid":"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"})", kClients).allowed);
  // No ver: azp, then appid.
  CHECK(check(R"({"appid":"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"})", kClients).allowed);
  // GUIDs compare without case.
  CHECK(check(R"({"azp":"D3FF6C21-7B50-42A6-832E-0CEE9BBDEEC8"})", kClients).allowed);
  // No list: no check at all, even without a client claim.
  CHECK(check(R"({"sub":"x"})", {}).allowed);
}

TEST_CASE("client application: refused clients name the claim, the value and the list", "[policy]") {
  const ClientCheck c = check(R"({"ver":"2.0","azp":"a1888df2-84c2-4379-8d53-7091dd630ca7"})", kClients);
  CHECK_FALSE(c.allowed);
  REQUIRE(c.failures.size() == 1);
  CHECK(c.failures[0].reason == JWTGATE_REASON_CLIENT_NOT_ALLOWED);
  CHECK(c.failures[0].subject == "azp");
  CHECK(c.failures[0].detail ==
        "client application \"a1888df2-84c2-4379-8d53-7091dd630ca7\" (claim \"azp\") is not among "
        "the allowed client-application-ids \"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8\", "
        "\"e3b0f9bd-aeeb-4e2a-8f56-0ca735baca99\"");

  const ClientCheck v1 = check(R"({"ver":"1.0","appid":"a1888df2-84c2-4379-8d53-7091dd630ca7"})", kClients);
  REQUIRE(v1.failures.size() == 1);
  CHECK(v1.failures[0].subject == "appid");

  // Non-GUID ids compare exactly.
  CHECK_FALSE(check(R"({"azp":"Client-A"})", {"client-a"}).allowed);
  CHECK(check(R"({"azp":"client-a"})", {"client-a"}).allowed);
}

TEST_CASE("client application: missing, null and non-string clients", "[policy]") {
  const ClientCheck none = check(R"({"ver":"2.0","sub":"x"})", kClients);
  REQUIRE(none.failures.size() == 1);
  CHECK(none.failures[0].reason == JWTGATE_REASON_CLIENT_NOT_ALLOWED);
  CHECK(none.failures[0].subject == "azp");
  CHECK_THAT(none.failures[0].detail, Catch::Contains("neither \"azp\" nor \"appid\""));

  const ClientCheck none_v1 = check(R"({"ver":"1.0"})", kClients);
  CHECK(none_v1.failures[0].subject == "appid");

  // null carries no value: treated as absent, so appid is used instead.
  CHECK(check(R"({"azp":null,"appid":"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"})", kClients).allowed);

  const ClientCheck number = check(R"({"azp":42})", kClients);
  REQUIRE(number.failures.size() == 1);
  CHECK(number.failures[0].detail ==
        "claim \"azp\" is 42, not an application ID string; the policy allows "
        "client-application-ids \"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8\", "
        "\"e3b0f9bd-aeeb-4e2a-8f56-0ca735baca99\"");
}
