// APIM's response messages (context.LastError: docs/apim-semantics.md). The
// "message from jwt library" cases use Microsoft.IdentityModel's IDX texts,
// the closest public match for what APIM prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jwtgate {

class Result;   // validate/result.h
struct Policy;  // policy/policy.h

// build_apim_message fills r.message for r's deciding failure (the policy's
// failed-validation-error-message wins when set).
// |issuers|, when not null, is the full list the token's iss was checked
// against (with the issuers of fetched discovery documents); otherwise the
// policy's own and those of supplied documents are named.
void build_apim_message(Result& r, const Policy& p, int64_t now,
                        const std::vector<std::string>* issuers = nullptr);

}  // namespace jwtgate
