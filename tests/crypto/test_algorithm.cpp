// JWS algorithm names and properties (RFC 7518 3, RFC 8037 3.1, RFC 8812 3.2).
#include <catch2/catch.hpp>

#include "crypto/algorithm.h"

using namespace jwtgate;

namespace {

struct Expected {
  const char* name;
  Alg alg;
  AlgFamily family;
  int hash_bytes;
  int coordinate_bytes;
};

constexpr Expected kTable[] = {
    {"HS256", Alg::HS256, AlgFamily::HMAC, 32, 0},      {"HS384", Alg::HS384, AlgFamily::HMAC, 48, 0},
    {"HS512", Alg::HS512, AlgFamily::HMAC, 64, 0},      {"RS256", Alg::RS256, AlgFamily::RSA_PKCS1, 32, 0},
    {"RS384", Alg::RS384, AlgFamily::RSA_PKCS1, 48, 0}, {"RS512", Alg::RS512, AlgFamily::RSA_PKCS1, 64, 0},
    {"PS256", Alg::PS256, AlgFamily::RSA_PSS, 32, 0},   {"PS384", Alg::PS384, AlgFamily::RSA_PSS, 48, 0},
    {"PS512", Alg::PS512, AlgFamily::RSA_PSS, 64, 0},   {"ES256", Alg::ES256, AlgFamily::ECDSA, 32, 32},
    {"ES384", Alg::ES384, AlgFamily::ECDSA, 48, 48},    {"ES512", Alg::ES512, AlgFamily::ECDSA, 64, 66},
    {"EdDSA", Alg::EdDSA, AlgFamily::EDDSA, 0, 0},      {"ES256K", Alg::ES256K, AlgFamily::ECDSA, 32, 32},
};

}  // namespace

TEST_CASE("every JWS algorithm maps both ways with its properties", "[crypto]") {
  STATIC_REQUIRE(sizeof(kTable) / sizeof(kTable[0]) == kAlgCount);
  for (const auto& e : kTable) {
    INFO(e.name);
    CHECK(alg_from_name(e.name) == e.alg);
    CHECK(alg_name(e.alg) == e.name);
    CHECK(alg_family(e.alg) == e.family);
    CHECK(alg_hash_bytes(e.alg) == e.hash_bytes);
    CHECK(alg_ecdsa_coordinate_bytes(e.alg) == e.coordinate_bytes);
  }
}

TEST_CASE("alg names are exact and case-sensitive (RFC 7515 4.1.1)", "[crypto]") {
  for (const char* name : {"hs256", "Hs256", "RS256 ", " RS256", "RS-256", "ES256k", "es256k", "ES256K ",
                           "ES521", "EDDSA", "eddsa", "Ed25519", "none", "None", ""}) {
    INFO(name);
    CHECK(alg_from_name(name) == Alg::Unknown);
  }
  // An embedded NUL must not truncate the comparison.
  CHECK(alg_from_name(std::string_view("HS256\0x", 7)) == Alg::Unknown);
  CHECK(alg_name(Alg::Unknown) == "unknown");
  CHECK(alg_hash_bytes(Alg::Unknown) == 0);
  CHECK(alg_ecdsa_coordinate_bytes(Alg::Unknown) == 0);
}

TEST_CASE("none is recognised in every letter case (RFC 7518 3.6)", "[crypto]") {
  for (const char* name : {"none", "NONE", "None", "nOnE", "NoNe"}) {
    INFO(name);
    CHECK(is_none_alg(name));
    CHECK(alg_from_name(name) == Alg::Unknown);
  }
  for (const char* name : {"", "non", "nonee", " none", "none ", "n0ne", "HS256"}) {
    INFO(name);
    CHECK_FALSE(is_none_alg(name));
  }
  CHECK_FALSE(is_none_alg(std::string_view("none\0", 5)));
}

TEST_CASE("AlgSet has one bit per algorithm", "[crypto]") {
  AlgSet all = 0;
  for (int i = 0; i < kAlgCount; ++i) {
    const AlgSet bit = alg_bit(static_cast<Alg>(i));
    CHECK((all & bit) == 0);
    all |= bit;
  }
  CHECK(all == kAllAlgs);
}
