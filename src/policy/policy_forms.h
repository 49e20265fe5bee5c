// The two text forms of a policy, one interface: each form reads a policy
// (load_policy_<form>) and writes one (policy_to_<form>).
//
// XML: APIM's own form: a bare <validate-jwt> or <validate-azure-ad-token>
// element, or a <policies> document whose <inbound> section holds one or
// more of them. Problems are reported with line, column and element path.
//
// JSON (docs/policy-json.md): the APIM XML with element and attribute names
// as keys and repeated child elements as arrays:
//   {"validate-jwt": {"header-name": "Authorization",
//                     "audiences": ["..."], "issuers": ["..."],
//                     "required-claims": [{"name": "roles", "match": "any",
//                                          "separator": " ", "values": ["..."]}],
//                     "issuer-signing-keys": [{"id": "k1", "n": "...", "e": "AQAB"}],
//                     "jwtgate": {"algorithms": ["RS256"]}}}
// or {"policies": [...]} holding several.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "policy/load_options.h"
#include "policy/policy.h"

namespace jwtgate {

// load_policy_xml and load_policy_json parse |text| into |out|: the element
// opts.select chooses (by id or 1-based position) where the text holds
// several. Named values and expressions are resolved with |opts|. Every
// problem is added to |diag|; returns false if there was any error.
bool load_policy_xml(std::string_view text, const LoadOptions& opts, Policy& out, Diagnostics& diag);
bool load_policy_json(std::string_view text, const LoadOptions& opts, Policy& out, Diagnostics& diag);

// policy_to_xml and policy_to_json write |p| as a <validate-jwt> or
// <validate-azure-ad-token> element, or its JSON form (after resolution:
// named values appear as their values).
std::string policy_to_xml(const Policy& p);
std::string policy_to_json(const Policy& p);

}  // namespace jwtgate
