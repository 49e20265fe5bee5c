#include "crypto/curve.h"

#include <array>

#include <openssl/obj_mac.h>

namespace jwtgate {

namespace {

// secp256k1 signs only: RFC 8812 3.1 registers it for ES256K, and JWE's
// ECDH-ES here takes the curves of RFC 7518 4.6 and X25519. X448 and the
// brainpool curves are not here: jwtgate neither signs nor agrees with them.
constexpr std::array<Curve, 7> kCurves{{
    {"P-256", KeyType::EC, NID_X9_62_prime256v1, "P-256", 32, 256, true, true, Alg::ES256},
    {"P-384", KeyType::EC, NID_secp384r1, "P-384", 48, 384, true, true, Alg::ES384},
    {"P-521", KeyType::EC, NID_secp521r1, "P-521", 66, 521, true, true, Alg::ES512},
    {"secp256k1", KeyType::EC, NID_secp256k1, "secp256k1", 32, 256, true, false, Alg::ES256K},
    {"Ed25519", KeyType::OKP, NID_ED25519, "ED25519", 32, 255, true, false, Alg::EdDSA},
    {"Ed448", KeyType::OKP, NID_ED448, "ED448", 57, 448, true, false, Alg::EdDSA},
    {"X25519", KeyType::OKP, NID_X25519, "X25519", 32, 255, false, true, Alg::Unknown},
}};

}  // namespace

std::span<const Curve> curves() { return kCurves; }

const Curve* curve_by_nid(int nid) {
  for (const Curve& c : kCurves)
    if (c.nid == nid) return &c;
  return nullptr;
}

const Curve* curve_by_crv(std::string_view crv) {
  for (const Curve& c : kCurves)
    if (crv == c.crv) return &c;
  return nullptr;
}

const Curve* find_curve(KeyType kty, std::string_view crv) {
  const Curve* c = curve_by_crv(crv);
  return c != nullptr && c->kty == kty ? c : nullptr;
}

const Curve* curve_for_ecdsa(Alg alg) {
  for (const Curve& c : kCurves)
    if (c.kty == KeyType::EC && c.jws_alg == alg) return &c;
  return nullptr;
}

}  // namespace jwtgate
