// RSA verification in the BN layer (rsa_verify.h says what and why).
//
// The rule for this file: it stands in for OpenSSL's own RSA verification,
// so OpenSSL's verdict is its specification, checked in every CI run.
// tests/crypto/test_rsa_verify.cpp compares it with EVP_PKEY_verify on
// valid signatures, random mutations, out-of-range representatives and
// hand-built near-miss encodings, for every RS and PS algorithm; the
// Wycheproof RSA vectors (tests/wycheproof) run through it; the
// differential fuzz target (fuzz/fuzz_differential.cpp) is replayed by
// `meson test` and fuzzed by scripts/test.sh's campaign against EVP called
// directly. A change here keeps all three green. Whoever prefers OpenSSL's
// code builds with -Drsa_fast_path=false (JWTGATE_RSA_FAST_PATH 0): every
// RSA key then verifies through EVP_PKEY_verify (verify.cpp), and
// scripts/test.sh runs the crypto, Wycheproof and RFC suites in that build
// too.
#include "crypto/rsa_verify.h"

#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace jwtgate {

namespace {

// The largest modulus the key loader accepts (16384 bits), in octets.
constexpr size_t kMaxModulusBytes = 2048;
constexpr size_t kMaxHashBytes = 64;

// Per-thread scratch: a BN_CTX, the numbers of RSAVP1 and a digest context.
// After a thread's first verification with its largest key, the numbers
// and the BN_CTX reuse what they grew: nothing is allocated per call.
struct ThreadBn {
  BN_CTX* ctx = BN_CTX_new();
  EVP_MD_CTX* md = EVP_MD_CTX_new();  // for MGF1 and H' (PSS)
  BIGNUM* s = BN_new();
  BIGNUM* m = BN_new();
  BIGNUM* s_mont = BN_new();  // s in the Montgomery domain
  ThreadBn() = default;
  ThreadBn(const ThreadBn&) = delete;
  ThreadBn& operator=(const ThreadBn&) = delete;
  ~ThreadBn() {
    BN_free(s_mont);
    BN_free(m);
    BN_free(s);
    BN_CTX_free(ctx);
    EVP_MD_CTX_free(md);
  }
  bool ok() const {
    return ctx != nullptr && s != nullptr && m != nullptr && s_mont != nullptr && md != nullptr;
  }
};
thread_local ThreadBn t_bn;

// RFC 8017 9.2 note 1: the DER of DigestInfo up to the digest octets.
constexpr uint8_t kSha256Prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
constexpr uint8_t kSha384Prefix[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
constexpr uint8_t kSha512Prefix[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
constexpr size_t kPrefixBytes = sizeof kSha256Prefix;

// hash computes |md| of |in| in this thread's digest context. (Not
// SHA256() and friends: in OpenSSL 3.0 those fetch the algorithm on every
// call, which tripled the cost of MGF1.)
bool hash(const EVP_MD* md, const uint8_t* in, size_t in_len, uint8_t* out) {
  unsigned len = 0;
  return EVP_DigestInit_ex2(t_bn.md, md, nullptr) == 1 &&
         EVP_DigestUpdate(t_bn.md, in, in_len) == 1 && EVP_DigestFinal_ex(t_bn.md, out, &len) == 1;
}

// mont_pow_word computes m = s^e mod n for an odd e of one word (every
// real RSA key: e = 65537) with n's Montgomery context, in fewer
// multiplications than BN_mod_exp_mont: left to right, from s*R, with the
// last step a Montgomery product by s itself, which leaves the Montgomery
// domain at once (x*R * s / R = x*s). For e = 65537: 1 conversion, 16
// squarings and that product, 18 operations against BN_mod_exp_mont's 20
// (it starts from 1*R, so its first product is by one, and ends with a
// separate conversion back); docs/performance.md has what it saves.
// |s| < n. Nothing here is secret (all public values), so no constant time.
bool mont_pow_word(BIGNUM* m, const BIGNUM* s, BN_ULONG e, int e_bits, const RsaPublicNumbers& key) {
  BN_CTX* ctx = t_bn.ctx;
  BIGNUM* s_mont = t_bn.s_mont;
  if (BN_to_montgomery(s_mont, s, key.mont, ctx) != 1 || BN_copy(m, s_mont) == nullptr) return false;
  // m = s^(top bit of e) * R; each further bit but the last: square, and
  // multiply by s*R where the bit is set (the product stays in the domain).
  for (int i = e_bits - 2; i >= 1; --i) {
    if (BN_mod_mul_montgomery(m, m, m, key.mont, ctx) != 1) return false;
    if (((e >> i) & 1) != 0 && BN_mod_mul_montgomery(m, m, s_mont, key.mont, ctx) != 1)
      return false;
  }
  // The last bit (e is odd): square, then the product by plain s.
  return BN_mod_mul_montgomery(m, m, m, key.mont, ctx) == 1 &&
         BN_mod_mul_montgomery(m, m, s, key.mont, ctx) == 1;
}

}  // namespace

bool rsa_public_op(const RsaPublicNumbers& key, const uint8_t* sig, size_t sig_len, uint8_t* out) {
  // RFC 8017 8.2.2 step 1 / 8.1.2 step 1: exactly k octets.
  if (!t_bn.ok() || key.mont == nullptr || sig_len != key.bytes || sig_len > kMaxModulusBytes)
    return false;
  if (BN_bin2bn(sig, static_cast<int>(sig_len), t_bn.s) == nullptr) return false;
  // RFC 8017 5.2.2 step 1: the signature representative must be below n.
  if (BN_ucmp(t_bn.s, key.n) >= 0) return false;
  const bool ok = key.e_word != 0
                      ? mont_pow_word(t_bn.m, t_bn.s, key.e_word, key.e_bits, key)
                      : BN_mod_exp_mont(t_bn.m, t_bn.s, key.e, key.n, t_bn.ctx, key.mont) == 1;
  return ok && BN_bn2binpad(t_bn.m, out, static_cast<int>(key.bytes)) == static_cast<int>(key.bytes);
}

namespace {

// EMSA-PKCS1-v1_5, encode and compare (RFC 8017 8.2.2 steps 3 and 4):
// EM = 0x00 || 0x01 || 0xff... || 0x00 || DigestInfo || H.
bool pkcs1_matches(const uint8_t* em, size_t k, const uint8_t* digest, size_t digest_len) {
  const uint8_t* prefix = digest_len == 32   ? kSha256Prefix
                          : digest_len == 48 ? kSha384Prefix
                          : digest_len == 64 ? kSha512Prefix
                                             : nullptr;
  const size_t t_len = kPrefixBytes + digest_len;
  // Step 2 of EMSA-PKCS1-v1_5 encoding: at least 8 octets of 0xff.
  if (prefix == nullptr || k < t_len + 11) return false;
  uint8_t expected[kMaxModulusBytes];
  const size_t ps_len = k - t_len - 3;
  expected[0] = 0x00;
  expected[1] = 0x01;
  std::memset(expected + 2, 0xff, ps_len);
  expected[2 + ps_len] = 0x00;
  std::memcpy(expected + 3 + ps_len, prefix, kPrefixBytes);
  std::memcpy(expected + 3 + ps_len + kPrefixBytes, digest, digest_len);
  return CRYPTO_memcmp(expected, em, k) == 0;
}

// EMSA-PSS-VERIFY (RFC 8017 9.1.2) with MGF1 over the same hash and
// sLen = hLen. |em| is the k-octet output of RSAVP1; |mod_bits| is n's size.
bool pss_matches(const uint8_t* em_k, size_t k, int mod_bits, const EVP_MD* md,
                 const uint8_t* m_hash, size_t h_len) {
  const size_t s_len = h_len;
  const size_t em_bits = static_cast<size_t>(mod_bits) - 1;
  const size_t em_len = (em_bits + 7) / 8;  // k or k - 1
  // RFC 8017 8.1.2 step 2c: I2OSP(m, emLen); with emLen = k - 1 the leading
  // octet of the k-octet value must be zero.
  if (em_len + 1 == k) {
    if (em_k[0] != 0) return false;
    ++em_k;
  } else if (em_len != k) {
    return false;
  }
  const uint8_t* em = em_k;
  // Step 3.
  if (em_len < h_len + s_len + 2) return false;
  // Step 4.
  if (em[em_len - 1] != 0xbc) return false;
  // Step 5.
  const size_t db_len = em_len - h_len - 1;
  const uint8_t* masked_db = em;
  const uint8_t* h = em + db_len;
  // Step 6: the leftmost 8 * emLen - emBits bits of maskedDB are zero.
  const unsigned top_bits = static_cast<unsigned>(8 * em_len - em_bits);  // 0..7
  const uint8_t top_mask = static_cast<uint8_t>(0xff >> top_bits);
  if ((masked_db[0] & static_cast<uint8_t>(~top_mask)) != 0) return false;
  // Steps 7 and 8: DB = maskedDB xor MGF1(H, dbLen) (RFC 8017 B.2.1).
  uint8_t db[kMaxModulusBytes];
  uint8_t seed[kMaxHashBytes + 4];
  uint8_t block[kMaxHashBytes];
  std::memcpy(seed, h, h_len);
  for (uint32_t counter = 0, done = 0; done < db_len; ++counter) {
    seed[h_len] = static_cast<uint8_t>(counter >> 24);
    seed[h_len + 1] = static_cast<uint8_t>(counter >> 16);
    seed[h_len + 2] = static_cast<uint8_t>(counter >> 8);
    seed[h_len + 3] = static_cast<uint8_t>(counter);
    if (!hash(md, seed, h_len + 4, block)) return false;
    for (size_t i = 0; i < h_len && done < db_len; ++i, ++done)
      db[done] = masked_db[done] ^ block[i];
  }
  // Step 9.
  db[0] &= top_mask;
  // Step 10: PS (zeros) then 0x01.
  const size_t ps_len = db_len - s_len - 1;
  for (size_t i = 0; i < ps_len; ++i)
    if (db[i] != 0) return false;
  if (db[ps_len] != 0x01) return false;
  // Steps 11 to 13: H' = Hash(0x00 x 8 || mHash || salt).
  uint8_t m_prime[8 + 2 * kMaxHashBytes];
  std::memset(m_prime, 0, 8);
  std::memcpy(m_prime + 8, m_hash, h_len);
  std::memcpy(m_prime + 8 + h_len, db + db_len - s_len, s_len);
  uint8_t h_prime[kMaxHashBytes];
  if (!hash(md, m_prime, 8 + h_len + s_len, h_prime)) return false;
  // Step 14.
  return CRYPTO_memcmp(h, h_prime, h_len) == 0;
}

}  // namespace

RsaPublicNumbers::~RsaPublicNumbers() {
  BN_MONT_CTX_free(mont);
  BN_free(e);
  BN_free(n);
}

bool rsa_public_numbers_init(RsaPublicNumbers& out, const BIGNUM* n, const BIGNUM* e) {
  out.n = BN_dup(n);
  out.e = BN_dup(e);
  out.mont = BN_MONT_CTX_new();
  BN_CTX* ctx = BN_CTX_new();
  const bool ok = out.n != nullptr && out.e != nullptr && out.mont != nullptr && ctx != nullptr &&
                  BN_MONT_CTX_set(out.mont, out.n, ctx) == 1;
  BN_CTX_free(ctx);
  if (!ok) return false;
  out.bits = BN_num_bits(out.n);
  out.bytes = static_cast<size_t>(BN_num_bytes(out.n));
  out.e_bits = BN_num_bits(out.e);
  // An odd e of at least 2 bits fitting a word takes mont_pow_word.
  if (BN_is_odd(out.e) && out.e_bits >= 2 && out.e_bits <= BN_BITS2) out.e_word = BN_get_word(out.e);
  return out.bytes <= kMaxModulusBytes;
}

// JWTGATE_RSA_FAST_PATH comes from meson (-Drsa_fast_path); a build that
// does not set it (fuzz/build.sh) takes the default, this path.
#ifndef JWTGATE_RSA_FAST_PATH
#define JWTGATE_RSA_FAST_PATH 1
#endif

bool rsa_bn_path_enabled() {
  return JWTGATE_RSA_FAST_PATH && EVP_default_properties_is_fips_enabled(nullptr) == 0;
}

bool rsa_verify_digest(const RsaPublicNumbers& key, Alg alg, const EVP_MD* md,
                       const uint8_t* digest, size_t digest_len, const uint8_t* sig,
                       size_t sig_len) {
  const AlgFamily family = alg_family(alg);
  if ((family != AlgFamily::RSA_PKCS1 && family != AlgFamily::RSA_PSS) || md == nullptr ||
      digest_len != static_cast<size_t>(alg_hash_bytes(alg)))
    return false;
  uint8_t em[kMaxModulusBytes];
  if (!rsa_public_op(key, sig, sig_len, em)) return false;
  return family == AlgFamily::RSA_PKCS1 ? pkcs1_matches(em, key.bytes, digest, digest_len)
                                        : pss_matches(em, key.bytes, key.bits, md, digest, digest_len);
}

}  // namespace jwtgate
