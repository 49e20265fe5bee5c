// Who made a signature that does not verify. RSAVP1 (RFC 8017 5.2.2)
// recovers the encoded message from an RSA signature without the signed
// bytes: when it is a well-formed EMSA-PKCS1-v1_5 or EMSA-PSS encoding, the
// key's private half made the signature, over other bytes (or with another
// algorithm than the header names); when it is noise, that key did not make
// it. Only explanations ask (diagnose/), after a signature failed; never a
// validation. ECDSA and EdDSA signatures do not tell.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/algorithm.h"
#include "crypto/key.h"

namespace jwtgate {

enum class SignatureOrigin : uint8_t {
  Unknown,      // the key's type cannot tell (EC, OKP, oct), or the key has no RSA numbers
  WrongLength,  // the signature is not as long as the RSA modulus: cut or of another key size
  OtherBytes,   // made by this key with this alg, over other bytes: the token was altered
  OtherAlg,     // made by this key, with another RSA algorithm or hash than the header names
  NotThisKey,   // not made by this key
};

struct SignatureOriginResult {
  SignatureOrigin origin = SignatureOrigin::Unknown;
  Alg signed_with = Alg::Unknown;  // OtherAlg: the algorithm the encoding shows (RS* / PS*)
  size_t signature_bytes = 0;      // WrongLength: the signature's length
  size_t modulus_bytes = 0;        //   and the modulus's
};

// signature_origin tells, for an RSA |key| and a signature that did not
// verify as |alg|, whether the key made it. Allocates; thread-safe.
SignatureOriginResult signature_origin(const Key& key, Alg alg, const uint8_t* sig, size_t sig_len);

}  // namespace jwtgate
