// Microsoft Entra ID (AADSTS) errors a client-credentials token request runs
// into, explained: what the code means, the usual cause in an API Management
// setup, and the fix (docs/apim-semantics.md). These happen at the token
// endpoint, before any token reaches a validator, and people paste them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jwtgate {

struct AadstsExplanation {
  int64_t code;
  const char* name;     // Microsoft's short name, e.g. "InvalidScope"
  const char* cause;    // the usual cause in a client-credentials + APIM setup
  const char* fix;
};

// find_aadsts returns the explanation of |code|, or nullptr for a code this
// table does not cover.
const AadstsExplanation* find_aadsts(int64_t code);

// aadsts_code returns the first "AADSTSnnnn" code in |text| (Entra starts
// error_description with it), or 0.
int64_t aadsts_code(std::string_view text);

// explain_aadsts: "AADSTS70011 (InvalidScope): cause. Fix: fix." or "" when
// the code is not covered.
std::string explain_aadsts(int64_t code);

}  // namespace jwtgate
