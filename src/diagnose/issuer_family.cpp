#include "diagnose/issuer_family.h"

#include <vector>

#include "claims/registered_claims.h"
#include "core/ascii.h"
#include "core/enum_text.h"
#include "core/quote.h"
#include "core/url_text.h"

namespace jwtgate {

namespace {

// issuer_host: the host of an issuer URL, lower-cased, without port.
// Google's ID tokens may carry iss "accounts.google.com" without scheme
// (OpenID Connect Core 3.1.3.7, note on Google's two forms).
std::string issuer_host(std::string_view iss) {
  if (iss == "accounts.google.com") return std::string(iss);
  return ascii_lowered(url_host(iss));
}

// Entra ID hosts per cloud (learn.microsoft.com, "National clouds" and
// "Access tokens in the Microsoft identity platform"): the v2.0 issuer is
// https://{login host}/{tid}/v2.0, the v1.0 issuer https://{sts host}/{tid}/.
// Azure Government's v1.0 tokens are issued by sts.windows.net, as the
// public cloud's are (Microsoft Q&A 1190472), so that host alone does not
// tell the two clouds apart.
struct EntraHost {
  std::string_view host;
  Cloud cloud;
  int version;  // the issuer form this host stands in: 1 (sts) or 2 (login)
};
constexpr EntraHost kEntraHosts[] = {
    {"login.microsoftonline.com", Cloud::Public, 2},
    {"sts.windows.net", Cloud::Public, 1},
    {"login.windows.net", Cloud::Public, 2},
    {"login.microsoftonline.us", Cloud::UsGovernment, 2},
    {"login-us.microsoftonline.com", Cloud::UsGovernment, 2},
    {"login.partner.microsoftonline.cn", Cloud::China, 2},
    {"login.chinacloudapi.cn", Cloud::China, 2},
    {"sts.chinacloudapi.cn", Cloud::China, 1},
};

const EntraHost* entra_host(std::string_view host) {
  for (const EntraHost& h : kEntraHosts)
    if (h.host == host) return &h;
  return nullptr;
}

std::string_view string_claim(simdjson::dom::object claims, std::string_view name,
                              const ClaimMask* mask) {
  if (masked(mask, name)) return {};
  std::string_view v;
  if (claims[name].get_string().get(v)) return {};
  return v;
}

bool b2c_policy_name(std::string_view v) {
  // B2C user flows are named B2C_1_..., custom policies B2C_1A_...
  return (v.size() > 6 && ascii_istarts_with(v, "b2c_1_")) || (v.size() > 7 && ascii_istarts_with(v, "b2c_1a_"));
}

}  // namespace

IssuerInfo classify_issuer(std::string_view iss) {
  IssuerInfo info;
  if (iss.empty()) return info;
  info.host = issuer_host(iss);
  if (info.host.empty()) {
    info.family = IssuerFamily::Other;
    return info;
  }
  const std::vector<std::string_view> path = url_path_segments(iss);
  const std::string& host = info.host;

  if (const EntraHost* h = entra_host(host)) {
    info.family = IssuerFamily::Entra;
    info.cloud = h->cloud;
    // B2C's legacy issuer: https://login.microsoftonline.com/tfp/{tenant}/{policy}/v2.0/
    if (!path.empty() && path[0] == "tfp") {
      info.family = IssuerFamily::AzureAdB2C;
      if (path.size() > 1) info.tenant = std::string(path[1]);
      if (path.size() > 2) info.detail = std::string(path[2]);
      return info;
    }
    if (!path.empty()) info.tenant = std::string(path[0]);
    const bool v2_path = path.size() == 2 && path[1] == "v2.0";
    if (h->version == 1 && path.size() == 1) info.entra_version = 1;
    if (h->version == 2 && v2_path) info.entra_version = 2;
    if (ascii_iequals(info.tenant, kMsaTenant)) info.family = IssuerFamily::MicrosoftAccount;
    return info;
  }
  if (host.ends_with(".b2clogin.com") || host.ends_with(".b2clogin.cn")) {
    info.family = IssuerFamily::AzureAdB2C;
    info.cloud = host.ends_with(".cn") ? Cloud::China : Cloud::Public;
    if (!path.empty()) info.tenant = std::string(path[0]);
    return info;
  }
  if (host.ends_with(".ciamlogin.com")) {
    info.family = IssuerFamily::ExternalId;
    info.cloud = Cloud::Public;
    if (!path.empty()) info.tenant = std::string(path[0]);
    return info;
  }
  if (host.ends_with(".auth0.com")) {
    info.family = IssuerFamily::Auth0;
    info.tenant = host.substr(0, host.find('.'));
    return info;
  }
  if (host.ends_with(".okta.com") || host.ends_with(".oktapreview.com") ||
      host.ends_with(".okta-emea.com") || host.ends_with(".okta-gov.com")) {
    info.family = IssuerFamily::Okta;
    info.tenant = host.substr(0, host.find('.'));
    // https://{org}.okta.com/oauth2/{authorizationServerId} for a custom
    // authorization server ("default" included); the org authorization
    // server's issuer is the bare org URL.
    if (path.size() >= 2 && path[0] == "oauth2") info.detail = std::string(path[1]);
    return info;
  }
  if (host == "accounts.google.com" || host == "securetoken.google.com") {
    info.family = IssuerFamily::Google;
    if (host == "securetoken.google.com" && !path.empty()) info.tenant = std::string(path[0]);
    return info;
  }
  // https://cognito-idp.{region}.amazonaws.com/{userPoolId}
  if (host.starts_with("cognito-idp.") && host.ends_with(".amazonaws.com")) {
    info.family = IssuerFamily::Cognito;
    info.detail = host.substr(12, host.size() - 12 - 14);
    if (!path.empty()) info.tenant = std::string(path[0]);
    return info;
  }
  // Keycloak: https://{host}[/auth]/realms/{realm}
  for (size_t i = 0; i + 1 < path.size(); ++i)
    if (path[i] == "realms" && i + 2 == path.size()) {
      info.family = IssuerFamily::Keycloak;
      info.tenant = std::string(path[i + 1]);
      return info;
    }
  info.family = IssuerFamily::Other;
  return info;
}

IssuerInfo classify_token(std::string_view iss, simdjson::dom::object claims, bool claims_available,
                          const ClaimMask* mask) {
  IssuerInfo info = classify_issuer(iss);
  if (!claims_available) return info;
  const bool known = info.family != IssuerFamily::Unknown && info.family != IssuerFamily::Other;
  if (known) return info;
  // B2C on a custom domain: the user flow names itself in tfp, or in acr
  // when the tenant's token compatibility setting is "acr".
  if (b2c_policy_name(string_claim(claims, "tfp", mask)) || b2c_policy_name(string_claim(claims, "acr", mask))) {
    info.family = IssuerFamily::AzureAdB2C;
    info.from_claims = true;
    return info;
  }
  if (info.family == IssuerFamily::Other) return info;  // an issuer of its own: not guessed further
  // No iss to go by.
  const std::string_view token_use = string_claim(claims, "token_use", mask);
  if (token_use == "id" || token_use == "access") {
    info.family = IssuerFamily::Cognito;
    info.from_claims = true;
    return info;
  }
  const std::string_view ver = string_claim(claims, "ver", mask);
  // "ver" as the string "1.0" or "2.0" is Entra's (Okta's ver is a number,
  // Cognito's claim is "version"); B2C's ver "1.0" was told by tfp above.
  if (ver == "1.0" || ver == "2.0") {
    info.family = IssuerFamily::Entra;
    info.from_claims = true;
    info.entra_version = ver == "1.0" ? 1 : 2;
    std::string_view tid = string_claim(claims, "tid", mask);
    if (is_guid(tid)) info.tenant = std::string(tid);
    if (ascii_iequals(tid, kMsaTenant)) info.family = IssuerFamily::MicrosoftAccount;
    return info;
  }
  return info;
}

std::string issuer_label(const IssuerInfo& info) {
  const auto cloud = [&]() -> std::string {
    switch (info.cloud) {
      case Cloud::Public: return "public cloud";
      case Cloud::UsGovernment: return "US Government";
      case Cloud::China: return "China, 21Vianet";
      case Cloud::Unknown: break;
    }
    return "";
  };
  switch (info.family) {
    case IssuerFamily::Unknown: return "unknown (no iss URL)";
    case IssuerFamily::Entra:
      if (info.from_claims) return "Entra ID (told by its claims; no iss)";
      return "Entra ID (" + cloud() + ")";
    case IssuerFamily::MicrosoftAccount: return "Microsoft personal accounts (Entra ID " + (cloud().empty() ? std::string("consumers") : cloud()) + ")";
    case IssuerFamily::AzureAdB2C:
      if (!info.from_claims) return "Azure AD B2C";
      if (info.host.empty()) return "Azure AD B2C (told by its tfp or acr claim; no iss)";
      return "Azure AD B2C (custom domain " + escaped(info.host, 80) + ")";
    case IssuerFamily::ExternalId: return "Entra External ID (CIAM)";
    case IssuerFamily::Auth0: return "Auth0 (" + escaped(info.host, 80) + ")";
    case IssuerFamily::Okta:
      return info.detail.empty() ? "Okta (org authorization server)"
                                 : "Okta (authorization server " + jwtgate::quoted(info.detail, 64) + ")";
    case IssuerFamily::Keycloak: return "Keycloak (realm " + jwtgate::quoted(info.tenant, 64) + ")";
    case IssuerFamily::Google:
      return info.host == "securetoken.google.com" ? "Google (Firebase project " + jwtgate::quoted(info.tenant, 64) + ")"
                                                   : std::string("Google");
    case IssuerFamily::Cognito: return "Amazon Cognito (user pool " + jwtgate::quoted(info.tenant, 64) + ")";
    case IssuerFamily::Other:
      if (info.host.empty()) return "unknown (no iss URL)";
      return "other (" + escaped(info.host, 80) + ")";
  }
  return "unknown";
}

}  // namespace jwtgate
