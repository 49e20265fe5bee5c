#include "policy/azure_ad.h"

#include <string>
#include <string_view>

#include "core/ascii.h"
#include "core/text_match.h"

namespace jwtgate {
namespace {

constexpr std::string_view kDefaultEndpoint = "login.microsoftonline.com";
// The placeholder Entra's multi-tenant metadata uses in issuers; the issuer
// check substitutes the token's tid (registered_claims.h issuer_matches).
constexpr std::string_view kTenantTemplate = "{tenantid}";
// The tenant of personal Microsoft accounts (docs/apim-reference.md).
constexpr std::string_view kConsumersTenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
constexpr const char* kPath = "validate-azure-ad-token";

// Issuer hosts per Entra cloud (docs/apim-reference.md, "National clouds"):
// v2.0 tokens are issued by the login host, v1.0 tokens by the cloud's STS.
// US Government keeps sts.windows.net for v1.0; China (21Vianet) uses
// sts.chinacloudapi.cn and login.partner.microsoftonline.cn, also behind
// login.chinacloudapi.cn.
struct Cloud {
  std::string_view login;
  std::string_view v2_issuer_host;
  std::string_view v1_issuer_host;
};
constexpr Cloud kClouds[] = {
    {"login.microsoftonline.com", "login.microsoftonline.com", "sts.windows.net"},
    {"login.microsoftonline.us", "login.microsoftonline.us", "sts.windows.net"},
    {"login.partner.microsoftonline.cn", "login.partner.microsoftonline.cn", "sts.chinacloudapi.cn"},
    {"login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "sts.chinacloudapi.cn"},
};

enum class TenantKind { Guid, AnyOrganization, Consumers, Domain };

bool strip_prefix_icase(std::string_view& s, std::string_view prefix) {
  if (!ascii_istarts_with(s, prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// is_host_name: dot-separated labels of letters, digits and '-' (RFC 1123
// 2.1), at least two labels.
bool is_host_name(std::string_view s) {
  if (s.empty() || s.find('.') == std::string_view::npos) return false;
  size_t label = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (label == 0 || s[i - 1] == '-' || s[i - label] == '-') return false;
      label = 0;
      continue;
    }
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    ++label;
  }
  return true;
}

// endpoint_host: authentication-endpoint as a lower-case host name. APIM:
// "prefix https:// is optional"; plain http is refused, keys come over TLS.
bool endpoint_host(std::string_view raw, std::string& out, Diagnostics& diag) {
  std::string_view s = raw;
  if (s.empty()) s = kDefaultEndpoint;
  if (!strip_prefix_icase(s, "https://") && strip_prefix_icase(s, "http://")) {
    diag.error("authentication-endpoint \"" + std::string(raw) +
                   "\" must use https (or name the host alone)",
               std::string(kPath) + "/@authentication-endpoint");
    return false;
  }
  if (!s.empty() && s.back() == '/') s.remove_suffix(1);
  out = ascii_lowered(s);
  if (!is_host_name(out)) {
    diag.error("authentication-endpoint \"" + std::string(raw) +
                   "\" is not a host name such as login.microsoftonline.com",
               std::string(kPath) + "/@authentication-endpoint");
    return false;
  }
  return true;
}

// split_tenant accepts tenant-id as a bare tenant or as the authority URL
// https://{host}/{tenant}[/v2.0][/] that the Entra portal shows, and returns
// the lower-case tenant and the URL's host ("" for a bare tenant).
bool split_tenant(std::string_view raw, std::string& tenant, std::string& url_host,
                  Diagnostics& diag) {
  const std::string path = std::string(kPath) + "/@tenant-id";
  if (raw.empty()) {
    diag.error("tenant-id is required", path);
    return false;
  }
  std::string_view s = raw;
  if (strip_prefix_icase(s, "http://")) {
    diag.error("tenant-id \"" + std::string(raw) + "\" must be an https URL", path);
    return false;
  }
  if (strip_prefix_icase(s, "https://")) {
    const size_t slash = s.find('/');
    url_host = ascii_lowered(s.substr(0, slash));
    std::string_view rest = slash == std::string_view::npos ? std::string_view{} : s.substr(slash + 1);
    const size_t end = rest.find('/');
    std::string_view tail = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    s = rest.substr(0, end);
    if (!(tail.empty() || tail == "/" || tail == "/v2.0" || tail == "/v2.0/") || s.empty()) {
      diag.error("tenant-id \"" + std::string(raw) +
                     "\" is not a tenant URL such as https://login.microsoftonline.com/{tenant}",
                 path);
      return false;
    }
  }
  tenant = ascii_lowered(s);
  return true;
}

bool classify_tenant(const std::string& tenant, const std::string& raw, TenantKind& kind,
                     Diagnostics& diag) {
  if (is_guid(tenant)) kind = TenantKind::Guid;
  else if (tenant == "organizations" || tenant == "common") kind = TenantKind::AnyOrganization;
  else if (tenant == "consumers") kind = TenantKind::Consumers;
  else if (is_host_name(tenant)) kind = TenantKind::Domain;
  else {
    diag.error("tenant-id \"" + raw +
                   "\" is not a tenant GUID, a domain name (contoso.onmicrosoft.com), "
                   "organizations or common",
               std::string(kPath) + "/@tenant-id");
    return false;
  }
  return true;
}

}  // namespace

bool derive_azure_ad(Policy& p, Diagnostics& diag) {
  if (p.kind != PolicyKind::ValidateAzureAdToken) return true;

  std::string tenant, url_host, endpoint;
  if (!split_tenant(p.tenant_id, tenant, url_host, diag)) return false;
  // A tenant URL names the cloud too; authentication-endpoint, when given,
  // must agree with it.
  const std::string_view endpoint_raw =
      p.authentication_endpoint.empty() && !url_host.empty() ? std::string_view(url_host)
                                                              : std::string_view(p.authentication_endpoint);
  if (!endpoint_host(endpoint_raw, endpoint, diag)) return false;
  if (!url_host.empty() && url_host != endpoint) {
    diag.error("tenant-id names host " + url_host + " but authentication-endpoint is " + endpoint,
               std::string(kPath) + "/@tenant-id");
    return false;
  }
  TenantKind kind;
  if (!classify_tenant(tenant, p.tenant_id, kind, diag)) return false;

  const Cloud* cloud = nullptr;
  for (const Cloud& c : kClouds)
    if (c.login == endpoint) cloud = &c;

  // The same discovery document a v2.0 application uses: its keys sign both
  // v1.0 and v2.0 tokens of the tenant (docs/apim-reference.md).
  const std::string discovery =
      "https://" + endpoint + "/" + tenant + "/v2.0/.well-known/openid-configuration";
  bool have = false;
  for (const OpenIdConfig& c : p.openid_configs) have = have || c.url == discovery;
  if (!have) {
    OpenIdConfig c;
    c.url = discovery;
    p.openid_configs.push_back(std::move(c));
  }

  // Issuers: the tenant GUID when it is known, else Entra's template, which
  // the issuer check fills with the token's own tid.
  std::string tid;
  switch (kind) {
    case TenantKind::Guid: tid = tenant; break;
    case TenantKind::Consumers: tid = kConsumersTenant; break;
    case TenantKind::AnyOrganization:
    case TenantKind::Domain: tid = kTenantTemplate; break;
  }
  const std::string_view v2_host = cloud ? cloud->v2_issuer_host : std::string_view(endpoint);
  add_unique(p.issuers, "https://" + std::string(v2_host) + "/" + tid + "/v2.0");
  // Personal accounts get v2.0 tokens only.
  if (cloud && kind != TenantKind::Consumers)
    add_unique(p.issuers, "https://" + std::string(cloud->v1_issuer_host) + "/" + tid + "/");
  if (!cloud)
    diag.warn("authentication-endpoint " + endpoint +
                  " is not a known Entra cloud: only v2.0 tokens (issuer https://" + endpoint +
                  "/" + tid + "/v2.0) are accepted; the v1.0 issuer is unknown",
              std::string(kPath) + "/@authentication-endpoint");
  if (kind == TenantKind::Domain)
    diag.warn("tenant-id " + tenant +
                  " is a domain name: the accepted issuers use the {tenantid} template, so the "
                  "issuer cannot be pinned to the tenant GUID without the discovery document "
                  "(pin_azure_ad_tenant does it once the document is loaded); prefer the "
                  "tenant GUID",
              std::string(kPath) + "/@tenant-id");

  // backend-application-ids are the API's own application: v2.0 tokens carry
  // its client ID as aud, v1.0 tokens the ID or its App ID URI
  // (docs/apim-reference.md). Entra writes GUIDs in lower case.
  for (const std::string& id : p.backend_application_ids) {
    if (is_guid(id)) {
      const std::string g = ascii_lowered(id);
      add_unique(p.audiences, g);
      add_unique(p.audiences, "api://" + g);
    } else {
      diag.warn("backend application id \"" + id + "\" is not a GUID; used as an audience as is",
                std::string(kPath) + "/backend-application-ids");
      add_unique(p.audiences, id);
    }
  }
  if (p.audiences.empty() && p.client_application_ids.empty())
    diag.warn("no client-application-ids, audiences or backend-application-ids: a token the "
              "tenant issued for any application is accepted (APIM: \"If a client application "
              "ID isn't provided, one or more audience claims should be specified\")",
              kPath);
  return true;
}

void pin_azure_ad_tenant(Policy& p, Diagnostics& diag) {
  if (p.kind != PolicyKind::ValidateAzureAdToken) return;
  std::string tenant, url_host;
  Diagnostics ignored;  // derive_azure_ad has reported these already
  TenantKind kind;
  if (!split_tenant(p.tenant_id, tenant, url_host, ignored) ||
      !classify_tenant(tenant, p.tenant_id, kind, ignored) || kind != TenantKind::Domain)
    return;
  // A tenant's v2.0 discovery document names https://{host}/{tid}/v2.0.
  std::string tid;
  for (const std::string& iss : p.discovered_issuers) {
    std::string_view s = iss;
    if (!strip_prefix_icase(s, "https://")) continue;
    const size_t a = s.find('/');
    if (a == std::string_view::npos) continue;
    s.remove_prefix(a + 1);
    const size_t b = s.find('/');
    if (b != std::string_view::npos && s.substr(b) == "/v2.0" && is_guid(s.substr(0, b))) {
      tid = ascii_lowered(s.substr(0, b));
      break;
    }
  }
  if (tid.empty()) {
    diag.warn("the discovery document for tenant " + tenant +
                  " names no tenant GUID in its issuer; tokens of any tenant pass the issuer "
                  "check",
              std::string(kPath) + "/@tenant-id");
    return;
  }
  std::vector<std::string> pinned;
  for (const std::string& iss : p.issuers) {
    std::string s = iss;
    const size_t at = s.find(kTenantTemplate);
    if (at != std::string::npos) s.replace(at, kTenantTemplate.size(), tid);
    add_unique(pinned, std::move(s));
  }
  p.issuers = std::move(pinned);
}

}  // namespace jwtgate
