#include "core/quote.h"

#include <cstdint>

#include "core/utf8.h"

namespace jwtgate {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// How one writer escapes (quote.h): the escapes of quoted text, of text
// already escaped (controls only), or of JSON text.
struct Style {
  bool backslash = true;       // \ becomes \\ (not in text already escaped)
  char delimiter = 0;          // this quote becomes \" or \'
  bool keep_newlines = false;  // \n passes (text of several lines)
  bool json = false;           // JSON escapes: \u00HH, \uHHHH, \ufffd
};

void hex_byte(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

void code_point(std::string& out, uint32_t cp, bool json) {
  out += json ? "\\u" : "\\u{";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
  if (!json) out += '}';
}

// escape writes |s| in |style| and returns how many of its bytes it wrote
// before |max| cut it (s.size() when not cut). Cuts fall on character
// boundaries.
size_t escape(std::string& out, std::string_view s, size_t max, const Style& style) {
  size_t i = 0;
  while (i < s.size()) {
    if (max && i >= max) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c == '\\' && style.backslash) || (style.delimiter && c == static_cast<unsigned char>(style.delimiter))) {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c >= 0x20 && c != 0x7f) {
        out += static_cast<char>(c);
      } else if (c == '\n' && style.keep_newlines) {
        out += '\n';
      } else if (style.json) {
        code_point(out, c, true);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        hex_byte(out, c);
      }
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_sequence(s, i, cp);
    if (n == 0) {
      if (style.json) code_point(out, 0xfffd, true);
      else hex_byte(out, c);
      ++i;
    } else {
      if (invisible_control(cp)) code_point(out, cp, style.json);
      else out.append(s.substr(i, n));
      i += n;
    }
  }
  return i;
}

}  // namespace

void append_quoted(std::string& out, std::string_view s, size_t max) {
  out += '"';
  const size_t written = escape(out, s, max, Style{true, '"', false, false});
  out += '"';
  if (written < s.size()) out += "...";
}

std::string quoted(std::string_view s, size_t max) {
  std::string out;
  append_quoted(out, s, max);
  return out;
}

std::string quoted_list(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& s : list) {
    if (!out.empty()) out += ", ";
    append_quoted(out, s);
  }
  return out;
}

void append_escaped(std::string& out, std::string_view s, size_t max, char delimiter) {
  if (escape(out, s, max, Style{true, delimiter, false, false}) < s.size()) out += "...";
}

std::string escaped(std::string_view s, size_t max, char delimiter) {
  std::string out;
  append_escaped(out, s, max, delimiter);
  return out;
}

bool needs_escaping(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f || c == '\\') return true;
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_sequence(s, i, cp);
    if (n == 0 || invisible_control(cp)) return true;
    i += n;
  }
  return false;
}

void append_controls_escaped(std::string& out, std::string_view s, bool keep_newlines) {
  escape(out, s, 0, Style{false, 0, keep_newlines, false});
}

std::string controls_escaped(std::string_view s, bool keep_newlines) {
  std::string out;
  append_controls_escaped(out, s, keep_newlines);
  return out;
}

void append_json_text(std::string& out, std::string_view json, size_t max) {
  if (escape(out, json, max, Style{false, 0, false, true}) < json.size()) out += "...";
}

}  // namespace jwtgate
