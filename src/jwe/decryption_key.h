// DecryptionKey: one private key (or shared secret) a policy decrypts JWE
// tokens with, loaded once into OpenSSL objects. Kept apart from the
// verification keys (crypto/key.h) on purpose: a key set that verifies
// signatures never holds private material, and a decryption key never
// verifies anything.
//
// The material is wiped when the last reference goes: the secret with
// OPENSSL_cleanse, asymmetric keys by EVP_PKEY_free (OpenSSL clears private
// components as it frees them). Nothing here ever prints key bytes: the
// loaders' messages name the form and the problem, never the material.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "core/diagnostics.h"
#include "jwe/jwe_algorithms.h"
#include "crypto/key.h"

namespace jwtgate {

struct DecryptionKeyMaterial {
  DecryptionKeyMaterial();
  DecryptionKeyMaterial(const DecryptionKeyMaterial&) = delete;
  DecryptionKeyMaterial& operator=(const DecryptionKeyMaterial&) = delete;
  ~DecryptionKeyMaterial();

  EVP_PKEY* pkey = nullptr;     // RSA, EC or X25519 private key
  std::vector<uint8_t> secret;  // oct keys; cleansed on destruction
  // RSA: contexts through EVP_PKEY_decrypt_init with OAEP padding and the
  // OAEP and MGF1 digests of RSA-OAEP, -256, -384, -512 set, so that a
  // decryption only duplicates one (index: KeyAlg::RSA_OAEP + i).
  std::array<EVP_PKEY_CTX*, 4> oaep{};
  // EC and X25519: a context through EVP_PKEY_derive_init.
  EVP_PKEY_CTX* derive = nullptr;
  size_t rsa_modulus_bytes = 0;
  size_t ec_coordinate_bytes = 0;  // 32, 48, 66 for P-256/384/521; 32 for X25519
  const uint64_t id;               // unique per process (per-thread context caches)
};

// Key operations a JWK's key_ops may list for decryption (RFC 7517 4.3).
enum KeyOp : uint8_t { kOpDecrypt = 1, kOpUnwrapKey = 2, kOpDeriveKey = 4, kOpDeriveBits = 8 };

struct DecryptionKey {
  KeyType type = KeyType::Oct;
  std::string kid;        // the policy key's id, a JWK kid, or the id given at load
  bool has_kid = false;
  std::string alg;        // JWK "alg" ("" when absent): restricts the key to it
  std::string use;        // JWK "use": must be "enc" when present
  bool has_key_ops = false;
  uint8_t key_ops = 0;    // KeyOp bits listed in key_ops
  std::string origin;     // "decryption-keys key #1 (certificate-id=...)"
  int bits = 0;           // RSA modulus bits; EC 256/384/521; X25519 255; oct key bits
  int curve_nid = 0;      // NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1, NID_X25519
  std::shared_ptr<const DecryptionKeyMaterial> material;
};

using DecryptionKeySet = std::vector<DecryptionKey>;
using DecryptionKeySetPtr = std::shared_ptr<const DecryptionKeySet>;

// decryption_key_fits says whether |key| may decrypt a token with |alg| and
// |enc|: RSA-OAEP* need an RSA key of at least rules.min_rsa_bits; A*KW and
// A*GCMKW an oct key of exactly their key-encryption key size; dir an oct
// key of exactly enc's CEK size; ECDH-ES* an EC (P-256/384/521) or X25519
// key. A JWK's use must be "enc", its key_ops must allow the operation, and
// its alg (when present) must be |alg| (for dir, also |enc|: RFC 7520 5.6
// labels a direct key with its content encryption algorithm). On false,
// *why (if not NULL) gets a sentence.
bool decryption_key_fits(const DecryptionKey& key, KeyAlg alg, ContentEnc enc,
                         const KeyRules& rules, std::string* why);

// ---- loaders. Each appends the keys it read to |out| and returns true, or
// returns false with the problem in |diag| and appends nothing. |password|
// (may be empty) decrypts an encrypted PKCS#8 key or a PKCS#12 file.

// APIM <decryption-keys><key>: a symmetric key as standard base64 text
// (whitespace ignored): 16, 24, 32, 48 or 64 bytes. Key text (PEM, JWK, ...)
// is refused as a secret (keys/key_text.h).
bool load_decryption_secret_base64(std::string_view text, std::vector<DecryptionKey>& out,
                                   Diagnostics& diag);
// Raw secret bytes (tests, the library API).
bool load_decryption_secret(const uint8_t* secret, size_t len, std::vector<DecryptionKey>& out,
                            Diagnostics& diag);
// PEM ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC
// PRIVATE KEY"; certificates beside the key are skipped), DER PKCS#8
// (encrypted or not), or PKCS#12 (PFX, as APIM's uploaded certificates):
// found by content. Exactly one private key is expected.
bool load_decryption_private_key(std::string_view data, std::string_view password,
                                 std::vector<DecryptionKey>& out, Diagnostics& diag);
// A private JWK, or a JWK Set of them (RSA with n, e, d, p, q, dp, dq, qi;
// EC with crv, x, y, d; OKP X25519 with x, d; oct with k).
bool load_decryption_jwks(std::string_view json, std::vector<DecryptionKey>& out,
                          Diagnostics& diag);
// load_decryption_keys_auto: JSON (JWK or JWK Set), else a private key as
// load_decryption_private_key reads it.
bool load_decryption_keys_auto(std::string_view data, std::string_view password,
                               std::vector<DecryptionKey>& out, Diagnostics& diag);

// make_private_decryption_key fills |key| from |pkey| (taking ownership):
// RSA, EC P-256/384/521 or X25519, with the contexts prepared. On false
// pkey is freed and *why says why.
bool make_private_decryption_key(EVP_PKEY* pkey, DecryptionKey& key, std::string* why);

}  // namespace jwtgate
