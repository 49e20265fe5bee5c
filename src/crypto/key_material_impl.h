// The layout of KeyMaterial, for the crypto and key-parsing code only, and
// the builders the key parsers share (JWK, PEM, APIM n/e all end here, so a
// key is checked the same way whatever form it arrived in).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "crypto/rsa_verify.h"
#include "crypto/key.h"

namespace jwtgate {

// The largest ECDSA coordinate (P-521: 66 bytes, RFC 7518 3.4).
constexpr size_t kMaxEcCoordinateBytes = 66;
constexpr int kHmacAlgCount = 3;  // HS256, HS384, HS512

// KeyMaterial is immutable after make_*_key and shared by every thread that
// verifies with the key: verify_signature only reads it (duplicating the
// prepared contexts into per-thread copies), so no locking is needed.
struct KeyMaterial {
  KeyMaterial();
  KeyMaterial(const KeyMaterial&) = delete;
  KeyMaterial& operator=(const KeyMaterial&) = delete;
  ~KeyMaterial();

  EVP_PKEY* pkey = nullptr;  // asymmetric keys; nullptr for oct

  // A number no other KeyMaterial of this process has had (a counter, not
  // an address: an address is reused once the material is freed). It names
  // this key in each thread's cache of verification contexts (verify.cpp).
  const uint64_t id;

  // RS*, PS*, ES*: EVP_PKEY_CTX already through EVP_PKEY_verify_init with
  // padding, PSS salt length and signature digest set. Each thread verifies
  // with its own duplicate (EVP_PKEY_CTX_dup), made on the thread's first
  // use of the key and kept (verify.cpp), so a call pays neither the
  // algorithm fetch nor the parameter setting nor the duplication. nullptr
  // where the alg does not fit the key (e.g. ES384 for a P-256 key). RSA
  // keys use them only when rsa_numbers is nullptr (FIPS properties on).
  std::array<EVP_PKEY_CTX*, kAlgCount> verify_ctx{};

  // HS256/384/512 (index = alg - HS256): the HMAC key schedule done at
  // load, as SHA-2 states that have absorbed K0 ^ ipad and K0 ^ opad (RFC
  // 2104 section 2). verify_signature copies them into a per-thread digest
  // context, as OpenSSL's HMAC_Init_ex and HMAC_Final do internally; this
  // replaced duplicating a keyed EVP_MAC_CTX per call, which allocates three
  // digest contexts (docs/performance.md has the difference).
  std::array<EVP_MD_CTX*, kHmacAlgCount> hmac_inner{};
  std::array<EVP_MD_CTX*, kHmacAlgCount> hmac_outer{};

  // The oct secret; OPENSSL_cleanse'd on destruction.
  std::vector<uint8_t> secret;

  // RSA: k, the modulus length in bytes. RFC 8017 8.2.2 step 1: a signature
  // of any other length is invalid.
  size_t rsa_modulus_bytes = 0;
  // RSA: n, e and n's Montgomery context, for verification in the BN layer
  // (rsa_verify.h); nullptr when the key was loaded with FIPS properties on,
  // and then verify_ctx is used.
  std::unique_ptr<RsaPublicNumbers> rsa_numbers;

  // ECDSA: the group order n, big-endian, left-padded to the coordinate
  // size, for the r, s in [1, n-1] check (SEC 1 4.1.4 step 1).
  std::array<uint8_t, kMaxEcCoordinateBytes> ec_order{};
  size_t ec_coordinate_bytes = 0;

  // EdDSA: the only signature length the curve has (RFC 8032 5.1.6 / 5.2.6).
  size_t eddsa_signature_bytes = 0;
};

// jws_digest returns the SHA-2 digest RS/PS/ES/HS|alg| uses, fetched once
// for the process (explicit fetching skips the per-call implicit fetch of
// EVP_sha256()), or nullptr for EdDSA and Unknown.
const EVP_MD* jws_digest(Alg alg);

// ecdsa_alg_for_curve maps NID_X9_62_prime256v1 / NID_secp384r1 /
// NID_secp521r1 / NID_secp256k1 to ES256 / ES384 / ES512 / ES256K (RFC 7518
// 3.4, RFC 8812 3.2), anything else to Alg::Unknown.
Alg ecdsa_alg_for_curve(int nid);
// ec_coordinate_bytes_for_curve is 32, 48, 66, 32 for the four curves, else 0.
size_t ec_coordinate_bytes_for_curve(int nid);

// Builders from raw components. Each validates the key as
// make_asymmetric_key does and fills |key| (type, bits, curve_nid,
// material) on success; on failure *why (if not NULL) gets a sentence.
// |n| and |e| are unsigned big-endian.
bool make_rsa_public_key(const uint8_t* n, size_t n_len, const uint8_t* e, size_t e_len, Key& key,
                         std::string* why);
// |x| and |y| are exactly ec_coordinate_bytes_for_curve(nid) long.
bool make_ec_public_key(int nid, const uint8_t* x, const uint8_t* y, size_t coordinate_len,
                        Key& key, std::string* why);
// |nid| is NID_ED25519 (32-byte x) or NID_ED448 (57-byte x).
bool make_okp_public_key(int nid, const uint8_t* x, size_t x_len, Key& key, std::string* why);

// same_public_key says whether two loaded asymmetric keys are the same key
// (x5c leaf versus the JWK's own n/e or x/y).
bool same_public_key(const Key& a, const Key& b);

}  // namespace jwtgate
