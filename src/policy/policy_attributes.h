// The policy described once: one row per attribute of <validate-jwt> and
// <validate-azure-ad-token>, of their child elements that hold simple values
// (<openid-config>, <key>, <claim>), of the jwtgate extensions, and per list
// of strings (<audiences>, <issuers>, the application ids, a claim's values).
// A row gives the XML and JSON names, the policies that have the attribute,
// its type and range, where policy expressions and named values are allowed,
// the field it fills, and how the docs show its default.
//
// The XML and JSON readers and writers are driven by these tables, and the
// generated columns of the attribute tables of docs/policy-json.md and
// docs/apim-compatibility.md come from them (tests/tools/policy_docs.cpp), so
// adding an attribute means adding one row and its field, then writing its
// prose in those two documents (the prose lives there only, so that it does
// not ship in the library). Elements with structure (a key's forms,
// openid-config, required-claims, the jwtgate element itself) keep their own
// code in the readers; their attributes come from here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "policy/policy.h"

namespace jwtgate {

// PolicyKinds: the validation policies an attribute belongs to (a bit set).
using PolicyKinds = uint8_t;
constexpr PolicyKinds kValidateJwt = 1;
constexpr PolicyKinds kValidateAzureAdToken = 2;
constexpr PolicyKinds kBothPolicies = kValidateJwt | kValidateAzureAdToken;

constexpr PolicyKinds kind_bit(PolicyKind k) {
  return k == PolicyKind::ValidateJwt ? kValidateJwt : kValidateAzureAdToken;
}

// The element names of the two policies.
const char* policy_element_name(PolicyKind k);

// Where a value may be a policy expression (@(...), @{...}). Expressions are
// C#: the caller supplies each one's value, keyed by its text.
enum class ExprRule : uint8_t {
  Allowed,       // resolved from the caller's values
  ApimForbids,   // APIM refuses expressions here too
  NeededAtLoad,  // jwtgate needs the value itself to load the policy
};

enum class AttrType : uint8_t {
  String,             // text: std::string, or std::optional<std::string> (set even when empty)
  Bool,               // "true" or "false" in any letter case; JSON true and false too
  Int,                // decimal digits with an optional '-', in [min, max]; a JSON integer too
  Choice,             // one of |choices|, exact case; the field holds the choice's value
  Algorithms,         // JWS names: XML space-separated, a JSON array; the field is an AlgSet
  StringList,         // strings, in order: std::vector<std::string>
  SchemaIgnored,      // in APIM's XML schema only, meaning unknown: warning, ignored
  SchemaUnsupported,  // in APIM's XML schema only, not implemented: warning, ignored
};

constexpr bool is_schema_only(AttrType t) {
  return t == AttrType::SchemaIgnored || t == AttrType::SchemaUnsupported;
}

// How a row is spelled in XML (in JSON it is always the member |json|).
enum class XmlForm : uint8_t {
  Attribute,  // the attribute |xml| of the element
  Text,       // the element's text
  List,       // a child element <|xml|> holding one <|item|> per value
  Items,      // one child element <|item|> per value
};

// When the writers write a row (token sources: when the policy uses it;
// schema-only rows: never).
enum class WriteRule : uint8_t {
  IfNotDefault,  // only when it differs from the default
  Always,        // always, so that the effective setting is visible
};

struct Choice {
  const char* name;
  int64_t value;
};

// A pointer to the field a row fills, by its C++ type.
using FieldRef = std::variant<std::string*, std::optional<std::string>*, bool*, int*, int64_t*,
                              size_t*, AlgSet*, std::vector<std::string>*>;
using ConstFieldRef =
    std::variant<const std::string*, const std::optional<std::string>*, const bool*, const int*,
                 const int64_t*, const size_t*, const AlgSet*, const std::vector<std::string>*>;
static_assert(!std::is_same_v<AlgSet, size_t> && !std::is_same_v<AlgSet, int>,
              "every field type is a distinct FieldRef alternative");

template <typename T>
FieldRef field_ref(T& v) {
  return &v;
}
template <typename T>
ConstFieldRef field_ref(const T& v) {
  return &v;
}

// Field: the member of |Owner| a row fills. Made from a captureless generic
// lambda (JWTGATE_FIELD in policy_attributes.cpp), for const and non-const
// owners alike; nested members (ext.limits.max_json_depth) work too.
template <typename Owner>
struct Field {
  FieldRef (*ref)(Owner&) = nullptr;
  ConstFieldRef (*cref)(const Owner&) = nullptr;
  constexpr Field() = default;
  template <typename Lambda>
  constexpr Field(Lambda l) : ref(l), cref(l) {}
};

template <typename Owner>
struct Attribute {
  const char* json = nullptr;  // the JSON member
  const char* xml = nullptr;   // the XML attribute (Attribute) or element (List); else nullptr
  XmlForm xml_form = XmlForm::Attribute;
  const char* item = nullptr;  // List and Items: the element of one value
  PolicyKinds kinds = kBothPolicies;
  bool signing_keys_only = false;  // key rows: in <issuer-signing-keys>, not <decryption-keys>
  AttrType type = AttrType::String;
  int64_t min = 0;  // Int: the accepted range, both ends included
  int64_t max = 0;
  std::span<const Choice> choices = {};  // Choice: the accepted values
  ExprRule expressions = ExprRule::Allowed;
  bool named_values = true;  // {{name}} is replaced by the caller's named value
  // The element is refused without it; its reader says so in its own words
  // (the round-trip test checks that it does).
  bool required = false;
  bool non_empty = false;  // StringList: an empty list is refused
  std::optional<TokenSourceKind> token_source = {};  // the token source this attribute names
  WriteRule write = WriteRule::IfNotDefault;
  Field<Owner> field = {};
  // The Default column of the docs: the field's default unless default_doc
  // says it better. The rest of an attribute's documentation is written in
  // docs/policy-json.md and docs/apim-compatibility.md.
  const char* default_doc = nullptr;
};

// AttributeTable: the rows of one element, in the order the writers write
// them. |element| is the element (and JSON member) holding the attributes;
// for the policy element itself it is empty (validate-jwt or
// validate-azure-ad-token, by kind).
template <typename Owner>
struct AttributeTable {
  const char* element;
  std::span<const Attribute<Owner>> rows;
};

template <typename Owner>
const AttributeTable<Owner>& attribute_table();
template <>
const AttributeTable<Policy>& attribute_table<Policy>();
template <>
const AttributeTable<OpenIdConfig>& attribute_table<OpenIdConfig>();
template <>
const AttributeTable<PolicyKey>& attribute_table<PolicyKey>();
template <>
const AttributeTable<RequiredClaim>& attribute_table<RequiredClaim>();
template <>
const AttributeTable<Extensions>& attribute_table<Extensions>();

// applies: the row is an attribute of |kind| (and, for key rows, of the key
// list it is in).
template <typename Owner>
bool applies(const Attribute<Owner>& a, PolicyKind kind, bool signing_keys = true) {
  return (a.kinds & kind_bit(kind)) && (signing_keys || !a.signing_keys_only);
}

// find_json_attribute / find_xml_attribute / find_xml_element / find_xml_item:
// the row of |Owner| named |name| as a JSON member, an XML attribute, an XML
// child element (List) or an XML item element (Items), or nullptr.
template <typename Owner>
const Attribute<Owner>* find_json_attribute(std::string_view name, PolicyKind kind,
                                            bool signing_keys = true) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (a.json == name && applies(a, kind, signing_keys)) return &a;
  return nullptr;
}
template <typename Owner>
const Attribute<Owner>* find_xml_attribute(std::string_view name, PolicyKind kind,
                                           bool signing_keys = true) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (a.xml_form == XmlForm::Attribute && a.xml == name && applies(a, kind, signing_keys))
      return &a;
  return nullptr;
}
template <typename Owner>
const Attribute<Owner>* find_xml_element(std::string_view name, PolicyKind kind) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (a.xml_form == XmlForm::List && a.xml == name && applies(a, kind)) return &a;
  return nullptr;
}
template <typename Owner>
const Attribute<Owner>* find_xml_item(std::string_view name, PolicyKind kind) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (a.xml_form == XmlForm::Items && a.item == name && applies(a, kind)) return &a;
  return nullptr;
}
// The row filled by an element's text (a key's base64 secret), or nullptr.
template <typename Owner>
const Attribute<Owner>* find_xml_text(PolicyKind kind, bool signing_keys = true) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (a.xml_form == XmlForm::Text && applies(a, kind, signing_keys)) return &a;
  return nullptr;
}

// The child elements of a policy element that have structure of their own;
// the readers and writers have code for each. Lists of strings are rows of
// attribute_table<Policy>() instead.
enum class PolicyElementId : uint8_t {
  OpenIdConfig,         // <openid-config url=...>, repeated; JSON: an array of objects
  IssuerSigningKeys,    // <issuer-signing-keys><key>
  DecryptionKeys,       // <decryption-keys><key>
  RequiredClaims,       // <required-claims><claim>
  Extensions,           // <jwtgate .../>; JSON: the object "jwtgate"
  IssuerSigningTokens,  // in APIM's XML schema only: warning, ignored
};

struct PolicyElement {
  PolicyElementId id;
  const char* name;  // in XML and JSON
  PolicyKinds kinds;
  bool repeated;  // XML: the element may appear more than once
};

std::span<const PolicyElement> policy_elements();
const char* element_name(PolicyElementId id);
const PolicyElement* find_policy_element(std::string_view name, PolicyKind kind);

// belongs_to_other_policy: |name| is an attribute or child element of the
// other validation policy but not of |kind| (for a hint in "unknown"
// messages).
bool belongs_to_other_policy(std::string_view name, PolicyKind kind);

// ---- values ----

// Report receives a conversion error ("must be an integer, not \"x\"").
using Report = std::function<void(std::string message)>;

// store_text converts |text| (an XML attribute, or a JSON string for a
// non-string type) to the row's type and stores it in |o|. Returns false,
// after reporting why, when the text is not a value of the row.
template <typename Owner>
bool store_text(const Attribute<Owner>& a, std::string text, Owner& o, const Report& report);

// keep_partial: a String row whose value did not resolve (an undefined
// named value, an expression without a value) keeps what was resolved of it,
// as resolve_policy_value leaves it, so that the element's own checks (a
// key's forms, a required name) see the same value in both forms. An
// optional field stays unset.
template <typename Owner>
void keep_partial(const Attribute<Owner>& a, std::string text, Owner& o);

// store_int stores the JSON integer or boolean |n| (Int, Bool) after the
// range check.
template <typename Owner>
bool store_int(const Attribute<Owner>& a, int64_t n, Owner& o, const Report& report);

// store_names stores Algorithms given as separate names (the JSON array).
template <typename Owner>
bool store_names(const Attribute<Owner>& a, const std::vector<std::string>& names, Owner& o,
                 const Report& report);

// is_written: the writers write the row for |o| in a policy of |kind|.
template <typename Owner>
bool is_written(const Attribute<Owner>& a, const Owner& o, PolicyKind kind);

// is_default: the row's field holds its default value.
template <typename Owner>
bool is_default(const Attribute<Owner>& a, const Owner& o);

// value_text: the row's value as XML writes it ("true", "401", "RS256 ES256").
template <typename Owner>
std::string value_text(const Attribute<Owner>& a, const Owner& o);

// Typed access for the JSON writer and comparisons.
int64_t field_int(ConstFieldRef f);  // Bool, Int, Choice, Algorithms
const std::string* field_string(ConstFieldRef f);  // nullptr: an unset optional
const std::vector<std::string>& field_list(ConstFieldRef f);
bool field_equal(ConstFieldRef a, ConstFieldRef b);

// expression_reason: why a row refuses expressions, as messages end:
// " (APIM forbids them too)".
const char* expression_reason(ExprRule rule);

// refusal: the message for a value |raw| the row refuses before any
// resolution (an expression where the row forbids them, a named value where
// it does not resolve them), or "" when it takes it. |where| places the value
// in the message: "in clock-skew", "here".
template <typename Owner>
std::string refusal(const Attribute<Owner>& a, std::string_view raw, const std::string& where) {
  return refusal(a.expressions, a.named_values, raw, where);
}
std::string refusal(ExprRule expressions, bool named_values, std::string_view raw,
                    const std::string& where);

// schema_only_warning: the warning for a SchemaIgnored or SchemaUnsupported
// row that a policy gives.
template <typename Owner>
std::string schema_only_warning(const Attribute<Owner>& a) {
  return a.type == AttrType::SchemaIgnored
             ? "\"" + std::string(a.json) + "\" is known only to the APIM schema and is ignored"
             : std::string(a.json) + " is known only to the APIM schema and is not supported";
}

// The names of the algorithms in |set|, in jwtgate's order.
std::vector<std::string> algorithm_names(AlgSet set);

// The message for a value outside a row's range, shared by the readers and
// Policy::finalize.
std::string range_message(int64_t min, int64_t max, int64_t n);

// check_ranges reports every Int field of |p| (and its extensions) that is
// outside its row's range (a field at its default passes: 0 for
// min-hmac-bits means "the hash size"). For policies built in code; the
// readers refuse such values already.
bool check_ranges(const Policy& p, Diagnostics& diag);

// same_settings: |a| and |b| hold the same settings: the kind, the token
// source, and every row of every table, for the policy and for each of its
// openid-configs, keys and claims. Source lines and what load_policy derives
// (keys, algorithms) are not compared.
bool same_settings(const Policy& a, const Policy& b);

}  // namespace jwtgate
