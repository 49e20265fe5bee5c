#include "policy/policy.h"

#include "policy/policy_attributes.h"

namespace jwtgate {

AlgSet default_algorithms() {
  // APIM documents PS256, RS256, RS512 and ES256, and verifies HS256 with an
  // inline base64 key (docs/apim-reference.md, "Algorithms and keys"). Other
  // JWS algorithms are opt-in through "jwtgate.algorithms", so a default
  // policy accepts what APIM would.
  return alg_bit(Alg::HS256) | alg_bit(Alg::RS256) | alg_bit(Alg::RS512) |
         alg_bit(Alg::PS256) | alg_bit(Alg::ES256);
}

bool Policy::finalize(Diagnostics& diag) {
  allowed_algs = ext.algorithms ? ext.algorithms : default_algorithms();

  // The ranges are the attribute tables' (policy_attributes.cpp); the
  // readers refuse values outside them, this catches policies built in code.
  check_ranges(*this, diag);
  if (source == TokenSourceKind::Header && header_name.empty())
    diag.error("header-name is empty", "header-name");
  if (source == TokenSourceKind::Query && query_parameter_name.empty())
    diag.error("query-parameter-name is empty", "query-parameter-name");
  for (size_t i = 0; i < required_claims.size(); ++i) {
    if (required_claims[i].name.empty())
      diag.error("a required claim has no name", "required-claims[" + std::to_string(i) + "]");
  }
  return !diag.has_errors();
}

}  // namespace jwtgate
