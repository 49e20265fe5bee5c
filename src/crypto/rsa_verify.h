// RSA signature verification in libcrypto's BN layer: RSAVP1 (s^e mod n)
// with a Montgomery context prepared at key load (and, for e of one word,
// two Montgomery products fewer than BN_mod_exp_mont), then the encoding checked
// here: EMSA-PKCS1-v1_5 by encode-and-compare (RFC 8017 8.2.2 step 3-4, the
// method that leaves no parser to fool), EMSA-PSS by EMSA-PSS-VERIFY (RFC
// 8017 9.1.2) with MGF1 over the same hash and the salt length pinned to
// the hash length (RFC 7518 3.5).
//
// Why not EVP_PKEY_verify: the provider path spends beyond the arithmetic
// (a BN_CTX, buffers and a DigestInfo encoding allocated and freed per call,
// a lock around the cached Montgomery context, the padding parser), and
// BN_mod_exp_mont spends two products more than s^65537 needs; together a
// measurable part of RS256 (docs/performance.md, "Changes made for these
// targets"). Here a verification allocates nothing once the thread is warm.
//
// The provider path stays for keys loaded while the default library
// context has FIPS properties on (rsa_bn_path_enabled): there verification
// must run inside the FIPS provider. A build with -Drsa_fast_path=false
// takes it for every RSA key.
#pragma once

#include <cstddef>
#include <cstdint>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "crypto/algorithm.h"

namespace jwtgate {

// RsaPublicNumbers: n, e and the Montgomery context of n, immutable after
// rsa_public_numbers_init and read by any number of threads at once
// (BN_mod_exp_mont only reads a caller's BN_MONT_CTX).
struct RsaPublicNumbers {
  RsaPublicNumbers() = default;
  RsaPublicNumbers(const RsaPublicNumbers&) = delete;
  RsaPublicNumbers& operator=(const RsaPublicNumbers&) = delete;
  ~RsaPublicNumbers();

  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  BN_MONT_CTX* mont = nullptr;
  int bits = 0;        // of n
  size_t bytes = 0;    // k, the modulus length in octets
  BN_ULONG e_word = 0; // e when it is odd and fits one word, else 0
  int e_bits = 0;      // of e
};

// rsa_public_numbers_init copies |n| and |e| (already checked by the key
// loader) and prepares the Montgomery context; false on allocation failure.
bool rsa_public_numbers_init(RsaPublicNumbers& out, const BIGNUM* n, const BIGNUM* e);

// rsa_bn_path_enabled: false when the default library context has FIPS
// properties on, or the build was configured with -Drsa_fast_path=false;
// asked at key load (a key loaded then verifies through EVP).
bool rsa_bn_path_enabled();

// rsa_public_op is RSAVP1 (RFC 8017 5.2.2): |sig| (exactly k octets, below
// n) raised to e mod n, written as k octets to |out|; false otherwise.
bool rsa_public_op(const RsaPublicNumbers& key, const uint8_t* sig, size_t sig_len, uint8_t* out);

// rsa_verify_digest verifies |sig| (exactly k octets) over |digest|, the
// hash of the signing input under |alg|'s hash |md| (fetched once, as
// jws_digest gives it), for RS256/384/512 and PS256/384/512. Constant time is not needed (everything here is public),
// but the final comparison is constant time anyway.
bool rsa_verify_digest(const RsaPublicNumbers& key, Alg alg, const EVP_MD* md,
                       const uint8_t* digest, size_t digest_len, const uint8_t* sig,
                       size_t sig_len);

}  // namespace jwtgate
