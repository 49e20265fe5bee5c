#include "claim_header.h"

#include <string_view>

namespace cli::serve {

namespace {

bool header_safe(std::string_view v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

// scalar_json returns |json| when it is a number, true or false.
std::optional<std::string> scalar_json(std::string_view json) {
  if (json.empty() || json[0] == '"' || json[0] == '{' || json[0] == '[' || json == "null")
    return std::nullopt;
  return std::string(json);
}

}  // namespace

std::optional<std::string> claim_header_value(jwtgate_result* r, const char* name) {
  const char* s = nullptr;
  size_t len = 0;
  std::optional<std::string> out;
  if (jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, name, &s, &len) == JWTGATE_OK) {
    out = std::string(s, len);
  } else if (size_t n = 0;
             jwtgate_result_get_array_size(r, JWTGATE_PART_CLAIMS, name, &n) == JWTGATE_OK) {
    std::string joined;
    for (size_t i = 0; i < n; ++i) {
      if (jwtgate_result_get_array_string(r, JWTGATE_PART_CLAIMS, name, i, &s, &len) != JWTGATE_OK)
        return std::nullopt;  // arrays of strings only; mixed arrays have no plain form
      if (i) joined += ',';
      joined.append(s, len);
    }
    out = std::move(joined);
  } else if (jwtgate_result_get_json(r, JWTGATE_PART_CLAIMS, name, &s, &len) == JWTGATE_OK) {
    out = scalar_json(std::string_view(s, len));
  }
  if (out && !header_safe(*out)) return std::nullopt;
  return out;
}

}  // namespace cli::serve
