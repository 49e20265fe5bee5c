// Differential key unwrap: jwtgate's CEK recovery primitives
// (jwe/key_management.h) against references written here from the
// specifications on OpenSSL's lower-level interfaces; any disagreement
// aborts.
//   A*KW     aes_kw_unwrap vs RFC 3394 2.2.2 (index-based unwrap) on AES-ECB
//            with the integrity check A == A6A6A6A6A6A6A6A6, for wrapped
//            keys of 24 bytes or more (JWE's smallest CEK is 16);
//   RSA-OAEP rsa_oaep_decrypt vs EVP_PKEY_decrypt on a fresh context of a
//            separately parsed key, OAEP with SHA-1 / SHA-256 and MGF1 of
//            the same hash, for ciphertexts of exactly k bytes;
//   ECDH-ES  ecdh_es_agree on P-256 vs EC_POINT_oct2point +
//            EC_POINT_is_on_curve + ECDH_compute_key-style derivation with
//            EVP on the same point: jwtgate accepts exactly the points of
//            the curve and gives the same Z.
// Input: MODE (1 byte), then the mode's data: KW: key length selector (1
// byte) and key, then the wrapped key; OAEP: the ciphertext; ECDH: x || y.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/diagnostics.h"
#include "fuzz_jwe_keys.h"
#include "fuzz_support.h"
#include "jwe/key_management.h"

namespace {

using namespace jwtgate_fuzz;

// RFC 3394 2.2.2, unwrap: A = C[0], R[i] = C[i]; for j = 5..0, i = n..1:
// B = AES-1(K, (A ^ t) | R[i]) with t = n*j + i; A = MSB64(B), R[i] = LSB64(B).
bool reference_unwrap(const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len,
                      std::vector<uint8_t>& out) {
  if (len % 8 != 0 || len < 24) return false;
  const size_t n = len / 8 - 1;
  const EVP_CIPHER* ecb = kek_len == 16 ? EVP_aes_128_ecb() : kek_len == 24 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (!c || EVP_DecryptInit_ex(c, ecb, nullptr, kek, nullptr) != 1) std::abort();
  EVP_CIPHER_CTX_set_padding(c, 0);
  uint8_t a[8];
  std::memcpy(a, in, 8);
  out.assign(in + 8, in + len);
  for (int j = 5; j >= 0; --j) {
    for (size_t i = n; i >= 1; --i) {
      const uint64_t t = static_cast<uint64_t>(n) * static_cast<uint64_t>(j) + i;
      uint8_t b[16];
      for (int k = 0; k < 8; ++k) b[k] = a[k] ^ static_cast<uint8_t>(t >> (56 - 8 * k));
      std::memcpy(b + 8, out.data() + 8 * (i - 1), 8);
      uint8_t r[16];
      int rl = 0;
      if (EVP_DecryptUpdate(c, r, &rl, b, 16) != 1 || rl != 16) std::abort();
      std::memcpy(a, r, 8);
      std::memcpy(out.data() + 8 * (i - 1), r + 8, 8);
    }
  }
  EVP_CIPHER_CTX_free(c);
  static const uint8_t kIv[8] = {0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6};
  return std::memcmp(a, kIv, 8) == 0;
}

EVP_PKEY* read_private(const char* pem) {
  BIO* bio = BIO_new_mem_buf(pem, -1);
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!k) std::abort();
  return k;
}

struct Keys {
  jwtgate::DecryptionKey rsa, ec;
  EVP_PKEY* rsa_ref = read_private(kRsa2048PrivatePem);
  EVP_PKEY* ec_ref = read_private(kEc256PrivatePem);
  Keys() {
    std::vector<jwtgate::DecryptionKey> k;
    jwtgate::Diagnostics diag;
    if (!jwtgate::load_decryption_private_key(kRsa2048PrivatePem, "", k, diag) ||
        !jwtgate::load_decryption_private_key(kEc256PrivatePem, "", k, diag) || k.size() != 2)
      std::abort();
    rsa = k[0];
    ec = k[1];
  }
};
const Keys& keys() {
  static const Keys k;
  return k;
}

void oaep(const uint8_t* in, size_t len, bool sha256) {
  const Keys& k = keys();
  std::vector<uint8_t> got(jwtgate::kMaxRsaModulusBytes);
  size_t got_len = 0;
  const bool ours = jwtgate::rsa_oaep_decrypt(*k.rsa.material,
                                              sha256 ? jwtgate::KeyAlg::RSA_OAEP_256 : jwtgate::KeyAlg::RSA_OAEP,
                                              in, len, got.data(), &got_len);
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_pkey(nullptr, k.rsa_ref, nullptr);
  const EVP_MD* md = sha256 ? EVP_sha256() : EVP_sha1();
  std::vector<uint8_t> want(512);
  size_t want_len = want.size();
  const bool ref = len == 256 && c && EVP_PKEY_decrypt_init(c) == 1 &&
                   EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) == 1 &&
                   EVP_PKEY_CTX_set_rsa_oaep_md(c, md) == 1 && EVP_PKEY_CTX_set_rsa_mgf1_md(c, md) == 1 &&
                   EVP_PKEY_decrypt(c, want.data(), &want_len, in, len) == 1;
  EVP_PKEY_CTX_free(c);
  ERR_clear_error();
  if (ours != ref) std::abort();
  if (ours && (got_len != want_len || std::memcmp(got.data(), want.data(), got_len) != 0)) std::abort();
}

void ecdh(const uint8_t* in, size_t len) {
  if (len < 64) return;
  const Keys& k = keys();
  jwtgate::EphemeralKey epk;
  epk.curve_nid = NID_X9_62_prime256v1;
  epk.len = 32;
  std::memcpy(epk.x.data(), in, 32);
  std::memcpy(epk.y.data(), in + 32, 32);
  uint8_t z[66];
  size_t z_len = 0;
  const bool ours = jwtgate::ecdh_es_agree(*k.ec.material, k.ec.curve_nid, epk, z, &z_len);
  // Reference: the point must decode and lie on the curve; then Z is the
  // x-coordinate of d * Q.
  EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  EC_POINT* q = EC_POINT_new(g);
  uint8_t oct[65];
  oct[0] = 0x04;
  std::memcpy(oct + 1, in, 64);
  bool ref = EC_POINT_oct2point(g, q, oct, sizeof oct, nullptr) == 1 &&
             EC_POINT_is_on_curve(g, q, nullptr) == 1 && !EC_POINT_is_at_infinity(g, q);
  uint8_t want[32];
  if (ref) {
    BIGNUM* d = nullptr;
    if (EVP_PKEY_get_bn_param(k.ec_ref, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) std::abort();
    EC_POINT* s = EC_POINT_new(g);
    BIGNUM* x = BN_new();
    ref = EC_POINT_mul(g, s, nullptr, q, d, nullptr) == 1 && !EC_POINT_is_at_infinity(g, s) &&
          EC_POINT_get_affine_coordinates(g, s, x, nullptr, nullptr) == 1 &&
          BN_bn2binpad(x, want, 32) == 32;
    BN_free(x);
    EC_POINT_free(s);
    BN_clear_free(d);
  }
  EC_POINT_free(q);
  EC_GROUP_free(g);
  ERR_clear_error();
  if (ours != ref) std::abort();
  if (ours && (z_len != 32 || std::memcmp(z, want, 32) != 0)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const uint8_t mode = in.byte() % 4;
  if (mode == 0) {
    const size_t kek_len = 16 + 8 * (in.byte() % 3);
    const std::string_view kek = in.bytes(kek_len);
    if (kek.size() != kek_len) return 0;
    const std::string_view wrapped = in.rest();
    const auto* w = reinterpret_cast<const uint8_t*>(wrapped.data());
    std::vector<uint8_t> got(wrapped.size() + 16), want;
    size_t got_len = 0;
    const auto* k = reinterpret_cast<const uint8_t*>(kek.data());
    const bool ours = jwtgate::aes_kw_unwrap(k, kek_len, w, wrapped.size(), got.data(), &got_len);
    const bool ref = reference_unwrap(k, kek_len, w, wrapped.size(), want);
    if (ours != ref) std::abort();
    if (ours && (got_len != want.size() || std::memcmp(got.data(), want.data(), got_len) != 0)) std::abort();
  } else if (mode == 1 || mode == 2) {
    const std::string_view ct = in.rest();
    oaep(reinterpret_cast<const uint8_t*>(ct.data()), ct.size(), mode == 2);
  } else {
    const std::string_view p = in.rest();
    ecdh(reinterpret_cast<const uint8_t*>(p.data()), p.size());
  }
  return 0;
}
