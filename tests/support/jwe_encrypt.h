// Making JWE tokens (RFC 7516 5.1), for tests, tools, examples and the fuzz
// seeds; validation never encrypts, so this is in the test-support library,
// not in libjwtgate (as signing is: docs/architecture.md). Built on the same primitives as
// decryption, so the independent checks are the vectors and the tokens other
// libraries make (tests/jwe, tests/python), and the benchmark's own
// OpenSSL-only encoder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "jwe/jwe_algorithms.h"

namespace jwtgate {

struct JweEncryptParams {
  KeyAlg alg = KeyAlg::RSA_OAEP_256;
  ContentEnc enc = ContentEnc::A256GCM;
  EVP_PKEY* recipient = nullptr;  // RSA-OAEP*, ECDH-ES*: the recipient's public key
  std::vector<uint8_t> secret;    // A*KW, A*GCMKW: the KEK; dir: the CEK
  std::string kid;                // "" for none
  std::string cty = "JWT";        // "" for none
  std::string apu, apv;           // raw bytes; "" for none
  // Extra header members, as JSON text without braces ("\"zip\":\"DEF\"").
  std::string extra_header;
};

// jwe_encrypt_compact encrypts |plaintext| into |out| (header members in
// the order alg, enc, kid, cty, epk, apu, apv, iv, tag, extras). On false
// *why (if not NULL) says why.
bool jwe_encrypt_compact(const JweEncryptParams& p, std::string_view plaintext, std::string& out,
                         std::string* why);

}  // namespace jwtgate
