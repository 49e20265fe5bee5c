// Taking the token from a request the way APIM does: header-name,
// query-parameter-name or token-value; require-scheme compared
// case-insensitively (RFC 9110 11.1) and only for the Authorization header.
// A request that carries the token twice is refused
// (DUPLICATE_TOKEN; request_names.h says which names count as the same).
#pragma once

#include <string>
#include <string_view>

#include "core/failures.h"
#include "policy/policy.h"
#include "validate/request.h"

namespace jwtgate {

// extract_token sets |token| (a view into |req| or the policy) and describes
// where it came from in |source|. On failure adds TOKEN_NOT_PRESENT,
// SCHEME_MISMATCH or DUPLICATE_TOKEN and returns false. Allocates nothing
// when the token is found (a warm request and failure list reuse their
// capacity).
bool extract_token(const Policy& p, const Request& req, std::string_view& token,
                   std::string& source, FailureList& failures);

}  // namespace jwtgate
