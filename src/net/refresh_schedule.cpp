#include "net/refresh_schedule.h"

#include <algorithm>

namespace jwtgate {

int64_t RefreshSchedule::next_due_ms() const {
  if (!attempted_ || requested_) return 0;
  if (failed_) return last_attempt_ + s_.min_refetch_interval_ms;
  return last_success_ + interval_;
}

bool RefreshSchedule::request_early(int64_t now) {
  if (requested_) return true;  // already pending: the same fetch answers it
  if (now < early_not_before_) return false;
  requested_ = true;
  early_not_before_ = now + s_.min_refetch_interval_ms;
  return true;
}

void RefreshSchedule::on_success(int64_t now, int64_t freshness_ms) {
  attempted_ = true;
  requested_ = false;
  failed_ = false;
  last_attempt_ = now;
  last_success_ = now;
  // Sooner than configured when the provider says so, never later; and not
  // sooner than the floor, so "max-age=0" cannot make us poll it.
  const int64_t floor = std::min(s_.min_refresh_interval_ms, s_.refresh_interval_ms);
  interval_ = s_.refresh_interval_ms;
  if (freshness_ms >= 0) interval_ = std::clamp(freshness_ms, floor, s_.refresh_interval_ms);
}

void RefreshSchedule::on_failure(int64_t now) {
  attempted_ = true;
  requested_ = false;
  failed_ = true;
  last_attempt_ = now;
  // A failure also closes the window for early requests: an attacker's
  // unknown kids must not turn an outage into a stream of retries.
  early_not_before_ = std::max(early_not_before_, now + s_.min_refetch_interval_ms);
}

}  // namespace jwtgate
