#include "validate/request_names.h"

#include "core/ascii.h"

namespace jwtgate {

namespace {

// FormDecoder yields the bytes of a form-encoded name one at a time: %XX as
// its byte, "+" as a space, anything else (a "%" without two hex digits
// too) as itself. Reading in place is what keeps the comparison free of
// allocation.
class FormDecoder {
 public:
  explicit FormDecoder(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const {
    if (escape_at(i_))
      return static_cast<char>(hex_digit_value(s_[i_ + 1]) * 16 + hex_digit_value(s_[i_ + 2]));
    return s_[i_] == '+' ? ' ' : s_[i_];
  }
  void next() { i_ += escape_at(i_) ? 3 : 1; }

 private:
  bool escape_at(size_t i) const {
    return s_[i] == '%' && i + 2 < s_.size() && hex_digit_value(s_[i + 1]) >= 0 &&
           hex_digit_value(s_[i + 2]) >= 0;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// loose_fold: the characters PHP turns into "_" in the name of a request
// variable (PHP manual, "Variables From External Sources": " ", ".", and a
// "[" that opens no array index) as "_", and ASCII letters in lower case
// (ASP.NET Core's query collection compares keys ignoring case).
char loose_fold(char c) {
  return (c == ' ' || c == '.' || c == '[' || c == '_') ? '_' : ascii_lower(c);
}

}  // namespace

bool is_header(std::string_view request_name, std::string_view policy_name) {
  return ascii_iequals(request_name, policy_name);
}

bool header_may_be_read_as(std::string_view request_name, std::string_view policy_name) {
  if (request_name.size() != policy_name.size()) return false;
  const auto fold = [](char c) { return c == '_' ? '-' : ascii_lower(c); };
  for (size_t i = 0; i < request_name.size(); ++i)
    if (fold(request_name[i]) != fold(policy_name[i])) return false;
  return true;
}

bool is_query_parameter(std::string_view request_name, std::string_view policy_name) {
  FormDecoder a(request_name), b(policy_name);
  for (; !a.done() && !b.done(); a.next(), b.next())
    if (a.peek() != b.peek()) return false;
  return a.done() && b.done();
}

bool query_parameter_may_be_read_as(std::string_view request_name, std::string_view policy_name) {
  FormDecoder a(request_name), b(policy_name);
  while (!a.done() && a.peek() == ' ') a.next();
  while (!b.done() && b.peek() == ' ') b.next();
  for (; !a.done() && !b.done(); a.next(), b.next())
    if (loose_fold(a.peek()) != loose_fold(b.peek())) return false;
  if (!b.done()) return false;
  // The whole name, or the name and then PHP's "[": access_token[] and
  // access_token[x] both fill $_GET["access_token"].
  return a.done() || a.peek() == '[';
}

}  // namespace jwtgate
