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

// kMaxSignatureVerifications: at most this many signature verifications
// per token (docs/keys-and-network.md). Every key of a published set is
// selected by its kid, so the cap bounds only what an attacker can still
// make a token cost: a token without kid, or with a kid that matches no key,
// against the keys that may be tried for it, and a kid shared by many keys.
inline constexpr size_t kMaxSignatureVerifications = 16;

// check_signature verifies |t| and returns the key that verified it, or
// nullptr after adding one failure to |failures|:
//  - ALG_UNKNOWN / ALG_NOT_ALLOWED: alg outside what we implement / allow;
//  - SIGNATURE_MISSING: empty signature segment;
//  - NO_KEYS: no key at all;
//  - keys whose kid equals the token's kid are tried first and alone;
//  - if none has that kid, the compatible keys that are not kid-bound
//    (Key::kid_bound: a kid published with the key binds it) are tried:
//    those written in the policy (APIM: "If no keys match the claim, API
//    Management will attempt each specified key") and those without a kid;
//    a token without kid tries every compatible key;
//  - at most kMaxSignatureVerifications verifications in all;
//  - KEY_NOT_FOUND: no compatible key, or the token's kid matched no key and
//    no key that may be tried verified it (IDX10503);
//  - SIGNATURE_INVALID: a candidate key exists and none verified.
const Key* check_signature(const ParsedToken& t, const SignatureInput& in, FailureList& failures);

}  // namespace jwtgate
