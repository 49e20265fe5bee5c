// core/quote.h and core/json_writer.h: untrusted text written for people
// (quoted, escaped, controls_escaped, append_json_text) and for programs
// (json_append_escaped). Whatever the bytes, the output is one line with no
// raw control character, valid UTF-8, and, for JSON, valid JSON that reads
// back as the same text.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include <simdjson.h>

#include "core/failures.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "core/utf8.h"

using namespace jwtgate;

namespace {

// problem returns why |s| is not safe to print on one line, or "".
// keep_newlines allows \n (text of several lines).
std::string problem(std::string_view s, bool keep_newlines = false) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !(keep_newlines && c == '\n')) || c == 0x7f)
        return "raw control byte " + std::to_string(c) + " at " + std::to_string(i);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_sequence(s, i, cp);
    if (n == 0) return "invalid UTF-8 at " + std::to_string(i);
    if (invisible_control(cp)) return "invisible control U+" + std::to_string(cp) + " at " + std::to_string(i);
    i += n;
  }
  return "";
}

// Hostile strings: a kid that forges a log line, CR, invalid UTF-8, an
// overlong encoding, a surrogate, a truncated sequence, C1 and
// bidirectional controls, line separators, quotes and backslashes.
const std::vector<std::string> kHostile = {
    "x\"\n2026-12-01T00:00:00Z INFO token accepted...\x1b[31m",
    "a\rb\r\n\t\x01\x07\x7f",
    "bad\xff\xfe utf8 \xc3(",
    "overlong \xc0\xaf surrogate \xed\xa0\x80 truncated \xe2\x82",
    "rtl \xe2\x80\xae gnp.exe \xe2\x80\xa8 sep \xe2\x80\xa9 csi \xc2\x9b" "31m isolate \xe2\x81\xa6",
    "quotes \" ' and back\\slash \\n",
    std::string("nul\0byte", 8),
    "",
};

}  // namespace

TEST_CASE("quoted: the escapes, one by one", "[core]") {
  CHECK(jwtgate::quoted("abc") == "\"abc\"");
  CHECK(jwtgate::quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(jwtgate::quoted("\n\r\t") == "\"\\n\\r\\t\"");
  CHECK(jwtgate::quoted(std::string("\x00\x1b\x7f", 3)) == "\"\\x00\\x1b\\x7f\"");
  CHECK(jwtgate::quoted("\xff") == "\"\\xff\"");
  CHECK(jwtgate::quoted("\xc3\xa9") == "\"\xc3\xa9\"");  // é: well-formed UTF-8 stays
  CHECK(jwtgate::quoted("\xe2\x80\xae") == "\"\\u{202e}\"");
  CHECK(jwtgate::quoted("\xc2\x9b") == "\"\\u{009b}\"");
  CHECK(jwtgate::quoted("\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");  // U+1F600 stays
  CHECK(jwtgate::quoted("'") == "\"'\"");
  CHECK(jwtgate::quoted("abcdef", 3) == "\"abc\"...");
  // The cut never splits a character.
  CHECK(jwtgate::quoted("ab\xc3\xa9z", 3) == "\"ab\xc3\xa9\"...");
}

TEST_CASE("escaped: no quotes added, the delimiter escaped", "[core]") {
  CHECK(escaped("kid-1") == "kid-1");
  CHECK(escaped("a'b\"c", 0, '\'') == "a\\'b\"c");
  CHECK(escaped("a'b\"c") == "a'b\"c");
  CHECK(escaped("x\ny\\") == "x\\ny\\\\");
  CHECK(escaped("abcdef", 2) == "ab...");
  CHECK_FALSE(needs_escaping("api://demo \xc3\xa9"));
  CHECK(needs_escaping("a\\b"));
  CHECK(needs_escaping("a\nb"));
  CHECK(needs_escaping("\xe2\x80\xae"));
  CHECK(needs_escaping("\xff"));
}

TEST_CASE("controls_escaped: escaped text passes unchanged, raw controls do not", "[core]") {
  for (const std::string& h : kHostile) {
    const std::string once = jwtgate::quoted(h);
    CHECK(controls_escaped(once) == once);
    CHECK(problem(controls_escaped(h)).empty());
  }
  CHECK(controls_escaped("a\nb", true) == "a\nb");
  CHECK(controls_escaped("a\nb") == "a\\nb");
  CHECK(controls_escaped("a\\b \"c\"") == "a\\b \"c\"");
}

TEST_CASE("every escaper: one clean line for every hostile string", "[core]") {
  for (const std::string& h : kHostile) {
    INFO("input: " << jwtgate::quoted(h));
    for (const std::string& out : {jwtgate::quoted(h), escaped(h), escaped(h, 0, '\''), jwtgate::quoted(h, 10), escaped(h, 7)}) {
      INFO("output: " << out);
      CHECK(problem(out).empty());
    }
    std::string json_text;
    append_json_text(json_text, h);
    CHECK(problem(json_text).empty());
    // A hostile name as a failure's subject is stored escaped.
    FailureList failures;
    failures.add(JWTGATE_REASON_KEY_NOT_FOUND, h);
    CHECK(problem(failures[0].subject).empty());
    CHECK(subject_is(failures[0].subject, h));
  }
  // Quoted text cannot be ended early: the only unescaped quotes are the two
  // around it.
  const std::string q = jwtgate::quoted(kHostile[0]);
  size_t unescaped = 0;
  for (size_t i = 0; i < q.size(); ++i)
    if (q[i] == '"' && (i == 0 || q[i - 1] != '\\')) ++unescaped;
  CHECK(unescaped == 2);
}

TEST_CASE("failure subjects: ordinary names stay as they are", "[core]") {
  FailureList failures;
  failures.add(JWTGATE_REASON_CLAIM_NOT_FOUND, "roles");
  failures.add(JWTGATE_REASON_CLAIM_NOT_FOUND, "pr\xc3\xa9nom");
  failures.add(JWTGATE_REASON_KEY_NOT_FOUND, "kid\n2");
  CHECK(failures[0].subject == "roles");
  CHECK(failures[1].subject == "pr\xc3\xa9nom");
  CHECK(failures[2].subject == "kid\\n2");
  CHECK(subject_is(failures[2].subject, "kid\n2"));
  CHECK_FALSE(subject_is(failures[2].subject, "kid\\n2"));
}

TEST_CASE("json writer: valid JSON on one line for any bytes, same text back when UTF-8", "[core]") {
  std::mt19937 rng(20261201);
  std::vector<std::string> inputs = kHostile;
  for (int n = 0; n < 2000; ++n) {
    std::string s(rng() % 24, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xff);
    inputs.push_back(std::move(s));
  }
  simdjson::dom::parser parser;
  for (const std::string& s : inputs) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key(s).value(s).end_object();
    INFO("input: " << jwtgate::quoted(s) << "\noutput: " << out);
    REQUIRE(problem(out).empty());
    simdjson::dom::object obj;
    REQUIRE(parser.parse(out).get(obj) == simdjson::SUCCESS);
    // Well-formed UTF-8 reads back unchanged; other bytes become U+FFFD.
    std::string_view back;
    REQUIRE(obj.begin() != obj.end());
    REQUIRE((*obj.begin()).value.get_string().get(back) == simdjson::SUCCESS);
    bool well_formed = true;
    for (size_t i = 0; i < s.size();) {
      uint32_t cp;
      const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : utf8_sequence(s, i, cp);
      if (n == 0) { well_formed = false; break; }
      i += n;
    }
    if (well_formed) CHECK(back == s);
    else CHECK(back.find("\xef\xbf\xbd") != std::string_view::npos);
  }
  std::string out;
  json_append_escaped(out, "\xe2\x80\xa8\x7f\xff");
  CHECK(out == "\"\\u2028\\u007f\\ufffd\"");
}
