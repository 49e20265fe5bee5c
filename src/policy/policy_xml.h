// The APIM XML form of a policy: a bare <validate-jwt> or
// <validate-azure-ad-token> element, or a <policies> document whose <inbound>
// section holds one or more of them (chosen by id or 1-based position).
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "policy/load_options.h"
#include "policy/policy.h"

namespace jwtgate {

// load_policy_xml parses |text| into |out|, reporting every problem with its
// line, column and element path. Returns false if there was any error.
bool load_policy_xml(std::string_view text, const LoadOptions& opts, Policy& out,
                     Diagnostics& diag);

// policy_to_xml writes |p| as a <validate-jwt> or <validate-azure-ad-token>
// element.
std::string policy_to_xml(const Policy& p);

}  // namespace jwtgate
