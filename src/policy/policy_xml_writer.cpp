// Writing a policy in the APIM XML form (policy_to_xml, policy_forms.h): the
// attributes from the attribute tables (policy_attributes.h), in their order,
// indented by four spaces, children in the order of APIM's policy statements.
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "policy/policy_attributes.h"
#include "policy/policy_forms.h"

namespace jwtgate {
namespace {

using pugi::xml_node;

// escape makes |s| safe as XML character data. Whitespace other than space
// in an attribute would be normalised to spaces when read back (XML 1.0
// section 3.3.3), and a CR in text would become LF (section 2.11), so those
// are written as character references, which both rules leave alone.
std::string escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '"' && attribute) out += "&quot;";
    else if (c < 0x20 && (attribute || (ch != '\t' && ch != '\n')))
      out += "&#" + std::to_string(c) + ";";
    else out += ch;
  }
  return out;
}

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

void set_attr(xml_node n, const char* name, std::string_view value) {
  n.append_attribute(name).set_value(escape(value, true).c_str());
}

void add_text(xml_node e, std::string_view value) {
  e.append_child(pugi::node_pcdata).set_value(escape(value, false).c_str());
}

void add_text_element(xml_node parent, const char* name, std::string_view value) {
  xml_node e = parent.append_child(name);
  if (!value.empty()) add_text(e, value);
}

// attributes writes the attribute rows of |o| that are written.
template <typename Owner>
void attributes(xml_node e, const Owner& o, PolicyKind kind) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows)
    if (row.xml_form == XmlForm::Attribute && is_written(row, o, kind))
      set_attr(e, row.xml, value_text(row, o));
}

// content writes the rows of |o| that are the element's text or its
// children: a key's secret, a claim's <value> items, the policy's lists.
template <typename Owner>
void content(xml_node e, const Owner& o, PolicyKind kind) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows) {
    if (!is_written(row, o, kind)) continue;
    switch (row.xml_form) {
      case XmlForm::Attribute:
        break;
      case XmlForm::Text:
        add_text(e, value_text(row, o));
        break;
      case XmlForm::Items:
        for (const std::string& v : field_list(row.field.cref(o))) add_text_element(e, row.item, v);
        break;
      case XmlForm::List: {
        xml_node list = e.append_child(row.xml);
        for (const std::string& v : field_list(row.field.cref(o)))
          add_text_element(list, row.item, v);
        break;
      }
    }
  }
}

// element writes each of |items| as <name> with its attributes and content,
// inside <list> when |list| is given.
template <typename Owner>
void elements(xml_node parent, const char* list, const char* name,
              const std::vector<Owner>& items, PolicyKind kind) {
  if (items.empty()) return;
  xml_node holder = list ? parent.append_child(list) : parent;
  for (const Owner& item : items) {
    xml_node e = holder.append_child(name);
    attributes(e, item, kind);
    content(e, item, kind);
  }
}

}  // namespace

std::string policy_to_xml(const Policy& p) {
  const PolicyKind kind = p.kind;
  const bool jwt = kind == PolicyKind::ValidateJwt;
  pugi::xml_document doc;
  xml_node root = doc.append_child(policy_element_name(kind));

  // Attributes in the tables' order (the JSON writer's), defaults written out
  // where the row says so, so that the effective settings are visible.
  attributes(root, p, kind);

  // Children in the order of APIM's policy statements. validate-azure-ad-token
  // has no openid-config, issuers or issuer-signing-keys: what derive_azure_ad
  // put there is derived from tenant-id and is derived again on load.
  const char* keys = attribute_table<PolicyKey>().element;
  if (jwt) {
    elements(root, nullptr, element_name(PolicyElementId::OpenIdConfig), p.openid_configs, kind);
    elements(root, element_name(PolicyElementId::IssuerSigningKeys), keys, p.issuer_signing_keys,
             kind);
    elements(root, element_name(PolicyElementId::DecryptionKeys), keys, p.decryption_keys, kind);
  }
  content(root, p, kind);  // the lists
  elements(root, element_name(PolicyElementId::RequiredClaims),
           attribute_table<RequiredClaim>().element, p.required_claims, kind);
  if (!jwt)
    elements(root, element_name(PolicyElementId::DecryptionKeys), keys, p.decryption_keys, kind);

  // jwtgate extensions: written only where they differ from the defaults.
  xml_node ext;
  for (const Attribute<Extensions>& row : attribute_table<Extensions>().rows) {
    if (!is_written(row, p.ext, kind)) continue;
    if (!ext) ext = root.append_child(element_name(PolicyElementId::Extensions));
    set_attr(ext, row.xml, value_text(row, p.ext));
  }

  std::string out;
  StringWriter writer(out);
  doc.save(writer, "    ", pugi::format_indent | pugi::format_no_declaration | pugi::format_no_escapes,
           pugi::encoding_utf8);
  return out;
}

}  // namespace jwtgate
