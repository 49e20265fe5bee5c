// policy_docs: the attribute tables of docs/policy-json.md and
// docs/apim-compatibility.md, generated from src/policy/policy_attributes.cpp.
//
//   policy_docs --check SOURCE_ROOT   exit 1 when a committed table differs
//   policy_docs --write SOURCE_ROOT   rewrite the tables in place
//
// A generated table sits between
//   <!-- generated: NAME ... -->   and   <!-- end generated -->
// in the Markdown; the text around it is written by hand. `ninja -C build
// policy-docs` runs --write; the meson test policy-docs runs --check.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/policy_attributes.h"

using namespace jwtgate;

namespace {

constexpr const char* kRegenerate = "ninja -C build policy-docs";
constexpr const char* kEndMarker = "<!-- end generated -->";

using Row = std::vector<std::string>;  // the cells of one table row

std::string code(const std::string& s) { return "`" + s + "`"; }

std::string type_text(AttrType type, int64_t min, int64_t max, std::span<const Choice> choices) {
  switch (type) {
    case AttrType::String:
      return "string";
    case AttrType::Bool:
      return "boolean";
    case AttrType::Int:
      return "integer " + std::to_string(min) + "\u2013" + std::to_string(max);
    case AttrType::Choice: {
      std::string out;
      for (size_t i = 0; i < choices.size(); ++i)
        out += std::string(i ? (i + 1 == choices.size() ? " or " : ", ") : "") + "`\"" +
               choices[i].name + "\"`";
      return out + " (exact case)";
    }
    case AttrType::Algorithms: {
      std::string names;
      for (const std::string& n : algorithm_names(kAllAlgs)) names += (names.empty() ? "" : " ") + n;
      return "array of JWS names, at least one of " + names + " (exact case)";
    }
    case AttrType::StringList:
      return "array of strings";
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      return "any";
  }
  return {};
}

template <typename Owner>
std::string type_of(const Attribute<Owner>& a) {
  return type_text(a.type, a.min, a.max, a.choices) + (a.required ? ", required" : "");
}

template <typename Owner>
std::string default_of(const Attribute<Owner>& a) {
  if (a.default_doc) return a.default_doc;
  if (a.required || is_schema_only(a.type)) return "\u2013";
  static const Owner kDefault{};
  const ConstFieldRef f = a.field.cref(kDefault);
  switch (a.type) {
    case AttrType::String: {
      const std::string* s = field_string(f);
      return s && !s->empty() ? code(*s) : "none";
    }
    case AttrType::StringList:
      return field_list(f).empty() ? "none" : "";
    case AttrType::Choice:
      return code("\"" + value_text(a, kDefault) + "\"");
    case AttrType::Algorithms: {
      // 0 is "the default set".
      AlgSet set = static_cast<AlgSet>(field_int(f));
      if (!set) set = default_algorithms();
      std::string out;
      for (const std::string& n : algorithm_names(set)) out += (out.empty() ? "" : ", ") + n;
      return out;
    }
    default:
      return code(value_text(a, kDefault));
  }
}

template <typename Owner>
std::string xml_of(const Attribute<Owner>& a) {
  switch (a.xml_form) {
    case XmlForm::Attribute:
      if (a.type == AttrType::Algorithms) return "attribute, space-separated";
      return std::string(a.xml) == a.json ? "attribute" : "attribute " + code(a.xml);
    case XmlForm::Text:
      return "element text";
    case XmlForm::List:
      return code("<" + std::string(a.xml) + "><" + a.item + ">");
    case XmlForm::Items:
      return code("<" + std::string(a.item) + ">") + " elements";
  }
  return {};
}

template <typename Owner>
std::string expressions_of(const Attribute<Owner>& a) {
  if (is_schema_only(a.type)) return "\u2013";
  std::string out;
  switch (a.expressions) {
    case ExprRule::Allowed:
      out = "yes";
      break;
    case ExprRule::ApimForbids:
      out = "**no**";
      break;
    case ExprRule::NeededAtLoad:
      out = "no (needed at load)";
      break;
  }
  return a.named_values ? out : out + "; no named values";
}

// The name of a row in the compatibility tables: "`header-name`",
// "`openid-config url`", "`key` text", "`audiences/audience`", "`claim/value`".
template <typename Owner>
std::string compat_name(const Attribute<Owner>& a) {
  const std::string element = attribute_table<Owner>().element;
  switch (a.xml_form) {
    case XmlForm::Attribute:
      return code(element.empty() ? a.xml : element + " " + a.xml);
    case XmlForm::Text:
      return code(element) + " text";
    case XmlForm::List:
      return code(std::string(a.xml) + "/" + a.item);
    case XmlForm::Items:
      return code(element + "/" + a.item);
  }
  return {};
}

template <typename Owner>
Row json_row(const Attribute<Owner>& a) {
  return {code(a.json), type_of(a), default_of(a), xml_of(a), expressions_of(a), a.doc};
}

template <typename Owner>
Row compat_row(const Attribute<Owner>& a, PolicyKind kind) {
  CompatNote c = a.compat;
  if (kind == PolicyKind::ValidateAzureAdToken && (a.kinds & kValidateJwt)) {
    c = a.compat_aad.status ? a.compat_aad : CompatNote{a.compat.status, "As in validate-jwt.", ""};
  }
  // The type, the default when it is a value, and where expressions are
  // refused.
  std::string values = type_of(a);
  const std::string def = default_of(a);
  if (def.starts_with('`')) values += ", default " + def;
  if (a.expressions == ExprRule::ApimForbids) values += ", no expressions";
  if (a.expressions == ExprRule::NeededAtLoad) values += ", no expressions (needed at load)";
  if (!a.named_values) values += ", no named values";
  return {compat_name(a), values, c.status ? c.status : "", c.behaviour ? c.behaviour : "",
          c.why ? c.why : ""};
}

// table renders rows under |header|; adjacent rows that differ only in their
// first cell become one row ("`n`, `e`").
std::string table(const Row& header, const std::vector<Row>& rows) {
  std::vector<Row> merged;
  for (const Row& r : rows) {
    if (!merged.empty() && std::equal(r.begin() + 1, r.end(), merged.back().begin() + 1))
      merged.back()[0] += ", " + r[0];
    else merged.push_back(r);
  }
  auto line = [](const Row& cells) {
    std::string out = "|";
    for (const std::string& c : cells) {
      std::string cell;
      for (char ch : c) cell += ch == '|' ? std::string("\\|") : std::string(1, ch);
      out += " " + cell + " |";
    }
    return out + "\n";
  };
  std::string out = line(header);
  out += "|";
  for (size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const Row& r : merged) out += line(r);
  return out;
}

const Row kJsonHeader = {"Member", "Type", "Default", "XML", "Expr.", "Notes"};
const Row kCompatHeader = {"Attribute", "Values", "Status", "jwtgate", "Why"};

template <typename Owner>
std::vector<Row> json_rows(PolicyKind kind) {
  std::vector<Row> rows;
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (applies(a, kind)) rows.push_back(json_row(a));
  return rows;
}

template <typename Owner>
void add_compat_rows(std::vector<Row>& rows, PolicyKind kind, bool lists_only = false) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (applies(a, kind) && (!lists_only || a.xml_form == XmlForm::List))
      rows.push_back(compat_row(a, kind));
}

// The generated sections, by name.
std::map<std::string, std::string> sections() {
  const PolicyKind jwt = PolicyKind::ValidateJwt, aad = PolicyKind::ValidateAzureAdToken;
  std::map<std::string, std::string> s;
  s["policy-json validate-jwt"] = table(kJsonHeader, json_rows<Policy>(jwt));
  s["policy-json validate-azure-ad-token"] = table(kJsonHeader, json_rows<Policy>(aad));
  s["policy-json openid-config"] = table(kJsonHeader, json_rows<OpenIdConfig>(jwt));
  s["policy-json key"] = table(kJsonHeader, json_rows<PolicyKey>(jwt));
  s["policy-json claim"] = table(kJsonHeader, json_rows<RequiredClaim>(jwt));
  s["policy-json jwtgate"] = table(kJsonHeader, json_rows<Extensions>(jwt));

  std::vector<Row> jwt_attributes;
  for (const Attribute<Policy>& a : attribute_table<Policy>().rows)
    if (applies(a, jwt) && a.xml_form == XmlForm::Attribute) jwt_attributes.push_back(compat_row(a, jwt));
  s["apim-compatibility validate-jwt"] = table(kCompatHeader, jwt_attributes);
  std::vector<Row> children;
  add_compat_rows<OpenIdConfig>(children, jwt);
  add_compat_rows<PolicyKey>(children, jwt);
  add_compat_rows<Policy>(children, jwt, true);
  add_compat_rows<RequiredClaim>(children, jwt);
  s["apim-compatibility validate-jwt children"] = table(kCompatHeader, children);
  std::vector<Row> azure;
  add_compat_rows<Policy>(azure, aad);
  s["apim-compatibility validate-azure-ad-token"] = table(kCompatHeader, azure);
  return s;
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// regenerate returns |text| with every generated section replaced; |used|
// collects the names found. Throws on a marker without its end or an
// unknown name.
std::string regenerate(const std::string& file, const std::string& text,
                       const std::map<std::string, std::string>& generated,
                       std::map<std::string, int>& used, std::vector<std::string>& differing) {
  static const std::string kBegin = "<!-- generated: ";
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t begin = text.find(kBegin, pos);
    if (begin == std::string::npos) break;
    const size_t name_end = text.find(" (", begin);
    const size_t marker_end = text.find("-->\n", begin);
    const size_t end = text.find(kEndMarker, begin);
    if (name_end == std::string::npos || marker_end == std::string::npos || end == std::string::npos ||
        name_end > marker_end || end < marker_end)
      throw std::runtime_error(file + ": a generated section without its end marker");
    const std::string name = text.substr(begin + kBegin.size(), name_end - begin - kBegin.size());
    const auto it = generated.find(name);
    if (it == generated.end()) throw std::runtime_error(file + ": unknown generated section \"" + name + "\"");
    ++used[name];
    const size_t body = marker_end + 4;
    if (text.substr(body, end - body) != it->second) differing.push_back(file + ": " + name);
    out += text.substr(pos, body - pos) + it->second;
    pos = end;
  }
  return out + text.substr(pos);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "--check" && mode != "--write") {
    std::cerr << "usage: policy_docs --check|--write SOURCE_ROOT\n";
    return 2;
  }
  const std::string root = argv[2];
  try {
    const auto generated = sections();
    std::map<std::string, int> used;
    std::vector<std::string> differing;
    for (const char* doc : {"docs/policy-json.md", "docs/apim-compatibility.md"}) {
      const std::string path = root + "/" + doc;
      const std::string text = read(path);
      const std::string updated = regenerate(doc, text, generated, used, differing);
      if (mode == "--write" && updated != text) {
        std::ofstream(path, std::ios::binary) << updated;
        std::cout << "rewrote " << doc << "\n";
      }
    }
    int status = 0;
    for (const auto& [name, body] : generated) {
      if (used[name] != 1) {
        std::cerr << "the section \"" << name << "\" appears " << used[name]
                  << " times in docs/ (once expected)\n";
        status = 1;
      }
    }
    if (mode == "--check" && !differing.empty()) {
      for (const std::string& d : differing)
        std::cerr << d << ": differs from src/policy/policy_attributes.cpp\n";
      std::cerr << "regenerate the tables with: " << kRegenerate << "\n";
      status = 1;
    }
    return status;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
