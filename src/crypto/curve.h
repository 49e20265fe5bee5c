// The elliptic curves jwtgate knows, once: the JOSE "crv" name, the key
// type it goes with, OpenSSL's NID and name for it, its sizes, and what
// JOSE uses it for. Callers keep their own rules (which curves they accept)
// and their own messages; they look the facts up here.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "crypto/algorithm.h"
#include "crypto/key.h"

namespace jwtgate {

struct Curve {
  // The JOSE "crv" value: RFC 7518 6.2.1.1 (P-256, P-384, P-521), RFC 8812
  // 3.1 (secp256k1), RFC 8037 2 (Ed25519, Ed448, X25519).
  const char* crv;
  KeyType kty;  // KeyType::EC (RFC 7518 6.2) or KeyType::OKP (RFC 8037 2)
  int nid;      // OpenSSL's NID
  // OpenSSL's name: the EC group (OSSL_PKEY_PARAM_GROUP_NAME) or the OKP
  // key type (EVP_PKEY_new_raw_public_key_ex).
  const char* openssl_name;
  // EC: the bytes of one coordinate, ceil(field bits / 8) (RFC 7518
  // 6.2.1.2: P-521 is 66). OKP: the bytes of the public key (RFC 8032
  // 5.1.5 and 5.2.5, RFC 7748 5).
  size_t bytes;
  int bits;  // Key::bits: EC the field size (256, 384, 521), OKP 255 or 448
  // What JOSE uses keys on the curve for in jwtgate: JWS signatures (the
  // ECDSA algorithm in |jws_alg|, or EdDSA) and ECDH-ES key agreement
  // (RFC 7518 4.6 names P-256, P-384 and P-521; RFC 8037 3.2 X25519).
  bool signing;
  bool key_agreement;
  // The one JWS algorithm of the curve: ES256, ES384, ES512 (RFC 7518 3.4),
  // ES256K (RFC 8812 3.2), EdDSA (RFC 8037 3.1, both Edwards curves);
  // Alg::Unknown where the curve does not sign.
  Alg jws_alg;
};

// Every row, for walking the table (tests).
std::span<const Curve> curves();

// The row of OpenSSL NID |nid|, or nullptr.
const Curve* curve_by_nid(int nid);
// The row whose "crv" is |crv| exactly (JOSE names are case-sensitive), of
// either key type, or nullptr. The names are one IANA registry ("JSON Web
// Key Elliptic Curve"), so a name is never both EC and OKP.
const Curve* curve_by_crv(std::string_view crv);
// The row of key type |kty| whose "crv" is |crv|, or nullptr.
const Curve* find_curve(KeyType kty, std::string_view crv);
// The EC row whose ECDSA algorithm is |alg| (ES256, ES384, ES512, ES256K),
// or nullptr for any other algorithm.
const Curve* curve_for_ecdsa(Alg alg);

}  // namespace jwtgate
