// Reasons: names, APIM reasons and descriptions of jwtgate_reason values,
// all derived from JWTGATE_REASON_LIST (include/jwtgate_reasons.h).
#pragma once

#include <cstddef>

#include "jwtgate.h"

namespace jwtgate {

// reason_name: the stable snake_case name ("expired"); "unknown" for a
// number that is not a reason.
const char* reason_name(jwtgate_reason r);
// apim_reason: API Management's context.LastError.Reason ("TokenExpired");
// "" for JWTGATE_REASON_NONE, "JwtInvalid" for a number that is not a reason.
const char* apim_reason(jwtgate_reason r);
// reason_description: one line saying what failed; "" for an unknown number.
const char* reason_description(jwtgate_reason r);
// is_reason: whether |r| is a number of JWTGATE_REASON_LIST.
bool is_reason(jwtgate_reason r);

// kReasonLimit: one above the largest reason number (array bounds).
constexpr int reason_limit() {
  int m = 0;
#define JWTGATE_REASON_TAKE_MAX_(name, number, code, apim, text) \
  if ((number) > m) m = (number);
  JWTGATE_REASON_LIST(JWTGATE_REASON_TAKE_MAX_)
#undef JWTGATE_REASON_TAKE_MAX_
  return m + 1;
}
inline constexpr int kReasonLimit = reason_limit();

// ReasonInfo: one row of the list, for code that walks every reason (the
// Python enum, the frozen-number test, docs).
struct ReasonInfo {
  jwtgate_reason reason;
  const char* enumerator;  // "EXPIRED"
  const char* code;        // "expired"
  const char* apim;        // "TokenExpired"
  const char* description;
};
// all_reasons: every reason, in number order; |*count| receives how many.
const ReasonInfo* all_reasons(size_t* count);

}  // namespace jwtgate
