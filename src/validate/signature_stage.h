// The signature stage: algorithm allow-list, key selection and verification.
// Kept apart from the validator so plain JWS test vectors (whose payload is
// not a claims set) run through exactly the code that validates JWTs.
#pragma once

#include "core/failures.h"
#include "keys/key_set.h"
#include "token/token.h"

namespace jwtgate {

struct SignatureInput {
  const KeySet* const* sets;  // key sets searched in order
  size_t set_count;
  AlgSet allowed;
  const KeyRules* rules;
  // If not null, receives the number of signature verifications made (each
  // one an RSA/ECDSA/EdDSA operation or an HMAC): what a token cost.
  size_t* verifications = nullptr;
};

// check_signature verifies |t| and returns the key that verified it, or
// nullptr after adding one failure to |failures|:
//  - ALG_UNKNOWN / ALG_NOT_ALLOWED: alg outside what we implement / allow;
//  - SIGNATURE_MISSING: empty signature segment;
//  - NO_KEYS: no key at all;
//  - keys whose kid equals the token's kid are tried first and alone;
//    if none has that kid, every key compatible with alg is tried (APIM:
//    "If no keys match the claim, API Management will attempt each specified
//    key", apim-semantics 1.3);
//  - KEY_NOT_FOUND: no compatible key, or the token's kid matched no key and
//    no other key verified it (IDX10503);
//  - SIGNATURE_INVALID: a candidate key exists and none verified.
const Key* check_signature(const ParsedToken& t, const SignatureInput& in, FailureList& failures);

}  // namespace jwtgate
