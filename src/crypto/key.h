// Key: one verification key, parsed once at load time into ready-to-use
// OpenSSL objects (see crypto/key_material.h). Immutable after load and
// shared between threads.
#pragma once

#include <memory>
#include <string>

namespace jwtgate {

enum class KeyType : uint8_t { RSA, EC, OKP, Oct };

struct KeyMaterial;  // crypto/key_material.h: EVP_PKEY, prepared contexts, secret

struct Key {
  KeyType type = KeyType::Oct;
  std::string kid;             // JWK "kid" or the id given at load
  bool has_kid = false;
  // kid_bound: the kid was published with the key (the "kid" member of a
  // JWK, in a set or alone, from a file, an offline document or the
  // network). Such a key verifies only tokens whose kid is exactly |kid|.
  // Keys without a kid, and keys whose id the operator gave (APIM
  // <issuer-signing-keys> <key id>, the kid argument of a key load), are
  // also tried for a token whose kid matches no key (docs/keys-and-network.md,
  // "Which keys a token is checked against"). Decided at load, never per token.
  bool kid_bound = false;
  std::string alg;             // JWK "alg" ("" when absent): restricts the key to it
  std::string use;             // JWK "use" ("" when absent): "sig" or "enc"
  bool has_key_ops = false;    // JWK "key_ops" present
  bool key_ops_verify = false; // "verify" listed in key_ops
  std::string issuer;          // non-standard per-key "issuer" (Entra v2 keys)
  std::string origin;          // where it came from, for messages: "JWKS key #2"
  int bits = 0;                // RSA modulus bits; EC 256/384/521; OKP 255/448; oct key bits
  int curve_nid = 0;           // OpenSSL NID for EC and OKP keys, else 0
  // The JWK's x5t / x5t#S256 is not the thumbprint of its x5c leaf, or is
  // malformed: a hint that is ignored unless KeyRules::check_x5t (jwk.cpp).
  bool x5t_mismatch = false;
  std::shared_ptr<const KeyMaterial> material;
};

// key_type_text describes a key for messages, verification and decryption
// keys alike: "RSA 2048-bit", "EC P-256", "OKP Ed25519", "OKP X25519",
// "a symmetric (oct) 256-bit secret" (crypto/key_material.cpp).
std::string key_type_text(KeyType type, int bits, int curve_nid);
inline std::string key_type_text(const Key& key) {
  return key_type_text(key.type, key.bits, key.curve_nid);
}

// KeyRules are the floors a policy sets on keys.
struct KeyRules {
  int min_rsa_bits = 2048;  // RS*/PS* keys shorter than this are refused
  int min_hmac_bits = 0;    // 0: the hash output size (RFC 7518 3.2); APIM accepts 128
  bool check_x5t = false;   // refuse keys whose x5t/x5t#S256 does not match their x5c
};

}  // namespace jwtgate
