// Key management (RFC 7518 section 4): recovering the content encryption
// key (CEK) of a JWE with a decryption key, and the primitives behind it.
// Every failure is a plain false: which step failed is for the caller's
// local diagnosis only (jwe_decrypt.h), never for the token's sender.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "jwe/decryption_key.h"
#include "jwe/jwe_algorithms.h"
#include "jwe/jwe_header.h"

namespace jwtgate {

// The largest CEK (A256CBC-HS512) and the largest RSA modulus jwtgate loads.
constexpr size_t kMaxCekBytes = 64;
constexpr size_t kMaxRsaModulusBytes = 2048;

// Which step of decryption failed, for the operator's diagnosis.
enum class DecryptStep : uint8_t {
  None,
  NoKey,          // no decryption key fits alg and enc
  Structure,      // encrypted key, IV or tag of a length the algorithms exclude
  KeyAgreement,   // ECDH-ES: the epk is not a point of the key's curve, or Z is zero
  KeyUnwrap,      // RSA-OAEP, AES-KW or AES-GCMKW refused the encrypted key
  CekLength,      // the unwrapped CEK has another length than enc needs
  Tag,            // the content's authentication tag did not verify (or CBC padding)
  Content,        // the decrypted content is not what the policy accepts
};
const char* decrypt_step_text(DecryptStep s);

// unwrap_cek recovers the CEK (RFC 7516 5.2 steps 6-10) for a token whose
// header is |h| with |key|, into |cek| (kMaxCekBytes of room); *cek_len is
// enc_cek_bytes(h.enc) on success. On failure *step says why and |cek| is
// wiped.
bool unwrap_cek(const DecryptionKey& key, const JweHeader& h, const uint8_t* encrypted_key,
                size_t encrypted_key_len, uint8_t* cek, size_t* cek_len, DecryptStep* step);

// ---- the primitives, also used by tests, the differential fuzz target and
// the encrypting side (tests/support/jwe_encrypt.h: tests and tools
// encrypt, the library does not).

// rsa_oaep_decrypt: RSAES-OAEP with |alg|'s digest for OAEP and MGF1, empty
// label (RFC 7518 4.3). |out| has kMaxRsaModulusBytes of room.
bool rsa_oaep_decrypt(const DecryptionKeyMaterial& m, KeyAlg alg, const uint8_t* in, size_t len,
                      uint8_t* out, size_t* out_len);
bool rsa_oaep_encrypt(EVP_PKEY* public_key, KeyAlg alg, const uint8_t* in, size_t len,
                      std::vector<uint8_t>& out);

// aes_kw_unwrap / aes_kw_wrap: AES Key Wrap (RFC 3394, RFC 7518 4.4) with
// the default IV A6A6A6A6A6A6A6A6. |in| is a multiple of 8 bytes, at least
// 24 (unwrap) or 16 (wrap); |out| has len - 8 (unwrap) or len + 8 (wrap)
// bytes of room.
bool aes_kw_unwrap(const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len,
                   uint8_t* out, size_t* out_len);
bool aes_kw_wrap(const uint8_t* kek, size_t kek_len, const uint8_t* in, size_t len, uint8_t* out,
                 size_t* out_len);

// ecdh_es_agree computes Z (RFC 7518 4.6.2: the x-coordinate for the NIST
// curves, the X25519 output) between |m|'s private key and |epk|, after
// checking that |epk| is on |m|'s curve (not the point at infinity; for
// X25519 a canonical u-coordinate of a point of the curve, not its twist,
// and a Z that is not all zero: RFC 7748 6.1). |z| has 66 bytes of room.
bool ecdh_es_agree(const DecryptionKeyMaterial& m, int key_curve_nid, const EphemeralKey& epk,
                   uint8_t* z, size_t* z_len);
// concat_kdf derives |out_len| bytes (RFC 7518 4.6.2, NIST SP 800-56A
// 5.8.1 with SHA-256): AlgorithmID |algorithm_id|, PartyUInfo |apu|,
// PartyVInfo |apv|, SuppPubInfo the key length in bits, no SuppPrivInfo.
bool concat_kdf(const uint8_t* z, size_t z_len, std::string_view algorithm_id,
                const uint8_t* apu, size_t apu_len, const uint8_t* apv, size_t apv_len,
                uint8_t* out, size_t out_len);
// x25519_public_on_curve: the 32 bytes are a canonical u-coordinate (less
// than 2^255 - 19, top bit clear) of a point of Curve25519 that is not of
// low order 0 (u = 0), rather than of its twist (RFC 7748 5).
bool x25519_public_on_curve(const uint8_t* u);

}  // namespace jwtgate
