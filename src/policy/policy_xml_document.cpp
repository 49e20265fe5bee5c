#include "policy/policy_xml_document.h"

#include <algorithm>

#include "policy/policy_attributes.h"
#include "policy/policy_selection.h"

namespace jwtgate {
namespace {

using pugi::xml_node;

// for_each_nested calls fn(el) for every validation element below |top|,
// without descending into one. Iterative: a pasted document may nest deeply.
template <typename Fn>
void for_each_nested(xml_node top, Fn&& fn) {
  xml_node n = top.first_child();
  while (n) {
    const bool element = n.type() == pugi::node_element;
    if (element && policy_kind_of(n.name())) fn(n);
    else if (element && n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != top && !n.next_sibling()) n = n.parent();
    if (n == top) break;
    n = n.next_sibling();
  }
}

bool is_section(std::string_view name) {
  return name == "inbound" || name == "backend" || name == "outbound" || name == "on-error";
}

}  // namespace

std::optional<PolicyKind> policy_kind_of(std::string_view element_name) {
  for (PolicyKind k : {PolicyKind::ValidateJwt, PolicyKind::ValidateAzureAdToken})
    if (element_name == policy_element_name(k)) return k;
  return std::nullopt;
}

bool PolicyXmlDocument::load(std::string_view text, Diagnostics& diag) {
  // XML 1.0 section 2.2: U+0000 is not a character; pugixml would stop there.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const Pos p = TextPositions(text, nullptr).at(nul);
    diag.error("policy contains a NUL byte, which XML does not allow", {}, p.line, p.column);
    return false;
  }
  // Parsed in place from a copy so that node offsets are offsets in |text|.
  // parse_fragment keeps top-level text so that it can be refused;
  // parse_doctype keeps the DOCTYPE so that it can be refused (pugixml never
  // expands entities, but a DTD has no business in a policy);
  // parse_ws_pcdata_single keeps <value> </value> as the space it holds.
  // pugixml overwrites the buffer's last byte with its terminator; the extra
  // NUL is that byte, so no character of the document is lost.
  buffer_.assign(text);
  buffer_.push_back('\0');
  const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata_single |
                           pugi::parse_doctype | pugi::parse_fragment;
  const pugi::xml_parse_result r =
      doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), options, pugi::encoding_utf8);
  pos_.emplace(text, buffer_.data());
  const TextPositions& pos = *pos_;
  static const char* const kNoDoctype =
      "a policy must not contain a DOCTYPE declaration (DTDs and entity definitions are refused)";
  if (!r) {
    const Pos p = pos.at(static_cast<size_t>(std::max<ptrdiff_t>(r.offset, 0)));
    if (r.status == pugi::status_bad_doctype)
      diag.error(kNoDoctype, {}, p.line, p.column);
    else
      diag.error(std::string("policy is not well-formed XML: ") + r.description(), {}, p.line,
                 p.column);
    return false;
  }

  xml_node root;
  bool doctype = false;
  for (xml_node c : doc_.children()) {
    if (c.type() == pugi::node_doctype) {
      const Pos p = pos.doctype(c);
      diag.error(kNoDoctype, {}, p.line, p.column);
      doctype = true;
    } else if (c.type() == pugi::node_element) {
      if (!root) {
        root = c;
      } else {
        const Pos p = pos.of(c);
        diag.error("a policy has one top-level element; <" + std::string(c.name()) +
                       "> follows <" + root.name() + ">",
                   c.name(), p.line, p.column);
      }
    } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
               !is_xml_blank(c.value())) {
      const Pos p = pos.of(c);
      diag.error("text \"" + snippet(c.value()) + "\" outside the top-level element", {}, p.line,
                 p.column);
    }
  }
  if (doctype) return false;
  if (!root) {
    diag.error("policy has no XML element");
    return false;
  }

  if (const auto kind = policy_kind_of(root.name())) {
    found_.push_back({root, *kind, root.attribute("id").value()});
  } else if (std::string_view(root.name()) == "policies") {
    collect_policies(root, diag);
  } else if (is_section(root.name())) {
    // A section on its own, as articles quote policies ("<inbound>...").
    collect_section(root, "", diag);
  } else {
    const Pos p = pos.of(root);
    diag.error("the top-level element is <" + std::string(root.name()) +
                   ">; expected validate-jwt, validate-azure-ad-token, policies or inbound",
               root.name(), p.line, p.column);
    return false;
  }
  if (found_.empty()) {
    if (!diag.has_errors())
      diag.error("no validate-jwt or validate-azure-ad-token element found as a direct child "
                 "of <inbound>");
    return false;
  }
  return true;
}

// collect_policies: a whole <policies> document, whose children are the
// sections.
void PolicyXmlDocument::collect_policies(xml_node policies, Diagnostics& diag) {
  for (xml_node section : policies.children()) {
    if (section.type() != pugi::node_element) continue;
    if (policy_kind_of(section.name())) {
      const Pos p = pos_->of(section);
      diag.error("<" + std::string(section.name()) +
                     "> must be inside <inbound>: APIM allows it in the inbound section only",
                 std::string("policies/") + section.name(), p.line, p.column);
      continue;
    }
    collect_section(section, "policies/", diag);
  }
}

// collect_section finds the validation elements of one section of a policy
// document that can be chosen: the direct children of <inbound>. APIM allows
// validate-jwt and validate-azure-ad-token in the inbound section only (the
// APIM policy reference, "Policy sections: inbound"), so one elsewhere makes
// the document invalid. One nested in <choose> is legal APIM, but jwtgate
// cannot evaluate its condition: it is reported and not offered.
void PolicyXmlDocument::collect_section(xml_node section, const std::string& base,
                                        Diagnostics& diag) {
  const std::string sname = section.name();
  const std::string spath = base + sname;
  if (sname != "inbound") {
    for_each_nested(section, [&](xml_node v) {
      const Pos p = pos_->of(v);
      diag.error("<" + std::string(v.name()) + "> is in <" + sname +
                     ">: APIM allows it in the inbound section only",
                 spath + "/" + v.name(), p.line, p.column);
    });
    return;
  }
  for (xml_node c : section.children()) {
    if (c.type() != pugi::node_element) continue;
    if (const auto kind = policy_kind_of(c.name())) {
      found_.push_back({c, *kind, c.attribute("id").value()});
      continue;
    }
    const std::string holder = c.name();
    for_each_nested(c, [&](xml_node v) {
      const Pos p = pos_->of(v);
      diag.warn("<" + std::string(v.name()) + "> inside <" + holder +
                    "> is not used: jwtgate does not evaluate policy conditions, so only "
                    "direct children of <inbound> can be selected",
                spath + "/" + holder, p.line, p.column);
    });
  }
}

// select applies opts.select as the JSON loader does, and lists what exists
// when nothing matches.
const PolicyXmlDocument::Candidate* PolicyXmlDocument::select(const std::string& select,
                                                              Diagnostics& diag) const {
  std::vector<std::string> ids;
  for (const Candidate& c : found_) ids.push_back(c.id);
  if (const auto i = select_policy(ids, select)) return &found_[*i];
  std::string list;
  for (size_t i = 0; i < found_.size(); ++i) {
    list += (i ? "; " : "") + std::to_string(i + 1) + ": <" + found_[i].el.name() + ">";
    if (!found_[i].id.empty()) list += " id=\"" + found_[i].id + "\"";
    list += " at line " + std::to_string(pos_->of(found_[i].el).line);
  }
  diag.error("no validation element has id or position \"" + select + "\" (" +
             std::to_string(found_.size()) + " found: " + list + ")");
  return nullptr;
}

}  // namespace jwtgate
