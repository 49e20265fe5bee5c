// claim_header_value: a verified token's claim as an HTTP header value, the
// way Envoy's jwt_authn claim_to_headers writes it.
#pragma once

#include <optional>
#include <string>

#include "jwtgate.h"

namespace cli::serve {

// claim_header_value returns the claim |name| of the token |r| accepted:
// a string as it is, a number or boolean as its JSON text, an array of
// strings joined with ",". nullopt when the claim is absent, is an object, or holds a
// control character (a header cannot carry CR/LF, and splitting one is how
// headers get injected). |r| is not const: JSON text is made in its buffer.
std::optional<std::string> claim_header_value(jwtgate_result* r, const char* name);

}  // namespace cli::serve
