// ASCII-only text helpers for protocol tokens (HTTP header names,
// Cache-Control directives, token types, XML boolean spellings, GUIDs).
// Locale-independent on purpose: std::tolower would fold differently under a
// Turkish locale.
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

// is_guid: |s| has the 8-4-4-4-12 hexadecimal shape of a GUID (RFC 9562
// section 4), either letter case, without braces.
constexpr bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace jwtgate
