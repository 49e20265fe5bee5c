// UTF-8 decoding for the writers of untrusted text (quote.h, json_writer.h):
// which bytes form a well-formed character, and which characters are
// invisible controls a reader must see as escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jwtgate {

// utf8_sequence returns the length (2..4) of the well-formed UTF-8 sequence
// that starts at s[i] with a byte >= 0x80, its code point in |cp|, or 0 when
// the bytes there are not well-formed (RFC 3629 section 4: no overlong
// forms, no surrogates, nothing above U+10FFFF, no truncated sequence).
inline size_t utf8_sequence(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, cp = c & 0x0f;
    if (c == 0xe0) lo = 0xa0;
    if (c == 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, cp = c & 0x07;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = b(k);
    if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xbf)) return 0;
    cp = (cp << 6) | (d & 0x3f);
  }
  return n;
}

// invisible_control: a character that is not a C0 control or DEL but still
// changes how the text around it reads: the C1 controls (U+0080..U+009F,
// which some terminals obey), the bidirectional marks, embeddings, overrides
// and isolates of Unicode Standard Annex #9 (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069: "Trojan Source", CVE-2021-42574), and the
// line and paragraph separators U+2028 and U+2029 (line ends for JavaScript
// and many log viewers).
constexpr bool invisible_control(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace jwtgate
