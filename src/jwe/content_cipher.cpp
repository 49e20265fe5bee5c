// AES-CBC-HMAC-SHA2 written per RFC 7518 section 5.2.2 on OpenSSL's AES-CBC
// and HMAC, and AES-GCM (5.3) on OpenSSL's AES-GCM. The contexts are
// per-thread and reused, the ciphers fetched once per process.
#include "jwe/content_cipher.h"

#include <array>
#include <cstring>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

namespace jwtgate {
namespace {

// The ciphers and the HMAC, fetched once (explicit fetching saves the
// implicit fetch each EVP_aes_128_gcm() init would do).
struct Fetched {
  std::array<EVP_CIPHER*, 3> gcm{};  // AES-128/192/256-GCM
  std::array<EVP_CIPHER*, 3> cbc{};  // AES-128/192/256-CBC
  EVP_MAC* hmac = nullptr;
  Fetched() {
    static const char* const kGcm[] = {"AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};
    static const char* const kCbc[] = {"AES-128-CBC", "AES-192-CBC", "AES-256-CBC"};
    for (int i = 0; i < 3; ++i) {
      gcm[i] = EVP_CIPHER_fetch(nullptr, kGcm[i], nullptr);
      cbc[i] = EVP_CIPHER_fetch(nullptr, kCbc[i], nullptr);
    }
    hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  }
};
const Fetched& fetched() {
  static const Fetched f;
  return f;
}

int aes_index(size_t key_len) {
  return key_len == 16 ? 0 : key_len == 24 ? 1 : key_len == 32 ? 2 : -1;
}

// One thread's contexts: a cipher context reused for every AES operation
// and one HMAC context per hash (the digest is set once; EVP_MAC_init
// takes the key of each token).
struct ThreadContexts {
  EVP_CIPHER_CTX* cipher = EVP_CIPHER_CTX_new();
  std::array<EVP_MAC_CTX*, 3> hmac{};
  ThreadContexts() {
    static const char* const kDigests[] = {"SHA256", "SHA384", "SHA512"};
    for (int i = 0; i < 3; ++i) {
      if (fetched().hmac == nullptr) break;
      hmac[i] = EVP_MAC_CTX_new(fetched().hmac);
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                           const_cast<char*>(kDigests[i]), 0),
          OSSL_PARAM_construct_end()};
      if (hmac[i] && EVP_MAC_CTX_set_params(hmac[i], params) != 1) {
        EVP_MAC_CTX_free(hmac[i]);
        hmac[i] = nullptr;
      }
    }
  }
  ThreadContexts(const ThreadContexts&) = delete;
  ThreadContexts& operator=(const ThreadContexts&) = delete;
  ~ThreadContexts() {
    EVP_CIPHER_CTX_free(cipher);
    for (EVP_MAC_CTX* m : hmac) EVP_MAC_CTX_free(m);
  }
};
thread_local ThreadContexts t_ctx;

bool fail(uint8_t* out, size_t n) {
  if (out && n) OPENSSL_cleanse(out, n);
  ERR_clear_error();
  return false;
}

// cbc_hmac_tag computes M = HMAC(MAC_KEY, A || IV || E || AL) and returns
// its first T_LEN bytes in |tag| (RFC 7518 5.2.2.1 steps 5 and 6; AL is the
// AAD's length in bits as a 64-bit big-endian integer, step 4).
bool cbc_hmac_tag(int hash_index, const uint8_t* mac_key, size_t key_len, std::string_view aad,
                  const uint8_t* iv, const uint8_t* ct, size_t ct_len, uint8_t* tag) {
  EVP_MAC_CTX* m = t_ctx.hmac[hash_index];
  if (m == nullptr) return false;
  uint8_t al[8];
  const uint64_t bits = static_cast<uint64_t>(aad.size()) * 8;
  for (int i = 0; i < 8; ++i) al[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  uint8_t full[64];
  size_t full_len = 0;
  const bool ok = EVP_MAC_init(m, mac_key, key_len, nullptr) == 1 &&
                  EVP_MAC_update(m, reinterpret_cast<const uint8_t*>(aad.data()), aad.size()) == 1 &&
                  EVP_MAC_update(m, iv, 16) == 1 && EVP_MAC_update(m, ct, ct_len) == 1 &&
                  EVP_MAC_update(m, al, sizeof al) == 1 &&
                  EVP_MAC_final(m, full, &full_len, sizeof full) == 1 && full_len == 2 * key_len;
  if (ok) std::memcpy(tag, full, key_len);
  OPENSSL_cleanse(full, sizeof full);
  return ok;
}

bool cbc_hmac_decrypt(ContentEnc enc, const ContentInput& in, uint8_t* out, size_t* out_len) {
  const size_t half = enc_cek_bytes(enc) / 2;  // MAC_KEY_LEN = ENC_KEY_LEN (5.2.3..5.2.5)
  const int idx = aes_index(half);
  // 5.2.2.2: the tag is checked first, over exactly T_LEN bytes, in
  // constant time; only then is anything decrypted. A ciphertext that is no
  // whole number of blocks cannot be CBC output and fails too (after the
  // MAC, so that no public property shortcuts the tag check's timing).
  uint8_t expected[32];
  const bool mac_ok = cbc_hmac_tag(idx, in.cek, half, in.aad, in.iv, in.ciphertext,
                                   in.ciphertext_len, expected) &&
                      CRYPTO_memcmp(expected, in.tag, half) == 0;
  OPENSSL_cleanse(expected, sizeof expected);
  if (!mac_ok || in.ciphertext_len == 0 || in.ciphertext_len % 16 != 0) return fail(nullptr, 0);
  EVP_CIPHER_CTX* c = t_ctx.cipher;
  int n1 = 0, n2 = 0;
  const bool ok =
      c && fetched().cbc[idx] &&
      EVP_DecryptInit_ex2(c, fetched().cbc[idx], in.cek + half, in.iv, nullptr) == 1 &&
      EVP_DecryptUpdate(c, out, &n1, in.ciphertext, static_cast<int>(in.ciphertext_len)) == 1 &&
      EVP_DecryptFinal_ex(c, out + n1, &n2) == 1;  // PKCS#7 padding (5.2.2.2 step 5)
  if (!ok) return fail(out, in.ciphertext_len + 16);
  *out_len = static_cast<size_t>(n1 + n2);
  return true;
}

// aes_gcm runs AES-GCM one way or the other (EVP_Cipher* with |encrypt|):
// decrypting, the expected |tag| is set before the final step, which checks
// it; encrypting, the final step computes the tag, read after it. A failed
// decryption wipes |out|, so that no unauthenticated plaintext is left.
bool aes_gcm(bool encrypt, const uint8_t* key, size_t key_len, const uint8_t* iv,
             std::string_view aad, const uint8_t* in, size_t len, uint8_t* tag, uint8_t* out) {
  const int idx = aes_index(key_len);
  EVP_CIPHER_CTX* c = t_ctx.cipher;
  if (idx < 0 || c == nullptr || fetched().gcm[idx] == nullptr) return fail(nullptr, 0);
  int n = 0, fin = 0;
  // The default GCM IV length is 96 bits, the only one JWE uses.
  const bool ok =
      EVP_CipherInit_ex2(c, fetched().gcm[idx], key, iv, encrypt ? 1 : 0, nullptr) == 1 &&
      (aad.empty() || EVP_CipherUpdate(c, nullptr, &n, reinterpret_cast<const uint8_t*>(aad.data()),
                                       static_cast<int>(aad.size())) == 1) &&
      (len == 0 || EVP_CipherUpdate(c, out, &n, in, static_cast<int>(len)) == 1) &&
      (encrypt || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) == 1) &&
      EVP_CipherFinal_ex(c, out + (len ? n : 0), &fin) == 1 &&
      (!encrypt || EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1);
  if (!ok) return encrypt ? fail(nullptr, 0) : fail(out, len);
  return true;
}

}  // namespace

bool aes_gcm_decrypt(const uint8_t* key, size_t key_len, const uint8_t* iv, std::string_view aad,
                     const uint8_t* in, size_t len, const uint8_t* tag, uint8_t* out) {
  return aes_gcm(false, key, key_len, iv, aad, in, len, const_cast<uint8_t*>(tag), out);
}

bool aes_gcm_encrypt(const uint8_t* key, size_t key_len, const uint8_t* iv, std::string_view aad,
                     const uint8_t* in, size_t len, uint8_t* out, uint8_t* tag) {
  return aes_gcm(true, key, key_len, iv, aad, in, len, tag, out);
}

bool decrypt_content(ContentEnc enc, const ContentInput& in, uint8_t* out, size_t* out_len) {
  *out_len = 0;
  if (in.iv_len != enc_iv_bytes(enc) || in.tag_len != enc_tag_bytes(enc) || in.cek == nullptr ||
      in.iv == nullptr || in.tag == nullptr)
    return fail(nullptr, 0);
  if (enc_is_gcm(enc)) {
    if (!aes_gcm_decrypt(in.cek, enc_cek_bytes(enc), in.iv, in.aad, in.ciphertext,
                         in.ciphertext_len, in.tag, out))
      return false;
    *out_len = in.ciphertext_len;
    return true;
  }
  return cbc_hmac_decrypt(enc, in, out, out_len);
}

bool encrypt_content(ContentEnc enc, const uint8_t* cek, const uint8_t* iv, std::string_view aad,
                     const uint8_t* plaintext, size_t plaintext_len,
                     std::vector<uint8_t>& ciphertext, std::vector<uint8_t>& tag) {
  if (enc_cek_bytes(enc) == 0) return false;
  if (enc_is_gcm(enc)) {
    ciphertext.resize(plaintext_len);
    tag.resize(16);
    return aes_gcm_encrypt(cek, enc_cek_bytes(enc), iv, aad, plaintext, plaintext_len,
                           ciphertext.data(), tag.data());
  }
  const size_t half = enc_cek_bytes(enc) / 2;
  const int idx = aes_index(half);
  EVP_CIPHER_CTX* c = t_ctx.cipher;
  ciphertext.resize(plaintext_len + 16);
  int n1 = 0, n2 = 0;
  if (!c || EVP_EncryptInit_ex2(c, fetched().cbc[idx], cek + half, iv, nullptr) != 1 ||
      EVP_EncryptUpdate(c, ciphertext.data(), &n1, plaintext, static_cast<int>(plaintext_len)) != 1 ||
      EVP_EncryptFinal_ex(c, ciphertext.data() + n1, &n2) != 1)
    return fail(nullptr, 0);
  ciphertext.resize(static_cast<size_t>(n1 + n2));
  tag.resize(half);
  return cbc_hmac_tag(idx, cek, half, aad, iv, ciphertext.data(), ciphertext.size(), tag.data());
}

}  // namespace jwtgate
