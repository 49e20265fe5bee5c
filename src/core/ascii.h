// ASCII-only text helpers for protocol tokens (HTTP header names,
// Cache-Control directives, token types, XML boolean spellings, GUIDs, key
// text). Locale-independent on purpose: std::tolower would fold differently
// under a Turkish locale, and std::isspace depends on the locale too.
#pragma once

#include <string>
#include <string_view>

namespace jwtgate {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ascii_lowered: |s| with A-Z folded to a-z, everything else unchanged.
inline std::string ascii_lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
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

// is_ascii_space: the C locale's white space (space, \t, \n, \v, \f, \r).
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

constexpr bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }

// hex_digit_value: 0-15 for a hexadecimal digit of either case, else -1.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// trim_ows: |s| without the optional white space (space and tab) that HTTP
// allows around a field value and its parts (RFC 9110 section 5.6.3).
constexpr std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// is_guid: |s| has the 8-4-4-4-12 hexadecimal shape of a GUID (RFC 9562
// section 4), either letter case, without braces.
constexpr bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (hex_digit_value(c) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace jwtgate
