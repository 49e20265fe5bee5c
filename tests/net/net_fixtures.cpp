#include "net_fixtures.h"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "policy/policy_loader.h"
#include "test_support.h"

namespace jwtgate_test {

std::string rsa_a() { return read_data("data/keys/rsa2048.pem"); }
std::string rsa_b() { return read_data("data/keys/rsa2048b.pem"); }
std::string ec_a() { return read_data("data/keys/ec256.pem"); }

std::string signed_token(const std::string& pem, const std::string& alg, const std::string& kid,
                         const std::string& iss, const std::string& extra_claims) {
  const std::string header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}";
  std::string claims = "{\"iss\":\"" + iss + "\",\"aud\":\"api://net\",\"sub\":\"svc\",\"exp\":" +
                       std::to_string(kNow + 3600);
  if (!extra_claims.empty()) claims += "," + extra_claims;
  return make_token(header, claims + "}", alg, pem);
}

Provider::Provider() { publish_discovery(issuer, server.url("/keys")); }

void Provider::publish_keys(const std::vector<std::string>& jwks, std::vector<std::string> headers) {
  server.set_json("/keys", jwk_set(jwks), std::move(headers));
}

void Provider::publish_discovery(const std::string& iss, const std::string& jwks_uri) {
  server.set_json("/.well-known/openid-configuration", discovery_json(iss, jwks_uri));
}

jwtgate::ValidatorOptions loopback_options(std::shared_ptr<const jwtgate::Clock> clock) {
  jwtgate::ValidatorOptions o;
  o.remote.http.allow_http_loopback = true;
  o.remote.http.timeout_ms = 2'000;
  o.remote.first_load_timeout_ms = 3'000;
  o.remote.clock = std::move(clock);
  return o;
}

std::shared_ptr<const jwtgate::Policy> policy_fetching(const std::vector<std::string>& urls) {
  std::string configs;
  for (const std::string& u : urls) configs += (configs.empty() ? "" : ",") + ("{\"url\":\"" + u + "\"}");
  const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\", "
                           "\"openid-config\": [" + configs + "], \"audiences\": [\"api://net\"]}}";
  jwtgate::Diagnostics diag;
  auto p = jwtgate::load_policy(text, jwtgate::LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

Outcome validate(const jwtgate::Validator& v, const std::string& token) {
  jwtgate::Result r;
  const bool ok = v.validate_token(token, kNow, r);
  return {ok, r.reason, r.failures.empty() ? std::string() : r.failures[0].detail, r.message};
}

}  // namespace jwtgate_test
