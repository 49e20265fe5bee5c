// JWKS refetch amplification (a client that refetches on every unknown kid,
// as PyJWKClient does, turns made-up kids into requests to the identity
// provider): 10,000 tokens with random kids cause at most one fetch
// per refetch window, with a clock the test moves and with the library's
// own thread on the real clock.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <thread>

#include "net_fixtures.h"
#include "test_support.h"

using namespace jwtgate;
using namespace jwtgate_test;

namespace {

// random_kid_tokens: tokens whose kid nobody has. The signature is 256
// random bytes: no key will verify it, and none needs to, since only the
// kid miss matters here.
std::vector<std::string> random_kid_tokens(size_t n, const std::string& iss, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string sig(256, '\0');
  for (char& c : sig) c = static_cast<char>(rng());
  const std::string payload =
      b64url("{\"iss\":\"" + iss + "\",\"aud\":\"api://net\",\"exp\":" + std::to_string(kNow + 60) + "}");
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string header = "{\"alg\":\"RS256\",\"kid\":\"" + std::to_string(rng()) + "-" +
                               std::to_string(rng()) + "\"}";
    out.push_back(b64url(header) + "." + payload + "." + b64url(sig));
  }
  return out;
}

}  // namespace

TEST_CASE("refetch amplification: 10,000 random kids, at most one fetch per window (fake clock)",
          "[net]") {
  auto clock = std::make_shared<FakeClock>();
  Provider idp;
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options(clock));
  REQUIRE(validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer)).valid);
  REQUIRE(idp.key_fetches() == 1);
  RemoteKeys& remote = *v.remote_keys();

  // Each window: 10,000 unknown kids, the host's refresh call after every
  // 100 of them, a minute of (fake) time across the window.
  const int64_t window = 300'000;
  size_t expected_fetches = 1;
  for (int w = 0; w < 3; ++w) {
    const auto tokens = random_kid_tokens(10'000, idp.issuer, 1234 + w);
    for (size_t i = 0; i < tokens.size(); ++i) {
      const Outcome o = validate(v, tokens[i]);
      REQUIRE(o.reason == JWTGATE_REASON_KEY_NOT_FOUND);
      if (i % 100 == 99) {
        remote.refresh(false, nullptr);
        clock->advance_ms(window / 120);  // 100 calls span most of the window
      }
    }
    ++expected_fetches;  // the window's one granted early fetch
    INFO("window " << w);
    CHECK(idp.key_fetches() == expected_fetches);
    clock->advance_ms(window);  // into the next window
  }
  CHECK(remote.counters().kid_misses == 30'000);
  CHECK(remote.counters().failures == 0);
  // And known kids kept working throughout.
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer)).valid);
}

TEST_CASE("refetch amplification: 10,000 random kids on two threads, refresh thread running",
          "[net]") {
  Provider idp;
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options());
  REQUIRE(v.remote_keys()->start_thread(nullptr));
  REQUIRE(validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer)).valid);
  const auto tokens = random_kid_tokens(10'000, idp.issuer, 99);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < tokens.size(); i += 2) (void)validate(v, tokens[i]);
    });
  for (auto& th : threads) th.join();
  // Give the thread time to do whatever it was asked to.
  for (int i = 0; i < 50 && idp.key_fetches() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(idp.key_fetches() == 2);  // the first load, and one refetch for the whole flood
  CHECK(v.remote_keys()->counters().kid_misses == 10'000);
}
