#include "diagnose/finding_rules.h"

#include <array>

namespace jwtgate {

namespace {

constexpr FamilySet kAll = kAllFamilies;
constexpr FamilySet kEntra = family_bit(IssuerFamily::Entra) | family_bit(IssuerFamily::MicrosoftAccount);
// Entra, or a token that names no issuer but whose evidence is Entra's own
// shape (an api://{GUID} audience, Graph's application ID).
constexpr FamilySet kEntraShaped = kEntra | family_bit(IssuerFamily::Unknown);
constexpr FamilySet kMicrosoft = kMicrosoftFamilies;
constexpr FamilySet kMicrosoftShaped = kMicrosoft | family_bit(IssuerFamily::Unknown);
constexpr FamilySet kB2cCiam = family_bit(IssuerFamily::AzureAdB2C) | family_bit(IssuerFamily::ExternalId);
constexpr FamilySet kAppRoles = kEntra | family_bit(IssuerFamily::ExternalId);

constexpr std::array kRules{
    // The token's place in the request (the token-location group).
    FindingRule{"token_not_present", "token-location", kAll, "no token where the policy looks, and nothing token-shaped anywhere else in the request"},
    FindingRule{"token_elsewhere", "token-location", kAll, "no usable token where the policy looks, but another header or query parameter holds one"},
    FindingRule{"token_in_cookie", "token-location", kAll, "no usable token where the policy looks, but a cookie holds one"},
    FindingRule{"duplicate_token", "token-location", kAll, "the token's header or query parameter comes more than once"},
    FindingRule{"scheme_missing", "token-location", kAll, "require-scheme asks for a scheme and the Authorization header holds a bare token"},
    FindingRule{"wrong_scheme", "token-location", kAll, "the Authorization header holds a token after another scheme word than require-scheme's"},
    FindingRule{"scheme_in_token", "token-location", kAll, "a custom header or token-value holds \"Bearer <token>\", where the bare token belongs"},
    // What the presented string is (the token-kind group).
    FindingRule{"placeholder_token", "token-kind", kAll, "the token is a placeholder a client sends for a variable it never set (\"undefined\", \"null\")"},
    FindingRule{"refresh_token", "token-kind", kAll, "the token is a refresh token: Entra's opaque 0.A/1.A form, or a JWT whose typ says Refresh"},
    FindingRule{"opaque_token", "token-kind", kAll, "the token is an opaque reference token (no dots), not a JWT"},
    FindingRule{"saml_token", "token-kind", kAll, "the token is a SAML assertion (XML), not a JWT"},
    FindingRule{"encrypted_token", "token-kind", kAll, "the token is a compact JWE (five segments) the policy cannot decrypt"},
    FindingRule{"decryption_failed", "token-kind", kAll, "the token is a compact JWE and none of the policy's decryption keys decrypts it"},
    FindingRule{"not_a_jwt", "token-kind", kAll, "the token has the wrong number of segments, or a segment that does not decode"},
    FindingRule{"id_token", "token-kind", kAll, "the token carries an ID token's marks (nonce, at_hash, c_hash, token_use id, typ ID, or an Entra token naming no client) and no access token's"},
    FindingRule{"graph_token", "token-kind", kEntraShaped, "the token is for Microsoft Graph (aud Graph, or a header nonce)"},
    FindingRule{"microsoft_api_token", "token-kind", kEntraShaped, "the token is for another Microsoft API (Azure Resource Manager, Key Vault, Storage, ...)"},
    FindingRule{"typ_mismatch", "token-kind", kAll, "the header typ is not the one the policy requires"},
    FindingRule{"unsigned_token", "format", kAll, "alg is none, or the signature segment is empty"},
    // Signatures (the signature group).
    FindingRule{"signature_altered", "signature", kAll, "the key the kid names made the signature, over other bytes or as another algorithm than the header names (even one the policy refuses): the token was edited after signing"},
    FindingRule{"kid_reused", "signature", kAll, "the key the kid names does not verify the token, another key of the set does"},
    FindingRule{"key_under_other_kid", "signature", kAll, "no key has the token's kid, but a key published under another kid verifies it"},
    FindingRule{"alg_key_mismatch", "signature", kAll, "the key the kid names is of another type than the token's alg needs"},
    FindingRule{"signature_foreign_key", "signature", kAll, "the key the kid names did not make the signature (RSA tells) and no key of the set verifies it, or the signature is damaged and has the wrong length for that key (a cut copy)"},
    FindingRule{"signature_unexplained", "signature", kAll, "the signature does not verify and nothing tells whether it was altered or signed by another key"},
    FindingRule{"jwt_io_secret", "signature", kAll, "the token verifies with the sample secret of the jwt.io debugger"},
    FindingRule{"hmac_against_public_keys", "signature", kAll, "an HS* token against keys that are all public keys"},
    FindingRule{"hmac_key_not_base64", "signature", kAll, "the token verifies when the policy's <key> text is taken as raw bytes instead of base64"},
    FindingRule{"algorithm_not_allowed", "signature", kAll, "the header alg is not allowed by the policy"},
    FindingRule{"unknown_kid", "signature", kAll, "no key has the token's kid, and no other key verifies it"},
    FindingRule{"no_keys", "signature", kAll, "the policy has no keys at all"},
    // Lifetime.
    FindingRule{"expired", "lifetime", kAll, "exp has passed (with the exact difference and the clock-skew)"},
    FindingRule{"not_yet_valid", "lifetime", kAll, "nbf is in the future"},
    FindingRule{"exp_missing", "lifetime", kAll, "the token has no exp and the policy requires one"},
    // Comparisons that failed by a hair (the near-miss group).
    FindingRule{"near_miss_case", "near-miss", kAll, "a compared value equals the policy's but for letter case"},
    FindingRule{"near_miss_trailing_slash", "near-miss", kAll, "a compared value equals the policy's but for a trailing '/'"},
    FindingRule{"near_miss_whitespace", "near-miss", kAll, "a compared value equals the policy's but for surrounding whitespace"},
    FindingRule{"near_miss_scheme", "near-miss", kAll, "a compared value equals the policy's but for http:// against https://"},
    FindingRule{"near_miss_combined", "near-miss", kAll, "a compared value equals the policy's under two or more of the relaxations above"},
    FindingRule{"audience_form", "near-miss", kMicrosoftShaped, "the audience is the App ID URI api://{GUID} on one side and the GUID on the other"},
    FindingRule{"token_version_mismatch", "near-miss", kEntra, "the issuer is Entra ID's v1.0 form of the tenant the policy names in v2.0 form, or the reverse"},
    FindingRule{"issuer_host_form", "near-miss", kEntra, "the issuer names the policy's tenant through another Entra host (sts.windows.net, login.microsoftonline.com)"},
    FindingRule{"sovereign_cloud", "near-miss", kEntra, "the issuer names the policy's tenant in another national cloud, or a national cloud's issuer meets a policy for another cloud"},
    FindingRule{"value_in_other_claim", "near-miss", kAll, "the value the policy wants is in another claim of the token (appid/azp, roles/scp, groups/roles, client_id/aud; never a scope for an aud)"},
    FindingRule{"claim_name_near_miss", "near-miss", kAll, "a required claim is absent and the token has a claim of nearly that name"},
    // Issuers (the issuer group).
    FindingRule{"issuer_family_mismatch", "issuer", kAll, "the token's issuer is of another family (Entra, B2C, Auth0, Okta, ...) than every issuer the policy trusts"},
    FindingRule{"wrong_tenant", "issuer", kMicrosoft, "the token comes from another tenant of the same cloud"},
    FindingRule{"multi_tenant_template", "issuer", kEntra, "the policy's issuer is the {tenantid} template and the token's iss does not fit it"},
    FindingRule{"b2c_or_ciam_token", "issuer", kB2cCiam, "a B2C or External ID token meets a policy that trusts workforce issuers"},
    FindingRule{"personal_account_token", "issuer", family_bit(IssuerFamily::MicrosoftAccount), "a personal Microsoft account token meets a policy that trusts a work tenant"},
    FindingRule{"okta_org_server", "issuer", family_bit(IssuerFamily::Okta), "an Okta token from the org authorization server, whose access tokens only Okta can validate"},
    FindingRule{"issuer_mismatch", "issuer", kAll, "the issuer is not allowed and nothing above explains it"},
    // Audiences and claims.
    FindingRule{"audience_mismatch", "audience", kAll, "the token was issued for another audience (said with what the client evidently asked for)"},
    FindingRule{"roles_missing_app_only", "claims", kAppRoles, "an app-only token lacks the roles claim the policy requires"},
    FindingRule{"scp_on_app_only_token", "claims", kAppRoles, "the policy requires scp and the token is app-only"},
    FindingRule{"claim_name_version", "claims", kEntra, "a required claim is the other Entra token version's name (appid/azp, upn/preferred_username)"},
    FindingRule{"groups_overage", "claims", kEntra, "groups is absent and _claim_names or hasgroups says the groups did not fit"},
    FindingRule{"separator_missing", "claims", kAll, "a space-separated claim is compared whole (no separator=\" \")"},
    FindingRule{"match_all_not_any", "claims", kAll, "match=\"all\" and the token holds some of the values, not all"},
    FindingRule{"client_not_allowed", "claims", kAll, "azp/appid is not among the allowed clients"},
    FindingRule{"claim_missing", "claims", kAll, "a required claim is absent (the evidence names where the token nests a member of that name, as Keycloak's realm_access.roles)"},
    FindingRule{"claim_value", "claims", kAll, "a required claim has none of the allowed values"},
    // Policies that do not load.
    FindingRule{"named_value_unresolved", "policy", kAll, "the policy uses a {{named value}} that was not supplied"},
    FindingRule{"policy_expression", "policy", kAll, "the policy holds a @(...) expression with no value supplied"},
    FindingRule{"openid_config_unusable", "policy", kAll, "an openid-config document is missing, not JSON, or a JWK Set instead of a discovery document"},
    FindingRule{"policy_invalid", "policy", kAll, "the policy has any other load error"},
};

}  // namespace

const FindingRule* finding_rule(std::string_view code) {
  for (const FindingRule& r : kRules)
    if (r.code == code) return &r;
  return nullptr;
}

const FindingRule* finding_rules(size_t* count) {
  *count = kRules.size();
  return kRules.data();
}

bool finding_applies(std::string_view code, IssuerFamily family) {
  const FindingRule* r = finding_rule(code);
  return r && (r->families & family_bit(family));
}

}  // namespace jwtgate
