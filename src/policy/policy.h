// Policy: the in-memory model of one APIM <validate-jwt> or
// <validate-azure-ad-token> element plus jwtgate's own extensions. The XML and
// JSON readers fill it through the attribute tables (policy_attributes.h),
// which say which attribute fills which field; the loader (policy_loader.h)
// then calls Policy::finalize and builds the signing keys, so validation
// does no work that could be done at load.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "crypto/algorithm.h"
#include "crypto/key.h"
#include "jwe/decryption_key.h"
#include "jwe/jwe_rules.h"
#include "keys/key_set.h"
#include "token/token_limits.h"

namespace jwtgate {

enum class PolicyKind : uint8_t { ValidateJwt, ValidateAzureAdToken };

// Where the token comes from (APIM: exactly one of the three).
enum class TokenSourceKind : uint8_t { Header, Query, Value };

struct RequiredClaim {
  std::string name;
  bool match_all = true;     // APIM default match="all"
  std::string separator;     // "" means: do not split
  std::vector<std::string> values;
};

// <issuer-signing-keys><key .../> and <decryption-keys><key .../>: kept as
// written; the validator turns signing keys into a KeySet at construction.
struct PolicyKey {
  std::string id;              // matches the token's kid (a hint, not a filter)
  std::string certificate_id;  // resolved against registered certificates
  std::string n, e;            // RSA modulus and exponent, base64url
  std::string value;           // base64 symmetric key (element text)
  unsigned line = 0;
};

struct OpenIdConfig {
  std::string url;
  bool validate_connectivity = true;
  unsigned line = 0;
};

// Whether a policy takes encrypted tokens (JWE): jwtgate's "encryption".
enum EncryptionMode : int {
  kEncryptionOptional = 0,   // a JWE is decrypted when there are decryption keys; a JWS is fine
  kEncryptionRequired = 1,   // only a JWE holding a signed JWT is accepted
  kEncryptionForbidden = 2,  // a JWE is refused even with decryption keys
};

// jwtgate extensions (the "jwtgate" member of the JSON form).
struct Extensions {
  AlgSet algorithms = 0;        // 0: the default set (see Policy::finalize)
  std::string typ;              // required header typ ("" = any)
  KeyRules key_rules;           // RSA and HMAC floors
  TokenLimits limits;           // token size and JSON depth
  bool reject_future_iat = false;  // iat beyond now + clock-skew is refused
  int encryption = kEncryptionOptional;  // EncryptionMode
  std::string jwe_algorithms;   // JWE alg names, space-separated ("" = all implemented)
  std::string jwe_encryptions;  // JWE enc names, space-separated ("" = all implemented)
};

struct Policy {
  PolicyKind kind = PolicyKind::ValidateJwt;
  std::string id;  // the element's id attribute

  // token source
  TokenSourceKind source = TokenSourceKind::Header;
  std::string header_name = "Authorization";
  std::string query_parameter_name;
  std::string token_value;  // a literal token (after expression resolution)

  // failure reporting
  int failed_status = 401;
  std::optional<std::string> failed_message;

  // validation switches (APIM defaults)
  bool require_expiration_time = true;
  std::string require_scheme;  // "" = none required
  bool require_signed_tokens = true;
  int64_t clock_skew = 0;      // seconds; APIM's default is 0, not .NET's 300
  std::string output_token_variable_name;

  std::vector<OpenIdConfig> openid_configs;
  std::vector<PolicyKey> issuer_signing_keys;
  std::vector<PolicyKey> decryption_keys;
  std::vector<std::string> audiences;
  std::vector<std::string> issuers;
  std::vector<RequiredClaim> required_claims;

  // validate-azure-ad-token
  std::string tenant_id;
  std::string authentication_endpoint;
  std::vector<std::string> client_application_ids;
  std::vector<std::string> backend_application_ids;

  Extensions ext;

  // finalize sets allowed_algs (the policy's algorithms, or the default
  // set) and checks what a reader cannot see in one attribute: every range
  // of the attribute tables again (for a policy built in code), a token
  // source whose name is empty, a required claim without a name. Returns
  // false (with errors in |diag|) if the policy cannot be enforced.
  bool finalize(Diagnostics& diag);

  // Derived by finalize.
  AlgSet allowed_algs = 0;
  // Built by the loader from issuer-signing-keys (and certificates and
  // offline key sets the caller registered), once, at load time.
  KeySetPtr signing_keys;
  // Issuers taken from supplied discovery documents (openid-config).
  std::vector<std::string> discovered_issuers;
  // Built by the loader from decryption-keys (and the private keys the
  // caller registered by certificate-id): null when the policy has none.
  DecryptionKeySetPtr decryption_key_set;
  // Derived by finalize: the JWE allow-lists and the RSA floor.
  JweDecryptOptions jwe;
};

// default_algorithms: what APIM documents or uses in practice (HS256, RS256,
// RS512, PS256, ES256) plus the rest of RFC 7518's JWS set that OpenSSL
// verifies safely; the policy's "jwtgate.algorithms" narrows it.
AlgSet default_algorithms();

}  // namespace jwtgate
