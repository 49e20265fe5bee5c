// Content encryption (RFC 7518 section 5): AES-CBC with HMAC-SHA-2 (5.2)
// and AES-GCM (5.3), both directions. Decryption checks the authentication
// tag before any plaintext is returned: CBC-HMAC computes and compares the
// MAC (constant time) before it decrypts at all; GCM's tag is checked by
// EVP_DecryptFinal_ex, and on a mismatch the output is wiped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "jwe/jwe_algorithms.h"

namespace jwtgate {

// The bytes one decryption needs, views into the caller's buffers.
struct ContentInput {
  const uint8_t* cek = nullptr;  // enc_cek_bytes(enc) bytes
  const uint8_t* iv = nullptr;
  size_t iv_len = 0;
  std::string_view aad;          // RFC 7516 5.2 step 14: ASCII(BASE64URL(protected)) [ '.' aad ]
  const uint8_t* ciphertext = nullptr;
  size_t ciphertext_len = 0;
  const uint8_t* tag = nullptr;
  size_t tag_len = 0;
};

// decrypt_content decrypts |in| with |enc| into |out|, which has room for
// in.ciphertext_len + 16 bytes, and sets *out_len. Returns false, with
// |out| wiped, if the IV or tag has another length than |enc| takes, the
// tag does not verify, or (CBC) the padding is wrong after a valid tag.
// Thread-safe; per-thread OpenSSL contexts are reused.
bool decrypt_content(ContentEnc enc, const ContentInput& in, uint8_t* out, size_t* out_len);

// encrypt_content is the other direction, for tests, tools and examples:
// |iv| must be enc_iv_bytes(enc) long; |ciphertext| and |tag| are replaced.
bool encrypt_content(ContentEnc enc, const uint8_t* cek, const uint8_t* iv, std::string_view aad,
                     const uint8_t* plaintext, size_t plaintext_len,
                     std::vector<uint8_t>& ciphertext, std::vector<uint8_t>& tag);

// aes_gcm_decrypt / aes_gcm_encrypt: AES-GCM with a 16, 24 or 32-byte key,
// a 12-byte IV and a 16-byte tag (also A*GCMKW key wrapping, RFC 7518 4.7).
// |out| has room for |len| bytes.
bool aes_gcm_decrypt(const uint8_t* key, size_t key_len, const uint8_t* iv, std::string_view aad,
                     const uint8_t* in, size_t len, const uint8_t* tag, uint8_t* out);
bool aes_gcm_encrypt(const uint8_t* key, size_t key_len, const uint8_t* iv, std::string_view aad,
                     const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag);

}  // namespace jwtgate
