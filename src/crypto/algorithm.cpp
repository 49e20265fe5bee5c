#include "crypto/algorithm.h"

#include <array>

#include "core/ascii.h"
#include "core/name_table.h"

namespace jwtgate {

namespace {

struct AlgInfo {
  std::string_view name;
  AlgFamily family;
  int hash_bytes;        // 0 for EdDSA: Ed25519/Ed448 hash internally (RFC 8032)
  int coordinate_bytes;  // ECDSA only: ceil(curve bits / 8)
};

// Indexed by Alg. RFC 7518 3.1 names the algorithms; 3.4 fixes the ECDSA
// coordinate sizes (P-521 is 66 bytes, not 65: 521 bits round up); RFC 8037
// 3.1 adds "EdDSA" for both Ed25519 and Ed448; RFC 8812 3.2 adds "ES256K",
// ECDSA on secp256k1 with SHA-256 and a 64-byte R || S.
constexpr std::array<AlgInfo, kAlgCount> kAlgs{{
    {"HS256", AlgFamily::HMAC, 32, 0},
    {"HS384", AlgFamily::HMAC, 48, 0},
    {"HS512", AlgFamily::HMAC, 64, 0},
    {"RS256", AlgFamily::RSA_PKCS1, 32, 0},
    {"RS384", AlgFamily::RSA_PKCS1, 48, 0},
    {"RS512", AlgFamily::RSA_PKCS1, 64, 0},
    {"PS256", AlgFamily::RSA_PSS, 32, 0},
    {"PS384", AlgFamily::RSA_PSS, 48, 0},
    {"PS512", AlgFamily::RSA_PSS, 64, 0},
    {"ES256", AlgFamily::ECDSA, 32, 32},
    {"ES384", AlgFamily::ECDSA, 48, 48},
    {"ES512", AlgFamily::ECDSA, 64, 66},
    {"EdDSA", AlgFamily::EDDSA, 0, 0},
    {"ES256K", AlgFamily::ECDSA, 32, 32},
}};

bool valid(Alg a) { return static_cast<int>(a) < kAlgCount; }

}  // namespace

Alg alg_from_name(std::string_view name) {
  // Exact, case-sensitive match: RFC 7515 4.1.1 makes "alg" a case-sensitive
  // string, so "hs256" is not HS256 (and must not become it).
  return find_by_name(kAlgs, name, Alg::Unknown);
}

std::string_view alg_name(Alg a) { return valid(a) ? kAlgs[static_cast<int>(a)].name : "unknown"; }

AlgFamily alg_family(Alg a) {
  // Unknown has no family. verify_signature and key_compatible refuse Unknown
  // before they ask, so the value returned for it is never acted upon.
  return valid(a) ? kAlgs[static_cast<int>(a)].family : AlgFamily::EDDSA;
}

int alg_hash_bytes(Alg a) { return valid(a) ? kAlgs[static_cast<int>(a)].hash_bytes : 0; }

int alg_ecdsa_coordinate_bytes(Alg a) {
  return valid(a) ? kAlgs[static_cast<int>(a)].coordinate_bytes : 0;
}

bool is_none_alg(std::string_view name) {
  // RFC 7518 3.6 defines "none"; any letter case is refused so that "NONE" or
  // "nOnE" cannot slip past a case-sensitive deny list.
  return ascii_iequals(name, "none");
}

}  // namespace jwtgate
