// The attribute tables (policy_attributes.h): every attribute of a policy,
// once. The writers write the rows of a table in this order.
//
// After changing a row's documentation, regenerate the docs:
//   ninja -C build policy-docs
// (the meson test "policy-docs" fails while docs/ differs from the tables).
#include "policy/policy_attributes.h"

namespace jwtgate {
namespace {

// The member a row fills, for Field's constructor.
#define JWTGATE_FIELD(member) [](auto& o) { return field_ref(o.member); }

constexpr Choice kMatchChoices[] = {{"all", 1}, {"any", 0}};
constexpr Choice kEncryptionChoices[] = {{"optional", kEncryptionOptional},
                                         {"required", kEncryptionRequired},
                                         {"forbidden", kEncryptionForbidden}};

// The three validate-azure-ad-token attributes APIM's XML schema lists and
// its reference does not describe.
constexpr const char* kSchemaOnlyDoc = "APIM's schema only: warning, not supported.";
constexpr CompatNote kSchemaOnlyCompat = {"Not supported", "Warning, ignored.",
                                          "XSD only; semantics unknown."};
// Key n and e: one description for the pair.
constexpr const char* kRsaDoc = "RSA modulus and exponent, base64url; signing keys only; both or neither.";
constexpr CompatNote kRsaCompat = {"Same as APIM", "RSA public key.", ""};

constexpr Attribute<Policy> kPolicyRows[] = {
    {.json = "id", .xml = "id", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(id),
     .doc = "Selects the element among several (a `policies` list, a `<policies>` document).",
     .compat = {"Same as APIM",
                "Identifies the policy; used by *select* to choose among several.",
                ""}},
    {.json = "tenant-id", .xml = "tenant-id", .kinds = kValidateAzureAdToken, .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(tenant_id),
     .doc = "A tenant GUID, a domain (`contoso.onmicrosoft.com`), `organizations`, `common`, or "
            "`https://login.microsoftonline.com/{tenant}`.",
     .compat = {"Same as APIM",
                "A tenant GUID pins both issuers: `https://{login host}/{tid}/v2.0` and the v1.0 "
                "`https://sts.windows.net/{tid}/`. `organizations` and `common` accept any tenant "
                "through Entra's `{tenantid}` template. A URL "
                "`https://login.microsoftonline.com/{tenant}` (optionally ending in `/v2.0`) is "
                "accepted and names the cloud. `consumers` pins the personal-account tenant "
                "`9188040d-6c67-4c5b-b112-36a304b66dad`, v2.0 only.",
                "`consumers` is not in APIM's reference; supported because Entra documents it."}},
    {.json = "header-name", .xml = "header-name", .token_source = TokenSourceKind::Header, .field = JWTGATE_FIELD(header_name),
     .default_doc = "validate-jwt: none; validate-azure-ad-token: `Authorization`",
     .doc = "validate-jwt needs exactly one of `header-name`, `query-parameter-name` and "
            "`token-value`; validate-azure-ad-token at most one (none means `Authorization`).",
     .compat = {"Same as APIM",
                "The header is found by case-insensitive name (RFC 9110 5.1). Exactly one of the "
                "three token sources is required; two are an error.",
                "APIM: \"One of ... must be specified\"; what APIM does with two is unconfirmed, so "
                "jwtgate refuses the ambiguity."},
     .compat_aad = {"Same as APIM",
                    "Default `Authorization` (`Bearer` stripped). A custom header must hold the "
                    "bare token.",
                    "APIM: \"the header value cannot be prefixed with `Bearer `\"."}},
    {.json = "query-parameter-name", .xml = "query-parameter-name", .token_source = TokenSourceKind::Query, .field = JWTGATE_FIELD(query_parameter_name),
     .compat = {"Same as APIM",
                "Case-sensitive parameter name, compared after percent-decoding both names (`+` "
                "as a space, as in `application/x-www-form-urlencoded`), so a caller may pass "
                "names raw or decoded.",
                ""}},
    {.json = "token-value", .xml = "token-value", .token_source = TokenSourceKind::Value, .field = JWTGATE_FIELD(token_value),
     .doc = "The token itself (in practice an expression whose value the caller supplies).",
     .compat = {"Same as APIM",
                "The expression's value is supplied by the caller (expressions cannot run outside "
                "APIM). Surrounding whitespace is trimmed.",
                "APIM: \"You must not return `Bearer ` as part of the token value\": a `Bearer ` "
                "prefix here is not removed, so such a token fails as malformed."}},
    {.json = "authentication-endpoint", .xml = "authentication-endpoint", .kinds = kValidateAzureAdToken, .field = JWTGATE_FIELD(authentication_endpoint),
     .default_doc = "`login.microsoftonline.com`",
     .doc = "The Entra cloud; `https://` optional.",
     .compat = {"Same as APIM",
                "`https://` optional. US Government (`login.microsoftonline.us`): v2.0 issuer on "
                "that host, v1.0 `sts.windows.net`. China (`login.partner.microsoftonline.cn`, "
                "`login.chinacloudapi.cn`): v2.0 issuer `login.partner.microsoftonline.cn`, v1.0 "
                "`sts.chinacloudapi.cn`. Another host: v2.0 only, with a warning. `http://` is "
                "refused.",
                "The default and the China v2.0 host behind `login.chinacloudapi.cn` are "
                "unconfirmed; the discovery document's own issuer is always accepted too."}},
    {.json = "failed-validation-httpcode", .xml = "failed-validation-httpcode", .type = AttrType::Int, .min = 100, .max = 599, .write = WriteRule::Always, .field = JWTGATE_FIELD(failed_status),
     .compat = {"Same as APIM", "The HTTP status of a failure.", ""}},
    {.json = "failed-validation-error-message", .xml = "failed-validation-error-message", .field = JWTGATE_FIELD(failed_message),
     .default_doc = "none: the message depends on the failure",
     .doc = "An empty string is kept and sent as the message.",
     .compat = {"Same as APIM",
                "When set, it is the message for every failure; the specific reason stays in the "
                "result (reason code, every failure with detail), like APIM's "
                "`context.LastError`.",
                ""}},
    {.json = "require-expiration-time", .xml = "require-expiration-time", .kinds = kValidateJwt, .type = AttrType::Bool, .write = WriteRule::Always, .field = JWTGATE_FIELD(require_expiration_time),
     .compat = {"Same as APIM", "A token without `exp` fails with IDX10225's text.", ""}},
    {.json = "require-scheme", .xml = "require-scheme", .kinds = kValidateJwt, .field = JWTGATE_FIELD(require_scheme),
     .doc = "Checked for the `Authorization` header only.",
     .compat = {"Same as APIM",
                "Compared case-insensitively (RFC 7235 2.1: auth schemes are case-insensitive), "
                "and only for the `Authorization` header; ignored for a custom header, as APIM "
                "documents. `Authorization: Bearer` with nothing after it is \"JWT not present.\". "
                "Without `require-scheme` (unconfirmed), both `Bearer <jwt>` and a bare `<jwt>` "
                "are accepted in the `Authorization` header; another scheme is left in place, so "
                "the token then fails as malformed.",
                "APIM's case sensitivity is unconfirmed; RFC 7235 decides. The documentation's "
                "own Entra example uses `Authorization` without `require-scheme`, and Entra "
                "clients always send `Bearer`, so APIM must strip it."}},
    {.json = "require-signed-tokens", .xml = "require-signed-tokens", .kinds = kValidateJwt, .type = AttrType::Bool, .write = WriteRule::Always, .field = JWTGATE_FIELD(require_signed_tokens),
     .doc = "`false` is accepted, but unsigned tokens are always refused (see "
            "docs/apim-compatibility.md).",
     .compat = {"Stricter",
                "`false` is accepted but unsigned tokens (`alg: none`, empty signature) are always "
                "refused (IDX10504's text).",
                "An unsigned JWT proves nothing (RFC 8725 3.1). What APIM does with `false` for a "
                "signed token whose signature fails is unconfirmed."}},
    {.json = "clock-skew", .xml = "clock-skew", .kinds = kValidateJwt, .type = AttrType::Int, .min = 0, .max = 86400, .write = WriteRule::Always, .field = JWTGATE_FIELD(clock_skew),
     .doc = "Seconds.",
     .compat = {"Same as APIM",
                "Seconds; the default is APIM's 0, not .NET's 300. Applies to `exp`, `nbf` and, "
                "when enabled, `iat`.",
                ""}},
    {.json = "output-token-variable-name", .xml = "output-token-variable-name", .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(output_token_variable_name),
     .doc = "Kept for fidelity; a library has no context variables.",
     .compat = {"Not supported",
                "Parsed (no expressions, as in APIM) and kept for round trips; a library has no "
                "context variables. The validation result gives access to the claims instead.",
                ""}},
    {.json = "require-scheme", .xml = "require-scheme", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported,
     .doc = kSchemaOnlyDoc,
     .compat = kSchemaOnlyCompat},
    {.json = "allow-protected-forwarded-tokens", .xml = "allow-protected-forwarded-tokens", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported,
     .doc = kSchemaOnlyDoc,
     .compat = kSchemaOnlyCompat},
    {.json = "allow-proof-of-possession-tokens", .xml = "allow-proof-of-possession-tokens", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported,
     .doc = kSchemaOnlyDoc,
     .compat = kSchemaOnlyCompat},
    // Lists of strings, in the order the writers write them.
    {.json = "client-application-ids", .xml = "client-application-ids", .xml_form = XmlForm::List, .item = "application-id", .kinds = kValidateAzureAdToken, .type = AttrType::StringList, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(client_application_ids),
     .doc = "The token's `azp` (v2.0) or `appid` (v1.0) must be one of them.",
     .compat = {"Same as APIM",
                "The token's `azp` (v2.0) or `appid` (v1.0; chosen by `ver`, falling back to the "
                "other) must be listed; GUIDs compare without case. Failure: "
                "`client_not_allowed`, reported as APIM reason `TokenAudienceNotAllowed`.",
                "APIM's comparison is unconfirmed; GUIDs carry no case."}},
    {.json = "backend-application-ids", .xml = "backend-application-ids", .xml_form = XmlForm::List, .item = "application-id", .kinds = kValidateAzureAdToken, .type = AttrType::StringList, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(backend_application_ids),
     .doc = "Each GUID is accepted as `aud` in its bare and `api://` forms.",
     .compat = {"Same as APIM (unconfirmed)",
                "Each GUID is accepted as `aud` in two forms: `{guid}` (v2.0 tokens) and "
                "`api://{guid}` (the default App ID URI of v1.0 tokens).",
                "APIM's semantics are unconfirmed (\"only required in advanced cases\"); the "
                "resource's own ID as audience is the natural reading."}},
    {.json = "audiences", .xml = "audiences", .xml_form = XmlForm::List, .item = "audience", .type = AttrType::StringList, .non_empty = true, .field = JWTGATE_FIELD(audiences),
     .default_doc = "none: no audience check",
     .doc = "An empty list is an error (APIM: \"At least one audience must be specified\").",
     .compat = {"Same as APIM, stricter on one point",
                "Any token audience (`aud` string or array of strings) equal to any listed value "
                "passes. Comparison is exact: no trailing-slash leniency. An empty `<audiences/>` "
                "is an error (\"At least one audience must be specified\"). Without `<audiences>` "
                "there is no audience check.",
                ".NET ignores one trailing `/` by default; whether APIM keeps that is unconfirmed. "
                "An `aud` of another JSON type is refused, never converted (RFC 7519 4.1.3)."},
     .compat_aad = {"Same as APIM", "As in validate-jwt, pooled with the backend application IDs.",
                    ""}},
    {.json = "issuers", .xml = "issuers", .xml_form = XmlForm::List, .item = "issuer", .kinds = kValidateJwt, .type = AttrType::StringList, .non_empty = true, .field = JWTGATE_FIELD(issuers),
     .doc = "Pooled with the issuers of the `openid-config` documents. An empty list is an error: "
            "leave the element out for no issuer check.",
     .compat = {"Same as APIM, stricter on one point",
                "Exact match against the union of `<issuers>` and the discovered issuers; Entra's "
                "`{tenantid}` template matches after substituting the token's `tid`, which must "
                "be a GUID. An empty `<issuers/>` is an error.",
                "The union is inferred from the reference and a Q&A case, unconfirmed. The XSD "
                "allows 0..n issuers; an empty list is refused because it is what a missing "
                "setting becomes, and as \"no check\" it would accept every issuer that shares "
                "the signing keys."}},
};

constexpr Attribute<OpenIdConfig> kOpenIdConfigRows[] = {
    {.json = "url", .xml = "url", .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(url),
     .doc = "Offline use needs the document (`--openid-document URL=FILE`) and its key set "
            "(`--jwks-document`).",
     .compat = {"Same as APIM, stricter on one point",
                "0..n. Keys and the issuer of every document are pooled (the issuer joins "
                "`<issuers>`). Offline, the caller supplies each document and its JWK Set. v2.0 "
                "keys that carry an `issuer` may only verify tokens of that issuer (Entra's "
                "per-key rule). A key of these sets that has a `kid` verifies only tokens naming "
                "it: a token whose `kid` matches none fails with `key_not_found` without trying "
                "them. A malformed or unusable key of a set is skipped with a warning, the rest "
                "used.",
                "Pooling is implied by the reference (\"Add one or more\"), unconfirmed. Whether "
                "APIM tries every discovered key after a `kid` miss is unconfirmed; trying them "
                "would let one token cost a verification per key (docs/keys-and-network.md)."}},
    {.json = "validate-connectivity", .xml = "validate-connectivity", .type = AttrType::Bool, .field = JWTGATE_FIELD(validate_connectivity),
     .doc = "A save-time check in APIM; no effect on validation.",
     .compat = {"Not supported", "Parsed; no effect.",
                "A save-time check in APIM, not a validation rule."}},
    {.json = "host", .xml = "host", .type = AttrType::SchemaIgnored,
     .doc = "APIM's schema only: warning, ignored.",
     .compat = {"Not supported", "Warning, ignored.", "In the XSD only; meaning unknown."}},
};

constexpr Attribute<PolicyKey> kKeyRows[] = {
    {.json = "id", .xml = "id", .field = JWTGATE_FIELD(id),
     .doc = "Matched against the token's `kid`; a hint, not a filter.",
     .compat = {"Same as APIM (stricter on one point)",
                "A hint: keys whose id equals the token's `kid` are tried first; if no key has "
                "that id, every compatible key written in `issuer-signing-keys` is tried (\"If no "
                "keys match the claim, API Management will attempt each specified key\"), and so "
                "are keys without a `kid` from other sources, but not keys whose `kid` was "
                "published with them (JWK Sets); at most 16 verifications per token "
                "(docs/keys-and-network.md). When a key with that id exists but does not verify, "
                "the others are not tried.",
                "Whether APIM then falls back to the other keys is unconfirmed; trying keys that "
                "were not named only widens what verifies."}},
    {.json = "certificate-id", .xml = "certificate-id", .field = JWTGATE_FIELD(certificate_id),
     .doc = "Resolved against what the caller registers: certificates for signing keys "
            "(`--certificate ID=FILE`), private keys for decryption keys (`--decryption-key "
            "ID=FILE`).",
     .compat = {"Same as APIM",
                "The caller registers the certificate (PEM/DER) under that id; for "
                "`decryption-keys`, the private key (PEM, PKCS#8, PKCS#12 with its password).",
                ""}},
    {.json = "n", .xml = "n", .signing_keys_only = true, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(n),
     .doc = kRsaDoc,
     .compat = kRsaCompat},
    {.json = "e", .xml = "e", .signing_keys_only = true, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(e),
     .doc = kRsaDoc,
     .compat = kRsaCompat},
    {.json = "value", .xml_form = XmlForm::Text, .field = JWTGATE_FIELD(value),
     .doc = "A symmetric secret, base64, typically `{{jwt-signing-key}}`: an HMAC key in "
            "`issuer-signing-keys`, a JWE key (16 to 64 bytes) in `decryption-keys`.",
     .compat = {"Same as APIM",
                "An HMAC secret, typically `{{jwt-signing-key}}`; in `decryption-keys` an AES key "
                "for A*KW, A*GCMKW or `dir`. Whitespace inside the base64 text is ignored.",
                ""}},
};

constexpr Attribute<RequiredClaim> kClaimRows[] = {
    {.json = "name", .xml = "name", .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(name),
     .doc = "Must not be empty.",
     .compat = {"Same as APIM", "Case-sensitive claim name.",
                "Case sensitivity unconfirmed; JSON member names are case-sensitive."}},
    {.json = "match", .xml = "match", .type = AttrType::Choice, .choices = kMatchChoices, .write = WriteRule::Always, .field = JWTGATE_FIELD(match_all),
     .doc = "`all`: every listed value must be in the token; `any`: at least one.",
     .compat = {"Same as APIM", "Exact spelling; multiple claims are all required.", ""}},
    {.json = "separator", .xml = "separator", .field = JWTGATE_FIELD(separator),
     .doc = "Splits each token value, e.g. `\" \"` for Entra's `scp`.",
     .compat = {"Same as APIM",
                "Splits each token value (every element of an array claim); empty pieces are not "
                "values.",
                ""}},
    {.json = "values", .xml_form = XmlForm::Items, .item = "value", .type = AttrType::StringList, .write = WriteRule::Always, .field = JWTGATE_FIELD(values),
     .doc = "Without values, only the claim's presence is checked.",
     .compat = {"Same as APIM",
                "Exact comparison with the token's values: strings as themselves, numbers and "
                "booleans as their JSON text. A claim with no `<value>` checks presence only. A "
                "claim whose value is JSON `null` counts as absent (`claim_not_found`).",
                "Number formatting and `null` handling are unconfirmed; `null` carries no value "
                "to compare."}},
};

constexpr Attribute<Extensions> kExtensionRows[] = {
    {.json = "algorithms", .xml = "algorithms", .type = AttrType::Algorithms, .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(algorithms),
     .doc = "The `alg` values accepted. The default is what APIM documents or verifies in "
            "practice."},
    {.json = "typ", .xml = "typ", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(typ),
     .default_doc = "none (any `typ`)",
     .doc = "The header `typ` required, compared as a media type (`at+jwt` equals "
            "`application/at+jwt`, any case)."},
    {.json = "min-rsa-bits", .xml = "min-rsa-bits", .type = AttrType::Int, .min = 1024, .max = 16384, .field = JWTGATE_FIELD(key_rules.min_rsa_bits),
     .doc = "Shorter RSA keys are refused."},
    {.json = "min-hmac-bits", .xml = "min-hmac-bits", .type = AttrType::Int, .min = 128, .max = 4096, .field = JWTGATE_FIELD(key_rules.min_hmac_bits),
     .default_doc = "the hash size (256 for HS256)",
     .doc = "Shorter HMAC secrets are refused. 128 matches APIM's floor."},
    {.json = "check-x5t", .xml = "check-x5t", .type = AttrType::Bool, .field = JWTGATE_FIELD(key_rules.check_x5t),
     .doc = "Refuse keys whose JWK `x5t`/`x5t#S256` is not the thumbprint of their `x5c` "
            "certificate. Off: such a thumbprint is a hint and is ignored, as "
            "Microsoft.IdentityModel does."},
    {.json = "max-token-bytes", .xml = "max-token-bytes", .type = AttrType::Int, .min = 64, .max = 1024 * 1024, .field = JWTGATE_FIELD(limits.max_token_bytes),
     .doc = "Longer tokens are refused before any parsing."},
    {.json = "max-json-depth", .xml = "max-json-depth", .type = AttrType::Int, .min = 2, .max = 64, .field = JWTGATE_FIELD(limits.max_json_depth),
     .doc = "Deeper header or payload JSON is refused."},
    {.json = "reject-future-iat", .xml = "reject-future-iat", .type = AttrType::Bool, .field = JWTGATE_FIELD(reject_future_iat),
     .doc = "Refuse an `iat` later than now plus `clock-skew`."},
    {.json = "encryption", .xml = "encryption", .type = AttrType::Choice, .choices = kEncryptionChoices, .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(encryption),
     .doc = "Encrypted tokens (JWE, docs/jwe.md): `optional` decrypts them when the policy has "
            "`decryption-keys`; `required` refuses a plain JWS (`encryption_required`); "
            "`forbidden` refuses a JWE (`encryption_forbidden`) even with keys."},
    {.json = "jwe-algorithms", .xml = "jwe-algorithms", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(jwe_algorithms),
     .default_doc = "every key management algorithm jwtgate implements",
     .doc = "The JWE `alg` values accepted, space-separated (`RSA-OAEP-256 ECDH-ES`). `RSA1_5` "
            "and `PBES2-*` are never accepted."},
    {.json = "jwe-encryptions", .xml = "jwe-encryptions", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(jwe_encryptions),
     .default_doc = "all six of RFC 7518 5.1",
     .doc = "The JWE `enc` values accepted, space-separated (`A256GCM A256CBC-HS512`)."},
};

#undef JWTGATE_FIELD

constexpr PolicyElement kElements[] = {
    {PolicyElementId::OpenIdConfig, "openid-config", kValidateJwt, true},
    {PolicyElementId::IssuerSigningKeys, "issuer-signing-keys", kValidateJwt, false},
    {PolicyElementId::DecryptionKeys, "decryption-keys", kBothPolicies, false},
    {PolicyElementId::RequiredClaims, "required-claims", kBothPolicies, false},
    {PolicyElementId::Extensions, "jwtgate", kBothPolicies, false},
    {PolicyElementId::IssuerSigningTokens, "issuer-signing-tokens", kValidateJwt, false},
};

// known_at_root: |name| is an attribute or child element of |kinds|.
bool known_at_root(std::string_view name, PolicyKinds kinds) {
  for (const Attribute<Policy>& a : kPolicyRows)
    if ((a.kinds & kinds) && a.xml && a.xml == name) return true;
  for (const PolicyElement& e : kElements)
    if ((e.kinds & kinds) && e.name == name) return true;
  return false;
}

}  // namespace

const char* policy_element_name(PolicyKind k) {
  return k == PolicyKind::ValidateJwt ? "validate-jwt" : "validate-azure-ad-token";
}

// Each element's table: the owner it fills, its element name, its rows.
#define JWTGATE_TABLE(Owner, element, rows)                     \
  template <>                                                   \
  const AttributeTable<Owner>& attribute_table<Owner>() {       \
    static constexpr AttributeTable<Owner> t{element, rows};    \
    return t;                                                   \
  }
JWTGATE_TABLE(Policy, "", kPolicyRows)
JWTGATE_TABLE(OpenIdConfig, "openid-config", kOpenIdConfigRows)
JWTGATE_TABLE(PolicyKey, "key", kKeyRows)
JWTGATE_TABLE(RequiredClaim, "claim", kClaimRows)
JWTGATE_TABLE(Extensions, "jwtgate", kExtensionRows)
#undef JWTGATE_TABLE

std::span<const PolicyElement> policy_elements() { return kElements; }

const char* element_name(PolicyElementId id) {
  for (const PolicyElement& e : kElements)
    if (e.id == id) return e.name;
  return "";
}

const PolicyElement* find_policy_element(std::string_view name, PolicyKind kind) {
  for (const PolicyElement& e : kElements)
    if ((e.kinds & kind_bit(kind)) && e.name == name) return &e;
  return nullptr;
}

bool belongs_to_other_policy(std::string_view name, PolicyKind kind) {
  const PolicyKinds mine = kind_bit(kind);
  return !known_at_root(name, mine) && known_at_root(name, kBothPolicies & ~mine);
}

}  // namespace jwtgate
