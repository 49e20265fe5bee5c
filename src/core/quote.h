// Quoting of untrusted text for messages: a kid, alg, typ, claim name or
// value, issuer or audience taken from a token (or a document fetched from
// the network) enters a detail, subject, message, trace event or CLI line
// only through these functions, so that it can neither end the line, forge
// another one, close the quotes around it, nor drive a terminal.
//
// The escapes, the same everywhere: \" (inside double quotes), \' (inside
// APIM's single quotes), \\, \n, \r, \t; \xHH for every other C0 control
// character, for DEL and for each byte that is not part of well-formed UTF-8
// (RFC 3629); \u{HHHH} for the invisible controls of core/utf8.h (C1
// controls, bidirectional controls, U+2028, U+2029). Everything else,
// printable ASCII and well-formed UTF-8, is copied as it is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jwtgate {

// append_quoted appends |s| to |out| between double quotes, escaped as
// above. Text longer than |max| bytes (0: no limit) is cut at a character
// boundary and "..." follows the closing quote.
void append_quoted(std::string& out, std::string_view s, size_t max = 0);

// quoted returns append_quoted's text as a new string.
std::string quoted(std::string_view s, size_t max = 0);

// quoted_list: each of |list| quoted, separated by ", " ("" for none).
std::string quoted_list(const std::vector<std::string>& list);

// append_escaped appends |s| escaped as above but without quotes: for a
// value inside someone else's quotes (APIM's messages put values between
// single quotes: pass '\'' as |delimiter| and that quote is escaped too) or
// for a name that is not quoted at all (failure subjects). "..." follows
// text cut at |max|.
void append_escaped(std::string& out, std::string_view s, size_t max = 0, char delimiter = 0);

// escaped returns append_escaped's text as a new string.
std::string escaped(std::string_view s, size_t max = 0, char delimiter = 0);

// needs_escaping: append_escaped(out, s) would write something other than
// |s| itself (no delimiter, no limit). Allocation-free.
bool needs_escaping(std::string_view s);

// append_controls_escaped appends text that was built for output already
// (a detail, a message, an explanation: its untrusted parts escaped by the
// functions above) for a terminal or a log, escaping only what must never
// reach one raw: the C0 controls (except \n when |keep_newlines|, for text
// of several lines), DEL, bytes outside well-formed UTF-8 and the invisible
// controls, with the escapes above. Backslashes and quotes are left alone,
// so text that is already escaped passes unchanged. The CLI puts every
// string it prints from a token or a result through it: a second line of
// defence, not the place where values are escaped.
void append_controls_escaped(std::string& out, std::string_view s, bool keep_newlines = false);
std::string controls_escaped(std::string_view s, bool keep_newlines = false);

// append_json_text appends compact JSON text (simdjson::minify output: the
// token's own value, its strings already JSON-escaped) for a sentence: what
// JSON leaves raw inside strings and a reader must still see as an escape,
// DEL and the invisible controls, becomes \u007f, \u202e and so on, which
// keeps the text valid JSON; a C0 control or a byte outside well-formed
// UTF-8, which minify never writes, becomes \u00HH or \ufffd. Text longer
// than |max| bytes is cut at a character boundary and "..." follows.
void append_json_text(std::string& out, std::string_view json, size_t max = 0);

}  // namespace jwtgate
