// TokenLimits: the bounds a policy sets on the tokens it parses. Apart from
// token.h so that the policy model names them without the JSON parser.
#pragma once

#include <cstddef>

namespace jwtgate {

struct TokenLimits {
  size_t max_token_bytes = 16 * 1024;  // whole compact token
  size_t max_json_depth = 16;          // nesting of header and payload
  // A JWT's payload is a JSON object (RFC 7519). Plain JWS test vectors sign
  // arbitrary bytes ("foo"); they parse with payload_is_json = false.
  bool payload_is_json = true;
};

}  // namespace jwtgate
