// Untrusted text on its way out: every string the CLI prints that may hold
// a token's text (a result's message or detail, a claim, an argument echoed
// in an error) passes through one of these, which call the library's one
// escaper (jwtgate_text_escape), so that it can neither end a line early nor
// reach the terminal as a control.
#pragma once

#include <string>
#include <string_view>

#include "jwtgate_experimental.h"

namespace cli {

// escape: |s| in |style| (jwtgate_experimental.h), cut at |max| bytes where the style cuts.
std::string escape(std::string_view s, jwtgate_escape_style style, size_t max = 0);

// terminal_text: text built for output already (a detail, a message), with
// only what must never reach a terminal escaped; |keep_newlines| for text
// of several lines.
inline std::string terminal_text(std::string_view s, bool keep_newlines = false) {
  return escape(s, keep_newlines ? JWTGATE_ESCAPE_TERMINAL_LINES : JWTGATE_ESCAPE_TERMINAL);
}
// terminal_text of a C string the library returned (NULL reads as "").
inline std::string terminal_text(const char* s, bool keep_newlines = false) {
  return terminal_text(std::string_view(s ? s : ""), keep_newlines);
}
// quoted: |s| between double quotes, escaped, cut at |max| bytes.
inline std::string quoted(std::string_view s, size_t max = 0) {
  return escape(s, JWTGATE_ESCAPE_QUOTED, max);
}
// json_string: |s| as a JSON string with its quotes, valid UTF-8 on one line.
inline std::string json_string(std::string_view s) { return escape(s, JWTGATE_ESCAPE_JSON); }

}  // namespace cli
