// Quoting of untrusted text for messages: a kid, alg, typ, claim name or
// value, issuer or audience taken from a token (or a document fetched from
// the network) enters a detail, subject, message, trace event or CLI line
// only through quoted(), so that it can neither end the line, forge another
// one, nor drive a terminal.
#pragma once

#include <string>
#include <string_view>

namespace jwtgate {

// append_quoted appends |s| to |out| between double quotes, escaped: \" and
// \\, \n \r \t, \xHH for every other control character (C0, DEL) and for
// each byte that is not part of well-formed UTF-8, \u{HHHH} for the C1
// controls and the Unicode bidirectional and line/paragraph separators
// (U+0080..U+009F, U+061C, U+200E, U+200F, U+2028..U+202E, U+2066..U+2069).
// Text longer than |max| bytes (0: no limit) is cut at a character boundary
// and ends with "..." after the closing quote.
void append_quoted(std::string& out, std::string_view s, size_t max = 0);

// quoted returns append_quoted's text as a new string.
std::string quoted(std::string_view s, size_t max = 0);

}  // namespace jwtgate
