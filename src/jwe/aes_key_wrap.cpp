// AES Key Wrap (RFC 3394) through OpenSSL's AES-*-WRAP ciphers, which check
// the integrity value A6A6A6A6A6A6A6A6 on unwrap (RFC 3394 2.2.3).
#include <array>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "crypto/thread_ctx.h"
#include "jwe/key_management.h"

namespace jwtgate {
namespace {

const EVP_CIPHER* wrap_cipher(size_t kek_len) {
  static const std::array<EVP_CIPHER*, 3> kWrap = [] {
    return std::array<EVP_CIPHER*, 3>{EVP_CIPHER_fetch(nullptr, "AES-128-WRAP", nullptr),
                                      EVP_CIPHER_fetch(nullptr, "AES-192-WRAP", nullptr),
                                      EVP_CIPHER_fetch(nullptr, "AES-256-WRAP", nullptr)};
  }();
  return kek_len == 16 ? kWrap[0] : kek_len == 24 ? kWrap[1] : kek_len == 32 ? kWrap[2] : nullptr;
}

thread_local ThreadCtx<EVP_CIPHER_CTX, EVP_CIPHER_CTX_new, EVP_CIPHER_CTX_free> t_wrap;

bool run(bool wrap, const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len,
         uint8_t* out, size_t* out_len) {
  const EVP_CIPHER* cipher = wrap_cipher(kek_len);
  EVP_CIPHER_CTX* c = t_wrap.ctx;
  *out_len = 0;
  // RFC 3394 2: at least two 64-bit blocks of key data; JWE's smallest CEK
  // is 128 bits, so a wrapped key is at least 24 bytes.
  if (!cipher || !c || len % 8 != 0 || len < (wrap ? 16u : 24u)) return false;
  EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  int n = 0, fin = 0;
  const bool ok = (wrap ? EVP_EncryptInit_ex2(c, cipher, kek, nullptr, nullptr)
                        : EVP_DecryptInit_ex2(c, cipher, kek, nullptr, nullptr)) == 1 &&
                  (wrap ? EVP_EncryptUpdate(c, out, &n, in, static_cast<int>(len))
                        : EVP_DecryptUpdate(c, out, &n, in, static_cast<int>(len))) == 1 &&
                  (wrap ? EVP_EncryptFinal_ex(c, out + n, &fin)
                        : EVP_DecryptFinal_ex(c, out + n, &fin)) == 1 &&
                  static_cast<size_t>(n + fin) == (wrap ? len + 8 : len - 8);
  ERR_clear_error();
  if (!ok) {
    OPENSSL_cleanse(out, wrap ? len + 8 : len - 8);
    return false;
  }
  *out_len = static_cast<size_t>(n + fin);
  return true;
}

}  // namespace

bool aes_kw_unwrap(const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len,
                   uint8_t* out, size_t* out_len) {
  return run(false, kek, kek_len, in, len, out, out_len);
}

bool aes_kw_wrap(const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len, uint8_t* out,
                 size_t* out_len) {
  return run(true, kek, kek_len, in, len, out, out_len);
}

}  // namespace jwtgate
