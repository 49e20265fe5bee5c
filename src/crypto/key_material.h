// KeyMaterial: the OpenSSL side of a Key. Built once at load; verification
// then only duplicates prepared contexts, so nothing is parsed per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <openssl/evp.h>

#include "crypto/algorithm.h"
#include "crypto/key.h"

namespace jwtgate {

// make_asymmetric_key fills |key| (type, bits, curve_nid, material) from
// |pkey|, taking ownership of it. Returns false (and frees pkey) if the key
// type is not RSA, EC (P-256/384/521, secp256k1), Ed25519 or Ed448, or if an EC point is
// not on its curve.
bool make_asymmetric_key(EVP_PKEY* pkey, Key& key, std::string* why);

// make_secret_key fills |key| as an oct key holding a copy of |secret|
// (zeroed when freed).
bool make_secret_key(const uint8_t* secret, size_t len, Key& key);

// key_compatible says whether |key| may verify |alg| under |rules|: the alg
// family matches the key type (HMAC only with oct, RS/PS only with RSA of at
// least rules.min_rsa_bits, ES only with the matching curve, EdDSA only with
// OKP), the JWK alg, use and key_ops allow it, and an HMAC key is at least as
// long as the floor. On false, *why (if not NULL) gets a sentence.
bool key_compatible(const Key& key, Alg alg, const KeyRules& rules, std::string* why);

// verify_signature checks |sig| over |signing_input| with |key| for |alg|.
// Precondition: key_compatible(key, alg, ...). ECDSA signatures must be raw
// r||s of exactly twice the coordinate size; HMAC compares in constant time.
// Leaves OpenSSL's error queue empty. Thread-safe. No parsing per call.
bool verify_signature(const Key& key, Alg alg, std::string_view signing_input,
                      const uint8_t* sig, size_t sig_len);

}  // namespace jwtgate
