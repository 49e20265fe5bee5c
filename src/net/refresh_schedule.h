// RefreshSchedule: when one openid-config is fetched again. Pure bookkeeping
// on monotonic milliseconds (no I/O, no locking), so every rule is tested
// with plain numbers:
//  - after a success: again after the refresh interval (APIM: 1 h), sooner
//    when Cache-Control max-age says so, but never sooner than the floor;
//  - after a failure: again after the refetch window (APIM: "if retrieval
//    fails, ... at most once per 5 min");
//  - an unknown kid asks for an early fetch; one request per refetch window
//    is granted and the rest are dropped (APIM, Entra: "no more often than
//    every 5 min"), so a flood of tokens with made-up kids costs the
//    identity provider at most one fetch per window (a client that refetches
//    for every unknown kid lets made-up kids become requests to the provider).
//    The first request is granted at once, as Microsoft.IdentityModel's
//    ConfigurationManager.RequestRefresh does.
//  - keys stay usable until the maximum staleness after the last success
//    (Entra: 24 h), however many fetches fail in between.
#pragma once

#include <cstdint>

namespace jwtgate {

struct ScheduleSettings {
  int64_t refresh_interval_ms = 3'600'000;      // APIM: every hour
  int64_t min_refresh_interval_ms = 300'000;    // floor for Cache-Control max-age
  int64_t min_refetch_interval_ms = 300'000;    // unknown kid, failed fetch
  int64_t max_staleness_ms = 86'400'000;        // Entra: 24 h
};

class RefreshSchedule {
 public:
  explicit RefreshSchedule(const ScheduleSettings& s) : s_(s) {}

  // next_due_ms: when a fetch should start; 0 before the first attempt.
  int64_t next_due_ms() const;
  bool due(int64_t now) const { return now >= next_due_ms(); }

  // request_early asks for a fetch now because a token named an unknown
  // kid. Returns true if granted (one per refetch window).
  bool request_early(int64_t now);

  // on_success / on_failure record an attempt that ended at |now|.
  // |freshness_ms| is what the responses' Cache-Control allowed (-1: said
  // nothing).
  void on_success(int64_t now, int64_t freshness_ms);
  void on_failure(int64_t now);

  bool attempted() const { return attempted_; }
  bool loaded() const { return last_success_ >= 0; }
  int64_t last_success_ms() const { return last_success_; }
  // usable_until_ms: the keys of the last success are refused from then on;
  // 0 when nothing was ever loaded.
  int64_t usable_until_ms() const {
    return loaded() ? last_success_ + s_.max_staleness_ms : 0;
  }
  // interval_ms: the periodic interval chosen after the last success.
  int64_t interval_ms() const { return interval_; }
  // early_not_before_ms: no early request is granted before this time.
  int64_t early_not_before_ms() const { return early_not_before_; }

 private:
  ScheduleSettings s_;
  bool attempted_ = false;
  bool requested_ = false;        // an early fetch was granted and has not run yet
  bool failed_ = false;           // the last attempt failed
  int64_t last_success_ = -1;
  int64_t last_attempt_ = 0;
  int64_t interval_ = 0;
  int64_t early_not_before_ = 0;  // next early request granted from here on
};

}  // namespace jwtgate
