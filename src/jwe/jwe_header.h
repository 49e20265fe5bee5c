// The JOSE header of a JWE (RFC 7516 section 4): what the header rules read
// out of it, and the rules themselves. The same rules apply to a compact
// token's protected header and to the union of a JSON serialization's
// protected, shared unprotected and per-recipient headers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "jwe/jwe_algorithms.h"
#include "jwe/jwe_rules.h"
#include "token/token.h"

namespace jwtgate {

// An ECDH-ES ephemeral public key ("epk", RFC 7518 4.6.1.1): the curve and
// the coordinates as sent, each exactly the curve's coordinate size
// (X25519: x only, 32 bytes). Only its shape is checked here; whether it is
// a point of the curve is checked before any key agreement (ecdh_es.cpp).
struct EphemeralKey {
  int curve_nid = 0;  // NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1, NID_X25519
  size_t len = 0;     // coordinate bytes
  std::array<uint8_t, 66> x{};
  std::array<uint8_t, 66> y{};
};

// The longest apu or apv jwtgate takes, decoded (RFC 7518 4.6.1.2 sets no
// bound; producers put a name or a nonce there).
constexpr size_t kMaxPartyInfoBytes = 256;

struct JweHeader {
  std::string_view alg_name;  // "alg" as written
  std::string_view enc_name;  // "enc" as written
  KeyAlg alg = KeyAlg::Unknown;
  ContentEnc enc = ContentEnc::Unknown;
  std::string_view kid;
  bool has_kid = false;
  std::string_view typ;
  bool has_typ = false;
  std::string_view cty;
  bool has_cty = false;
  // ECDH-ES*: the ephemeral key and the party information (decoded).
  bool has_epk = false;
  EphemeralKey epk;
  std::array<uint8_t, kMaxPartyInfoBytes> apu{};
  size_t apu_len = 0;
  std::array<uint8_t, kMaxPartyInfoBytes> apv{};
  size_t apv_len = 0;
  // A*GCMKW: the IV and tag the CEK was wrapped with (RFC 7518 4.7.1).
  std::array<uint8_t, 12> kw_iv{};
  std::array<uint8_t, 16> kw_tag{};
};

// check_jwe_header applies the header rules, in this order, to the header
// made of |parts| (1 to 3 JSON objects whose member names must be disjoint:
// RFC 7516 7.2.1; a compact token has one):
//   "alg" and "enc" present and strings; alg not "none" in any spelling;
//   RSA1_5 and PBES2-* refused with their reason; alg and enc implemented
//   and allowed by |rules|; "zip" refused (no decompression: a compression
//   bomb costs nothing to send); "crit" checked as for JWS (RFC 7515
//   4.1.11: jwtgate understands no JWE extension, so any crit is refused);
//   "jwk", "jku", "x5u", "x5c" refused (a token never supplies the key it is
//   decrypted with; ECDH-ES's "epk" is the one key a header carries);
//   "kid", "typ", "cty" strings; for ECDH-ES*: "epk" an object holding a
//   public EC (P-256/384/521) or OKP (X25519) key of exact coordinate sizes
//   and no private member, "apu"/"apv" strict base64url of at most
//   kMaxPartyInfoBytes; "epk", "apu", "apv" refused with any other alg; for
//   A*GCMKW: "iv" (96 bits) and "tag" (128 bits) present, strict base64url;
//   "p2s"/"p2c" refused.
// Returns true with |out| filled; else false with |fail| set. Failures use
// the reasons of JWS header rules (ALG_MISSING, HEADER_INVALID,
// CRIT_UNSUPPORTED, EMBEDDED_KEY, DUPLICATE_MEMBER) and
// JWE_ALGORITHM_REFUSED for alg, enc and zip.
bool check_jwe_header(const simdjson::dom::object* parts, size_t part_count,
                      const JweHeaderRules& rules, JweHeader& out, ParseFailure& fail);

}  // namespace jwtgate
