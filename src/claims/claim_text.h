// How a claim's value enters text: failure details, APIM messages,
// explanations, trace events and the result JSON. One place, so that every
// writer escapes the same way and applies the claim mask the same way.
//
// The claim mask (jwtgate_validator_options_mask_claim) names claims whose
// values never leave the library in text: each writer of a claim value
// asks the mask first and writes "***" instead, whatever the value's type
// (string, number, array, object). Nothing is searched for and replaced
// afterwards: a value that is never written cannot leak in another form
// (escaped, cut, split into array elements). Only the named claim is
// masked: another claim that happens to contain the same text is shown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/json_writer.h"

namespace jwtgate {

// kMasked is what a masked claim's value is written as.
inline constexpr std::string_view kMasked = "***";

// kShownValueMax: the longest claim value, in bytes of its JSON text, that a
// sentence quotes; longer ones are cut and end with "...".
inline constexpr size_t kShownValueMax = 200;

// ClaimMask: the names of the masked claims (a handful at most).
class ClaimMask {
 public:
  ClaimMask() = default;
  explicit ClaimMask(std::vector<std::string> names) : names_(std::move(names)) {}
  bool covers(std::string_view name) const {
    for (const std::string& n : names_)
      if (n == name) return true;
    return false;
  }
  bool empty() const { return names_.empty(); }

 private:
  std::vector<std::string> names_;
};

// masked: |mask| (which may be null) covers |name|.
inline bool masked(const ClaimMask* mask, std::string_view name) {
  return mask != nullptr && mask->covers(name);
}

// append_value_text appends |v| for a sentence: its compact JSON text
// (strings in double quotes, JSON-escaped), with DEL and the invisible
// controls escaped too (core/quote.h append_json_text), cut at |max| bytes.
void append_value_text(std::string& out, simdjson::dom::element v, size_t max = kShownValueMax);

// append_claim_value is append_value_text for the value of claim |name|:
// "***" when |mask| covers it.
void append_claim_value(std::string& out, const ClaimMask* mask, std::string_view name,
                        simdjson::dom::element v, size_t max = kShownValueMax);
std::string claim_value(const ClaimMask* mask, std::string_view name, simdjson::dom::element v,
                        size_t max = kShownValueMax);

// append_claim_bare appends the value of claim |name| the way APIM's
// messages print claim values: a string as its text, without quotes but
// escaped (core/quote.h append_escaped, |delimiter| escaped too), any other
// value as its JSON text (append_value_text); "***" when masked.
void append_claim_bare(std::string& out, const ClaimMask* mask, std::string_view name,
                       simdjson::dom::element v, char delimiter = 0, size_t max = kShownValueMax);

// write_json_value writes |v| through |w| member by member, so that the
// output is valid JSON on one line for any string content (the writer's
// escapes, json_writer.h), the token's own JSON never copied raw.
void write_json_value(JsonWriter& w, simdjson::dom::element v);

// write_json_object writes an object like write_json_value; for the claims,
// with their |mask|, each value of a claim it covers as the string "***".
void write_json_object(JsonWriter& w, simdjson::dom::object obj, const ClaimMask* mask = nullptr);

}  // namespace jwtgate
