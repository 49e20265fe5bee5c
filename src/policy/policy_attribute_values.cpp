// Values of the attribute tables' rows (policy_attributes.h): text to field,
// field to text, defaults, ranges and comparisons, shared by the XML and JSON
// readers and writers so that both forms accept, refuse and write the same.
#include <charconv>

#include "core/ascii.h"
#include "policy/named_values.h"
#include "policy/policy_attributes.h"

namespace jwtgate {
namespace {

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

void set_int(FieldRef f, int64_t n) {
  std::visit(Overloaded{[&](bool* v) { *v = n != 0; },
                        [&](int* v) { *v = static_cast<int>(n); },
                        [&](int64_t* v) { *v = n; },
                        [&](size_t* v) { *v = static_cast<size_t>(n); },
                        [&](AlgSet* v) { *v = static_cast<AlgSet>(n); },
                        [](auto*) {}},
             f);
}

void set_string(FieldRef f, std::string s) {
  std::visit(Overloaded{[&](std::string* v) { *v = std::move(s); },
                        [&](std::optional<std::string>* v) { *v = std::move(s); },
                        [&](std::vector<std::string>* v) { v->push_back(std::move(s)); },
                        [](auto*) {}},
             f);
}

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// "\"all\" or \"any\"", "\"a\", \"b\" or \"c\"".
std::string choice_list(std::span<const Choice> choices) {
  std::string out;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i) out += i + 1 == choices.size() ? " or " : ", ";
    out += '"' + std::string(choices[i].name) + '"';
  }
  return out;
}

template <typename Owner>
bool rows_equal(const Owner& a, const Owner& b) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows)
    if (row.field.cref && !field_equal(row.field.cref(a), row.field.cref(b))) return false;
  return true;
}

template <typename Owner>
bool all_rows_equal(const std::vector<Owner>& a, const std::vector<Owner>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!rows_equal(a[i], b[i])) return false;
  return true;
}

template <typename Owner>
void check_int_ranges(const Owner& o, PolicyKind kind, const std::string& prefix,
                      Diagnostics& diag) {
  for (const Attribute<Owner>& row : attribute_table<Owner>().rows) {
    if (row.type != AttrType::Int || !applies(row, kind) || is_default(row, o)) continue;
    const int64_t n = field_int(row.field.cref(o));
    if (n < row.min || n > row.max)
      diag.error(prefix + row.json + " " + range_message(row.min, row.max, n), prefix + row.json);
  }
}

}  // namespace

int64_t field_int(ConstFieldRef f) {
  return std::visit(Overloaded{[](const bool* v) -> int64_t { return *v ? 1 : 0; },
                               [](const int* v) -> int64_t { return *v; },
                               [](const int64_t* v) -> int64_t { return *v; },
                               [](const size_t* v) -> int64_t { return static_cast<int64_t>(*v); },
                               [](const AlgSet* v) -> int64_t { return *v; },
                               [](const auto*) -> int64_t { return 0; }},
                    f);
}

const std::string* field_string(ConstFieldRef f) {
  return std::visit(
      Overloaded{[](const std::string* v) -> const std::string* { return v; },
                 [](const std::optional<std::string>* v) -> const std::string* {
                   return v->has_value() ? &**v : nullptr;
                 },
                 [](const auto*) -> const std::string* { return nullptr; }},
      f);
}

const std::vector<std::string>& field_list(ConstFieldRef f) {
  static const std::vector<std::string> kNone;
  const auto* const* v = std::get_if<const std::vector<std::string>*>(&f);
  return v ? **v : kNone;
}

bool field_equal(ConstFieldRef a, ConstFieldRef b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto* x) {
        const auto* y = std::get<std::remove_cvref_t<decltype(x)>>(b);
        return *x == *y;
      },
      a);
}

const char* expression_reason(ExprRule rule) {
  switch (rule) {
    case ExprRule::ApimForbids:
      return " (APIM forbids them too)";
    case ExprRule::NeededAtLoad:
      return " (jwtgate needs its value when the policy loads)";
    case ExprRule::Allowed:
      break;
  }
  return "";
}

std::string refusal(ExprRule expressions, bool named_values, std::string_view raw,
                    const std::string& where) {
  if (expressions != ExprRule::Allowed && is_policy_expression(raw))
    return "policy expressions are not allowed " + where + expression_reason(expressions);
  if (!named_values && raw.find("{{") != std::string_view::npos)
    return "named values are not allowed " + where;
  return {};
}

std::vector<std::string> algorithm_names(AlgSet set) {
  std::vector<std::string> names;
  for (int i = 0; i < kAlgCount; ++i)
    if (set & alg_bit(static_cast<Alg>(i))) names.emplace_back(alg_name(static_cast<Alg>(i)));
  return names;
}

std::string range_message(int64_t min, int64_t max, int64_t n) {
  return "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", not " +
         std::to_string(n);
}

template <typename Owner>
void keep_partial(const Attribute<Owner>& a, std::string text, Owner& o) {
  if (a.type != AttrType::String) return;
  const FieldRef f = a.field.ref(o);
  if (std::string* const* s = std::get_if<std::string*>(&f)) **s = std::move(text);
}

template <typename Owner>
bool store_int(const Attribute<Owner>& a, int64_t n, Owner& o, const Report& report) {
  if (a.type == AttrType::Int && (n < a.min || n > a.max)) {
    report(range_message(a.min, a.max, n));
    return false;
  }
  set_int(a.field.ref(o), n);
  return true;
}

template <typename Owner>
bool store_names(const Attribute<Owner>& a, const std::vector<std::string>& names, Owner& o,
                 const Report& report) {
  AlgSet set = 0;
  bool ok = true;
  for (const std::string& name : names) {
    const Alg alg = alg_from_name(name);
    if (alg == Alg::Unknown) {
      report("\"" + name + "\" is not a JWS algorithm jwtgate implements");
      ok = false;
    } else {
      set |= alg_bit(alg);
    }
  }
  if (names.empty()) {
    report("must list at least one algorithm");
    ok = false;
  }
  set_int(a.field.ref(o), set);
  return ok;
}

template <typename Owner>
bool store_text(const Attribute<Owner>& a, std::string text, Owner& o, const Report& report) {
  switch (a.type) {
    case AttrType::String:
    case AttrType::StringList:
      set_string(a.field.ref(o), std::move(text));
      return true;
    case AttrType::Bool:
      // bool.Parse's spellings; the XML schema's "1" and "0" are refused.
      if (ascii_iequals(text, "true")) return store_int(a, 1, o, report);
      if (ascii_iequals(text, "false")) return store_int(a, 0, o, report);
      report("must be true or false, not \"" + text + "\"");
      return false;
    case AttrType::Int: {
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
        report("must be an integer, not \"" + text + "\"");
        return false;
      }
      return store_int(a, n, o, report);
    }
    case AttrType::Choice:
      for (const Choice& c : a.choices)
        if (text == c.name) return store_int(a, c.value, o, report);
      report(std::string(a.json) + " must be " + choice_list(a.choices) + ", not \"" + text + "\"");
      return false;
    case AttrType::Algorithms: {
      // Space-separated JWS names, the XML spelling of the JSON array.
      std::vector<std::string> names;
      size_t pos = 0;
      while (pos < text.size()) {
        while (pos < text.size() && is_xml_space(text[pos])) ++pos;
        size_t end = pos;
        while (end < text.size() && !is_xml_space(text[end])) ++end;
        if (end == pos) break;
        names.push_back(text.substr(pos, end - pos));
        pos = end;
      }
      return store_names(a, names, o, report);
    }
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      return true;
  }
  return false;
}

template <typename Owner>
bool is_default(const Attribute<Owner>& a, const Owner& o) {
  if (!a.field.cref) return true;
  static const Owner kDefault{};
  return field_equal(a.field.cref(o), a.field.cref(kDefault));
}

template <typename Owner>
bool is_written(const Attribute<Owner>& a, const Owner& o, PolicyKind kind) {
  if (!applies(a, kind) || !a.field.cref) return false;
  if constexpr (std::is_same_v<Owner, Policy>) {
    if (a.token_source) return o.source == *a.token_source;
  }
  return a.write == WriteRule::Always || !is_default(a, o);
}

template <typename Owner>
std::string value_text(const Attribute<Owner>& a, const Owner& o) {
  const ConstFieldRef f = a.field.cref(o);
  switch (a.type) {
    case AttrType::String: {
      const std::string* s = field_string(f);
      return s ? *s : std::string();
    }
    case AttrType::Bool:
      return field_int(f) ? "true" : "false";
    case AttrType::Int:
      return std::to_string(field_int(f));
    case AttrType::Choice:
      for (const Choice& c : a.choices)
        if (c.value == field_int(f)) return c.name;
      return {};
    case AttrType::Algorithms: {
      std::string out;
      for (const std::string& name : algorithm_names(static_cast<AlgSet>(field_int(f))))
        out += (out.empty() ? "" : " ") + name;
      return out;
    }
    case AttrType::StringList:
    case AttrType::SchemaIgnored:
    case AttrType::SchemaUnsupported:
      break;
  }
  return {};
}

bool check_ranges(const Policy& p, Diagnostics& diag) {
  Diagnostics local;
  check_int_ranges(p, p.kind, "", local);
  check_int_ranges(p.ext, p.kind, "jwtgate.", local);
  diag.append(local);
  return !local.has_errors();
}

bool same_settings(const Policy& a, const Policy& b) {
  return a.kind == b.kind && a.source == b.source && rows_equal(a, b) &&
         rows_equal(a.ext, b.ext) && all_rows_equal(a.openid_configs, b.openid_configs) &&
         all_rows_equal(a.issuer_signing_keys, b.issuer_signing_keys) &&
         all_rows_equal(a.decryption_keys, b.decryption_keys) &&
         all_rows_equal(a.required_claims, b.required_claims);
}

#define JWTGATE_INSTANTIATE(Owner)                                                            \
  template bool store_text(const Attribute<Owner>&, std::string, Owner&, const Report&);     \
  template bool store_int(const Attribute<Owner>&, int64_t, Owner&, const Report&);          \
  template void keep_partial(const Attribute<Owner>&, std::string, Owner&);                  \
  template bool store_names(const Attribute<Owner>&, const std::vector<std::string>&, Owner&, \
                            const Report&);                                                   \
  template bool is_written(const Attribute<Owner>&, const Owner&, PolicyKind);               \
  template bool is_default(const Attribute<Owner>&, const Owner&);                           \
  template std::string value_text(const Attribute<Owner>&, const Owner&);
JWTGATE_INSTANTIATE(Policy)
JWTGATE_INSTANTIATE(OpenIdConfig)
JWTGATE_INSTANTIATE(PolicyKey)
JWTGATE_INSTANTIATE(RequiredClaim)
JWTGATE_INSTANTIATE(Extensions)
#undef JWTGATE_INSTANTIATE

}  // namespace jwtgate
