// The attribute tables (src/policy/policy_attributes.cpp) against both forms.
// Every test walks the tables themselves, so a new row is covered without a
// new test: for each row and each place it can appear (validate-jwt,
// validate-azure-ad-token, issuer-signing-keys, decryption-keys), a policy
// that gives it a value other than its default
//   - loads from XML, and the row's field holds that value;
//   - loads the same from the JSON the test writes for it;
//   - goes XML -> JSON -> XML without loss: policy_to_xml of the XML load and
//     of the reload of its policy_to_json are identical, and the two loads
//     have the same settings;
// and each row keeps its rules in both forms: its range, its expressions,
// its named values, and whether its element needs it.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "policy/policy_attributes.h"
#include "policy/policy_forms.h"

using namespace jwtgate;

namespace {

constexpr PolicyKind kKinds[] = {PolicyKind::ValidateJwt, PolicyKind::ValidateAzureAdToken};

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// XML escaping for the test's own documents: attribute whitespace other
// than space as character references, so that it survives XML 1.0 3.3.3.
std::string xml_escape(const std::string& s, bool attribute) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (attribute && static_cast<unsigned char>(c) < 0x20)
      out += "&#" + std::to_string(static_cast<unsigned char>(c)) + ";";
    else out += c;
  }
  return out;
}

std::string json_string(const std::string& s) {
  std::string out;
  json_append_escaped(out, s);
  return out;
}

// A member of a test document: a row's names and its value(s), as text.
struct Member {
  const char* json;
  const char* xml;
  XmlForm form;
  const char* item;
  bool array;  // JSON: an array (lists, algorithms)
  std::vector<std::string> values;
};

template <typename Owner>
Member member(const Attribute<Owner>& row, std::vector<std::string> values) {
  const bool array = row.type == AttrType::StringList || row.type == AttrType::Algorithms;
  return {row.json, row.xml, row.xml_form, row.item, array, std::move(values)};
}

using Members = std::vector<Member>;

std::string xml_element(const std::string& name, const Members& members,
                        const std::string& children = "") {
  std::string attrs, content;
  for (const Member& m : members) {
    switch (m.form) {
      case XmlForm::Attribute:
        attrs += " " + std::string(m.xml) + "=\"" + xml_escape(join(m.values, " "), true) + "\"";
        break;
      case XmlForm::Text:
        content += xml_escape(m.values.at(0), false);
        break;
      case XmlForm::List:
        content += "<" + std::string(m.xml) + ">";
        for (const std::string& v : m.values)
          content += "<" + std::string(m.item) + ">" + xml_escape(v, false) + "</" + m.item + ">";
        content += "</" + std::string(m.xml) + ">";
        break;
      case XmlForm::Items:
        for (const std::string& v : m.values)
          content += "<" + std::string(m.item) + ">" + xml_escape(v, false) + "</" + m.item + ">";
        break;
    }
  }
  return "<" + name + attrs + ">" + content + children + "</" + name + ">";
}

std::string json_object(const Members& members, const std::string& extra = "") {
  std::string out = "{";
  for (const Member& m : members) {
    if (out.size() > 1) out += ", ";
    out += json_string(m.json) + ": ";
    if (m.array) {
      out += "[";
      for (size_t i = 0; i < m.values.size(); ++i) out += (i ? ", " : "") + json_string(m.values[i]);
      out += "]";
    } else {
      out += json_string(m.values.at(0));
    }
  }
  if (!extra.empty()) out += (out.size() > 1 ? ", " : "") + extra;
  return out + "}";
}

// Where a row is tested: the policy kind, and for key rows the key list.
struct Place {
  PolicyKind kind;
  const char* keys = nullptr;  // issuer-signing-keys or decryption-keys
  bool signing = true;
};

std::string describe(const Place& p) {
  return std::string(policy_element_name(p.kind)) + (p.keys ? std::string("/") + p.keys : "");
}

// Documents: the row's member (or none) in its element, with what the
// element needs besides: a token source for validate-jwt, the required rows,
// a key form. |omit| leaves a required row out.
struct Doc {
  std::string xml, json;
};

template <typename Owner>
Members fillers(const Place& place, const Attribute<Owner>* row, const Attribute<Owner>* omit);

template <>
Members fillers<Policy>(const Place& place, const Attribute<Policy>* row,
                        const Attribute<Policy>* omit) {
  Members m;
  for (const Attribute<Policy>& r : attribute_table<Policy>().rows)
    if (r.required && applies(r, place.kind) && &r != row && &r != omit)
      m.push_back(member(r, {"filler"}));
  // validate-jwt needs exactly one token source.
  if (place.kind == PolicyKind::ValidateJwt && !(row && row->token_source))
    m.push_back(member(*find_json_attribute<Policy>("header-name", place.kind), {"Authorization"}));
  return m;
}

template <typename Owner>
Members fillers(const Place& place, const Attribute<Owner>* row, const Attribute<Owner>* omit) {
  Members m;
  for (const Attribute<Owner>& r : attribute_table<Owner>().rows)
    if (r.required && applies(r, place.kind, place.signing) && &r != row && &r != omit)
      m.push_back(member(r, {"filler"}));
  if constexpr (std::is_same_v<Owner, PolicyKey>) {
    // A key has exactly one form: base64 text, certificate-id, or n with e.
    const std::string name = row ? row->json : "";
    if (name == "n") m.push_back(member(*find_json_attribute<PolicyKey>("e", place.kind), {"AQAB"}));
    else if (name == "e") m.push_back(member(*find_json_attribute<PolicyKey>("n", place.kind), {"AQAB"}));
    else if (name != "certificate-id" && name != "value")
      m.push_back(member(*find_json_attribute<PolicyKey>("certificate-id", place.kind), {"c"}));
  }
  return m;
}

Doc policy_doc(const Place& place, Members members, const std::string& xml_children = "",
               const std::string& json_extra = "") {
  const std::string k = policy_element_name(place.kind);
  return {xml_element(k, members, xml_children),
          "{" + json_string(k) + ": " + json_object(members, json_extra) + "}"};
}

// doc: a policy whose element of |Owner| holds |given| (and what it needs).
template <typename Owner>
Doc doc(const Place& place, const Attribute<Owner>* row, const Members& given,
        const Attribute<Owner>* omit = nullptr) {
  Members m = fillers<Owner>(place, row, omit);
  m.insert(m.end(), given.begin(), given.end());
  if constexpr (std::is_same_v<Owner, Policy>) {
    return policy_doc(place, m);
  } else {
    const std::string name = attribute_table<Owner>().element;
    const Members parent = fillers<Policy>(place, nullptr, nullptr);
    if constexpr (std::is_same_v<Owner, Extensions>) {
      return policy_doc(place, parent, xml_element(name, m), json_string(name) + ": " + json_object(m));
    } else {
      // openid-config repeats as itself; keys and claims have a list element.
      const char* list = std::is_same_v<Owner, PolicyKey>      ? place.keys
                         : std::is_same_v<Owner, RequiredClaim> ? element_name(PolicyElementId::RequiredClaims)
                                                                : nullptr;
      const std::string el = xml_element(name, m);
      const std::string xml = list ? "<" + std::string(list) + ">" + el + "</" + list + ">" : el;
      const std::string json = json_string(list ? list : name.c_str()) + ": [" + json_object(m) + "]";
      return policy_doc(place, parent, xml, json);
    }
  }
}

// The places a row of |Owner| can be, and its element in a loaded policy.
template <typename Owner>
std::vector<Place> places(const Attribute<Owner>& row) {
  std::vector<Place> out;
  for (PolicyKind kind : kKinds) {
    if (!applies(row, kind)) continue;
    if constexpr (std::is_same_v<Owner, PolicyKey>) {
      if (find_policy_element(element_name(PolicyElementId::IssuerSigningKeys), kind))
        out.push_back({kind, element_name(PolicyElementId::IssuerSigningKeys), true});
      if (!row.signing_keys_only)
        out.push_back({kind, element_name(PolicyElementId::DecryptionKeys), false});
    } else if constexpr (std::is_same_v<Owner, OpenIdConfig>) {
      if (find_policy_element(attribute_table<Owner>().element, kind)) out.push_back({kind});
    } else {
      out.push_back({kind});
    }
  }
  return out;
}

template <typename Owner, typename P>
auto& element_of(P& p, const Place& place) {
  if constexpr (std::is_same_v<Owner, Policy>) return p;
  else if constexpr (std::is_same_v<Owner, Extensions>) return p.ext;
  else if constexpr (std::is_same_v<Owner, OpenIdConfig>) return p.openid_configs.at(0);
  else if constexpr (std::is_same_v<Owner, RequiredClaim>) return p.required_claims.at(0);
  else return (place.signing ? p.issuer_signing_keys : p.decryption_keys).at(0);
}

// samples: values of the row other than its default; for Int both ends of
// its range.
template <typename Owner>
std::vector<std::vector<std::string>> samples(const Attribute<Owner>& row) {
  static const Owner kDefault{};
  switch (row.type) {
    case AttrType::String:
      return {{"v&<a>\"l'ue\tone"}};
    case AttrType::Bool:
      return {{value_text(row, kDefault) == "true" ? "false" : "true"}};
    case AttrType::Int: {
      std::vector<std::vector<std::string>> out;
      for (int64_t n : {row.min, row.max})
        if (std::to_string(n) != value_text(row, kDefault)) out.push_back({std::to_string(n)});
      return out;
    }
    case AttrType::Choice: {
      std::vector<std::vector<std::string>> out;
      for (const Choice& c : row.choices)
        if (c.name != value_text(row, kDefault)) out.push_back({c.name});
      return out;
    }
    case AttrType::Algorithms:
      return {{"RS384"}, algorithm_names(kAllAlgs)};
    case AttrType::StringList:
      return {{"first", "sec&<ond> two"}};
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      return {{"x"}};
  }
  return {};
}

struct Loaded {
  bool ok = false;
  Policy policy;
  Diagnostics diag;
};

Loaded load_xml(const std::string& text, const LoadOptions& opts = {}) {
  Loaded l;
  l.ok = load_policy_xml(text, opts, l.policy, l.diag);
  return l;
}

Loaded load_json(const std::string& text, const LoadOptions& opts = {}) {
  Loaded l;
  l.ok = load_policy_json(text, opts, l.policy, l.diag);
  return l;
}

// holds: the row's field in |o| is |values| (and not its default).
template <typename Owner>
void check_holds(const Attribute<Owner>& row, const Owner& o, const std::vector<std::string>& values) {
  const ConstFieldRef f = row.field.cref(o);
  switch (row.type) {
    case AttrType::String: {
      const std::string* s = field_string(f);
      REQUIRE(s);
      CHECK(*s == values.at(0));
      break;
    }
    case AttrType::StringList:
      CHECK(field_list(f) == values);
      break;
    default:
      CHECK(value_text(row, o) == join(values, " "));
  }
  CHECK_FALSE(is_default(row, o));
}

// for_each_row calls fn(row, place) for every row of every table in every
// place it can be.
template <typename Owner, typename Fn>
void rows_of(Fn& fn) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows)
    for (const Place& place : places(row)) fn(row, place);
}

template <typename Fn>
void for_each_row(Fn fn) {
  rows_of<Policy>(fn);
  rows_of<OpenIdConfig>(fn);
  rows_of<PolicyKey>(fn);
  rows_of<RequiredClaim>(fn);
  rows_of<Extensions>(fn);
}

template <typename T>
struct OwnerOf;
template <typename Owner>
struct OwnerOf<Attribute<Owner>> {
  using type = Owner;
};
template <typename Row>
using owner_t = typename OwnerOf<std::remove_cvref_t<Row>>::type;

// The text of a row's value as an XML message names it.
template <typename Owner>
std::string xml_what(const Attribute<Owner>& row) {
  switch (row.xml_form) {
    case XmlForm::Attribute: return row.xml;
    case XmlForm::Text: return "<" + std::string(attribute_table<Owner>().element) + ">";
    default: return "<" + std::string(row.item) + ">";
  }
}

// set_number puts |n| in an integer field, past the readers' checks.
void set_number(FieldRef f, int64_t n) {
  std::visit(
      [&](auto* v) {
        using T = std::remove_pointer_t<decltype(v)>;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) *v = static_cast<T>(n);
      },
      f);
}

template <typename Owner>
std::string where(const Attribute<Owner>& row, const Place& place) {
  const std::string el = attribute_table<Owner>().element;
  return describe(place) + (el.empty() ? "" : " " + el) + " " + row.json;
}

}  // namespace

TEST_CASE("attribute tables: every row goes XML -> JSON -> XML without loss", "[policy]") {
  size_t cases = 0, rows = 0;
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    ++rows;
    const bool ignored = is_schema_only(row.type);
    const Loaded without = load_xml(doc<Owner>(place, nullptr, {}).xml);
    REQUIRE(without.ok);
    for (const std::vector<std::string>& values : samples(row)) {
      const Doc d = doc<Owner>(place, &row, {member(row, values)});
      INFO(where(row, place) << " = " << join(values, " | ") << "\n" << d.xml << "\n" << d.json);
      ++cases;

      // XML: the field holds the value (a schema-only row: one warning, and
      // the policy is as without it).
      const Loaded x = load_xml(d.xml);
      INFO(x.diag.text());
      REQUIRE(x.ok);
      if (ignored) {
        REQUIRE(x.diag.items().size() == 1);
        CHECK(x.diag.items()[0].warning);
        CHECK_THAT(x.diag.items()[0].message, Catch::Contains("is known only to the APIM schema"));
        CHECK(x.diag.items()[0].path == describe(place) +
                                            (std::string(attribute_table<Owner>().element).empty()
                                                 ? ""
                                                 : "/" + std::string(attribute_table<Owner>().element) + "[1]") +
                                            "/@" + row.xml);
        CHECK(same_settings(x.policy, without.policy));
      } else {
        CHECK(x.diag.empty());
        check_holds(row, element_of<Owner>(x.policy, place), values);
        CHECK_FALSE(same_settings(x.policy, without.policy));
      }

      // The same member in JSON loads to the same settings.
      const Loaded j = load_json(d.json);
      INFO(j.diag.text());
      REQUIRE(j.ok);
      CHECK(j.diag.items().size() == x.diag.items().size());
      CHECK(same_settings(j.policy, x.policy));

      // XML -> JSON -> XML, and each form back to itself.
      const std::string xml1 = policy_to_xml(x.policy);
      const std::string json1 = policy_to_json(x.policy);
      INFO(xml1 << "\n" << json1);
      const Loaded back = load_json(json1);
      INFO(back.diag.text());
      REQUIRE(back.ok);
      CHECK(back.diag.empty());
      CHECK(policy_to_xml(back.policy) == xml1);
      CHECK(policy_to_json(back.policy) == json1);
      CHECK(same_settings(back.policy, x.policy));
      if (!ignored) check_holds(row, element_of<Owner>(back.policy, place), values);
      const Loaded again = load_xml(xml1);
      INFO(again.diag.text());
      REQUIRE(again.ok);
      CHECK(again.diag.empty());
      CHECK(same_settings(again.policy, x.policy));
      CHECK(policy_to_xml(again.policy) == xml1);
    }
  });
  // Every row in every place, and each Int row at both ends of its range.
  CHECK(rows >= 50);
  CHECK(cases > rows);
}

TEST_CASE("attribute tables: each range is enforced by both readers and by finalize", "[policy]") {
  size_t checked = 0;
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    if (row.type != AttrType::Int) return;
    for (int64_t n : {row.min - 1, row.max + 1}) {
      INFO(where(row, place) << " = " << n);
      ++checked;
      const std::string want = range_message(row.min, row.max, n);
      const Doc d = doc<Owner>(place, &row, {member(row, {std::to_string(n)})});
      const Loaded x = load_xml(d.xml);
      CHECK_FALSE(x.ok);
      REQUIRE(x.diag.items().size() == 1);
      CHECK(x.diag.items()[0].message == want);
      CHECK_THAT(x.diag.items()[0].path, Catch::EndsWith("/@" + std::string(row.xml)));
      // JSON: as a string of digits (the test's documents write strings)
      // and as a number.
      const Loaded j = load_json(d.json);
      CHECK_FALSE(j.ok);
      REQUIRE(j.diag.items().size() == 1);
      CHECK(j.diag.items()[0].message == want);
      CHECK_THAT(j.diag.items()[0].path, Catch::EndsWith("." + std::string(row.json)));
      std::string number = d.json;
      const std::string quoted = "\"" + std::to_string(n) + "\"";
      number.replace(number.find(quoted), quoted.size(), std::to_string(n));
      const Loaded jn = load_json(number);
      CHECK_FALSE(jn.ok);
      REQUIRE(jn.diag.items().size() == 1);
      CHECK(jn.diag.items()[0].message == want);

      // A policy built in code with that value does not finalize (the
      // policy's own settings and its extensions; the rows of repeated
      // elements are the readers' to check).
      if constexpr (std::is_same_v<Owner, Policy> || std::is_same_v<Owner, Extensions>) {
        Policy p;
        p.kind = place.kind;
        set_number(row.field.ref(element_of<Owner>(p, place)), n);
        Diagnostics diag;
        CHECK_FALSE(p.finalize(diag));
        CHECK_THAT(diag.text(), Catch::Contains(std::string(row.json) + " " + want));
      }
    }
  });
  CHECK(checked >= 12);
}

TEST_CASE("attribute tables: expressions follow each row's rule in both forms", "[policy]") {
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    if (is_schema_only(row.type)) return;
    const std::vector<std::string> values = samples(row).at(0);
    // Each value an expression whose value the caller supplies. An XML
    // attribute holds one expression, even for a list of algorithms.
    LoadOptions opts;
    std::vector<std::string> exprs;
    const bool one = row.type == AttrType::Algorithms;
    for (size_t i = 0; i < (one ? 1 : values.size()); ++i) {
      exprs.push_back("@(value" + std::to_string(i) + ")");
      opts.expression_values[exprs.back()] = one ? join(values, " ") : values[i];
    }
    const Doc plain = doc<Owner>(place, &row, {member(row, values)});
    const Doc d = doc<Owner>(place, &row, {member(row, exprs)});
    INFO(where(row, place) << "\n" << d.xml << "\n" << d.json);
    const Loaded x = load_xml(d.xml, opts);
    INFO(x.diag.text());
    if (row.expressions == ExprRule::Allowed) {
      REQUIRE(x.ok);
      CHECK(same_settings(x.policy, load_xml(plain.xml).policy));
      const Loaded j = load_json(d.json, opts);
      INFO(j.diag.text());
      REQUIRE(j.ok);
      CHECK(same_settings(j.policy, x.policy));
    } else {
      // Refused even with a value supplied, saying why.
      CHECK_FALSE(x.ok);
      REQUIRE_FALSE(x.diag.items().empty());
      CHECK(x.diag.items()[0].message == "policy expressions are not allowed in " + xml_what(row) +
                                             expression_reason(row.expressions));
      const Loaded j = load_json(d.json, opts);
      CHECK_FALSE(j.ok);
      REQUIRE_FALSE(j.diag.items().empty());
      CHECK(j.diag.items()[0].message ==
            std::string("policy expressions are not allowed here") + expression_reason(row.expressions));
    }
  });
}

TEST_CASE("attribute tables: named values are resolved where each row allows them", "[policy]") {
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    if (is_schema_only(row.type)) return;
    const std::vector<std::string> values = samples(row).at(0);
    LoadOptions opts;
    std::vector<std::string> refs;
    const bool one = row.type == AttrType::Algorithms;
    for (size_t i = 0; i < (one ? 1 : values.size()); ++i) {
      refs.push_back("{{value" + std::to_string(i) + "}}");
      opts.named_values["value" + std::to_string(i)] = one ? join(values, " ") : values[i];
    }
    const Doc plain = doc<Owner>(place, &row, {member(row, values)});
    const Doc d = doc<Owner>(place, &row, {member(row, refs)});
    INFO(where(row, place) << "\n" << d.xml << "\n" << d.json);
    const Loaded x = load_xml(d.xml, opts);
    const Loaded j = load_json(d.json, opts);
    INFO(x.diag.text() << j.diag.text());
    if (row.named_values) {
      REQUIRE(x.ok);
      REQUIRE(j.ok);
      CHECK(same_settings(x.policy, load_xml(plain.xml).policy));
      CHECK(same_settings(j.policy, x.policy));
    } else {
      CHECK_FALSE(x.ok);
      CHECK_FALSE(j.ok);
    }
  });
}

TEST_CASE("attribute tables: an element without a required row is refused in both forms", "[policy]") {
  size_t required = 0;
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    if (!row.required) return;
    ++required;
    const Doc d = doc<Owner>(place, nullptr, {}, &row);
    INFO(where(row, place) << "\n" << d.xml << "\n" << d.json);
    const Loaded x = load_xml(d.xml);
    const Loaded j = load_json(d.json);
    CHECK_FALSE(x.ok);
    CHECK_FALSE(j.ok);
    CHECK_THAT(x.diag.text(), Catch::Contains(row.json));
    CHECK_THAT(j.diag.text(), Catch::Contains(row.json));
    // With it, the same document loads.
    CHECK(load_xml(doc<Owner>(place, nullptr, {}).xml).ok);
  });
  CHECK(required >= 3);
}

TEST_CASE("attribute tables: names are unique where the readers look them up", "[policy]") {
  for_each_row([&](const auto& row, const Place& place) {
    using Owner = owner_t<decltype(row)>;
    INFO(where(row, place));
    CHECK(find_json_attribute<Owner>(row.json, place.kind, place.signing) == &row);
    switch (row.xml_form) {
      case XmlForm::Attribute:
        CHECK(find_xml_attribute<Owner>(row.xml, place.kind, place.signing) == &row);
        CHECK_FALSE(find_policy_element(row.xml, place.kind));
        break;
      case XmlForm::List:
        CHECK(find_xml_element<Owner>(row.xml, place.kind) == &row);
        CHECK_FALSE(find_policy_element(row.xml, place.kind));
        break;
      case XmlForm::Items:
        CHECK(find_xml_item<Owner>(row.item, place.kind) == &row);
        break;
      case XmlForm::Text:
        CHECK(find_xml_text<Owner>(place.kind, place.signing) == &row);
        break;
    }
    // The ranges and choices are usable. (That the row is documented is the
    // policy-docs test's: the prose lives in docs/.)
    if (row.type == AttrType::Int) CHECK(row.min < row.max);
    if (row.type == AttrType::Choice) CHECK(row.choices.size() >= 2);
    if (row.xml_form == XmlForm::List || row.xml_form == XmlForm::Items) CHECK(row.item);
  });
}
