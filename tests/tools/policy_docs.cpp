// policy_docs: the attribute tables of docs/policy-json.md and
// docs/apim-compatibility.md, checked against src/policy/policy_attributes.cpp.
//
//   policy_docs --check SOURCE_ROOT   exit 1 when a table is not up to date
//   policy_docs --write SOURCE_ROOT   rewrite the tables in place
//
// A table sits between
//   <!-- generated: NAME (...) -->   and   <!-- end generated -->
// in the Markdown; the text around it is written by hand. Its columns are of
// two kinds: the generated ones (policy-json: Member, Type, Default, XML,
// Expr.; apim-compatibility: Attribute, Values) come from the attribute
// tables, and the prose ones (policy-json: Notes; apim-compatibility: Status,
// jwtgate, Why) are written in the Markdown, their only source: --write
// carries them over by the row's name. --write regenerates the generated
// cells, adds a row for an attribute the document lacks (empty prose; in the
// validate-azure-ad-token compatibility table an attribute of validate-jwt
// too starts as "As in validate-jwt." with validate-jwt's status) and drops a
// row whose attribute is gone. --check fails on a generated cell that
// differs, a missing or extra row, a compatibility row without a status
// or a jwtgate cell, and a validate-azure-ad-token row whose jwtgate cell says
// "As in validate-jwt" under another status than validate-jwt's. `ninja -C build policy-docs` runs --write; the meson test
// policy-docs runs --check.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
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

// A row as the attribute tables give it: its name (the first cell) and its
// other generated cells.
struct GeneratedRow {
  std::string name;
  Row cells;
  // validate-azure-ad-token compatibility: an attribute of validate-jwt too,
  // so that a new row starts as "As in validate-jwt.".
  bool as_in_validate_jwt = false;
};

template <typename Owner>
GeneratedRow json_row(const Attribute<Owner>& a) {
  return {code(a.json), {type_of(a), default_of(a), xml_of(a), expressions_of(a)}};
}

template <typename Owner>
GeneratedRow compat_row(const Attribute<Owner>& a, PolicyKind kind) {
  // The type, the default when it is a value, and where expressions are
  // refused.
  std::string values = type_of(a);
  const std::string def = default_of(a);
  if (def.starts_with('`')) values += ", default " + def;
  if (a.expressions == ExprRule::ApimForbids) values += ", no expressions";
  if (a.expressions == ExprRule::NeededAtLoad) values += ", no expressions (needed at load)";
  if (!a.named_values) values += ", no named values";
  return {compat_name(a), {values},
          kind == PolicyKind::ValidateAzureAdToken && (a.kinds & kValidateJwt) != 0};
}

// The two kinds of table: their header and how many of their columns
// (counting the name) are generated; the others are prose.
struct TableKind {
  Row header;
  size_t generated;
  bool compatibility;
};
const TableKind kJsonTable = {{"Member", "Type", "Default", "XML", "Expr.", "Notes"}, 5, false};
const TableKind kCompatTable = {{"Attribute", "Values", "Status", "jwtgate", "Why"}, 2, true};
constexpr size_t kStatus = 2, kBehaviour = 3;  // the compatibility columns that must not be empty
// The problems --write cannot solve end so: prose to write.
constexpr const char* kProseToWrite = " in docs/apim-compatibility.md";
// A validate-azure-ad-token row's jwtgate cell that defers to validate-jwt
// starts so (a new row gets it with a full stop).
constexpr std::string_view kAsInValidateJwt = "As in validate-jwt";

struct Section {
  const TableKind* kind;
  std::vector<GeneratedRow> rows;
};

template <typename Owner>
std::vector<GeneratedRow> json_rows(PolicyKind kind) {
  std::vector<GeneratedRow> rows;
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (applies(a, kind)) rows.push_back(json_row(a));
  return rows;
}

template <typename Owner>
void add_compat_rows(std::vector<GeneratedRow>& rows, PolicyKind kind, bool lists_only = false) {
  for (const Attribute<Owner>& a : attribute_table<Owner>().rows)
    if (applies(a, kind) && (!lists_only || a.xml_form == XmlForm::List))
      rows.push_back(compat_row(a, kind));
}

// The validate-jwt compatibility sections, where a validate-azure-ad-token
// row that is new finds its status.
const char* const kValidateJwtCompat[] = {"apim-compatibility validate-jwt",
                                          "apim-compatibility validate-jwt children"};

// The sections, by name.
std::map<std::string, Section> sections() {
  const PolicyKind jwt = PolicyKind::ValidateJwt, aad = PolicyKind::ValidateAzureAdToken;
  std::map<std::string, Section> s;
  s["policy-json validate-jwt"] = {&kJsonTable, json_rows<Policy>(jwt)};
  s["policy-json validate-azure-ad-token"] = {&kJsonTable, json_rows<Policy>(aad)};
  s["policy-json openid-config"] = {&kJsonTable, json_rows<OpenIdConfig>(jwt)};
  s["policy-json key"] = {&kJsonTable, json_rows<PolicyKey>(jwt)};
  s["policy-json claim"] = {&kJsonTable, json_rows<RequiredClaim>(jwt)};
  s["policy-json jwtgate"] = {&kJsonTable, json_rows<Extensions>(jwt)};

  std::vector<GeneratedRow> jwt_attributes;
  for (const Attribute<Policy>& a : attribute_table<Policy>().rows)
    if (applies(a, jwt) && a.xml_form == XmlForm::Attribute) jwt_attributes.push_back(compat_row(a, jwt));
  s[kValidateJwtCompat[0]] = {&kCompatTable, jwt_attributes};
  std::vector<GeneratedRow> children;
  add_compat_rows<OpenIdConfig>(children, jwt);
  add_compat_rows<PolicyKey>(children, jwt);
  add_compat_rows<Policy>(children, jwt, true);
  add_compat_rows<RequiredClaim>(children, jwt);
  s[kValidateJwtCompat[1]] = {&kCompatTable, children};
  std::vector<GeneratedRow> azure;
  add_compat_rows<Policy>(azure, aad);
  s["apim-compatibility validate-azure-ad-token"] = {&kCompatTable, azure};
  for (const auto& [name, section] : s) {
    std::set<std::string> names;
    for (const GeneratedRow& r : section.rows)
      if (!names.insert(r.name).second)
        throw std::runtime_error(name + ": two rows named " + r.name);
  }
  return s;
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

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// parse_line reads the cells of "| a | b \| c |" ("a", "b | c").
Row parse_line(const std::string& line) {
  if (line.size() < 2 || line.front() != '|' || line.back() != '|')
    throw std::runtime_error("not a table row: " + line);
  Row cells;
  std::string cell;
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

// A table as the Markdown holds it. Each row is listed under every name of
// its first cell: "`n`, `e`" is the row of `n` and the row of `e`.
struct DocTable {
  Row header;
  std::vector<std::pair<std::string, Row>> rows;  // (name, cells)
  const Row* find(const std::string& name) const {
    for (const auto& [n, cells] : rows)
      if (n == name) return &cells;
    return nullptr;
  }
};

DocTable parse_table(const std::string& body, size_t columns) {
  DocTable t;
  std::istringstream in(body);
  std::string line;
  for (size_t i = 0; std::getline(in, line); ++i) {
    Row cells = parse_line(line);
    if (i == 1) continue;  // |---|---|
    if (i == 0) {
      t.header = cells;
      continue;
    }
    if (cells.size() != columns)
      throw std::runtime_error("a row of " + std::to_string(cells.size()) + " cells, " +
                               std::to_string(columns) + " expected: " + line);
    const std::string names = cells[0];
    for (size_t b = 0;;) {
      const size_t e = names.find(", ", b);
      t.rows.emplace_back(names.substr(b, e == std::string::npos ? e : e - b), cells);
      if (e == std::string::npos) break;
      b = e + 2;
    }
  }
  return t;
}

// A section found in a document.
struct Found {
  std::string file;
  std::string name;
  size_t body = 0, end = 0;  // the table: text[body, end)
  DocTable doc;
};

// find_sections lists the generated sections of |text|. Throws on a marker
// without its end or an unknown name.
std::vector<Found> find_sections(const std::string& file, const std::string& text,
                                 const std::map<std::string, Section>& known) {
  static const std::string kBegin = "<!-- generated: ";
  std::vector<Found> found;
  for (size_t pos = 0;;) {
    const size_t begin = text.find(kBegin, pos);
    if (begin == std::string::npos) break;
    const size_t name_end = text.find(" (", begin);
    const size_t marker_end = text.find("-->\n", begin);
    const size_t end = text.find(kEndMarker, begin);
    if (name_end == std::string::npos || marker_end == std::string::npos || end == std::string::npos ||
        name_end > marker_end || end < marker_end)
      throw std::runtime_error(file + ": a generated section without its end marker");
    Found f{file, text.substr(begin + kBegin.size(), name_end - begin - kBegin.size()),
            marker_end + 4, end, {}};
    const auto it = known.find(f.name);
    if (it == known.end()) throw std::runtime_error(file + ": unknown generated section \"" + f.name + "\"");
    try {
      f.doc = parse_table(text.substr(f.body, f.end - f.body), it->second.kind->header.size());
    } catch (const std::exception& e) {
      throw std::runtime_error(file + ": " + f.name + ": " + e.what());
    }
    found.push_back(std::move(f));
    pos = end;
  }
  return found;
}

// The Status of |name| in the validate-jwt compatibility sections (empty
// when they have no such row).
std::string validate_jwt_status(const std::string& name, const std::vector<Found>& all) {
  for (const Found& f : all)
    for (const char* jwt : kValidateJwtCompat)
      if (f.name == jwt)
        if (const Row* cells = f.doc.find(name)) return (*cells)[kStatus];
  return {};
}

// The prose of a row the document lacks.
Row new_prose(const TableKind& kind, const GeneratedRow& r, const std::vector<Found>& all) {
  Row prose(kind.header.size() - kind.generated);
  if (!kind.compatibility || !r.as_in_validate_jwt) return prose;
  prose[kStatus - kind.generated] = validate_jwt_status(r.name, all);
  prose[kBehaviour - kind.generated] = std::string(kAsInValidateJwt) + ".";
  return prose;
}

// render returns the table of |section| with the prose of |f| carried over,
// and adds to |problems| what --check reports: a generated cell that
// differs, a row missing or extra, an empty Status or jwtgate cell (of a row
// the document has; --write reports those of new rows too).
std::string render(const Section& section, const Found& f, const std::vector<Found>& all,
                   bool write, std::vector<std::string>& problems) {
  const TableKind& kind = *section.kind;
  const std::string where = f.file + ": " + f.name + ": ";
  std::vector<Row> rows;
  for (const GeneratedRow& r : section.rows) {
    Row row = {r.name};
    row.insert(row.end(), r.cells.begin(), r.cells.end());
    const Row* doc = f.doc.find(r.name);
    if (doc) {
      for (size_t i = 1; i < kind.generated; ++i)
        if ((*doc)[i] != row[i])
          problems.push_back(where + r.name + ": the " + kind.header[i] + " cell is \"" + (*doc)[i] +
                             "\"; src/policy/policy_attributes.cpp gives \"" + row[i] + "\"");
      row.insert(row.end(), doc->begin() + kind.generated, doc->end());
    } else {
      problems.push_back(where + "no row for " + r.name + " (" + kRegenerate +
                         " adds it; then write its " +
                         (kind.compatibility ? "Status, jwtgate and Why" : "Notes") + " here)");
      const Row prose = new_prose(kind, r, all);
      row.insert(row.end(), prose.begin(), prose.end());
    }
    // A validate-azure-ad-token row that defers to validate-jwt has its status.
    if (kind.compatibility && doc && r.as_in_validate_jwt && row[kBehaviour].starts_with(kAsInValidateJwt)) {
      const std::string status = validate_jwt_status(r.name, all);
      if (!status.empty() && row[kStatus] != status)
        problems.push_back(where + r.name + ": the Status cell is \"" + row[kStatus] + "\" but the row says \"" +
                           std::string(kAsInValidateJwt) + "\", whose Status is \"" + status +
                           "\": make them agree" + kProseToWrite);
    }
    if (kind.compatibility && (doc || write))
      for (size_t i : {kStatus, kBehaviour})
        if (row[i].empty())
          problems.push_back(where + r.name + " has an empty " + kind.header[i] + " cell: write " +
                             (i == kStatus ? "its status" : "what jwtgate does") + kProseToWrite);
    rows.push_back(std::move(row));
  }
  std::set<std::string> seen;
  for (const auto& [name, cells] : f.doc.rows) {
    if (!seen.insert(name).second) problems.push_back(where + name + " has more than one row");
    const bool known = std::any_of(section.rows.begin(), section.rows.end(),
                                   [&](const GeneratedRow& r) { return r.name == name; });
    if (!known)
      problems.push_back(where + name + " is not a row of src/policy/policy_attributes.cpp (" +
                         kRegenerate + " drops it)");
  }
  if (f.doc.header != kind.header) problems.push_back(where + "the header row differs");
  return table(kind.header, rows);
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "--check" && mode != "--write") {
    std::cerr << "usage: policy_docs --check|--write SOURCE_ROOT\n";
    return 2;
  }
  const bool write = mode == "--write";
  const std::string root = argv[2];
  try {
    const auto generated = sections();
    const char* const docs[] = {"docs/policy-json.md", "docs/apim-compatibility.md"};
    std::map<std::string, std::string> texts;
    std::vector<Found> all;
    for (const char* doc : docs) {
      texts[doc] = read(root + "/" + doc);
      for (Found& f : find_sections(doc, texts[doc], generated)) all.push_back(std::move(f));
    }
    std::vector<std::string> problems;
    std::map<std::string, int> used;
    for (const char* doc : docs) {
      const std::string& text = texts[doc];
      std::string updated;
      size_t pos = 0;
      for (const Found& f : all) {
        if (f.file != doc) continue;
        ++used[f.name];
        const size_t before = problems.size();
        const std::string body = render(generated.at(f.name), f, all, write, problems);
        if (problems.size() == before && body != text.substr(f.body, f.end - f.body))
          problems.push_back(f.file + ": " + f.name +
                             ": the table differs from what policy-docs writes (row order, "
                             "merged rows or spacing)");
        updated += text.substr(pos, f.body - pos) + body;
        pos = f.end;
      }
      updated += text.substr(pos);
      if (write && updated != text) {
        std::ofstream(root + "/" + doc, std::ios::binary) << updated;
        std::cout << "rewrote " << doc << "\n";
      }
    }
    int status = 0;
    for (const auto& [name, section] : generated) {
      if (used[name] != 1) {
        std::cerr << "the section \"" << name << "\" appears " << used[name]
                  << " times in docs/ (once expected)\n";
        status = 1;
      }
    }
    // --write reports what it cannot do: the prose of new rows.
    const auto is_prose = [](const std::string& p) { return p.ends_with(kProseToWrite); };
    if (write) {
      for (const std::string& p : problems)
        if (is_prose(p)) std::cerr << p << "\n";
    } else if (!problems.empty()) {
      for (const std::string& p : problems) std::cerr << p << "\n";
      if (!std::all_of(problems.begin(), problems.end(), is_prose))
        std::cerr << "regenerate the generated columns with: " << kRegenerate << "\n";
      status = 1;
    }
    return status;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
