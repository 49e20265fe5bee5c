// Key-set documents as a provider serves them, made from the committed test
// keys: public JWKs, JWK Sets, discovery documents. Shared by the Catch2
// suites, the [net] tests and the key-refresh benchmark.
#pragma once

#include <string>
#include <vector>

namespace jwtgate_test {

// public_jwk returns the public JWK (JSON object text) of a PEM private key
// (RSA, EC P-256/384/521 or secp256k1, Ed25519 or Ed448), with "use":"sig", |kid| (no
// "kid" member when |kid| is empty) and any |extra| members
// ("\"issuer\":\"...\"").
std::string public_jwk(const std::string& private_pem, const std::string& kid,
                       const std::string& extra = "");
// oct_jwk returns the JWK of the symmetric key |secret| (raw bytes).
std::string oct_jwk(const std::string& secret, const std::string& kid);
std::string jwk_set(const std::vector<std::string>& jwks);
std::string discovery_json(const std::string& issuer, const std::string& jwks_uri);

}  // namespace jwtgate_test
