// Plain text helpers that are not about letter case (core/ascii.h) or
// quoting (core/quote.h): finding a part, joining a list, a list without
// repeats, trimming white space. C++20's std::string_view::starts_with and ends_with stand for
// prefix and suffix tests; a case-insensitive prefix is ascii_istarts_with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.h"

namespace jwtgate {

// contains: |part| occurs in |s| (an empty part occurs everywhere).
constexpr bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// joined: the strings of |list| with |separator| between them ("" for none).
inline std::string joined(const std::vector<std::string>& list, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += separator;
    out += list[i];
  }
  return out;
}

// add_unique appends |s| to |list| unless |list| holds it already.
inline void add_unique(std::vector<std::string>& list, std::string s) {
  for (const std::string& x : list)
    if (x == s) return;
  list.push_back(std::move(s));
}

// trim_ascii_space: |s| without the C locale's white space (is_ascii_space)
// at either end. For HTTP's narrower optional white space, trim_ows.
constexpr std::string_view trim_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace jwtgate
