// APIM <required-claims> (docs/apim-semantics.md): per claim, the token's values
// are one per array element (numbers and booleans as their JSON text), each
// split on the separator when one is set; match="all" needs every policy
// value among them, match="any" at least one. Claims are ANDed.
#pragma once

#include <vector>

#include <simdjson.h>

#include "claims/claims_view.h"
#include "core/failures.h"
#include "policy/policy.h"

namespace jwtgate {

// check_required_claims adds CLAIM_NOT_FOUND for each absent claim and
// CLAIM_VALUE_NOT_ALLOWED for each claim whose values do not match.
void check_required_claims(ClaimsView claims, const std::vector<RequiredClaim>& rules,
                           FailureList& failures);

// claim_matches evaluates one rule against a present claim value.
bool claim_matches(simdjson::dom::element value, const RequiredClaim& rule);

}  // namespace jwtgate
