#include "json_out.h"

#include "text.h"

namespace cli {

void JsonOut::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonOut& JsonOut::open(char c) {
  separate();
  out_ += c;
  first_.push_back(true);
  return *this;
}

JsonOut& JsonOut::close(char c) {
  out_ += c;
  first_.pop_back();
  return *this;
}

JsonOut& JsonOut::key(std::string_view k) {
  separate();
  out_ += json_string(k);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::value(std::string_view s) {
  separate();
  out_ += json_string(s);
  return *this;
}

JsonOut& JsonOut::value(int64_t n) {
  separate();
  out_ += std::to_string(n);
  return *this;
}

JsonOut& JsonOut::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

}  // namespace cli
