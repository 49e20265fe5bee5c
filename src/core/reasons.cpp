#include "core/reasons.h"

#include <array>

namespace jwtgate {

namespace {

#define JWTGATE_REASON_ROW_(name, number, code, apim, text) \
  {JWTGATE_REASON_##name, #name, code, apim, text},
constexpr ReasonInfo kReasons[] = {JWTGATE_REASON_LIST(JWTGATE_REASON_ROW_)};
#undef JWTGATE_REASON_ROW_
constexpr size_t kReasonCount = sizeof kReasons / sizeof kReasons[0];

// kRow[number]: the index of that reason's row, or -1 for an unused number.
// Built at compile time; it also rejects a list out of number order (the
// enum itself would compile with a repeated number).
constexpr std::array<int, kReasonLimit> make_rows() {
  std::array<int, kReasonLimit> rows{};
  for (int& r : rows) r = -1;
  int last = -1;
  for (size_t i = 0; i < kReasonCount; ++i) {
    const int n = kReasons[i].reason;
    if (n <= last) throw "JWTGATE_REASON_LIST must be in strictly ascending number order";
    rows[n] = static_cast<int>(i);
    last = n;
  }
  return rows;
}
constexpr std::array<int, kReasonLimit> kRow = make_rows();

const ReasonInfo* row(jwtgate_reason r) {
  const int n = r;
  if (n < 0 || n >= kReasonLimit || kRow[n] < 0) return nullptr;
  return &kReasons[kRow[n]];
}

}  // namespace

const char* reason_name(jwtgate_reason r) {
  const ReasonInfo* i = row(r);
  return i ? i->code : "unknown";
}

const char* apim_reason(jwtgate_reason r) {
  const ReasonInfo* i = row(r);
  return i ? i->apim : "JwtInvalid";
}

const char* reason_description(jwtgate_reason r) {
  const ReasonInfo* i = row(r);
  return i ? i->description : "";
}

bool is_reason(jwtgate_reason r) { return row(r) != nullptr; }

const ReasonInfo* all_reasons(size_t* count) {
  *count = kReasonCount;
  return kReasons;
}

}  // namespace jwtgate
