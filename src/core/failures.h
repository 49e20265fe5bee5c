// FailureList: every failed check of one validation, in evaluation order.
// Entries are reused between validations (strings keep their capacity), so a
// warm result does not allocate to record the usual failures.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/quote.h"
#include "jwtgate.h"

namespace jwtgate {

struct Failure {
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  // The claim, header member or key involved: a name a program compares
  // ("exp", "aud", a required claim's name, a kid). Escaped as
  // core/quote.h's append_escaped escapes, without quotes, when it holds a
  // control character, a backslash, an invisible control or bytes that are
  // not UTF-8: a name taken from the token (a kid, a repeated member name)
  // can then be printed or logged as it is. Names of ordinary characters
  // are stored unchanged.
  std::string subject;
  // One precise sentence; never key material. Untrusted text enters it only
  // through quote.h (quoted, escaped, append_json_text), claim values only
  // through claims/claim_text.h (which applies the claim mask).
  std::string detail;
};

// subject_is: |subject| is the stored form (above) of the name |name|.
inline bool subject_is(std::string_view subject, std::string_view name) {
  if (!needs_escaping(name)) return subject == name;
  return subject == escaped(name);
}

class FailureList {
 public:
  void clear() { count_ = 0; }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  const Failure& operator[](size_t i) const { return items_[i]; }
  const Failure* begin() const { return items_.data(); }
  const Failure* end() const { return items_.data() + count_; }

  // add records a failure and returns its detail string for the caller to
  // fill (avoids building a temporary).
  std::string& add(jwtgate_reason reason, std::string_view subject) {
    if (count_ == items_.size()) items_.emplace_back();
    Failure& f = items_[count_++];
    f.reason = reason;
    if (needs_escaping(subject)) {
      f.subject.clear();
      append_escaped(f.subject, subject);
    } else {
      f.subject.assign(subject);
    }
    f.detail.clear();
    return f.detail;
  }
  bool has(jwtgate_reason reason) const {
    for (size_t i = 0; i < count_; ++i)
      if (items_[i].reason == reason) return true;
    return false;
  }

 private:
  std::vector<Failure> items_;
  size_t count_ = 0;
};

}  // namespace jwtgate
