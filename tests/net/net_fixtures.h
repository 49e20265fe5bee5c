// Shared pieces of the [net] tests: JWKs made from the committed test keys,
// discovery documents, tokens, a clock the test moves by hand, and a
// validator whose policy fetches one openid-config from a LoopbackServer.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "jwk_text.h"
#include "loopback_server.h"
#include "net/clock.h"
#include "validate/result.h"
#include "validate/validator.h"

namespace jwtgate_test {

// The committed keys used as distinct signing keys.
std::string rsa_a();  // tests/data/keys/rsa2048.pem
std::string rsa_b();  // tests/data/keys/rsa2048b.pem
std::string ec_a();   // tests/data/keys/ec256.pem

// token signs claims {iss, aud:"api://net", exp far ahead, extra} with |pem|.
std::string signed_token(const std::string& pem, const std::string& alg, const std::string& kid,
                         const std::string& iss, const std::string& extra_claims = "");
constexpr int64_t kNow = 1800000000;  // the validation time of every [net] test

class FakeClock final : public jwtgate::Clock {
 public:
  int64_t steady_ms() const override { return steady_.load(); }
  int64_t unix_ms() const override { return 1'700'000'000'000 + steady_.load(); }
  void advance_ms(int64_t ms) { steady_ += ms; }

 private:
  std::atomic<int64_t> steady_{1'000'000};
};

// Provider: a LoopbackServer serving a discovery document at
// /.well-known/openid-configuration whose jwks_uri is /keys.
struct Provider {
  LoopbackServer server;
  std::string issuer = "https://issuer.net.test/";
  Provider();
  std::string discovery_url() const { return server.url("/.well-known/openid-configuration"); }
  void publish_keys(const std::vector<std::string>& jwks, std::vector<std::string> headers = {});
  void publish_discovery(const std::string& issuer, const std::string& jwks_uri);
  size_t key_fetches() const { return server.hits("/keys"); }
};

// loopback_options: remote-key options for tests: http to loopback allowed,
// short timeouts.
jwtgate::ValidatorOptions loopback_options(std::shared_ptr<const jwtgate::Clock> clock = nullptr);

// policy_fetching returns a validate-jwt policy whose only keys come from
// openid-config |url| (audience api://net, no <issuers>: the discovered one
// is the only issuer accepted).
std::shared_ptr<const jwtgate::Policy> policy_fetching(const std::vector<std::string>& urls);

struct Outcome {
  bool valid;
  jwtgate_reason reason;
  std::string detail;
  std::string message;  // APIM's
};
Outcome validate(const jwtgate::Validator& v, const std::string& token);

}  // namespace jwtgate_test
