// Observability at the C boundary: a trace callback that receives every
// validation step as a JSON line, and counters by outcome and reason with a
// latency histogram. Both sit around the core's validate call, so the core
// stays free of I/O and clocks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jwtgate.h"
#include "jwtgate_experimental.h"
#include "core/reasons.h"

namespace jwtgate {

class Result;  // validate/result.h

struct ObserveOptions {
  jwtgate_trace_fn trace = nullptr;
  void* trace_user = nullptr;
  bool trace_token = false;          // header and claims in events: opt-in
  bool metrics = true;               // counters: on unless turned off
};

// Counters are striped over cache lines so that threads validating at once
// do not fight over one line; a read sums the stripes.
class Metrics {
 public:
  // One counter per reason number (JWTGATE_REASON_LIST), and one more for a
  // number that is none, counted as invalid: the C API reads them one reason
  // at a time (jwtgate_validator_metrics_by_reason), so a new reason only
  // grows this array.
  static constexpr int kReasons = kReasonLimit;
  static constexpr int kSlots = kReasons + 1;
  static constexpr int kBuckets = JWTGATE_METRICS_BUCKETS;
  Metrics();
  void record(jwtgate_reason reason, uint64_t nanoseconds);
  // read fills the totals and latencies of |out| up to out->struct_size.
  void read(jwtgate_metrics* out) const;
  // by_reason: validations that ended with |reason| (0 <= reason < kReasons).
  uint64_t by_reason(int reason) const;

 private:
  static constexpr int kOwnedStripes = 16;              // one writer each
  static constexpr int kStripes = kOwnedStripes + 1;   // + one shared by later threads
  struct alignas(64) Stripe {
    std::atomic<uint64_t> by_reason[kSlots];
    std::atomic<uint64_t> latency[kBuckets];
  };
  std::unique_ptr<Stripe[]> stripes_;
};

// emit_trace sends the events of one validation to the callback: each one
// JSON object on one line (json_writer.h escapes whatever the token holds),
// masked claims' values never written (r.mask, claims/claim_text.h).
void emit_trace(const ObserveOptions& o, Result& r, uint64_t nanoseconds);

}  // namespace jwtgate
