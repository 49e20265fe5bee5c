// OpenID Connect Discovery 1.0 section 3 provider metadata: the two members a
// validator needs (issuer, jwks_uri), strictly typed.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"

namespace jwtgate {

struct DiscoveryDocument {
  std::string issuer;    // REQUIRED; may be Entra's {tenantid} template
  std::string jwks_uri;  // REQUIRED
};

// parse_discovery_document returns false (with errors naming |source|) if the
// text is not a JSON object with string "issuer" and "jwks_uri" members, or
// if any object in it repeats a member name.
bool parse_discovery_document(std::string_view json, const std::string& source,
                              DiscoveryDocument& out, Diagnostics& diag);

}  // namespace jwtgate
