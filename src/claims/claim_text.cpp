#include "claims/claim_text.h"

#include "core/quote.h"
#include "encoding/json_dom.h"

namespace jwtgate {

void append_value_text(std::string& out, element v, size_t max) {
  append_json_text(out, simdjson::minify(v), max);
}

void append_claim_value(std::string& out, const ClaimMask* mask, std::string_view name, element v,
                        size_t max) {
  if (masked(mask, name)) {
    out += kMasked;
    return;
  }
  append_value_text(out, v, max);
}

std::string claim_value(const ClaimMask* mask, std::string_view name, element v, size_t max) {
  std::string out;
  append_claim_value(out, mask, name, v, max);
  return out;
}

void append_claim_bare(std::string& out, const ClaimMask* mask, std::string_view name, element v,
                       char delimiter, size_t max) {
  if (masked(mask, name)) {
    out += kMasked;
    return;
  }
  if (v.type() == element_type::STRING)
    append_escaped(out, v.get_string().value_unsafe(), max, delimiter);
  else
    append_value_text(out, v, max);
}

void write_json_value(JsonWriter& w, element v) {
  switch (v.type()) {
    case element_type::OBJECT:
      write_json_object(w, v.get_object().value_unsafe());
      return;
    case element_type::ARRAY:
      w.begin_array();
      for (const element item : simdjson::dom::array(v.get_array().value_unsafe())) write_json_value(w, item);
      w.end_array();
      return;
    case element_type::STRING:
      w.value(v.get_string().value_unsafe());
      return;
    case element_type::BOOL:
      w.value(v.get_bool().value_unsafe());
      return;
    case element_type::NULL_VALUE:
      w.null();
      return;
    default:  // numbers: simdjson's own text for them
      w.raw(simdjson::minify(v));
      return;
  }
}

void write_json_object(JsonWriter& w, simdjson::dom::object obj, const ClaimMask* mask) {
  w.begin_object();
  for (const simdjson::dom::key_value_pair m : obj) {
    w.key(m.key);
    if (masked(mask, m.key)) w.value(kMasked);
    else write_json_value(w, m.value);
  }
  w.end_object();
}

}  // namespace jwtgate
