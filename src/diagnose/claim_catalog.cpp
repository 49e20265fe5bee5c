#include "diagnose/claim_catalog.h"

#include <array>
#include <utility>

#include "core/quote.h"

namespace jwtgate {

namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// RFC 7519 4.1, OpenID Connect Core 2 and 5.1, and Entra ID's access token
// claims reference (docs/apim-semantics.md).
constexpr std::array kClaims{
    Entry{"iss", "issuer: who minted the token"},
    Entry{"sub", "subject: the principal (pairwise per application in Entra)"},
    Entry{"aud", "audience: who the token is for (v2.0: the API's client ID GUID; v1.0: whatever the client asked for)"},
    Entry{"exp", "expiration time"},
    Entry{"nbf", "not valid before"},
    Entry{"iat", "issued at"},
    Entry{"jti", "token identifier"},
    Entry{"azp", "authorized party: the client application's ID (v2.0)"},
    Entry{"azpacr", "client authentication: 0 public, 1 secret, 2 certificate (v2.0)"},
    Entry{"appid", "the client application's ID (v1.0)"},
    Entry{"appidacr", "client authentication: 0 public, 1 secret, 2 certificate (v1.0)"},
    Entry{"tid", "tenant ID (9188040d-... is the personal Microsoft account tenant)"},
    Entry{"oid", "object ID of the user or service principal in this tenant"},
    Entry{"ver", "token version: 1.0 or 2.0 (chosen by the API's accessTokenAcceptedVersion)"},
    Entry{"scp", "delegated scopes, one space-separated string (user tokens only)"},
    Entry{"roles", "app roles: application permissions (client credentials) or user role assignments"},
    Entry{"groups", "group object IDs (replaced by _claim_names when over 200: overage)"},
    Entry{"_claim_names", "claims too large for the token (groups overage)"},
    Entry{"_claim_sources", "where to fetch the claims of _claim_names"},
    Entry{"hasgroups", "the user has groups that did not fit (implicit flow overage)"},
    Entry{"idtyp", "token type: \"app\" for app-only tokens (optional claim)"},
    Entry{"idp", "identity provider that authenticated the subject (guest users)"},
    Entry{"upn", "user principal name (v1.0)"},
    Entry{"unique_name", "human-readable user name (v1.0)"},
    Entry{"preferred_username", "user name (v2.0; mutable, never use it for authorization)"},
    Entry{"name", "display name"},
    Entry{"email", "email address"},
    Entry{"amr", "authentication methods"},
    Entry{"acr", "authentication context class"},
    Entry{"acrs", "authentication context class references"},
    Entry{"aio", "Entra internal data"},
    Entry{"uti", "Entra internal token identifier"},
    Entry{"rh", "Entra internal data"},
    Entry{"wids", "tenant-wide directory roles"},
    Entry{"xms_cc", "client capabilities"},
    Entry{"auth_time", "when the user authenticated"},
    Entry{"nonce", "OpenID Connect nonce (ID tokens)"},
    Entry{"at_hash", "access token hash (ID tokens)"},
    Entry{"tfp", "B2C user flow (trust framework policy)"},
    Entry{"client_id", "client identifier (RFC 9068 access tokens)"},
    Entry{"scope", "scopes (RFC 9068, space-separated)"},
};

constexpr std::array kHeader{
    Entry{"alg", "signature algorithm"},
    Entry{"typ", "media type (JWT, at+jwt)"},
    Entry{"kid", "which key signed the token"},
    Entry{"x5t", "SHA-1 thumbprint of the signing certificate (Entra v1.0 tokens)"},
    Entry{"x5t#S256", "SHA-256 thumbprint of the signing certificate"},
    Entry{"nonce", "Graph token marker: the signature is over a transformed nonce; only Microsoft Graph can validate it"},
    Entry{"crit", "extensions the recipient must understand"},
    Entry{"cty", "content type"},
    Entry{"enc", "content encryption (JWE)"},
};

std::string_view host_of(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  start += 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

}  // namespace

std::string_view claim_meaning(std::string_view name, bool header) {
  const Entry* begin = header ? kHeader.data() : kClaims.data();
  const Entry* end = begin + (header ? kHeader.size() : kClaims.size());
  for (const Entry* e = begin; e != end; ++e)
    if (e->first == name) return e->second;
  return {};
}

bool is_time_claim(std::string_view n) {
  return n == "exp" || n == "nbf" || n == "iat" || n == "auth_time" || n == "updated_at";
}

std::string token_version(simdjson::dom::object claims) {
  std::string_view ver, iss;
  // Absent or non-string members leave the views empty.
  if (claims["ver"].get_string().get(ver)) ver = {};
  if (claims["iss"].get_string().get(iss)) iss = {};
  if (ver == "1.0" || iss.find("sts.windows.net") != std::string_view::npos ||
      iss.find("sts.chinacloudapi.cn") != std::string_view::npos)
    return "Entra ID v1.0";
  if (ver == "2.0" || (iss.find("login.microsoftonline") != std::string_view::npos && iss.ends_with("/v2.0")))
    return "Entra ID v2.0";
  return "";
}

std::string issuer_type(std::string_view iss) {
  const std::string_view host = host_of(iss);
  if (host.empty()) return "unknown (no iss URL)";
  if (host == "login.microsoftonline.com" || host == "sts.windows.net") return "Entra ID (public cloud)";
  if (host == "login.microsoftonline.us") return "Entra ID (US Government)";
  if (host == "login.partner.microsoftonline.cn" || host == "sts.chinacloudapi.cn" ||
      host == "login.chinacloudapi.cn")
    return "Entra ID (China, 21Vianet)";
  if (host.ends_with(".b2clogin.com")) return "Azure AD B2C";
  if (host.ends_with(".ciamlogin.com")) return "Entra External ID (CIAM)";
  return "other (" + escaped(host, 80) + ")";  // the token's text: escaped
}

}  // namespace jwtgate
