// The decryption stage: a JWE (five segments) is decrypted with the
// policy's decryption keys before anything else, and the signed JWT inside
// it (RFC 7519 5.2, a nested JWT) then goes through the same parse,
// signature and claim checks as any token. A plain JWS goes straight to
// the parse. The policy's jwtgate "encryption" setting requires or forbids
// encryption.
#pragma once

#include <string_view>

#include "policy/policy.h"
#include "token/token.h"
#include "validate/result.h"

namespace jwtgate {

// parse_token parses |token| into r.token: directly for a JWS, after
// decryption for a JWE (r.encrypted is then set and r.jwe holds the
// decrypted content that r.token points into). Returns false with |pf| set
// when the token is refused before the signature check:
//  - a JWS under encryption "required": ENCRYPTION_REQUIRED;
//  - a JWE under encryption "forbidden": ENCRYPTION_FORBIDDEN; without
//    decryption keys: JWE_NOT_SUPPORTED;
//  - the JWE's own parse and header rules (jwe/jwe_header.h), its cty not
//    "JWT" (HEADER_INVALID: only nested JWTs are taken), a decryption
//    failure (JWE_DECRYPTION_FAILED, one detail for every cause), or
//    decrypted content that is no compact JWS (the JWS parse's reason, its
//    detail saying it is the nested token's).
bool parse_token(const Policy& p, std::string_view token, Result& r, ParseFailure& pf);

}  // namespace jwtgate
