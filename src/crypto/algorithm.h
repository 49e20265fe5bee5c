// JWS algorithms (RFC 7518 section 3, RFC 8037, RFC 8812) and the key each one
// needs.
#pragma once

#include <cstdint>
#include <string_view>

namespace jwtgate {

enum class Alg : uint8_t {
  HS256, HS384, HS512,
  RS256, RS384, RS512,
  PS256, PS384, PS512,
  ES256, ES384, ES512,
  EdDSA,
  ES256K,  // RFC 8812 3.2; after EdDSA so that the bits of an AlgSet keep their values
  Count,
  Unknown = 0xff,
};

constexpr int kAlgCount = static_cast<int>(Alg::Count);

// AlgSet is a bit set of allowed algorithms.
using AlgSet = uint32_t;
constexpr AlgSet alg_bit(Alg a) { return AlgSet{1} << static_cast<int>(a); }
constexpr AlgSet kAllAlgs = (AlgSet{1} << kAlgCount) - 1;

enum class AlgFamily : uint8_t { HMAC, RSA_PKCS1, RSA_PSS, ECDSA, EDDSA };

// alg_from_name maps the exact, case-sensitive JWS name ("RS256") to Alg, or
// Alg::Unknown. "none" in any spelling is Unknown here: callers test
// is_none_alg first.
Alg alg_from_name(std::string_view name);
std::string_view alg_name(Alg a);
AlgFamily alg_family(Alg a);
// Hash output size in bytes (32, 48, 64); EdDSA returns 0.
int alg_hash_bytes(Alg a);
// For ES256/384/512/256K: the byte length of r (and of s): 32, 48, 66, 32.
int alg_ecdsa_coordinate_bytes(Alg a);
// is_none_alg returns true for "none" in any letter case (RFC 7518 3.6).
bool is_none_alg(std::string_view name);

}  // namespace jwtgate
