// LatencyClock (latency_clock.h).
#include "core/latency_clock.h"

#include <chrono>
#include <fstream>
#include <string>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <x86intrin.h>
#define JWTGATE_HAVE_TSC 1
#else
#define JWTGATE_HAVE_TSC 0
#endif

namespace jwtgate {

namespace {

uint64_t steady_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

#if JWTGATE_HAVE_TSC
// kernel_uses_tsc: the kernel picked the TSC as its clocksource, which it
// does only for a TSC that is invariant and in step on every CPU.
bool kernel_uses_tsc() {
  std::ifstream f("/sys/devices/system/clocksource/clocksource0/current_clocksource");
  std::string name;
  return f && (f >> name) && name == "tsc";
}
#endif

}  // namespace

LatencyClock::LatencyClock() {
#if JWTGATE_HAVE_TSC
  if (!kernel_uses_tsc()) return;
  // The rate, over a 200 us spin: the two steady_clock reads that bound it
  // are short against it, so the error is a small fraction of a percent.
  const uint64_t ns0 = steady_ns();
  const uint64_t t0 = __rdtsc();
  uint64_t ns1 = ns0;
  while (ns1 - ns0 < 200000) ns1 = steady_ns();
  const uint64_t t1 = __rdtsc();
  if (t1 <= t0) return;
  ns_per_tick_ = static_cast<double>(ns1 - ns0) / static_cast<double>(t1 - t0);
  tsc_ = true;
#endif
}

const LatencyClock& LatencyClock::instance() {
  static const LatencyClock clock;  // thread-safe initialisation (C++11)
  return clock;
}

uint64_t LatencyClock::now() const {
#if JWTGATE_HAVE_TSC
  if (tsc_) return __rdtsc();
#endif
  return steady_ns();
}

}  // namespace jwtgate
