// The signature stage: algorithm allow-list, key selection and verification.
// Kept apart from the validator so plain JWS test vectors (whose payload is
// not a claims set) run through exactly the code that validates JWTs.
#pragma once

#include "core/failures.h"
#include "keys/key_set.h"
#include "token/token.h"

namespace jwtgate {

// KeySearch: what the key search did for one token, for the diagnosis
// (diagnose/): which key the kid named, whether it could verify the alg, how
// many other keys were tried. Integers and pointers into the key sets
// searched (which the result's key snapshot keeps alive): recording it
// allocates nothing.
struct KeySearch {
  const Key* kid_key = nullptr;       // the first key whose kid equals the token's
  const Key* incompatible = nullptr;  // the first key found unable to verify alg
  uint16_t kid_matches = 0;           // keys whose kid equals the token's
  uint16_t kid_compatible = 0;        //   of those, the keys that may verify alg
  uint16_t tried = 0;                 // keys tried because none had the kid (or no kid)
  uint16_t bound_skipped = 0;         // keys published with another kid, not tried
  uint16_t verifications = 0;
  bool capped = false;                // the verification cap stopped the search
};

struct SignatureInput {
  const KeySet* const* sets;  // key sets searched in order
  size_t set_count;
  AlgSet allowed;
  const KeyRules* rules;
  // If not null, receives the number of signature verifications made (each
  // one an RSA/ECDSA/EdDSA operation or an HMAC): what a token cost.
  size_t* verifications = nullptr;
  // If not null, receives what the search did (KeySearch).
  KeySearch* search = nullptr;
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
