// Concurrent validations while keys rotate (run under ThreadSanitizer by
// scripts/test.sh). Two provider generations publish the same kid with a
// different key and a different issuer; a validation that mixed one
// generation's keys with the other's issuers would pass the signature and
// fail only the issuer check. That must never happen: every outcome is
// valid, or a signature failure under the other generation.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "net_fixtures.h"

using namespace jwtgate;
using namespace jwtgate_test;

TEST_CASE("concurrency: validations while keys and issuers rotate never see a mix",
          "[net][tsan]") {
  LoopbackServer server;
  const std::string iss_a = "https://generation-a.test/", iss_b = "https://generation-b.test/";
  // Each generation has its own jwks_uri, so a fetch that straddles a switch
  // still pairs a discovery document with its own key set.
  server.set_json("/keys-a", jwk_set({public_jwk(rsa_a(), "k")}));
  server.set_json("/keys-b", jwk_set({public_jwk(rsa_b(), "k")}));
  const std::string doc_a = discovery_json(iss_a, server.url("/keys-a"));
  const std::string doc_b = discovery_json(iss_b, server.url("/keys-b"));
  server.set_json("/.well-known/openid-configuration", doc_a);

  ValidatorOptions o = loopback_options();
  o.cache_entries = 256;  // the cache's generation handling runs too
  o.remote.schedule.refresh_interval_ms = 5;
  o.remote.schedule.min_refresh_interval_ms = 1;
  Validator v(policy_fetching({server.url("/.well-known/openid-configuration")}), nullptr, o);
  REQUIRE(v.remote_keys()->start_thread(nullptr));

  const std::string token_a = signed_token(rsa_a(), "RS256", "k", iss_a);
  const std::string token_b = signed_token(rsa_b(), "RS256", "k", iss_b);
  std::atomic<bool> stop{false};
  std::atomic<int> valid_a{0}, valid_b{0}, mixed{0}, other{0};
  std::vector<std::thread> validators;
  for (int t = 0; t < 3; ++t) {
    validators.emplace_back([&] {
      jwtgate::Result r;
      for (int i = 0; i < 200'000 && !stop; ++i) {
        const bool a = i % 2 == 0;
        const bool ok = v.validate_token(a ? token_a : token_b, kNow, r);
        if (ok) {
          (a ? valid_a : valid_b)++;
        } else if (r.reason == JWTGATE_REASON_SIGNATURE_INVALID) {
          // The other generation: its key has kid "k" too.
        } else if (r.reason == JWTGATE_REASON_ISSUER_NOT_ALLOWED) {
          mixed++;
        } else {
          other++;
        }
      }
    });
  }
  // The rotator switches generations and forces refreshes too, racing the
  // library's own thread.
  std::thread rotator([&] {
    for (int i = 0; i < 150 && !stop; ++i) {
      server.set_json("/.well-known/openid-configuration", i % 2 ? doc_a : doc_b);
      v.remote_keys()->refresh(i % 3 == 0, nullptr);
      std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
    stop = true;
  });
  rotator.join();
  for (auto& t : validators) t.join();
  v.remote_keys()->stop_thread();

  INFO("valid a " << valid_a << ", valid b " << valid_b << ", fetches "
                  << v.remote_keys()->counters().fetches);
  CHECK(mixed == 0);
  CHECK(other == 0);
  CHECK(valid_a > 0);
  CHECK(valid_b > 0);
  CHECK(v.remote_keys()->counters().fetches >= 20);
  CHECK(v.remote_keys()->counters().failures == 0);
}
