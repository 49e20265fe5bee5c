// Registered claims (RFC 7519 section 4.1): the types of all of them, always;
// exp, nbf, iat as NumericDate with a clock skew; iss and aud against exact,
// case-sensitive lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "claims/claims_view.h"
#include "core/failures.h"
#include "policy/policy.h"

namespace jwtgate {

// NumericDate bounds: 0 .. 9999-12-31T23:59:59Z. Anything else is an absurd
// value an attacker chose (or a milliseconds timestamp), not a date.
constexpr double kMaxNumericDate = 253402300799.0;

// read_numeric_date: 1 = a valid NumericDate in *out, 0 = absent,
// -1 = present but not a JSON number in range (strings and booleans refused).
int read_numeric_date(ClaimsView claims, std::string_view name, double* out);

// check_lifetime: exp (required unless the policy says otherwise), nbf, iat.
// Expired when now >= exp + skew (RFC 7519 4.1.4: "on or after");
// not yet valid when now + skew < nbf (4.1.5).
void check_lifetime(ClaimsView claims, const Policy& p, int64_t now,
                    FailureList& failures);

// check_claim_types: iss, sub and jti are strings, aud is a string or an
// array of strings (RFC 7519 sections 4.1.1, 4.1.2, 4.1.7, 4.1.3), whether
// or not the policy compares them: a program reads these claims of an
// accepted token and must find the type RFC 7519 promises. Each other type
// (null included) adds CLAIM_TYPE_INVALID with the claim as subject; an
// empty aud array is well typed. exp, nbf and iat are check_lifetime's
// (TIME_CLAIM_INVALID). Allocation-free when every type is right.
void check_claim_types(ClaimsView claims, FailureList& failures);

// check_audience: some aud (string or array of strings) equals some configured
// audience exactly. No check when the policy lists none.
void check_audience(ClaimsView claims, const std::vector<std::string>& audiences,
                    FailureList& failures);

// check_issuer: iss equals one of |issuers| exactly; an issuer holding Entra's
// "{tenantid}" template matches after substituting the token's tid, which
// must be a GUID (docs/apim-semantics.md, multi-tenant issuers). No check when |issuers| is empty.
void check_issuer(ClaimsView claims, const std::vector<std::string>& issuers,
                  FailureList& failures);

// issuer_matches applies the rule above to one configured issuer.
bool issuer_matches(std::string_view configured, std::string_view iss, std::string_view tid);

}  // namespace jwtgate
