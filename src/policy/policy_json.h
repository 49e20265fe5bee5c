// The JSON form of a policy (docs/policy-json.md): the APIM XML with element
// and attribute names as keys and repeated child elements as arrays:
//   {"validate-jwt": {"header-name": "Authorization",
//                     "audiences": ["..."], "issuers": ["..."],
//                     "required-claims": [{"name": "roles", "match": "any",
//                                          "separator": " ", "values": ["..."]}],
//                     "issuer-signing-keys": [{"id": "k1", "n": "...", "e": "AQAB"}],
//                     "jwtgate": {"algorithms": ["RS256"]}}}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "policy/load_options.h"
#include "policy/policy.h"

namespace jwtgate {

// load_policy_json parses |text| into |out| (the element chosen by
// opts.select when the text holds {"policies": [...]}). Named values and
// expressions are resolved with |opts|. Every problem is added to |diag|;
// returns false if there was any error.
bool load_policy_json(std::string_view text, const LoadOptions& opts, Policy& out,
                      Diagnostics& diag);

// policy_to_json writes |p| in the JSON form (after resolution: named values
// appear as their values).
std::string policy_to_json(const Policy& p);

}  // namespace jwtgate
