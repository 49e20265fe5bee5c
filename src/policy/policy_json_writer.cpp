// Writing a policy in the JSON form (policy_to_json, policy_forms.h): the
// members from the attribute tables (policy_attributes.h), in their order,
// the same order as the XML writer's attributes.
#include <string>

#include "core/json_writer.h"
#include "policy/policy_attributes.h"
#include "policy/policy_forms.h"

namespace jwtgate {
namespace {

template <typename Owner>
void value(JsonWriter& w, const Attribute<Owner>& row, const Owner& o) {
  const ConstFieldRef f = row.field.cref(o);
  switch (row.type) {
    case AttrType::String:
      w.value(*field_string(f));
      break;
    case AttrType::Bool:
      w.value(field_int(f) != 0);
      break;
    case AttrType::Int:
      w.value(field_int(f));
      break;
    case AttrType::Choice:
      w.value(value_text(row, o));
      break;
    case AttrType::Algorithms:
      w.begin_array();
      for (const std::string& name : algorithm_names(static_cast<AlgSet>(field_int(f))))
        w.value(name);
      w.end_array();
      break;
    case AttrType::StringList:
      w.begin_array();
      for (const std::string& s : field_list(f)) w.value(s);
      w.end_array();
      break;
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      w.null();  // never written (is_written)
      break;
  }
}

// members writes the rows of |o| that are written; |lists| chooses the
// policy's lists of strings or its other members.
template <typename Owner>
void members(JsonWriter& w, const Owner& o, PolicyKind kind, bool lists) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows) {
    if ((row.xml_form == XmlForm::List) != lists || !is_written(row, o, kind)) continue;
    w.key(row.json);
    value(w, row, o);
  }
}

// objects writes |items| as the array |name| of objects, if there is any.
template <typename Owner>
void objects(JsonWriter& w, const char* name, const std::vector<Owner>& items, PolicyKind kind) {
  if (items.empty()) return;
  w.key(name).begin_array();
  for (const Owner& item : items) {
    w.begin_object();
    members(w, item, kind, false);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string policy_to_json(const Policy& p) {
  std::string out;
  JsonWriter w(out);
  const PolicyKind kind = p.kind;
  w.begin_object().key(policy_element_name(kind)).begin_object();
  members(w, p, kind, false);
  // validate-azure-ad-token derives its openid-config and issuers from
  // tenant-id at load; writing them back would make a policy that does not
  // load (those members do not exist for that element).
  if (kind == PolicyKind::ValidateJwt) {
    objects(w, element_name(PolicyElementId::OpenIdConfig), p.openid_configs, kind);
    objects(w, element_name(PolicyElementId::IssuerSigningKeys), p.issuer_signing_keys, kind);
  }
  objects(w, element_name(PolicyElementId::DecryptionKeys), p.decryption_keys, kind);
  members(w, p, kind, true);
  objects(w, element_name(PolicyElementId::RequiredClaims), p.required_claims, kind);
  // jwtgate extensions: written only where they differ from the defaults.
  bool any = false;
  for (const Attribute<Extensions>& row : attribute_table<Extensions>().rows)
    any = any || is_written(row, p.ext, kind);
  if (any) {
    w.key(element_name(PolicyElementId::Extensions)).begin_object();
    members(w, p.ext, kind, false);
    w.end_object();
  }
  w.end_object().end_object();
  return out;
}

}  // namespace jwtgate
