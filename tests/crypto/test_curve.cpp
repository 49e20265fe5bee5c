// The curve table (crypto/curve.h): every row written out here once more,
// found both ways, and held to what OpenSSL says of each curve.
#include <catch2/catch.hpp>

#include <memory>
#include <string_view>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "crypto/algorithm.h"
#include "crypto/curve.h"

using namespace jwtgate;

namespace {

struct Expected {
  const char* crv;
  KeyType kty;
  int nid;
  const char* openssl_name;
  size_t bytes;
  int bits;
  bool signing;
  bool key_agreement;
  Alg jws_alg;
};

// RFC 7518 6.2.1.1 and 3.4, RFC 8812 3.1 and 3.2, RFC 8037 2 and 3.
constexpr Expected kExpected[] = {
    {"P-256", KeyType::EC, NID_X9_62_prime256v1, "P-256", 32, 256, true, true, Alg::ES256},
    {"P-384", KeyType::EC, NID_secp384r1, "P-384", 48, 384, true, true, Alg::ES384},
    {"P-521", KeyType::EC, NID_secp521r1, "P-521", 66, 521, true, true, Alg::ES512},
    {"secp256k1", KeyType::EC, NID_secp256k1, "secp256k1", 32, 256, true, false, Alg::ES256K},
    {"Ed25519", KeyType::OKP, NID_ED25519, "ED25519", 32, 255, true, false, Alg::EdDSA},
    {"Ed448", KeyType::OKP, NID_ED448, "ED448", 57, 448, true, false, Alg::EdDSA},
    {"X25519", KeyType::OKP, NID_X25519, "X25519", 32, 255, false, true, Alg::Unknown},
};

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct GroupFree { void operator()(EC_GROUP* g) const { EC_GROUP_free(g); } };

}  // namespace

TEST_CASE("every curve row holds its JOSE, OpenSSL and size facts", "[crypto]") {
  REQUIRE(curves().size() == std::size(kExpected));
  for (size_t i = 0; i < std::size(kExpected); ++i) {
    const Expected& e = kExpected[i];
    const Curve& c = curves()[i];
    INFO(e.crv);
    CHECK(std::string_view(c.crv) == e.crv);
    CHECK(c.kty == e.kty);
    CHECK(c.nid == e.nid);
    CHECK(std::string_view(c.openssl_name) == e.openssl_name);
    CHECK(c.bytes == e.bytes);
    CHECK(c.bits == e.bits);
    CHECK(c.signing == e.signing);
    CHECK(c.key_agreement == e.key_agreement);
    CHECK(c.jws_alg == e.jws_alg);
  }
}

TEST_CASE("every curve is found by its NID, its crv and its (kty, crv)", "[crypto]") {
  for (const Curve& c : curves()) {
    INFO(c.crv);
    CHECK(curve_by_nid(c.nid) == &c);
    CHECK(curve_by_crv(c.crv) == &c);
    CHECK(find_curve(c.kty, c.crv) == &c);
    // The other key type does not have the name.
    CHECK(find_curve(c.kty == KeyType::EC ? KeyType::OKP : KeyType::EC, c.crv) == nullptr);
    CHECK(find_curve(KeyType::RSA, c.crv) == nullptr);
    CHECK(find_curve(KeyType::Oct, c.crv) == nullptr);
  }
}

TEST_CASE("unknown curve names and NIDs find nothing", "[crypto]") {
  // JOSE names are case-sensitive and exact; OpenSSL's own names for the
  // NIST curves are not JOSE names; X448 and brainpool are not in the table.
  for (const char* crv : {"", "p-256", "P-256 ", " P-256", "P256", "prime256v1", "secp256r1",
                          "secp384r1", "ed25519", "ED25519", "x25519", "X448", "brainpoolP256r1",
                          "P-224"}) {
    INFO(crv);
    CHECK(curve_by_crv(crv) == nullptr);
    CHECK(find_curve(KeyType::EC, crv) == nullptr);
    CHECK(find_curve(KeyType::OKP, crv) == nullptr);
  }
  // A name with an embedded NUL is not the name before it.
  CHECK(curve_by_crv(std::string_view("P-256\0x", 7)) == nullptr);
  for (int nid : {NID_undef, NID_X448, NID_brainpoolP256r1, NID_secp224r1, NID_rsaEncryption, -1}) {
    INFO(nid);
    CHECK(curve_by_nid(nid) == nullptr);
  }
}

TEST_CASE("each ECDSA algorithm has one curve, each curve's algorithm matches the table", "[crypto]") {
  for (const Curve& c : curves()) {
    INFO(c.crv);
    if (c.kty == KeyType::EC) {
      // Every EC row signs with an ECDSA alg whose R and S are the coordinate size.
      REQUIRE(alg_family(c.jws_alg) == AlgFamily::ECDSA);
      CHECK(curve_for_ecdsa(c.jws_alg) == &c);
      CHECK(static_cast<size_t>(alg_ecdsa_coordinate_bytes(c.jws_alg)) == c.bytes);
    } else {
      CHECK(c.jws_alg == (c.signing ? Alg::EdDSA : Alg::Unknown));
    }
  }
  CHECK(std::string_view(curve_for_ecdsa(Alg::ES256)->crv) == "P-256");
  CHECK(std::string_view(curve_for_ecdsa(Alg::ES384)->crv) == "P-384");
  CHECK(std::string_view(curve_for_ecdsa(Alg::ES512)->crv) == "P-521");
  CHECK(std::string_view(curve_for_ecdsa(Alg::ES256K)->crv) == "secp256k1");
  for (Alg a : {Alg::HS256, Alg::RS256, Alg::PS512, Alg::EdDSA, Alg::Unknown}) {
    INFO(alg_name(a));
    CHECK(curve_for_ecdsa(a) == nullptr);
  }
}

TEST_CASE("the table's sizes and names are OpenSSL's", "[crypto]") {
  for (const Curve& c : curves()) {
    INFO(c.crv);
    if (c.kty == KeyType::EC) {
      // A coordinate is the field size rounded up to bytes (SEC 1 2.3.5).
      std::unique_ptr<EC_GROUP, GroupFree> group(EC_GROUP_new_by_curve_name(c.nid));
      REQUIRE(group);
      const int degree = EC_GROUP_get_degree(group.get());
      CHECK(degree == c.bits);
      CHECK(static_cast<size_t>((degree + 7) / 8) == c.bytes);
      // The OpenSSL name is a group OpenSSL makes keys on, and the key is
      // on the row's curve.
      std::unique_ptr<EVP_PKEY, PkeyFree> key(
          EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", c.openssl_name));
      REQUIRE(key);
      char name[64] = {0};
      size_t len = 0;
      REQUIRE(EVP_PKEY_get_group_name(key.get(), name, sizeof name, &len) == 1);
      CHECK(OBJ_txt2nid(name) == c.nid);
      CHECK(EVP_PKEY_get_bits(key.get()) == c.bits);
    } else {
      // The OpenSSL name is a key type; its raw public key is |bytes| long.
      std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKEY_Q_keygen(nullptr, nullptr, c.openssl_name));
      REQUIRE(key);
      CHECK(EVP_PKEY_get_base_id(key.get()) == c.nid);
      size_t len = 0;
      REQUIRE(EVP_PKEY_get_raw_public_key(key.get(), nullptr, &len) == 1);
      CHECK(len == c.bytes);
    }
  }
}
