#include "policy/policy_json_document.h"

#include "encoding/json_alloc.h"
#include "encoding/json_dom.h"
#include "policy/policy_attributes.h"
#include "policy/policy_selection.h"
#include "encoding/json_members.h"

namespace jwtgate {


bool PolicyJsonDocument::load(std::string_view text, Diagnostics& diag) {
  padded_ = padded_copy(text);
  element root;
  auto err = json_parse_error(parser_.parse(padded_).get(root));
  if (err) {
    diag.error(std::string("policy is not valid JSON: ") + simdjson::error_message(err));
    return false;
  }
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup)) {
    // Two readers must not see two different policies (RFC 8259 4).
    diag.error("member \"" + std::string(dup) + "\" appears twice in one object");
    return false;
  }
  if (root.type() != element_type::OBJECT) {
    diag.error("a JSON policy must be an object");
    return false;
  }
  const object top = root.get_object().value_unsafe();

  // The validation elements: one, or a "policies" list.
  auto policies = top["policies"];
  if (!policies.error()) {
    if (policies.value_unsafe().type() != element_type::ARRAY) {
      diag.error("\"policies\" must be an array", "policies");
      return false;
    }
    size_t i = 0;
    for (element e : simdjson::dom::array(policies.value_unsafe().get_array().value_unsafe())) {
      std::string base = "policies[" + std::to_string(i++) + "]";
      if (e.type() != element_type::OBJECT) {
        diag.error("must be a JSON object", base);
        continue;
      }
      consider(e.get_object().value_unsafe(), base, diag);
    }
  } else {
    consider(top, "", diag);
  }
  if (diag.has_errors()) return false;
  if (found_.empty()) {
    diag.error("no validate-jwt or validate-azure-ad-token element found");
    return false;
  }
  return true;
}

// consider: one object of the document, which holds exactly one validation
// element.
void PolicyJsonDocument::consider(object o, const std::string& base, Diagnostics& diag) {
  size_t members = 0;
  for (auto f : o) {
    ++members;
    std::string p = base.empty() ? std::string(f.key) : base + "." + std::string(f.key);
    PolicyKind kind;
    if (f.key == policy_element_name(PolicyKind::ValidateJwt)) {
      kind = PolicyKind::ValidateJwt;
    } else if (f.key == policy_element_name(PolicyKind::ValidateAzureAdToken)) {
      kind = PolicyKind::ValidateAzureAdToken;
    } else {
      diag.error("unknown member \"" + std::string(f.key) +
                     "\"; expected validate-jwt or validate-azure-ad-token",
                 base);
      continue;
    }
    if (f.value.type() != element_type::OBJECT) {
      diag.error("must be a JSON object", p);
      continue;
    }
    object po = f.value.get_object().value_unsafe();
    std::string id;
    auto idv = po["id"];
    if (!idv.error() && idv.value_unsafe().type() == element_type::STRING)
      id = std::string(idv.value_unsafe().get_string().value_unsafe());
    found_.push_back({po, kind, p, id});
  }
  if (members != 1) diag.error("each policy object holds exactly one validation element", base);
}

const PolicyJsonDocument::Candidate* PolicyJsonDocument::select(const std::string& select,
                                                                Diagnostics& diag) const {
  std::vector<std::string> ids;
  for (const Candidate& c : found_) ids.push_back(c.id);
  if (const auto i = select_policy(ids, select)) return &found_[*i];
  diag.error("no validation element has id or position \"" + select + "\" (" +
             std::to_string(found_.size()) + " found)");
  return nullptr;
}

}  // namespace jwtgate
