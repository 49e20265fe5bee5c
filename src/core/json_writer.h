// JsonWriter: a small streaming JSON writer (results, policies, CLI output).
// It escapes per RFC 8259 section 7 and inserts commas itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jwtgate {

void json_append_escaped(std::string& out, std::string_view s);  // with quotes

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
  std::string& out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

}  // namespace jwtgate
