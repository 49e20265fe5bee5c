// Signing, for tests, tools and benchmarks: the library verifies and never
// signs, so this lives in the test-support library (tests/support/meson.build)
// and is not part of libjwtgate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/algorithm.h"

namespace jwtgate {

// sign_with_pem produces a JWS signature (raw r||s for ECDSA, RFC 7518 3.4)
// over |signing_input| with a private key in PEM; sign_with_secret an HMAC
// with the raw secret. False if the key does not fit |alg|.
bool sign_with_pem(Alg alg, std::string_view private_pem, std::string_view signing_input,
                   std::string& sig_out);
bool sign_with_secret(Alg alg, const uint8_t* secret, size_t len, std::string_view signing_input,
                      std::string& sig_out);

}  // namespace jwtgate
