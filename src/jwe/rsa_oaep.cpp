// RSA-OAEP key decryption (RFC 7518 4.2, 4.3; RFC 8017 7.1): a duplicate
// of the key's prepared context per call. OpenSSL's OAEP decoding is
// constant time (RSA_padding_check_PKCS1_OAEP_mgf1), so a padding failure
// takes as long as a success.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "jwe/key_management.h"

namespace jwtgate {

bool rsa_oaep_decrypt(const DecryptionKeyMaterial& m, KeyAlg alg, const uint8_t* in, size_t len,
                      uint8_t* out, size_t* out_len) {
  const int i = static_cast<int>(alg) - static_cast<int>(KeyAlg::RSA_OAEP);
  if (i < 0 || i > 3 || m.oaep[i] == nullptr || m.rsa_modulus_bytes > kMaxRsaModulusBytes)
    return false;
  // RFC 8017 7.1.2 step 1: a ciphertext of any other length than k is
  // refused before the private-key operation.
  if (len != m.rsa_modulus_bytes) return false;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_dup(m.oaep[i]);
  size_t n = kMaxRsaModulusBytes;
  const bool ok = ctx && EVP_PKEY_decrypt(ctx, out, &n, in, len) == 1;
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  *out_len = ok ? n : 0;
  return ok;
}

bool rsa_oaep_encrypt(EVP_PKEY* public_key, KeyAlg alg, const uint8_t* in, size_t len,
                      std::vector<uint8_t>& out) {
  const char* digest = key_alg_oaep_digest(alg);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, public_key, nullptr);
  EVP_MD* md = digest ? EVP_MD_fetch(nullptr, digest, nullptr) : nullptr;
  size_t n = 0;
  bool ok = ctx && md && EVP_PKEY_encrypt_init(ctx) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
            EVP_PKEY_encrypt(ctx, nullptr, &n, in, len) == 1;
  if (ok) {
    out.resize(n);
    ok = EVP_PKEY_encrypt(ctx, out.data(), &n, in, len) == 1;
    out.resize(ok ? n : 0);
  }
  EVP_MD_free(md);
  EVP_PKEY_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

}  // namespace jwtgate
