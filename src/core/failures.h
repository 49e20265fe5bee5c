// FailureList: every failed check of one validation, in evaluation order.
// Entries are reused between validations (strings keep their capacity), so a
// warm result does not allocate to record the usual failures.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/quote.h"
#include "jwtgate.h"

namespace jwtgate {

// What a failed comparison compared, recorded by the check that made it, so
// that the diagnosis (diagnose/) reasons from data and never from the words
// of |detail|. Plain values and pointers into the policy or into the key
// snapshot the result holds (Result::policy, Result::keys_alive): recording
// it allocates nothing.
enum class Compared : uint8_t {
  None,
  Issuer,             // iss against the allowed issuers (<issuers> + openid-config)
  KeyIssuer,          // iss against the issuer the verifying key is bound to
  Audience,           // aud against <audiences>
  RequiredClaim,      // one <required-claims> rule (the claim itself, present or not)
  ClientApplication,  // azp / appid against client-application-ids
  Typ,                // the header's typ against the policy's
};

struct FailureEvidence {
  Compared compared = Compared::None;
  // The policy's values the token's value was compared with (exactly, as
  // APIM compares), or null when the check compared none.
  const std::string* values = nullptr;
  size_t value_count = 0;
  // The token's member compared: "iss", "aud", a required claim's name,
  // "azp" or "appid", "typ". A view of a literal or of the policy.
  std::string_view claim;
  int rule = -1;         // RequiredClaim: its index in Policy::required_claims
  uint16_t present = 0;  // RequiredClaim: policy values the token holds
  uint16_t missing = 0;  //   and those it lacks
};

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
  // What the check compared (Compared::None for a failure that compares
  // nothing: a parse error, a bad signature, an expired token).
  FailureEvidence evidence;
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
    f.evidence = FailureEvidence{};
    return f.detail;
  }
  // last: the failure added last (to record its evidence).
  Failure& last() { return items_[count_ - 1]; }
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
