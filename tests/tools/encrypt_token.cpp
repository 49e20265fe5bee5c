// encrypt_token: wraps a token in a JWE for tests and examples (never part
// of the library).
//   encrypt_token ALG ENC KEY [KID] < CONTENT
// KEY is a PEM file holding the recipient's key (public or private: RSA for
// RSA-OAEP*, EC or X25519 for ECDH-ES*), or hex:... for a symmetric key
// (A*KW, A*GCMKW, dir). The header carries alg, enc, "cty":"JWT" and KID
// when given. Prints the compact JWE.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "jwe_encrypt.h"

int main(int argc, char** argv) {
  using namespace jwtgate;
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: encrypt_token ALG ENC (PEM_FILE | hex:SECRET) [KID] < CONTENT\n";
    return 2;
  }
  JweEncryptParams p;
  p.alg = key_alg_from_name(argv[1]);
  p.enc = enc_from_name(argv[2]);
  if (p.alg == KeyAlg::Unknown || p.enc == ContentEnc::Unknown) {
    std::cerr << "unknown alg or enc\n";
    return 2;
  }
  if (argc == 5) p.kid = argv[4];
  const std::string key = argv[3];
  if (key.rfind("hex:", 0) == 0) {
    for (size_t i = 4; i + 1 < key.size(); i += 2)
      p.secret.push_back(static_cast<uint8_t>(std::stoi(key.substr(i, 2), nullptr, 16)));
  } else {
    std::ifstream f(key, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(f)), {});
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    p.recipient = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    if (!p.recipient) {
      BIO_free(bio);
      bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
      p.recipient = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    }
    BIO_free(bio);
    if (!p.recipient) {
      std::cerr << "no key in " << key << "\n";
      return 2;
    }
  }
  std::string content((std::istreambuf_iterator<char>(std::cin)), {});
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  std::string out, why;
  const bool ok = jwe_encrypt_compact(p, content, out, &why);
  EVP_PKEY_free(p.recipient);
  if (!ok) {
    std::cerr << "encryption failed: " << why << "\n";
    return 1;
  }
  std::cout << out << "\n";
  return 0;
}
