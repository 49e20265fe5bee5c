// Key-set documents as a provider serves them, made from the committed test
// keys: public JWKs, JWK Sets, discovery documents. Shared by the [net]
// tests and the key-refresh benchmark.
#pragma once

#include <string>
#include <vector>

namespace jwtgate_test {

// public_jwk returns the public JWK (JSON object text) of a PEM private key
// (RSA or P-256), with |kid| and any |extra| members ("\"issuer\":\"...\"").
std::string public_jwk(const std::string& private_pem, const std::string& kid,
                       const std::string& extra = "");
std::string jwk_set(const std::vector<std::string>& jwks);
std::string discovery_json(const std::string& issuer, const std::string& jwks_uri);

}  // namespace jwtgate_test
