// JsonWriter: a small streaming JSON writer (results, policies, CLI output).
// It escapes per RFC 8259 section 7 and inserts commas itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jwtgate {

// json_append_escaped appends |s| as a JSON string, with its quotes. Any
// bytes give valid JSON on one line: \" \\ \n \r \t, \u00HH for the other
// C0 controls and \u007f for DEL; \uHHHH for the invisible controls of
// core/utf8.h (C1, bidirectional controls, U+2028 and U+2029, which end a
// line in JavaScript); \ufffd for each byte that is not part of well-formed
// UTF-8 (RFC 8259 section 8.1: JSON text is UTF-8).
void json_append_escaped(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonWriter& value(bool b);
  JsonWriter& raw(std::string_view json);  // already-serialised JSON
  JsonWriter& null();

 private:
  void separator();
  JsonWriter& open(char bracket);   // '{' or '['
  JsonWriter& close(char bracket);  // '}' or ']'

  std::string& out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

}  // namespace jwtgate
