// Keys and tokens for the JWE tests: the committed RSA 2048 and P-256 keys
// (tests/data/keys), a fresh X25519 key and fixed symmetric secrets, and a
// helper that encrypts with any alg and enc.
#pragma once

#include <string>
#include <vector>

#include <openssl/evp.h>

#include "jwe/decryption_key.h"
#include "jwe_encrypt.h"

namespace jwe_test {

struct Fixture {
  EVP_PKEY* rsa = nullptr;     // tests/data/keys/rsa2048.pem
  EVP_PKEY* ec = nullptr;      // tests/data/keys/ec256.pem
  EVP_PKEY* x25519 = nullptr;  // generated
  std::vector<uint8_t> k16, k24, k32, k48, k64;  // fixed secrets
  jwtgate::DecryptionKeySet keys;  // every one of them as a decryption key
  Fixture();
  ~Fixture();
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  // encrypt |plaintext| with |alg| and |enc| to the matching key.
  std::string encrypt(jwtgate::KeyAlg alg, jwtgate::ContentEnc enc, const std::string& plaintext,
                      const std::string& extra_header = "") const;
};

const Fixture& fixture();

// The five segments of a compact token, and back.
std::vector<std::string> split(const std::string& compact);
std::string join(const std::vector<std::string>& segments);

}  // namespace jwe_test
