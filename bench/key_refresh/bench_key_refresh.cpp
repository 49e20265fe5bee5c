// bench_key_refresh: validation throughput while the validator's fetched
// keys are replaced continuously, against the same validator left alone.
// The first must stay within 5% of the second (docs/performance.md).
//
// One validating thread (the hot path: signature, claims; the verified-token
// cache off, so every validation verifies), one loopback provider, and in
// the "refreshing" phases a refresher that makes the provider alternate
// between two JWK Sets and forces a refresh every 10 ms, so every refresh
// parses a new set and swaps it in (about 100 swaps a second, where APIM
// refreshes once an hour). The phases alternate (A B A B ...) so that the
// noise of a shared machine hits both alike; the ratio of the medians is
// reported, by wall-clock time and by the validating thread's CPU time (the
// second shows the hot path alone, when other processes compete for the
// cores). Exit status 1 when the wall-clock ratio is below 0.95.
//
// usage: bench_key_refresh [SECONDS_PER_PHASE (default 1)] [ROUNDS (default 5)]
//                          [REFRESH_PERIOD_MS (default 10)]
// $JWTGATE_TEST_DATA must name tests/ (meson's benchmark() sets it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <vector>

#include "jwk_text.h"
#include "loopback_server.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/result.h"
#include "validate/validator.h"

using namespace jwtgate;
using namespace jwtgate_test;

namespace {

constexpr int64_t kNow = 1800000000;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Rate {
  double wall;  // validations per second of wall-clock time
  double cpu;   // validations per second of the validating thread's CPU time
};

// run_phase validates |token| for |seconds|. The CPU-time rate leaves out
// what other processes of a shared machine take from the validating thread.
Rate run_phase(const Validator& v, const std::string& token, double seconds) {
  Result r;
  const double cpu0 = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  uint64_t n = 0;
  bool all_valid = true;
  for (auto now = start; now < end; now = std::chrono::steady_clock::now()) {
    for (int i = 0; i < 64; ++i) all_valid = v.validate_token(token, kNow, r) && all_valid;
    n += 64;
  }
  if (!all_valid) {
    std::fprintf(stderr, "bench_key_refresh: a validation failed: %s\n",
                 r.failures.empty() ? "?" : r.failures[0].detail.c_str());
    std::exit(2);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = thread_cpu_seconds() - cpu0;
  return {static_cast<double>(n) / secs, static_cast<double>(n) / cpu};
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  const int period_ms = argc > 3 ? std::atoi(argv[3]) : 10;
  if (seconds <= 0 || rounds <= 0 || period_ms <= 0) {
    std::fprintf(stderr, "usage: bench_key_refresh [SECONDS_PER_PHASE] [ROUNDS] [REFRESH_PERIOD_MS]\n");
    return 2;
  }
  const std::string rsa_a = read_data("data/keys/rsa2048.pem");
  const std::string rsa_b = read_data("data/keys/rsa2048b.pem");
  const std::string ec = read_data("data/keys/ec256.pem");
  LoopbackServer server(600'000);
  const std::string issuer = "https://bench.test/";
  const std::string set_a = jwk_set({public_jwk(rsa_a, "k"), public_jwk(rsa_b, "x")});
  const std::string set_b = jwk_set({public_jwk(rsa_a, "k"), public_jwk(ec, "y")});
  server.set_json("/.well-known/openid-configuration", discovery_json(issuer, server.url("/keys")));
  server.set_json("/keys", set_a);

  Diagnostics diag;
  auto policy = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": [{\"url\": \"" +
          server.url("/.well-known/openid-configuration") +
          "\"}], \"audiences\": [\"api://bench\"]}}",
      LoadOptions{}, diag);
  if (!policy) {
    std::fprintf(stderr, "bench_key_refresh: %s", diag.text().c_str());
    return 2;
  }
  ValidatorOptions opts;
  opts.remote.http.allow_http_loopback = true;
  Validator v(policy, nullptr, opts);
  const std::string token = make_token(
      "{\"alg\":\"RS256\",\"kid\":\"k\"}",
      "{\"iss\":\"" + issuer + "\",\"aud\":\"api://bench\",\"sub\":\"bench\",\"exp\":" +
          std::to_string(kNow + 3600) + "}",
      "RS256", rsa_a);
  run_phase(v, token, 0.2);  // first load and warm-up

  std::vector<double> quiet, refreshing, quiet_cpu, refreshing_cpu;
  uint64_t refreshes = 0;
  for (int round = 0; round < rounds; ++round) {
    const Rate q = run_phase(v, token, seconds);
    quiet.push_back(q.wall);
    quiet_cpu.push_back(q.cpu);
    std::atomic<bool> stop{false};
    std::thread refresher([&] {
      for (bool b = true; !stop; b = !b) {
        server.set_json("/keys", b ? set_b : set_a);
        if (v.remote_keys()->refresh(true, nullptr)) ++refreshes;
        std::this_thread::sleep_for(std::chrono::milliseconds(period_ms));
      }
    });
    const Rate r = run_phase(v, token, seconds);
    refreshing.push_back(r.wall);
    refreshing_cpu.push_back(r.cpu);
    stop = true;
    refresher.join();
  }
  const double q = median(quiet), r = median(refreshing);
  const double ratio = r / q;
  const double cpu_ratio = median(refreshing_cpu) / median(quiet_cpu);
  std::printf("bench_key_refresh: %d rounds of %.1f s per phase, 1 validating thread, RS256, "
              "a refresh every %d ms\n",
              rounds, seconds, period_ms);
  std::printf("  without refreshes:             %10.0f validations/s (median)\n", q);
  std::printf("  with continuous key refreshes: %10.0f validations/s (median; %llu refreshes, "
              "each a new key set)\n",
              r, static_cast<unsigned long long>(refreshes));
  std::printf("  ratio: %.3f (%s 0.95); per CPU-second of the validating thread: %.3f\n", ratio,
              ratio >= 0.95 ? ">=" : "<", cpu_ratio);
  return ratio >= 0.95 ? 0 : 1;
}
