// validate-azure-ad-token <client-application-ids> (docs/apim-semantics.md): the
// application that asked for the token must be one of the listed ones. Entra
// names it in "azp" in v2.0 access tokens and in "appid" in v1.0 ones
// (access token claims reference, learn.microsoft.com).
#pragma once

#include <simdjson.h>

#include "claims/claims_view.h"
#include "core/failures.h"
#include "policy/policy.h"

namespace jwtgate {

// check_client_application returns true when the policy lists no client
// application IDs or when the token's client is one of them. Otherwise it
// adds JWTGATE_REASON_CLIENT_NOT_ALLOWED (subject "azp" or "appid") naming
// the client and the allowed list, and returns false. The claim read first
// follows the token's "ver" ("1.0": appid, else azp), falling back to the
// other; a JSON null counts as absent. Application IDs are GUIDs and compare
// case-insensitively; any other value compares exactly.
bool check_client_application(ClaimsView claims, const Policy& p,
                              FailureList& failures);

}  // namespace jwtgate
