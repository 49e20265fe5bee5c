// JsonOut: the CLI's own small JSON writer, for what it prints with --json
// beyond the library's JSON (policy check, version). Strings go through the
// library's escaper (text.h json_string): valid UTF-8 on one line whatever
// they hold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

class JsonOut {
 public:
  JsonOut& begin_object() { return open('{'); }
  JsonOut& end_object() { return close('}'); }
  JsonOut& begin_array() { return open('['); }
  JsonOut& end_array() { return close(']'); }
  JsonOut& key(std::string_view k);
  JsonOut& value(std::string_view s);
  JsonOut& value(const char* s) { return value(std::string_view(s ? s : "")); }
  JsonOut& value(int64_t n);
  JsonOut& value(int n) { return value(static_cast<int64_t>(n)); }
  JsonOut& value(unsigned n) { return value(static_cast<int64_t>(n)); }
  JsonOut& value(bool b);
  const std::string& text() const { return out_; }

 private:
  JsonOut& open(char c);
  JsonOut& close(char c);
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace cli
