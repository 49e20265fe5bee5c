// LatencyClock: timestamps for the metrics' latency histogram, cheap enough
// to take twice per validation (the metrics must stay a small part of a
// validation: docs/performance.md has the budget and the measurements).
//
// std::chrono::steady_clock goes through the vDSO, two reads of which are a
// measurable part of an HS256 validation. On x86-64, when the kernel's own
// clocksource is the TSC (so the kernel has judged it invariant and
// synchronised across CPUs), we read the TSC directly (a few times cheaper)
// and convert ticks to nanoseconds with a rate measured once per process
// against steady_clock (a 200 us spin, on the first use). Anywhere else it
// is steady_clock. Good to a few percent, which a log2 histogram
// does not notice; never used for anything but that histogram.
#pragma once

#include <cstdint>

namespace jwtgate {

class LatencyClock {
 public:
  // instance returns the process-wide clock, calibrating it on first use.
  static const LatencyClock& instance();

  uint64_t now() const;  // ticks of an unspecified epoch
  uint64_t to_nanoseconds(uint64_t ticks) const {
    return tsc_ ? static_cast<uint64_t>(static_cast<double>(ticks) * ns_per_tick_) : ticks;
  }
  bool uses_tsc() const { return tsc_; }

 private:
  LatencyClock();
  bool tsc_ = false;
  double ns_per_tick_ = 1.0;
};

}  // namespace jwtgate
