// The raw OpenSSL limit: the least work any JWS verifier has to do per
// token on this machine, done the fastest way OpenSSL 3 offers. Everything
// that can be done once is done before timing: keys parsed, digests and MAC
// fetched, contexts initialised with their padding and salt, each token's
// signing input split off and its signature base64url-decoded (ECDSA's
// R || S already converted to DER). Per token only the primitive runs:
//   RS256, PS256, ES256  SHA-256 of the signing input, then EVP_PKEY_verify
//                        on a duplicate of the prepared EVP_PKEY_CTX
//   HS256                HMAC-SHA256 on a duplicate of the keyed
//                        EVP_MAC_CTX, then a constant-time compare
//   EdDSA                EVP_DigestVerifyInit + EVP_DigestVerify (pure
//                        Ed25519 has no pre-hash; OpenSSL offers one-shot
//                        only)
// The key is the one that signed the tokens: no kid lookup, no JSON, no
// claims. Whatever a JWT library does per token costs at least this.
//
// The encrypted cases (JWE-RSA, JWE-EC) do per token what decrypting and
// verifying the nested token takes, nothing else: the segments are decoded
// beforehand, and so is the inner token's signature; then
//   JWE-RSA  EVP_PKEY_decrypt (RSA-OAEP-256) of the encrypted key on a
//            duplicate of a prepared context, AES-256-GCM decryption of the
//            content with the header as AAD and the tag checked, then RS256
//            verification of the decrypted signing input;
//   JWE-EC   the ephemeral public key built from its coordinates
//            (EVP_PKEY_fromdata) and checked (EVP_PKEY_public_check_quick),
//            ECDH on a duplicate of a prepared derive context, the Concat
//            KDF (one SHA-256), then AES-256-GCM and RS256 as above.
//
// verify_reusing is the same with one context per thread that is reused
// instead of duplicated (EVP_MAC_init with a NULL key re-arms a keyed HMAC
// context; EVP_PKEY_verify may be called again on an initialised context).
// It is shown beside the limit: for HMAC it is markedly faster, and a
// verifier could keep such contexts per thread and key.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fixture.h"

namespace bench {

class OpensslLimit {
 public:
  // Prepares the key of |sc| and its tokens; throws on any OpenSSL error.
  explicit OpensslLimit(const Scenario& sc);
  ~OpensslLimit();
  OpensslLimit(const OpensslLimit&) = delete;
  OpensslLimit& operator=(const OpensslLimit&) = delete;

  // verify checks token |i| (mod the token count). Thread-safe: the shared
  // contexts are only duplicated; per-thread state lives in |scratch|.
  struct Scratch;
  std::unique_ptr<Scratch> new_scratch() const;
  bool verify(Scratch& scratch, size_t i) const;
  bool verify_reusing(Scratch& scratch, size_t i) const;

 private:
  struct Item {
    std::string input;          // header.payload (JWE: the inner token's, for reference)
    std::vector<uint8_t> sig;   // decoded (DER for ECDSA); JWE: the inner signature
    // JWE: the protected header's base64url (the AAD), the decoded
    // encrypted key, IV, ciphertext and tag, and the epk as 04 || x || y.
    std::string aad;
    std::vector<uint8_t> ek, iv, ct, tag, epk;
  };
  bool jwe_decrypt(Scratch& scratch, const Item& it, std::string_view* signing_input) const;
  void prepare_jwe(const Scenario& sc);
  EVP_PKEY_CTX* oaep_ = nullptr;    // JWE-RSA: prepared RSA-OAEP-256 decryption
  EVP_PKEY_CTX* derive_ = nullptr;  // JWE-EC: prepared ECDH derivation
  EVP_CIPHER* gcm_ = nullptr;       // AES-256-GCM
  Alg alg_;
  std::vector<Item> items_;
  EVP_PKEY* pkey_ = nullptr;
  EVP_PKEY_CTX* prepared_ = nullptr;  // RS256, PS256, ES256
  EVP_MD* sha256_ = nullptr;
  EVP_MAC* hmac_ = nullptr;
  EVP_MAC_CTX* mac_ = nullptr;         // HS256, keyed
};

struct OpensslLimit::Scratch {
  EVP_MD_CTX* md = nullptr;        // EdDSA's DigestVerify context, reused
  EVP_MAC_CTX* mac = nullptr;      // verify_reusing: this thread's keyed HMAC
  EVP_PKEY_CTX* pkey = nullptr;    // verify_reusing: this thread's verify context
  EVP_CIPHER_CTX* cipher = nullptr;  // JWE: AES-GCM, reused
  std::vector<uint8_t> plain;      // JWE: the decrypted content
  Scratch() = default;
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

}  // namespace bench
