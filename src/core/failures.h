// FailureList: every failed check of one validation, in evaluation order.
// Entries are reused between validations (strings keep their capacity), so a
// warm result does not allocate to record the usual failures.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jwtgate.h"

namespace jwtgate {

struct Failure {
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  std::string subject;  // the claim, header member or key involved
  std::string detail;   // one precise sentence; never key material
};

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
    f.subject.assign(subject);
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
