// Trace events and metrics (capi_observe.h), and their C entry points.
#include "capi/capi_observe.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <functional>
#include <thread>

#include "capi/capi_types.h"
#include "validate/result.h"
#include "claims/claim_text.h"
#include "core/json_writer.h"
#include "diagnose/diagnosis.h"
#include "validate/messages.h"

namespace jwtgate {

Metrics::Metrics() : stripes_(new Stripe[kStripes]) {
  for (int s = 0; s < kStripes; ++s) {
    for (auto& c : stripes_[s].by_reason) c.store(0, std::memory_order_relaxed);
    for (auto& c : stripes_[s].latency) c.store(0, std::memory_order_relaxed);
  }
}

void Metrics::record(jwtgate_reason reason, uint64_t ns) {
  // The first kOwnedStripes threads of the process each own a stripe (handed
  // out in order on a thread's first record), in every Metrics: a stripe
  // with one writer needs no locked read-modify-write, only a relaxed load
  // and store (a locked fetch_add makes the counters a measurable part of
  // an HS256 validation: docs/performance.md). Later threads share the last
  // stripe and pay for fetch_add.
  static std::atomic<size_t> next_thread{0};
  static thread_local const size_t thread_index = next_thread.fetch_add(1, std::memory_order_relaxed);
  const bool owned = thread_index < kOwnedStripes;
  Stripe& s = stripes_[owned ? thread_index : kOwnedStripes];
  const int r = static_cast<int>(reason);
  const uint64_t us = ns / 1000;
  const int bucket = std::min<int>(static_cast<int>(std::bit_width(us)), kBuckets - 1);
  std::atomic<uint64_t>& by_reason = s.by_reason[r >= 0 && r < kReasons ? r : kReasons];
  std::atomic<uint64_t>& latency = s.latency[bucket];
  if (owned) {
    by_reason.store(by_reason.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    latency.store(latency.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  } else {
    by_reason.fetch_add(1, std::memory_order_relaxed);
    latency.fetch_add(1, std::memory_order_relaxed);
  }
}

void Metrics::read(jwtgate_metrics* out) const {
  const size_t size = out->struct_size;
  jwtgate_metrics m{};
  m.struct_size = size;
  for (int s = 0; s < kStripes; ++s) {
    for (int r = 0; r < kSlots; ++r) {
      const uint64_t n = stripes_[s].by_reason[r].load(std::memory_order_relaxed);
      (r == JWTGATE_REASON_NONE ? m.valid : m.invalid) += n;
    }
    for (int b = 0; b < kBuckets; ++b) m.latency_us_log2[b] += stripes_[s].latency[b].load(std::memory_order_relaxed);
  }
  // A caller built against an older, shorter struct gets its prefix only.
  std::memcpy(out, &m, size < sizeof m ? size : sizeof m);
}

uint64_t Metrics::by_reason(int reason) const {
  uint64_t n = 0;
  for (int s = 0; s < kStripes; ++s) n += stripes_[s].by_reason[reason].load(std::memory_order_relaxed);
  return n;
}

void emit_trace(const ObserveOptions& o, Result& r, uint64_t ns) {
  auto send = [&](std::string& line) { o.trace(o.trace_user, line.c_str(), line.size()); };
  std::string line;
  {
    JsonWriter w(line);
    w.begin_object().key("event").value("source").key("source").value(r.token_source).end_object();
    send(line);
  }
  if (r.header_available) {
    line.clear();
    JsonWriter w(line);
    w.begin_object().key("event").value("header").key("alg").value(r.token.alg_name);
    if (r.token.has_kid) w.key("kid").value(r.token.kid);
    if (r.token.has_typ) w.key("typ").value(r.token.typ);
    if (o.trace_token) write_json_object(w.key("header"), r.token.header);
    w.end_object();
    send(line);
    line.clear();
    JsonWriter k(line);
    k.begin_object().key("event").value("key");
    if (r.token.has_kid) k.key("kid").value(r.token.kid);
    if (r.key) k.key("key").value(r.key->origin);
    else k.key("key").null();
    k.key("cache_hit").value(r.cache_hit).end_object();
    send(line);
  }
  if (r.policy) {
    for (const Check& c : diagnose(r, *r.policy).checks) {
      line.clear();
      JsonWriter w(line);
      w.begin_object().key("event").value("check").key("name").value(c.name).key("passed").value(c.passed)
          .key("evidence").value(c.evidence).end_object();
      send(line);
    }
  }
  line.clear();
  JsonWriter w(line);
  w.begin_object().key("event").value("result").key("valid").value(r.valid).key("status").value(r.http_status)
      .key("reason").value(reason_name(r.reason)).key("apim_reason").value(apim_reason(r.reason))
      .key("message").value(r.message).key("elapsed_ns").value(static_cast<int64_t>(ns));
  if (o.trace_token && r.claims_available) write_json_object(w.key("claims"), r.token.payload, r.mask.get());
  w.end_object();
  send(line);
}

}  // namespace jwtgate

using namespace jwtgate;

extern "C" {

jwtgate_status jwtgate_validator_options_set_trace(jwtgate_validator_options* o, jwtgate_trace_fn fn,
                                                   void* user) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->observe.trace = fn;
  o->observe.trace_user = user;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_options_set_trace_token(jwtgate_validator_options* o, int include) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->observe.trace_token = include != 0;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_options_mask_claim(jwtgate_validator_options* o, const char* claim) {
  if (!o || !claim || !*claim) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    o->opts.masked_claims.emplace_back(claim);
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_validator_options_set_metrics(jwtgate_validator_options* o, int on) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->observe.metrics = on != 0;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_get_metrics(const jwtgate_validator* v, jwtgate_metrics* out) {
  if (!v || !out || out->struct_size < offsetof(jwtgate_metrics, latency_us_log2))
    return JWTGATE_ERR_INVALID_ARGUMENT;
  if (!v->metrics) return JWTGATE_ERR_UNSUPPORTED;
  v->metrics->read(out);
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_metrics_by_reason(const jwtgate_validator* v, jwtgate_reason reason,
                                                   uint64_t* count) {
  if (!v || !count || !is_reason(reason)) return JWTGATE_ERR_INVALID_ARGUMENT;
  if (!v->metrics) return JWTGATE_ERR_UNSUPPORTED;
  *count = v->metrics->by_reason(static_cast<int>(reason));
  return JWTGATE_OK;
}

}  // extern "C"
