// The benchmark's workload, shared with tests/perf so that the allocation
// and cache tests run on exactly the tokens and keys that are measured.
//
// Everything is generated in-process with OpenSSL, independently of
// jwtgate's own signing code: 8 keys per key family (RSA 2048, EC P-256,
// Ed25519, 32-byte HMAC secrets), published as one JWK Set per family with
// Entra-style kids, and tokens shaped like Entra ID v2 access tokens (about
// 1 KB) signed by the sixth key of the set, so every validation pays a real
// kid lookup among 8 keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "jwtgate.h"

namespace bench {

// The five algorithms the benchmark measures, in table order, and the two
// encrypted-token cases: the RS256 token inside a JWE, RSA-OAEP-256 +
// A256GCM ("JWE-RSA") and ECDH-ES on P-256 + A256GCM ("JWE-EC").
enum class Alg { HS256, RS256, PS256, ES256, EdDSA, JweRsa, JweEc };
constexpr Alg kAlgs[] = {Alg::HS256, Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA};
constexpr Alg kJweAlgs[] = {Alg::JweRsa, Alg::JweEc};
constexpr bool is_jwe(Alg a) { return a == Alg::JweRsa || a == Alg::JweEc; }
const char* alg_name(Alg a);

constexpr size_t kKeysPerSet = 8;
constexpr size_t kSigningKeyIndex = 5;  // not the first: the lookup walks the set

// The tenant, application and issuer the tokens carry and the policy allows.
extern const char* const kTenantId;
extern const char* const kAudience;
extern const char* const kIssuer;

// One key of a set: its kid and either a key pair or an HMAC secret.
struct TestKey {
  std::string kid;
  EVP_PKEY* pkey = nullptr;     // private key (asymmetric families)
  std::vector<uint8_t> secret;  // HMAC
};

// KeyFamily: the 8 keys of one family and their JWK Set.
struct KeyFamily {
  std::vector<TestKey> keys;
  std::string jwks;
  KeyFamily() = default;
  KeyFamily(const KeyFamily&) = delete;
  KeyFamily& operator=(const KeyFamily&) = delete;
  KeyFamily(KeyFamily&&) noexcept;
  ~KeyFamily();
  const TestKey& signer() const { return keys[kSigningKeyIndex]; }
};

// Keys: one family per key type, generated once per process (RSA key
// generation dominates: about a second in all). RS256 and PS256 share the
// RSA family, as one Entra key set serves both.
struct Keys {
  KeyFamily hmac, rsa, ec, okp;
  // The decryption keys of the JWE cases: keys[0] RSA 2048 (kid
  // "enc-rsa"), keys[1] P-256 (kid "enc-ec"); jwks is empty.
  KeyFamily enc;
  const KeyFamily& for_alg(Alg a) const;  // JWE cases: the signing family (rsa)
};
Keys generate_keys();

// Scenario: what one algorithm is measured on.
struct Scenario {
  Alg alg;
  const KeyFamily* family;
  std::vector<std::string> tokens;  // distinct, all valid at |now|
  const KeyFamily* enc = nullptr;   // JWE cases: keys.enc
};
// make_scenario signs |count| distinct Entra-shaped tokens valid from
// now - 300 s to now + lifetime (JWE cases: RS256 tokens, each encrypted to
// keys.enc with OpenSSL alone, header {"alg","enc","cty":"JWT","kid"} and,
// for ECDH-ES, "epk").
Scenario make_scenario(Alg alg, const Keys& keys, size_t count, int64_t now,
                       int64_t lifetime = 7200);

// entra_claims returns the claims JSON of token number |serial| (only its
// identifiers differ from one token to the next), for tests that need other
// lifetimes: iat = nbf = |nbf|, exp = |exp|.
std::string entra_claims(size_t serial, int64_t nbf, int64_t exp);
// sign_token builds header.payload.signature for |claims| with |key| (the
// header carries alg, typ and the key's kid).
std::string sign_token(Alg alg, const TestKey& key, const std::string& claims);

// The policy the benchmark validates with: issuer, audience, exp and nbf
// (require-expiration-time), two required claims (scp with match="all" and
// a separator, roles with match="any"), and these five algorithms.
extern const char* const kPolicyJson;
// The same policy with decryption-keys certificate-id "enc-rsa" and
// "enc-ec", whose private keys jwe_load_options registers.
extern const char* const kJwePolicyJson;
// jwe_load_options returns new load options holding the two decryption keys
// (the caller frees them).
jwtgate_load_options* jwe_load_options(const Keys& keys);

// private_pem returns the PKCS#8 PEM of a private key.
std::string private_pem(EVP_PKEY* pkey);

std::string base64url(const uint8_t* data, size_t len);
inline std::string base64url(const std::string& s) {
  return base64url(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// base64url_decode is lenient (no strictness checks): it only reads tokens
// this fixture made.
std::vector<uint8_t> base64url_decode(const std::string& s);

// public_jwk returns the JWK of |k|'s public key (its secret for HMAC)
// under |kid|, for building other key sets from the same keys.
std::string public_jwk(const TestKey& k, const std::string& kid);

// public_pem returns the SubjectPublicKeyInfo PEM of an asymmetric key.
std::string public_pem(EVP_PKEY* pkey);

}  // namespace bench
