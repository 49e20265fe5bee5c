// ClaimsView: the claims object of a token as the claim checks read it, by
// member name. With the index the parser built (encoding/json_members.h), a
// lookup compares integer fingerprints of the few top-level names instead of
// scanning the object and comparing names with memcmp (an Entra payload has
// 18 members and the checks look up 8 of them; docs/performance.md has the
// cost of the scans). Any simdjson object converts to a view without an index,
// which looks members up in the object itself: the answer is the same
// either way (the index is only built for an object without repeated names).
// The view also carries the claim mask (claims/claim_text.h), so that the
// checks that quote a value in a detail write "***" for a masked claim.
#pragma once

#include <string_view>

#include <simdjson.h>

#include "claims/claim_text.h"
#include "encoding/json_members.h"

namespace jwtgate {

class ClaimsView {
 public:
  // Implicit: every caller holding a plain object keeps working.
  ClaimsView(simdjson::dom::object obj, const MemberIndex* index = nullptr,  // NOLINT
             const ClaimMask* mask = nullptr)
      : obj_(obj), index_(index != nullptr && index->complete ? index : nullptr), mask_(mask) {}

  simdjson::simdjson_result<simdjson::dom::element> operator[](std::string_view name) const {
    if (index_ == nullptr) return obj_[name];
    if (const simdjson::dom::element* v = index_->find(name)) return simdjson::dom::element(*v);
    return simdjson::NO_SUCH_FIELD;
  }

  simdjson::dom::object object() const { return obj_; }
  const ClaimMask* mask() const { return mask_; }
  bool masked(std::string_view name) const { return jwtgate::masked(mask_, name); }

  // value: the value |v| of claim |name| for a detail sentence, as
  // append_claim_value writes it ("***" when masked).
  std::string value(std::string_view name, simdjson::dom::element v,
                    size_t max = kShownValueMax) const {
    return claim_value(mask_, name, v, max);
  }

 private:
  simdjson::dom::object obj_;
  const MemberIndex* index_;
  const ClaimMask* mask_;
};

}  // namespace jwtgate
