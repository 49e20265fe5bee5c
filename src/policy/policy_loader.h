// load_policy: the one entry point that turns policy text into an immutable,
// fully resolved Policy: format detection (XML or JSON), named values and
// expressions, keys built once, cross-field checks. All or nothing.
#pragma once

#include <memory>
#include <string_view>

#include "core/diagnostics.h"
#include "policy/load_options.h"
#include "policy/policy.h"

namespace jwtgate {

std::shared_ptr<const Policy> load_policy(std::string_view text, const LoadOptions& opts,
                                          Diagnostics& diag);

// build_policy_keys turns issuer-signing-keys, registered certificates and
// supplied openid-config documents into p.signing_keys and
// p.discovered_issuers (policy_keys.cpp).
bool build_policy_keys(Policy& p, const LoadOptions& opts, Diagnostics& diag);

// build_decryption_keys turns decryption-keys (base64 text, or a
// certificate-id whose private key the caller registered) into
// p.decryption_key_set (policy_decryption_keys.cpp).
bool build_decryption_keys(Policy& p, const LoadOptions& opts, Diagnostics& diag);

}  // namespace jwtgate
