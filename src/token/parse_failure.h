// ParseFailure: why a token (a JWS, a JWE or its nested token) was refused
// before its signature or claims were checked, and fail_with, the one way the
// parsers (token/, jwe/, validate/decryption_stage) record it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "jwtgate.h"

namespace jwtgate {

// What a parse failure was, with a sentence and the header member involved.
struct ParseFailure {
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  std::string subject;  // e.g. "alg", "crit", "payload"
  std::string detail;   // e.g. "header member \"jwk\" would embed a key; refused"
};

// fail_with fills |fail| and returns false, so that a check ends with
// `return fail_with(...)`.
inline bool fail_with(ParseFailure& fail, jwtgate_reason reason, std::string_view subject,
                      std::string detail) {
  fail.reason = reason;
  fail.subject.assign(subject);
  fail.detail = std::move(detail);
  return false;
}

// within_limit: |size| bytes of |what| ("token") are at most |limit|;
// otherwise a JWTGATE_REASON_TOO_LARGE failure. Checked before anything
// else, so that an oversized token costs neither scanning nor buffer growth.
inline bool within_limit(ParseFailure& fail, std::string_view what, size_t size, size_t limit) {
  if (size <= limit) return true;
  return fail_with(fail, JWTGATE_REASON_TOO_LARGE, "",
                   std::string(what) + " is " + std::to_string(size) +
                       " bytes, more than the limit of " + std::to_string(limit));
}

// Longest header member name or value quoted in a detail sentence; longer
// ones are cut (they are attacker-chosen and details end up in logs).
constexpr size_t kMaxQuoted = 64;

}  // namespace jwtgate
