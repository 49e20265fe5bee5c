#include "policy/policy.h"

namespace jwtgate {

AlgSet default_algorithms() {
  // APIM documents PS256, RS256, RS512 and ES256, and verifies HS256 with an
  // inline base64 key (apim-semantics 1.5). Other JWS algorithms are opt-in
  // through "jwtgate.algorithms", so a default policy accepts what APIM would.
  return alg_bit(Alg::HS256) | alg_bit(Alg::RS256) | alg_bit(Alg::RS512) |
         alg_bit(Alg::PS256) | alg_bit(Alg::ES256);
}

bool Policy::finalize(Diagnostics& diag) {
  allowed_algs = ext.algorithms ? ext.algorithms : default_algorithms();

  if (failed_status < 100 || failed_status > 599)
    diag.error("failed-validation-httpcode " + std::to_string(failed_status) +
                   " is not an HTTP status (100-599)",
               "failed-validation-httpcode");
  if (clock_skew < 0 || clock_skew > 86400)
    diag.error("clock-skew must be between 0 and 86400 seconds, not " + std::to_string(clock_skew),
               "clock-skew");
  if (source == TokenSourceKind::Header && header_name.empty())
    diag.error("header-name is empty", "header-name");
  if (source == TokenSourceKind::Query && query_parameter_name.empty())
    diag.error("query-parameter-name is empty", "query-parameter-name");
  if (ext.key_rules.min_rsa_bits < 1024)
    diag.error("jwtgate.min-rsa-bits below 1024 is not allowed", "jwtgate.min-rsa-bits");
  if (ext.key_rules.min_hmac_bits != 0 && ext.key_rules.min_hmac_bits < 128)
    diag.error("jwtgate.min-hmac-bits below 128 is not allowed (APIM's own floor)",
               "jwtgate.min-hmac-bits");
  if (ext.limits.max_token_bytes < 64 || ext.limits.max_token_bytes > 1024 * 1024)
    diag.error("jwtgate.max-token-bytes must be between 64 and 1048576", "jwtgate.max-token-bytes");
  if (ext.limits.max_json_depth < 2 || ext.limits.max_json_depth > 64)
    diag.error("jwtgate.max-json-depth must be between 2 and 64", "jwtgate.max-json-depth");
  for (size_t i = 0; i < required_claims.size(); ++i) {
    if (required_claims[i].name.empty())
      diag.error("a required claim has no name", "required-claims[" + std::to_string(i) + "]");
  }
  return !diag.has_errors();
}

}  // namespace jwtgate
