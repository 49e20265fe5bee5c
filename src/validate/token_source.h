// Taking the token from a request the way APIM does (apim-semantics 1.2):
// header-name, query-parameter-name or token-value; require-scheme compared
// case-insensitively (RFC 7235 2.1) and only for the Authorization header.
#pragma once

#include <string>
#include <string_view>

#include "core/failures.h"
#include "policy/policy.h"
#include "validate/request.h"

namespace jwtgate {

// extract_token sets |token| (a view into |req| or the policy) and describes
// where it came from in |source|. On failure adds TOKEN_NOT_PRESENT or
// SCHEME_MISMATCH and returns false.
bool extract_token(const Policy& p, const Request& req, std::string_view& token,
                   std::string& source, FailureList& failures);

bool ascii_iequal(std::string_view a, std::string_view b);

}  // namespace jwtgate
