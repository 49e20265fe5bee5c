// Clock: where remote-key scheduling reads the time. Refresh intervals, the
// refetch window and key staleness are measured on the monotonic clock, so a
// wall-clock jump (NTP step, manual change) neither expires keys early nor
// keeps them forever; the wall clock is read only to report "last success"
// to people. Tests replace it with a clock they move by hand, so an hour or
// a day of schedule runs in microseconds.
#pragma once

#include <cstdint>

namespace jwtgate {

class Clock {
 public:
  virtual ~Clock() = default;
  // steady_ms: milliseconds on a monotonic clock with an arbitrary origin.
  virtual int64_t steady_ms() const = 0;
  // unix_ms: milliseconds since 1970-01-01T00:00:00Z.
  virtual int64_t unix_ms() const = 0;
};

// system_clock returns the process-wide clock backed by std::chrono's
// steady_clock and system_clock.
const Clock& system_clock();

}  // namespace jwtgate
