// Reading the APIM XML form of a policy (policy_forms.h), with pugixml.
//
// The XML reader accepts what the JSON reader (policy_json_reader.cpp)
// accepts, with the same defaults and messages, so that both forms load to
// the same Policy: both are driven by the attribute tables
// (policy_attributes.h), where XML attributes are JSON members and repeated
// child elements are arrays. What is XML-only:
//   - positions: every diagnostic carries the 1-based line and column of the
//     element's '<', the attribute's name, or the first non-blank character
//     of the element text it is about (policy_xml_positions.h), and an
//     element path such as "validate-jwt/required-claims/claim[2]/@match"
//     (1-based, like XPath);
//   - the policy document and the choice of the element
//     (policy_xml_document.h);
//   - XML hygiene: duplicate attributes refused, stray text refused.
// Element text is kept exactly as written, whitespace included (what .NET's
// XElement.Value returns); surrounding whitespace around a value is reported
// as a warning because a token value would have to contain it to match.
#include <set>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "policy/named_values.h"
#include "policy/policy_attributes.h"
#include "policy/policy_forms.h"
#include "policy/policy_reading.h"
#include "policy/policy_xml_document.h"

namespace jwtgate {
namespace {

using pugi::xml_attribute;
using pugi::xml_node;

std::string indexed(const std::string& path, const char* item, size_t i) {
  return path + "/" + item + "[" + std::to_string(i) + "]";
}

// RowsSeen: which rows of an element's table were given and whether each
// loaded, for the element's own checks of its required rows.
template <typename Owner>
class RowsSeen {
 public:
  void note(const Attribute<Owner>& row, bool ok) { state_.at(index(row)) = ok ? kLoaded : kFailed; }
  bool given(const Attribute<Owner>& row) const { return state_.at(index(row)) != kAbsent; }
  bool failed(const Attribute<Owner>& row) const { return state_.at(index(row)) == kFailed; }
  bool any_failed() const {
    for (uint8_t s : state_)
      if (s == kFailed) return true;
    return false;
  }

 private:
  enum : uint8_t { kAbsent, kLoaded, kFailed };
  static size_t index(const Attribute<Owner>& row) {
    return static_cast<size_t>(&row - attribute_table<Owner>().rows.data());
  }
  std::vector<uint8_t> state_ = std::vector<uint8_t>(attribute_table<Owner>().rows.size(), kAbsent);
};

// XmlReader reads one validation element, collecting every problem rather
// than stopping at the first.
class XmlReader {
 public:
  XmlReader(const TextPositions& pos, const LoadOptions& opts, Diagnostics& diag)
      : pos_(pos), opts_(opts), diag_(diag) {}

  void policy(xml_node el, PolicyKind kind, Policy& p);

 private:
  template <typename Node>
  void error(Node at, std::string message, const std::string& path) {
    const Pos p = pos_.of(at);
    diag_.error(std::move(message), path, p.line, p.column);
  }
  template <typename Node>
  void warn(Node at, std::string message, const std::string& path) {
    const Pos p = pos_.of(at);
    diag_.warn(std::move(message), path, p.line, p.column);
  }

  template <typename Owner>
  bool store(const Attribute<Owner>& row, std::string_view raw, const std::string& what,
             const std::string& path, Pos at, Owner& o);
  template <typename Owner>
  bool attribute(const Attribute<Owner>& row, xml_attribute a, const std::string& path, Owner& o);
  template <typename Owner>
  RowsSeen<Owner> attributes(xml_node el, const std::string& path, PolicyKind kind,
                             bool signing_keys, Owner& o);

  bool collect_text(xml_node el, const std::string& path, std::string& raw, xml_node& first);
  template <typename Owner>
  bool text(xml_node el, const std::string& path, const Attribute<Owner>& row, Owner& o);

  template <typename Fn>
  void children(xml_node el, const std::string& path, Fn&& fn);
  void no_children(xml_node el, const std::string& path);
  void no_attributes(xml_node el, const std::string& path);
  void unique_attributes(xml_node el, const std::string& path);
  void unknown_attribute(xml_attribute a, const std::string& path, std::string_view owner,
                         const char* hint = nullptr);
  void unknown_element(xml_node c, const std::string& path, std::string_view owner,
                       const char* hint = nullptr);

  void string_list(xml_node el, const Attribute<Policy>& row, const std::string& path, Policy& p);
  void openid_config(xml_node el, const std::string& path, PolicyKind kind,
                     std::vector<OpenIdConfig>& out);
  void keys(xml_node el, const std::string& path, PolicyKind kind, std::vector<PolicyKey>& out,
            bool signing);
  void claims(xml_node el, const std::string& path, PolicyKind kind,
              std::vector<RequiredClaim>& out);
  void extensions(xml_node el, const std::string& path, PolicyKind kind, Extensions& ext);

  const TextPositions& pos_;
  const LoadOptions& opts_;
  Diagnostics& diag_;
};

// store applies the row's rules on expressions and named values to |raw|
// (|what| names it in messages: "clock-skew", "<audience>"), resolves it and
// stores it in the row's field; errors point at |at|.
template <typename Owner>
bool XmlReader::store(const Attribute<Owner>& row, std::string_view raw, const std::string& what,
                      const std::string& path, Pos at, Owner& o) {
  if (std::string why = refusal(row, raw, "in " + what); !why.empty()) {
    diag_.error(std::move(why), path, at.line, at.column);
    return false;
  }
  std::string s;
  if (!resolve_policy_value(raw, opts_, s, diag_, path, at.line, at.column)) {
    keep_partial(row, std::move(s), o);
    return false;
  }
  return store_text(row, std::move(s), o, [&](std::string m) {
    diag_.error(std::move(m), path, at.line, at.column);
  });
}

template <typename Owner>
bool XmlReader::attribute(const Attribute<Owner>& row, xml_attribute a, const std::string& path,
                          Owner& o) {
  if (is_schema_only(row.type)) {
    warn(a, schema_only_warning(row), path);
    return true;
  }
  return store(row, a.value(), a.name(), path, pos_.of(a), o);
}

// attributes reads every attribute of |el| into |o| through the table of
// |Owner| (the policy element itself is read by policy(), which counts the
// token sources).
template <typename Owner>
RowsSeen<Owner> XmlReader::attributes(xml_node el, const std::string& path, PolicyKind kind,
                                      bool signing_keys, Owner& o) {
  RowsSeen<Owner> seen;
  for (xml_attribute a : el.attributes()) {
    const Attribute<Owner>* row = find_xml_attribute<Owner>(a.name(), kind, signing_keys);
    if (!row) {
      if constexpr (std::is_same_v<Owner, Extensions>)
        error(a, "unknown jwtgate extension \"" + std::string(a.name()) + "\"", path);
      else
        unknown_attribute(a, path, el.name());
      continue;
    }
    seen.note(*row, attribute(*row, a, path + "/@" + a.name(), o));
  }
  return seen;
}

// collect_text gathers an element's character data (text and CDATA), which
// must be all it holds; |first| is the first text node, for positions.
bool XmlReader::collect_text(xml_node el, const std::string& path, std::string& raw,
                             xml_node& first) {
  bool ok = true;
  for (xml_node c : el.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      if (!first) first = c;
      raw += c.value();
    } else if (c.type() == pugi::node_element) {
      unknown_element(c, path, el.name());
      ok = false;
    }
  }
  return ok;
}

// text reads a text-only element such as <audience> into the row's field.
// Values are compared with token claims, so surrounding whitespace (kept, as
// .NET's XElement.Value keeps it) is almost always a layout accident: warn.
template <typename Owner>
bool XmlReader::text(xml_node el, const std::string& path, const Attribute<Owner>& row,
                     Owner& o) {
  std::string raw;
  xml_node first;
  no_attributes(el, path);
  if (!collect_text(el, path, raw, first)) return false;
  const Pos at = first ? pos_.of(first) : pos_.of(el);
  if (!raw.empty() && (is_xml_space(raw.front()) || is_xml_space(raw.back())))
    diag_.warn("the value has leading or trailing whitespace, which is kept: a token value "
               "matches only if it has the same whitespace",
               path, at.line, at.column);
  return store(row, raw, "<" + std::string(el.name()) + ">", path, at, o);
}

// children calls fn(child) for every child element; text other than layout
// whitespace has no place in a container element.
template <typename Fn>
void XmlReader::children(xml_node el, const std::string& path, Fn&& fn) {
  for (xml_node c : el.children()) {
    if (c.type() == pugi::node_element) {
      fn(c);
    } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
               !is_xml_blank(c.value())) {
      error(c, "unexpected text \"" + snippet(c.value()) + "\" in <" + std::string(el.name()) + ">",
            path);
    }
  }
}

void XmlReader::no_children(xml_node el, const std::string& path) {
  children(el, path, [&](xml_node c) { unknown_element(c, path, el.name()); });
}

void XmlReader::no_attributes(xml_node el, const std::string& path) {
  for (xml_attribute a : el.attributes()) unknown_attribute(a, path, el.name());
}

// XML 1.0 section 3.1 (Unique Att Spec): pugixml does not check it.
void XmlReader::unique_attributes(xml_node el, const std::string& path) {
  std::set<std::string_view> seen;
  for (xml_attribute a : el.attributes())
    if (!seen.insert(a.name()).second)
      error(a, "attribute \"" + std::string(a.name()) + "\" appears twice", path);
}

void XmlReader::unknown_attribute(xml_attribute a, const std::string& path,
                                  std::string_view owner, const char* hint) {
  error(a,
        "unknown attribute \"" + std::string(a.name()) + "\" for " + std::string(owner) +
            (hint ? std::string(" (") + hint + ")" : std::string()),
        path);
}

void XmlReader::unknown_element(xml_node c, const std::string& path, std::string_view owner,
                                const char* hint) {
  error(c,
        "unknown element <" + std::string(c.name()) + "> in " + std::string(owner) +
            (hint ? std::string(" (") + hint + ")" : std::string()),
        path);
}

// string_list reads a list row: <audiences><audience>a</audience>...
void XmlReader::string_list(xml_node el, const Attribute<Policy>& row, const std::string& path,
                            Policy& p) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    if (std::string_view(c.name()) != row.item) {
      unknown_element(c, path, el.name());
      return;
    }
    text(c, indexed(path, row.item, ++n), row, p);
  });
  // validate-jwt reference: "At least one audience must be specified." The
  // same holds for issuers: an empty allow-list would disable the check.
  if (row.non_empty && n == 0)
    error(el, "At least one " + std::string(row.item) + " must be specified (an empty <" +
                  std::string(el.name()) + "> is refused; leave the element out for no check)",
          path);
}

void XmlReader::openid_config(xml_node el, const std::string& path, PolicyKind kind,
                              std::vector<OpenIdConfig>& out) {
  OpenIdConfig c;
  c.line = pos_.of(el).line;
  unique_attributes(el, path);
  no_children(el, path);
  const RowsSeen<OpenIdConfig> seen = attributes(el, path, kind, true, c);
  bool complete = true;
  for (const Attribute<OpenIdConfig>& row : attribute_table<OpenIdConfig>().rows) {
    if (!row.required) continue;
    if (seen.failed(row)) return;  // its own error says why
    if (!seen.given(row)) {
      error(el, required_missing(row), path);
      complete = false;
    }
  }
  if (complete) out.push_back(std::move(c));
}

void XmlReader::keys(xml_node el, const std::string& path, PolicyKind kind,
                     std::vector<PolicyKey>& out, bool signing) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    const std::string_view name = c.name();
    if (signing && name == "zumo-master-key") {
      // XSD: a choice of <key> and <zumo-master-key> (Mobile Services, legacy).
      warn(c, "zumo-master-key is known only to the APIM schema and is ignored",
           path + "/zumo-master-key");
      return;
    }
    if (name != "key") {
      unknown_element(c, path, el.name());
      return;
    }
    const std::string kp = indexed(path, "key", ++n);
    PolicyKey k;
    k.line = pos_.of(c).line;
    unique_attributes(c, kp);
    attributes(c, kp, kind, signing, k);
    // The element text is the base64 secret ("value" in JSON). Layout
    // whitespace next to another key form is not a second form.
    std::string raw;
    xml_node first;
    if (!collect_text(c, kp, raw, first)) return;
    const bool other_form = !k.certificate_id.empty() || !k.n.empty() || !k.e.empty();
    const Attribute<PolicyKey>* text_row = find_xml_text<PolicyKey>(kind, signing);
    if (text_row && !raw.empty() && !(other_form && is_xml_blank(raw)) &&
        !store(*text_row, raw, "<key>", kp, pos_.of(first), k))
      return;
    if (std::string why = key_forms_problem(k, "base64 element text"); !why.empty()) {
      error(c, std::move(why), kp);
      return;
    }
    out.push_back(std::move(k));
  });
}

void XmlReader::claims(xml_node el, const std::string& path, PolicyKind kind,
                       std::vector<RequiredClaim>& out) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    if (std::string_view(c.name()) != "claim") {
      unknown_element(c, path, el.name());
      return;
    }
    const std::string cp = indexed(path, "claim", ++n);
    RequiredClaim rc;
    unique_attributes(c, cp);
    const RowsSeen<RequiredClaim> seen = attributes(c, cp, kind, true, rc);
    const bool ok = !seen.any_failed();
    // The values: <value> items, counted per item name for their paths.
    std::vector<size_t> counts(attribute_table<RequiredClaim>().rows.size());
    children(c, cp, [&](xml_node vc) {
      const Attribute<RequiredClaim>* row = find_xml_item<RequiredClaim>(vc.name(), kind);
      if (!row) {
        unknown_element(vc, cp, "claim");
        return;
      }
      const size_t i = static_cast<size_t>(row - attribute_table<RequiredClaim>().rows.data());
      text(vc, indexed(cp, row->item, ++counts[i]), *row, rc);
    });
    bool complete = true;
    for (const Attribute<RequiredClaim>& row : attribute_table<RequiredClaim>().rows) {
      if (!row.required || !is_default(row, rc)) continue;
      complete = false;
      // An attribute that did not load has said why already.
      if (!seen.given(row) || ok)
        error(c, required_missing(row), cp);
    }
    if (complete && ok) out.push_back(std::move(rc));
  });
}

void XmlReader::extensions(xml_node el, const std::string& path, PolicyKind kind,
                           Extensions& ext) {
  unique_attributes(el, path);
  no_children(el, path);
  attributes(el, path, kind, true, ext);
}

void XmlReader::policy(xml_node el, PolicyKind kind, Policy& p) {
  p = Policy{};
  p.kind = kind;
  const bool jwt = kind == PolicyKind::ValidateJwt;
  const std::string root = policy_element_name(kind);
  const char* other = jwt ? "it belongs to validate-azure-ad-token" : "it belongs to validate-jwt";
  int sources = 0;
  RowsSeen<Policy> seen;
  unique_attributes(el, root);
  for (xml_attribute a : el.attributes()) {
    const std::string_view k = a.name();
    const Attribute<Policy>* row = find_xml_attribute<Policy>(k, kind);
    if (!row) {
      unknown_attribute(a, root, root, belongs_to_other_policy(k, kind) ? other : nullptr);
      continue;
    }
    if (row->token_source) {
      ++sources;
      p.source = *row->token_source;
    }
    seen.note(*row, attribute(*row, a, root + "/@" + std::string(k), p));
  }

  // APIM's XSD orders validate-jwt's children (xs:sequence) but its own
  // documentation example does not: any order is accepted. Elements that
  // the XSD allows once are refused when repeated.
  std::set<std::string_view> once;
  size_t openid = 0;
  children(el, root, [&](xml_node c) {
    const std::string_view k = c.name();
    const std::string cp = root + "/" + std::string(k);
    const Attribute<Policy>* list = find_xml_element<Policy>(k, kind);
    const PolicyElement* element = list ? nullptr : find_policy_element(k, kind);
    if ((list || (element && !element->repeated)) && !once.insert(k).second) {
      error(c, "<" + std::string(k) + "> appears twice", cp);
      return;
    }
    if (list) {
      string_list(c, *list, cp, p);
      return;
    }
    if (!element) {
      unknown_element(c, root, root, belongs_to_other_policy(k, kind) ? other : nullptr);
      return;
    }
    switch (element->id) {
      case PolicyElementId::OpenIdConfig:
        openid_config(c, indexed(root, element->name, ++openid), kind, p.openid_configs);
        break;
      case PolicyElementId::IssuerSigningKeys:
        keys(c, cp, kind, p.issuer_signing_keys, true);
        break;
      case PolicyElementId::DecryptionKeys:
        keys(c, cp, kind, p.decryption_keys, false);
        break;
      case PolicyElementId::RequiredClaims:
        claims(c, cp, kind, p.required_claims);
        break;
      case PolicyElementId::Extensions:
        extensions(c, cp, kind, p.ext);
        break;
      case PolicyElementId::IssuerSigningTokens:
        warn(c, std::string(k) + " is known only to the APIM schema and is ignored", cp);
        break;
    }
  });

  check_policy_element(
      p, kind, sources, [&](const Attribute<Policy>& row) { return seen.failed(row); },
      [&](std::string message) { error(el, std::move(message), root); });
}

}  // namespace

bool load_policy_xml(std::string_view text, const LoadOptions& opts, Policy& out,
                     Diagnostics& diag) {
  return load_chosen<PolicyXmlDocument>(
      text, opts, diag, [&](const PolicyXmlDocument& doc, const PolicyXmlDocument::Candidate& chosen) {
        XmlReader(doc.positions(), opts, diag).policy(chosen.el, chosen.kind, out);
      });
}

}  // namespace jwtgate
