// validate-azure-ad-token (docs/apim-semantics.md): APIM works out the
// Entra signing keys and the accepted issuers from tenant-id by itself. jwtgate
// derives the same settings from tenant-id and authentication-endpoint, so the
// validate-jwt machinery (openid-config, issuers, audiences) enforces them.
#pragma once

#include "core/diagnostics.h"
#include "policy/policy.h"

namespace jwtgate {

// derive_azure_ad fills, for a validate-azure-ad-token policy:
//   - openid_configs: the v2.0 discovery document
//     https://{endpoint}/{tenant}/v2.0/.well-known/openid-configuration;
//   - issuers: the v2.0 issuer https://{endpoint}/{tid}/v2.0 and the v1.0
//     issuer (https://sts.windows.net/{tid}/, or sts.chinacloudapi.cn in the
//     China cloud), where {tid} is the tenant GUID, or Entra's "{tenantid}"
//     template for organizations, common and domain-name tenants;
//   - audiences: each backend-application-id as "{guid}" and "api://{guid}".
// tenant-id may be a GUID, a domain (contoso.onmicrosoft.com), organizations,
// common, consumers, or a URL https://login.microsoftonline.com/{tenant}.
// authentication-endpoint defaults to login.microsoftonline.com; "https://" is
// optional. Idempotent (nothing is added twice); a no-op for validate-jwt.
// Returns false, with errors in |diag|, when tenant-id or
// authentication-endpoint cannot be used.
bool derive_azure_ad(Policy& p, Diagnostics& diag);

// pin_azure_ad_tenant replaces "{tenantid}" in the issuers derive_azure_ad
// wrote for a domain-name tenant by the tenant GUID found in the discovered
// v2.0 issuer (p.discovered_issuers), so that only that tenant's tokens
// pass. Call it after build_policy_keys. Adds a warning when the discovery
// document names no tenant GUID. A no-op for every other policy.
void pin_azure_ad_tenant(Policy& p, Diagnostics& diag);

}  // namespace jwtgate
