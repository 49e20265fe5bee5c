// The attribute tables (policy_attributes.h): every attribute of a policy,
// once, one line a row. The writers write the rows of a table in this order.
//
// A row holds what the code and the generated columns of the docs need
// (names, type, range, default, expressions, named values, field); the prose
// about an attribute (the Notes of docs/policy-json.md, the Status, jwtgate
// and Why of docs/apim-compatibility.md) is written in those documents only,
// so that it does not ship in the library. After changing or adding a row:
//   ninja -C build policy-docs
// rewrites the generated columns and adds a row for a new attribute (then
// write its prose there); the meson test "policy-docs" fails while docs/
// differs from the tables or a compatibility row has no status.
#include "policy/policy_attributes.h"

namespace jwtgate {
namespace {

// The member a row fills, for Field's constructor.
#define JWTGATE_FIELD(member) [](auto& o) { return field_ref(o.member); }

constexpr Choice kMatchChoices[] = {{"all", 1}, {"any", 0}};
constexpr Choice kEncryptionChoices[] = {{"optional", kEncryptionOptional},
                                         {"required", kEncryptionRequired},
                                         {"forbidden", kEncryptionForbidden}};

constexpr Attribute<Policy> kPolicyRows[] = {
    {.json = "id", .xml = "id", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(id)},
    {.json = "tenant-id", .xml = "tenant-id", .kinds = kValidateAzureAdToken, .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(tenant_id)},
    {.json = "header-name", .xml = "header-name", .token_source = TokenSourceKind::Header, .field = JWTGATE_FIELD(header_name), .default_doc = "validate-jwt: none; validate-azure-ad-token: `Authorization`"},
    {.json = "query-parameter-name", .xml = "query-parameter-name", .token_source = TokenSourceKind::Query, .field = JWTGATE_FIELD(query_parameter_name)},
    {.json = "token-value", .xml = "token-value", .token_source = TokenSourceKind::Value, .field = JWTGATE_FIELD(token_value)},
    {.json = "authentication-endpoint", .xml = "authentication-endpoint", .kinds = kValidateAzureAdToken, .field = JWTGATE_FIELD(authentication_endpoint), .default_doc = "`login.microsoftonline.com`"},
    {.json = "failed-validation-httpcode", .xml = "failed-validation-httpcode", .type = AttrType::Int, .min = 100, .max = 599, .write = WriteRule::Always, .field = JWTGATE_FIELD(failed_status)},
    {.json = "failed-validation-error-message", .xml = "failed-validation-error-message", .field = JWTGATE_FIELD(failed_message), .default_doc = "none: the message depends on the failure"},
    {.json = "require-expiration-time", .xml = "require-expiration-time", .kinds = kValidateJwt, .type = AttrType::Bool, .write = WriteRule::Always, .field = JWTGATE_FIELD(require_expiration_time)},
    {.json = "require-scheme", .xml = "require-scheme", .kinds = kValidateJwt, .field = JWTGATE_FIELD(require_scheme)},
    {.json = "require-signed-tokens", .xml = "require-signed-tokens", .kinds = kValidateJwt, .type = AttrType::Bool, .write = WriteRule::Always, .field = JWTGATE_FIELD(require_signed_tokens)},
    {.json = "clock-skew", .xml = "clock-skew", .kinds = kValidateJwt, .type = AttrType::Int, .min = 0, .max = 86400, .write = WriteRule::Always, .field = JWTGATE_FIELD(clock_skew)},
    {.json = "output-token-variable-name", .xml = "output-token-variable-name", .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(output_token_variable_name)},
    {.json = "require-scheme", .xml = "require-scheme", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported},
    {.json = "allow-protected-forwarded-tokens", .xml = "allow-protected-forwarded-tokens", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported},
    {.json = "allow-proof-of-possession-tokens", .xml = "allow-proof-of-possession-tokens", .kinds = kValidateAzureAdToken, .type = AttrType::SchemaUnsupported},
    // Lists of strings, in the order the writers write them.
    {.json = "client-application-ids", .xml = "client-application-ids", .xml_form = XmlForm::List, .item = "application-id", .kinds = kValidateAzureAdToken, .type = AttrType::StringList, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(client_application_ids)},
    {.json = "backend-application-ids", .xml = "backend-application-ids", .xml_form = XmlForm::List, .item = "application-id", .kinds = kValidateAzureAdToken, .type = AttrType::StringList, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(backend_application_ids)},
    {.json = "audiences", .xml = "audiences", .xml_form = XmlForm::List, .item = "audience", .type = AttrType::StringList, .non_empty = true, .field = JWTGATE_FIELD(audiences), .default_doc = "none: no audience check"},
    {.json = "issuers", .xml = "issuers", .xml_form = XmlForm::List, .item = "issuer", .kinds = kValidateJwt, .type = AttrType::StringList, .non_empty = true, .field = JWTGATE_FIELD(issuers)},
};

constexpr Attribute<OpenIdConfig> kOpenIdConfigRows[] = {
    {.json = "url", .xml = "url", .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(url)},
    {.json = "validate-connectivity", .xml = "validate-connectivity", .type = AttrType::Bool, .field = JWTGATE_FIELD(validate_connectivity)},
    {.json = "host", .xml = "host", .type = AttrType::SchemaIgnored},
};

constexpr Attribute<PolicyKey> kKeyRows[] = {
    {.json = "id", .xml = "id", .field = JWTGATE_FIELD(id)},
    {.json = "certificate-id", .xml = "certificate-id", .field = JWTGATE_FIELD(certificate_id)},
    {.json = "n", .xml = "n", .signing_keys_only = true, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(n)},
    {.json = "e", .xml = "e", .signing_keys_only = true, .expressions = ExprRule::ApimForbids, .field = JWTGATE_FIELD(e)},
    {.json = "value", .xml_form = XmlForm::Text, .field = JWTGATE_FIELD(value)},
};

constexpr Attribute<RequiredClaim> kClaimRows[] = {
    {.json = "name", .xml = "name", .required = true, .write = WriteRule::Always, .field = JWTGATE_FIELD(name)},
    {.json = "match", .xml = "match", .type = AttrType::Choice, .choices = kMatchChoices, .write = WriteRule::Always, .field = JWTGATE_FIELD(match_all)},
    {.json = "separator", .xml = "separator", .field = JWTGATE_FIELD(separator)},
    {.json = "values", .xml_form = XmlForm::Items, .item = "value", .type = AttrType::StringList, .write = WriteRule::Always, .field = JWTGATE_FIELD(values)},
};

constexpr Attribute<Extensions> kExtensionRows[] = {
    {.json = "algorithms", .xml = "algorithms", .type = AttrType::Algorithms, .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(algorithms)},
    {.json = "typ", .xml = "typ", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(typ), .default_doc = "none (any `typ`)"},
    {.json = "min-rsa-bits", .xml = "min-rsa-bits", .type = AttrType::Int, .min = 1024, .max = 16384, .field = JWTGATE_FIELD(key_rules.min_rsa_bits)},
    {.json = "min-hmac-bits", .xml = "min-hmac-bits", .type = AttrType::Int, .min = 128, .max = 4096, .field = JWTGATE_FIELD(key_rules.min_hmac_bits), .default_doc = "the hash size (256 for HS256)"},
    {.json = "check-x5t", .xml = "check-x5t", .type = AttrType::Bool, .field = JWTGATE_FIELD(key_rules.check_x5t)},
    {.json = "max-token-bytes", .xml = "max-token-bytes", .type = AttrType::Int, .min = 64, .max = 1024 * 1024, .field = JWTGATE_FIELD(limits.max_token_bytes)},
    {.json = "max-json-depth", .xml = "max-json-depth", .type = AttrType::Int, .min = 2, .max = 64, .field = JWTGATE_FIELD(limits.max_json_depth)},
    {.json = "reject-future-iat", .xml = "reject-future-iat", .type = AttrType::Bool, .field = JWTGATE_FIELD(reject_future_iat)},
    {.json = "encryption", .xml = "encryption", .type = AttrType::Choice, .choices = kEncryptionChoices, .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(encryption)},
    {.json = "jwe-algorithms", .xml = "jwe-algorithms", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(jwe_algorithms), .default_doc = "every key management algorithm jwtgate implements"},
    {.json = "jwe-encryptions", .xml = "jwe-encryptions", .expressions = ExprRule::NeededAtLoad, .field = JWTGATE_FIELD(jwe_encryptions), .default_doc = "all six of RFC 7518 5.1"},
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
