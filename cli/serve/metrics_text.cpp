#include "metrics_text.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "jwtgate_experimental.h"  // metrics and key counters

namespace cli::serve {

namespace {

// Label values escape \, " and newline (exposition format).
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void family(std::ostringstream& o, const char* name, const char* type, const char* help) {
  o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << "\n";
}

// Every reason, in number order (jwtgate_reasons.h's list).
#define JWTGATE_REASON_VALUE_(name, number, code, apim, text) JWTGATE_REASON_##name,
constexpr jwtgate_reason kReasons[] = {JWTGATE_REASON_LIST(JWTGATE_REASON_VALUE_)};
#undef JWTGATE_REASON_VALUE_

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", s);
  return buf;
}

}  // namespace

std::string metrics_text(const RouteTable& table, const ServiceCounters& c) {
  std::ostringstream o;
  family(o, "jwtgate_http_replies_total", "counter", "Replies of the service by HTTP status.");
  for (int i = 0; i <= ServiceCounters::kCodeCount; ++i) {
    const std::string code =
        i < ServiceCounters::kCodeCount ? std::to_string(ServiceCounters::kCodes[i]) : "other";
    o << "jwtgate_http_replies_total{code=\"" << code << "\"} " << c.replies[i].load() << "\n";
  }
  family(o, "jwtgate_config_reloads_total", "counter", "Configuration reloads (SIGHUP) by result.");
  o << "jwtgate_config_reloads_total{result=\"success\"} " << c.reloads_ok.load() << "\n";
  o << "jwtgate_config_reloads_total{result=\"failure\"} " << c.reloads_failed.load() << "\n";
  family(o, "jwtgate_config_last_reload_success_timestamp_seconds", "gauge",
         "When the configuration in service was loaded (Unix seconds).");
  o << "jwtgate_config_last_reload_success_timestamp_seconds " << c.last_reload_ok_unix.load() << "\n";

  // Read every route's counters once, then print family by family.
  std::vector<jwtgate_metrics> m(table.routes.size());
  std::vector<bool> have(table.routes.size());
  std::vector<jwtgate_key_counters> k(table.routes.size());
  for (size_t i = 0; i < table.routes.size(); ++i) {
    m[i] = {};
    m[i].struct_size = sizeof(jwtgate_metrics);
    have[i] = jwtgate_validator_get_metrics(table.routes[i].validator.get(), &m[i]) == JWTGATE_OK;
    k[i] = {};
    k[i].struct_size = sizeof(jwtgate_key_counters);
    (void)jwtgate_validator_get_key_counters(table.routes[i].validator.get(), &k[i]);
  }
  family(o, "jwtgate_validations_total", "counter", "Token validations by route and outcome.");
  for (size_t i = 0; i < m.size(); ++i) {
    if (!have[i]) continue;
    const std::string r = label(table.routes[i].prefix);
    o << "jwtgate_validations_total{route=\"" << r << "\",outcome=\"valid\"} " << m[i].valid << "\n";
    o << "jwtgate_validations_total{route=\"" << r << "\",outcome=\"invalid\"} " << m[i].invalid << "\n";
  }
  family(o, "jwtgate_validation_failures_total", "counter",
         "Refused tokens by route and deciding reason (jwtgate_reason_str).");
  for (size_t i = 0; i < m.size(); ++i) {
    if (!have[i]) continue;
    for (jwtgate_reason reason : kReasons) {
      uint64_t n = 0;
      if (reason == JWTGATE_REASON_NONE ||
          jwtgate_validator_metrics_by_reason(table.routes[i].validator.get(), reason, &n) != JWTGATE_OK ||
          n == 0)
        continue;
      o << "jwtgate_validation_failures_total{route=\"" << label(table.routes[i].prefix)
        << "\",reason=\"" << jwtgate_reason_str(reason) << "\"} " << n << "\n";
    }
  }
  // The library counts latencies in power-of-two microsecond buckets and
  // keeps no exact sum; _sum is estimated from each bucket's midpoint.
  family(o, "jwtgate_validation_duration_seconds", "histogram",
         "Validation time by route (_sum estimated from the buckets).");
  for (size_t i = 0; i < m.size(); ++i) {
    if (!have[i]) continue;
    const std::string r = label(table.routes[i].prefix);
    uint64_t cumulative = 0;
    double sum = 0;
    for (int b = 0; b < JWTGATE_METRICS_BUCKETS; ++b) {
      const uint64_t n = m[i].latency_us_log2[b];
      cumulative += n;
      const double upper_us = std::ldexp(1.0, b), lower_us = b ? upper_us / 2 : 0;
      sum += double(n) * (upper_us + lower_us) / 2 * 1e-6;
      o << "jwtgate_validation_duration_seconds_bucket{route=\"" << r << "\",le=\""
        << seconds(upper_us * 1e-6) << "\"} " << cumulative << "\n";
    }
    o << "jwtgate_validation_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
      << cumulative << "\n";
    o << "jwtgate_validation_duration_seconds_sum{route=\"" << r << "\"} " << seconds(sum) << "\n";
    o << "jwtgate_validation_duration_seconds_count{route=\"" << r << "\"} " << cumulative << "\n";
  }
  family(o, "jwtgate_keys_loaded", "gauge", "Fetched signing keys usable now, by route.");
  for (size_t i = 0; i < k.size(); ++i)
    o << "jwtgate_keys_loaded{route=\"" << label(table.routes[i].prefix) << "\"} " << k[i].keys_loaded
      << "\n";
  family(o, "jwtgate_key_fetch_failures_total", "counter", "Failed key fetches, by route.");
  for (size_t i = 0; i < k.size(); ++i)
    o << "jwtgate_key_fetch_failures_total{route=\"" << label(table.routes[i].prefix) << "\"} "
      << k[i].failures << "\n";
  return o.str();
}

}  // namespace cli::serve
