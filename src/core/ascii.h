// ASCII-only case folding for protocol tokens (HTTP header names, Cache-Control
// directives, token types, XML boolean spellings). Locale-independent on
// purpose: std::tolower would fold differently under a Turkish locale.
#pragma once

#include <string_view>

namespace jwtgate {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ascii_iequals: a and b are equal ignoring ASCII case.
constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// ascii_istarts_with: s begins with prefix, ignoring ASCII case.
constexpr bool ascii_istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace jwtgate
