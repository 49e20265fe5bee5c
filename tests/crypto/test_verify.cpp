// Signature verification: round trips for every alg, the alg/key binding,
// and the malformed-signature cases a JWS verifier must refuse.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "encoding/base64url.h"
#include "keys/key_parsers.h"
#include "test_support.h"
#include "sign.h"

using namespace jwtgate;
using jwtgate_test::read_data;

namespace {

const std::string kInput = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0";

Key load_one(std::string_view rel) {
  std::vector<Key> keys;
  Diagnostics diag;
  const std::string data = read_data(rel);
  const bool ok = parse_keys_auto(data, keys, diag);
  INFO(rel << ": " << diag.text());
  REQUIRE(ok);
  REQUIRE(keys.size() == 1);
  return keys[0];
}

Key secret_key(const std::string& secret) {
  Key k;
  REQUIRE(make_secret_key(reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), k));
  return k;
}

std::string sign_pem(Alg alg, std::string_view private_rel, const std::string& input = kInput) {
  std::string sig;
  REQUIRE(sign_with_pem(alg, read_data(private_rel), input, sig));
  return sig;
}

std::string sign_secret(Alg alg, const std::string& secret, const std::string& input = kInput) {
  std::string sig;
  REQUIRE(sign_with_secret(alg, reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), input, sig));
  return sig;
}

bool verify(const Key& key, Alg alg, const std::string& sig, const std::string& input = kInput) {
  return verify_signature(key, alg, input, reinterpret_cast<const uint8_t*>(sig.data()), sig.size());
}

std::string hex_bytes(std::string_view hex) {
  const auto v = jwtgate_test::from_hex(hex);
  return std::string(v.begin(), v.end());
}

// A 64-byte secret: long enough for HS512 under the RFC 7518 3.2 floor.
const std::string kSecret64 = hex_bytes(
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

struct AsymCase {
  Alg alg;
  const char* private_pem;
  const char* public_pem;
  size_t sig_len;  // 0: RSA (modulus size)
};

const AsymCase kAsym[] = {
    {Alg::RS256, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::RS384, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::RS512, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::PS256, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::PS384, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::PS512, "data/keys/rsa2048.pem", "data/keys/rsa2048.pub.pem", 256},
    {Alg::ES256, "data/keys/ec256.pem", "data/keys/ec256.pub.pem", 64},
    {Alg::ES384, "data/keys/ec384.pem", "data/keys/ec384.pub.pem", 96},
    {Alg::ES512, "data/keys/ec521.pem", "data/keys/ec521.pub.pem", 132},
    {Alg::ES256K, "data/keys/ec256k.pem", "data/keys/ec256k.pub.pem", 64},  // RFC 8812 3.2
    {Alg::EdDSA, "data/keys/ed25519.pem", "data/keys/ed25519.pub.pem", 64},
    {Alg::EdDSA, "data/keys/ed448.pem", "data/keys/ed448.pub.pem", 114},
};

// The P-256 group order n (SEC 2 2.4.2).
const std::string kP256Order = hex_bytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
// The secp256k1 group order n (SEC 2 2.4.1).
const std::string kSecp256k1Order = hex_bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

// n - s for the 32-byte big-endian s and group order n: the other
// signature (r, n - s) that verifies for the same message and key.
std::string negate_s(const std::string& s, const std::string& order) {
  const auto u = [](const std::string& v) { return reinterpret_cast<const unsigned char*>(v.data()); };
  BIGNUM* bs = BN_bin2bn(u(s), static_cast<int>(s.size()), nullptr);
  BIGNUM* bn = BN_bin2bn(u(order), static_cast<int>(order.size()), nullptr);
  std::string out(s.size(), '\0');
  const bool ok = bs && bn && BN_sub(bn, bn, bs) == 1 &&
                  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) ==
                      static_cast<int>(out.size());
  BN_free(bs);
  BN_free(bn);
  REQUIRE(ok);
  return out;
}

}  // namespace

TEST_CASE("sign/verify round trip for every asymmetric alg", "[crypto]") {
  const KeyRules rules;
  for (const auto& c : kAsym) {
    INFO(alg_name(c.alg) << " " << c.public_pem);
    const Key key = load_one(c.public_pem);
    REQUIRE(key_compatible(key, c.alg, rules, nullptr));
    const std::string sig = sign_pem(c.alg, c.private_pem);
    CHECK(sig.size() == c.sig_len);
    CHECK(verify(key, c.alg, sig));

    // One flipped bit anywhere in the input or the signature fails.
    std::string input = kInput;
    input[5] ^= 1;
    CHECK_FALSE(verify(key, c.alg, sig, input));
    for (size_t pos : {size_t{0}, sig.size() / 2, sig.size() - 1}) {
      std::string bad = sig;
      bad[pos] ^= 0x01;
      CHECK_FALSE(verify(key, c.alg, bad));
    }
    // Empty input and an empty signature.
    CHECK_FALSE(verify(key, c.alg, sig, ""));
    CHECK_FALSE(verify(key, c.alg, ""));
    CHECK(ERR_peek_error() == 0);
  }
}

TEST_CASE("sign/verify round trip for HS256/384/512", "[crypto]") {
  const Key key = secret_key(kSecret64);
  for (Alg alg : {Alg::HS256, Alg::HS384, Alg::HS512}) {
    INFO(alg_name(alg));
    REQUIRE(key_compatible(key, alg, KeyRules{}, nullptr));
    const std::string sig = sign_secret(alg, kSecret64);
    CHECK(sig.size() == static_cast<size_t>(alg_hash_bytes(alg)));
    CHECK(verify(key, alg, sig));
    std::string bad = sig;
    bad.back() ^= 0x80;
    CHECK_FALSE(verify(key, alg, bad));
    CHECK_FALSE(verify(key, alg, sig, kInput + "."));
    CHECK_FALSE(verify(secret_key(kSecret64.substr(1)), alg, sig));
  }
}

TEST_CASE("RFC 4231 test case 2 through HS256/384/512", "[crypto]") {
  // RFC 4231 4.3: key "Jefe", data "what do ya want for nothing?". The key is
  // 32 bits, far below RFC 7518 3.2's floor: this checks the primitive only.
  const Key key = secret_key("Jefe");
  const std::string data = "what do ya want for nothing?";
  CHECK(verify(key, Alg::HS256, hex_bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), data));
  CHECK(verify(key, Alg::HS384,
               hex_bytes("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                         "8e2240ca5e69e2c78b3239ecfab21649"),
               data));
  CHECK(verify(key, Alg::HS512,
               hex_bytes("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
               data));
  CHECK_FALSE(key_compatible(key, Alg::HS256, KeyRules{}, nullptr));
}

TEST_CASE("a key from a certificate or DER verifies like the PEM public key", "[crypto]") {
  const std::string sig = sign_pem(Alg::RS256, "data/keys/rsa2048.pem");
  for (const char* rel : {"data/keys/rsa2048.cert.pem", "data/keys/rsa2048.cert.der", "data/keys/rsa2048.pub.der"}) {
    INFO(rel);
    CHECK(verify(load_one(rel), Alg::RS256, sig));
  }
}

TEST_CASE("a signature from another key of the same type fails", "[crypto]") {
  const Key other = load_one("data/keys/rsa2048b.pub.pem");
  CHECK_FALSE(verify(other, Alg::RS256, sign_pem(Alg::RS256, "data/keys/rsa2048.pem")));
  CHECK_FALSE(verify(other, Alg::PS256, sign_pem(Alg::PS256, "data/keys/rsa2048.pem")));
  CHECK(verify(other, Alg::RS256, sign_pem(Alg::RS256, "data/keys/rsa2048b.pem")));
}

TEST_CASE("RS and PS signatures are not interchangeable, nor are hash sizes", "[crypto]") {
  const Key key = load_one("data/keys/rsa2048.pub.pem");
  const std::string rs = sign_pem(Alg::RS256, "data/keys/rsa2048.pem");
  const std::string ps = sign_pem(Alg::PS256, "data/keys/rsa2048.pem");
  CHECK_FALSE(verify(key, Alg::PS256, rs));
  CHECK_FALSE(verify(key, Alg::RS256, ps));
  CHECK_FALSE(verify(key, Alg::RS384, rs));
  CHECK_FALSE(verify(key, Alg::PS512, ps));
  // PSS is randomised: two signatures differ and both verify.
  const std::string ps2 = sign_pem(Alg::PS256, "data/keys/rsa2048.pem");
  CHECK(ps != ps2);
  CHECK(verify(key, Alg::PS256, ps2));
  // The HS tag of the same input is no RS signature either.
  CHECK_FALSE(verify(key, Alg::RS256, sign_secret(Alg::HS256, kSecret64)));
}

TEST_CASE("PS256 with a salt length other than the hash length is refused (RFC 7518 3.5)", "[crypto]") {
  const Key key = load_one("data/keys/rsa2048.pub.pem");
  const std::string pem = read_data("data/keys/rsa2048.pem");
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(pkey != nullptr);
  for (int salt : {0, 20, 31, 33, 64, RSA_PSS_SALTLEN_MAX}) {
    INFO("salt length " << salt);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    REQUIRE(EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", nullptr, nullptr, pkey, nullptr) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) == 1);
    size_t len = 512;
    std::string sig(len, '\0');
    REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(kInput.data()), kInput.size()) == 1);
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    CHECK_FALSE(verify(key, Alg::PS256, sig));
  }
  EVP_PKEY_free(pkey);
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("alg/key binding: key_compatible refuses the wrong key for an alg", "[crypto]") {
  const KeyRules rules;
  const Key rsa = load_one("data/keys/rsa2048.pub.pem");
  const Key rsa1024 = load_one("data/keys/rsa1024.pub.pem");
  const Key ec256 = load_one("data/keys/ec256.pub.pem");
  const Key ec384 = load_one("data/keys/ec384.pub.pem");
  const Key ec521 = load_one("data/keys/ec521.pub.pem");
  const Key ed25519 = load_one("data/keys/ed25519.pub.pem");
  const Key ed448 = load_one("data/keys/ed448.pub.pem");
  const Key hmac = secret_key(kSecret64);
  std::string why;

  SECTION("HS256 with an RSA key") {
    CHECK_FALSE(key_compatible(rsa, Alg::HS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("is RSA 2048-bit") && Catch::Contains("HS256 needs a symmetric (oct) key"));
  }
  SECTION("RS256 with an EC key") {
    CHECK_FALSE(key_compatible(ec256, Alg::RS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("EC P-256") && Catch::Contains("RS256 needs an RSA key"));
    CHECK_FALSE(key_compatible(hmac, Alg::PS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("PS256 needs an RSA key"));
  }
  SECTION("ES256 with a P-384 key, ES512 with a P-256 key") {
    CHECK_FALSE(key_compatible(ec384, Alg::ES256, rules, &why));
    CHECK_THAT(why, Catch::Contains("is EC P-384") && Catch::Contains("ES256 needs an EC P-256 key"));
    CHECK_FALSE(key_compatible(ec256, Alg::ES512, rules, &why));
    CHECK_THAT(why, Catch::Contains("ES512 needs an EC P-521 key"));
    CHECK_FALSE(key_compatible(ec521, Alg::ES384, rules, &why));
    CHECK_FALSE(key_compatible(rsa, Alg::ES256, rules, &why));
    CHECK(key_compatible(ec256, Alg::ES256, rules, nullptr));
    CHECK(key_compatible(ec384, Alg::ES384, rules, nullptr));
    CHECK(key_compatible(ec521, Alg::ES512, rules, nullptr));
  }
  SECTION("ES256K only with a secp256k1 key, ES256 never with one (RFC 8812 3.2)") {
    // ES256 and ES256K both hash with SHA-256 into 64-byte signatures: the
    // curve alone keeps one from standing in for the other.
    const Key ec256k = load_one("data/keys/ec256k.pub.pem");
    CHECK(ec256k.type == KeyType::EC);
    CHECK(ec256k.bits == 256);
    CHECK(ec256k.curve_nid == NID_secp256k1);
    CHECK(key_compatible(ec256k, Alg::ES256K, rules, nullptr));
    CHECK_FALSE(key_compatible(ec256, Alg::ES256K, rules, &why));
    CHECK_THAT(why, Catch::EndsWith(" is EC P-256; ES256K needs an EC secp256k1 key (RFC 8812 3.2)"));
    CHECK_FALSE(key_compatible(ec256k, Alg::ES256, rules, &why));
    CHECK_THAT(why, Catch::EndsWith(" is EC secp256k1; ES256 needs an EC P-256 key (RFC 7518 3.4)"));
    CHECK_FALSE(key_compatible(ec256k, Alg::ES384, rules, &why));
    CHECK_THAT(why, Catch::EndsWith(" is EC secp256k1; ES384 needs an EC P-384 key (RFC 7518 3.4)"));
    CHECK_FALSE(key_compatible(ec384, Alg::ES256K, rules, &why));
    CHECK_THAT(why, Catch::EndsWith(" is EC P-384; ES256K needs an EC secp256k1 key (RFC 8812 3.2)"));
    CHECK_FALSE(key_compatible(rsa, Alg::ES256K, rules, &why));
    CHECK_THAT(why, Catch::EndsWith(" is RSA 2048-bit; ES256K needs an EC secp256k1 key"));
    CHECK_FALSE(key_compatible(hmac, Alg::ES256K, rules, &why));
    CHECK_FALSE(key_compatible(ed25519, Alg::ES256K, rules, &why));
    CHECK_FALSE(key_compatible(ec256k, Alg::EdDSA, rules, &why));
    CHECK_FALSE(key_compatible(ec256k, Alg::HS256, rules, &why));
    CHECK_FALSE(key_compatible(ec256k, Alg::RS256, rules, &why));
  }
  SECTION("EdDSA only with OKP Ed25519/Ed448") {
    CHECK_FALSE(key_compatible(rsa, Alg::EdDSA, rules, &why));
    CHECK_THAT(why, Catch::Contains("EdDSA needs an OKP Ed25519 or Ed448 key"));
    CHECK_FALSE(key_compatible(ec256, Alg::EdDSA, rules, &why));
    CHECK_FALSE(key_compatible(hmac, Alg::EdDSA, rules, &why));
    CHECK(key_compatible(ed25519, Alg::EdDSA, rules, nullptr));
    CHECK(key_compatible(ed448, Alg::EdDSA, rules, nullptr));
    CHECK_FALSE(key_compatible(ed25519, Alg::ES256, rules, &why));
    CHECK_FALSE(key_compatible(ed448, Alg::HS256, rules, &why));
  }
  SECTION("RSA-1024 under the 2048-bit floor, accepted with floor 1024") {
    CHECK_FALSE(key_compatible(rsa1024, Alg::RS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("RSA 1024-bit") && Catch::Contains("at least 2048 bits"));
    KeyRules low;
    low.min_rsa_bits = 1024;
    CHECK(key_compatible(rsa1024, Alg::RS256, low, nullptr));
    CHECK(key_compatible(rsa1024, Alg::PS512, low, nullptr));
    CHECK(verify(rsa1024, Alg::RS256, sign_pem(Alg::RS256, "data/keys/rsa1024.pem")));
    KeyRules high;
    high.min_rsa_bits = 3072;
    CHECK_FALSE(key_compatible(rsa, Alg::RS256, high, &why));
  }
  SECTION("HMAC key shorter than the hash: refused by default, accepted with min_hmac_bits=128") {
    const Key k128 = secret_key(kSecret64.substr(0, 16));
    CHECK_FALSE(key_compatible(k128, Alg::HS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("128-bit") && Catch::Contains("at least 256 bits") &&
                        Catch::Contains("RFC 7518 3.2"));
    KeyRules apim;
    apim.min_hmac_bits = 128;
    CHECK(key_compatible(k128, Alg::HS256, apim, nullptr));
    CHECK(key_compatible(k128, Alg::HS512, apim, nullptr));
    apim.min_hmac_bits = 136;
    CHECK_FALSE(key_compatible(k128, Alg::HS256, apim, &why));
    CHECK_THAT(why, Catch::Contains("policy's floor"));
    // The default floor follows the hash: 32 bytes suffice for HS256, not HS384.
    const Key k256 = secret_key(kSecret64.substr(0, 32));
    CHECK(key_compatible(k256, Alg::HS256, rules, nullptr));
    CHECK_FALSE(key_compatible(k256, Alg::HS384, rules, &why));
    CHECK(key_compatible(hmac, Alg::HS512, rules, nullptr));
    CHECK_FALSE(key_compatible(hmac, Alg::RS256, rules, &why));
  }
  SECTION("a JWK alg restricts the key to that alg") {
    Key k = rsa;
    k.alg = "RS256";
    k.kid = "abc";
    k.has_kid = true;
    CHECK(key_compatible(k, Alg::RS256, rules, nullptr));
    CHECK_FALSE(key_compatible(k, Alg::PS256, rules, &why));
    CHECK(why == "key kid \"abc\" is for alg RS256 only (its JWK \"alg\"); the token uses PS256");
    k.alg = "RSA-OAEP";
    CHECK_FALSE(key_compatible(k, Alg::RS256, rules, &why));
  }
  SECTION("use must be sig when present") {
    Key k = ec256;
    k.use = "enc";
    CHECK_FALSE(key_compatible(k, Alg::ES256, rules, &why));
    CHECK_THAT(why, Catch::Contains("use \"enc\""));
    k.use = "sig";
    CHECK(key_compatible(k, Alg::ES256, rules, nullptr));
  }
  SECTION("key_ops must include verify when present") {
    Key k = ed25519;
    k.has_key_ops = true;
    k.key_ops_verify = false;
    CHECK_FALSE(key_compatible(k, Alg::EdDSA, rules, &why));
    CHECK_THAT(why, Catch::Contains("key_ops without \"verify\""));
    k.key_ops_verify = true;
    CHECK(key_compatible(k, Alg::EdDSA, rules, nullptr));
  }
  SECTION("the message names the key by kid, else by origin") {
    Key k = rsa;
    k.kid = "abc";
    k.has_kid = true;
    CHECK_FALSE(key_compatible(k, Alg::HS256, rules, &why));
    CHECK(why == "key kid \"abc\" is RSA 2048-bit; HS256 needs a symmetric (oct) key");
    CHECK_FALSE(key_compatible(rsa, Alg::HS256, rules, &why));
    CHECK_THAT(why, Catch::StartsWith("key from PEM block #1 (PUBLIC KEY) is RSA"));
  }
  SECTION("unknown alg and empty key") {
    CHECK_FALSE(key_compatible(rsa, Alg::Unknown, rules, &why));
    CHECK_FALSE(key_compatible(Key{}, Alg::HS256, rules, &why));
    CHECK_THAT(why, Catch::Contains("no key material"));
  }
}

TEST_CASE("verify_signature fails closed when the key does not fit the alg", "[crypto]") {
  const Key rsa = load_one("data/keys/rsa2048.pub.pem");
  const Key ec256 = load_one("data/keys/ec256.pub.pem");
  const Key hmac = secret_key(kSecret64);
  const std::string es = sign_pem(Alg::ES256, "data/keys/ec256.pem");
  CHECK_FALSE(verify(rsa, Alg::ES256, es));
  CHECK_FALSE(verify(hmac, Alg::ES256, es));
  CHECK_FALSE(verify(ec256, Alg::ES384, es));
  CHECK_FALSE(verify(ec256, Alg::ES256K, es));
  CHECK_FALSE(verify(ec256, Alg::EdDSA, es));
  // Same hash, same signature length: a secp256k1 key has no ES256 context
  // and a P-256 key none for ES256K, so neither verifies the other's alg.
  const Key ec256k = load_one("data/keys/ec256k.pub.pem");
  const std::string es256k = sign_pem(Alg::ES256K, "data/keys/ec256k.pem");
  CHECK(verify(ec256k, Alg::ES256K, es256k));
  CHECK_FALSE(verify(ec256k, Alg::ES256, es256k));
  CHECK_FALSE(verify(ec256k, Alg::ES256, es));
  CHECK_FALSE(verify(ec256, Alg::HS256, sign_secret(Alg::HS256, kSecret64)));
  CHECK_FALSE(verify(ec256, Alg::Unknown, es));
  CHECK_FALSE(verify(Key{}, Alg::ES256, es));
  CHECK_FALSE(verify_signature(ec256, Alg::ES256, kInput, nullptr, 64));
  const Key ed448 = load_one("data/keys/ed448.pub.pem");
  CHECK_FALSE(verify(ed448, Alg::EdDSA, sign_pem(Alg::EdDSA, "data/keys/ed25519.pem")));
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("symmetric confusion: HS256 keyed with the RSA public key's bytes fails", "[crypto]") {
  // The classic attack: the verifier holds an RSA public key; the attacker
  // signs HS256 with the public key's PEM (or DER) bytes as the HMAC secret.
  const Key rsa = load_one("data/keys/rsa2048.pub.pem");
  for (const char* rel : {"data/keys/rsa2048.pub.pem", "data/keys/rsa2048.pub.der", "data/keys/rsa2048.cert.pem"}) {
    INFO(rel);
    const std::string forged = sign_secret(Alg::HS256, read_data(rel));
    std::string why;
    CHECK_FALSE(key_compatible(rsa, Alg::HS256, KeyRules{}, &why));
    CHECK_FALSE(verify(rsa, Alg::HS256, forged));
    CHECK_FALSE(verify(rsa, Alg::RS256, forged));
    // Even a key set that also holds the same bytes as an oct key would be a
    // configuration error, but the RSA key itself never acts as a secret.
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("ECDSA: out-of-range r and s are refused", "[crypto]") {
  const Key key = load_one("data/keys/ec256.pub.pem");
  const std::string good = sign_pem(Alg::ES256, "data/keys/ec256.pem");
  REQUIRE(verify(key, Alg::ES256, good));
  const std::string r = good.substr(0, 32);
  const std::string s = good.substr(32);
  const std::string zero(32, '\0');
  const std::string ff(32, '\xff');
  std::string n_plus_1 = kP256Order;
  n_plus_1.back() = static_cast<char>(n_plus_1.back() + 1);

  CHECK_FALSE(verify(key, Alg::ES256, zero + s));           // r = 0
  CHECK_FALSE(verify(key, Alg::ES256, r + zero));           // s = 0
  CHECK_FALSE(verify(key, Alg::ES256, zero + zero));        // r = s = 0 (CVE-2022-21449)
  CHECK_FALSE(verify(key, Alg::ES256, kP256Order + s));     // r = n
  CHECK_FALSE(verify(key, Alg::ES256, r + kP256Order));     // s = n
  CHECK_FALSE(verify(key, Alg::ES256, kP256Order + kP256Order));
  CHECK_FALSE(verify(key, Alg::ES256, n_plus_1 + s));       // r = n + 1
  CHECK_FALSE(verify(key, Alg::ES256, ff + s));             // r = 2^256 - 1
  CHECK_FALSE(verify(key, Alg::ES256, r + ff));

  // The same bounds on secp256k1, whose order differs from P-256's.
  const Key k1 = load_one("data/keys/ec256k.pub.pem");
  const std::string good_k1 = sign_pem(Alg::ES256K, "data/keys/ec256k.pem");
  REQUIRE(verify(k1, Alg::ES256K, good_k1));
  const std::string r1 = good_k1.substr(0, 32);
  const std::string s1 = good_k1.substr(32);
  CHECK_FALSE(verify(k1, Alg::ES256K, zero + s1));
  CHECK_FALSE(verify(k1, Alg::ES256K, r1 + zero));
  CHECK_FALSE(verify(k1, Alg::ES256K, zero + zero));
  CHECK_FALSE(verify(k1, Alg::ES256K, kSecp256k1Order + s1));
  CHECK_FALSE(verify(k1, Alg::ES256K, r1 + kSecp256k1Order));
  CHECK_FALSE(verify(k1, Alg::ES256K, r1 + ff));
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("ECDSA: a high-S signature verifies for ES256 and ES256K alike", "[crypto]") {
  // RFC 7518 3.4 and RFC 8812 3.2 take any s in [1, n-1]; neither asks for
  // the low-S form some blockchains impose on secp256k1. (r, n - s) is then
  // a second valid signature of the same message, as it is for ES256: one
  // rule for every ECDSA alg, and no token is refused that a conforming
  // signer (PyJWT, jose, OpenSSL) may emit.
  struct Case { Alg alg; const char* priv; const char* pub; const std::string* order; };
  const Case cases[] = {
      {Alg::ES256, "data/keys/ec256.pem", "data/keys/ec256.pub.pem", &kP256Order},
      {Alg::ES256K, "data/keys/ec256k.pem", "data/keys/ec256k.pub.pem", &kSecp256k1Order},
  };
  for (const auto& c : cases) {
    INFO(alg_name(c.alg));
    const Key key = load_one(c.pub);
    const std::string sig = sign_pem(c.alg, c.priv);
    const std::string other = sig.substr(0, 32) + negate_s(sig.substr(32), *c.order);
    REQUIRE(other != sig);
    CHECK(verify(key, c.alg, sig));
    CHECK(verify(key, c.alg, other));
    // Negating s is no licence to change anything else.
    std::string bad = other;
    bad[0] ^= 0x01;
    CHECK_FALSE(verify(key, c.alg, bad));
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("ECDSA: only raw r||s of exactly twice the coordinate size", "[crypto]") {
  struct Case { Alg alg; const char* priv; const char* pub; std::vector<size_t> bad_lengths; };
  const Case cases[] = {
      {Alg::ES256, "data/keys/ec256.pem", "data/keys/ec256.pub.pem", {0, 1, 32, 63, 65, 66, 70, 72, 96, 128, 16384}},
      {Alg::ES384, "data/keys/ec384.pem", "data/keys/ec384.pub.pem", {0, 64, 95, 97, 104, 132, 16384}},
      {Alg::ES512, "data/keys/ec521.pem", "data/keys/ec521.pub.pem", {0, 128, 130, 131, 133, 134, 139, 16384}},
      {Alg::ES256K, "data/keys/ec256k.pem", "data/keys/ec256k.pub.pem", {0, 1, 32, 63, 65, 66, 70, 72, 96, 16384}},
  };
  for (const auto& c : cases) {
    INFO(alg_name(c.alg));
    const Key key = load_one(c.pub);
    const std::string good = sign_pem(c.alg, c.priv);
    REQUIRE(verify(key, c.alg, good));
    for (size_t len : c.bad_lengths) {
      INFO("length " << len);
      // Truncated, zero-extended on the right, and zero-extended on the left.
      std::string sig = good;
      sig.resize(len, '\0');
      CHECK_FALSE(verify(key, c.alg, sig));
      if (len > good.size()) CHECK_FALSE(verify(key, c.alg, std::string(len - good.size(), '\0') + good));
    }
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("ECDSA: a DER-encoded signature is refused", "[crypto]") {
  for (Alg alg : {Alg::ES256, Alg::ES384, Alg::ES512, Alg::ES256K}) {
    INFO(alg_name(alg));
    const char* priv = alg == Alg::ES256 ? "data/keys/ec256.pem" : alg == Alg::ES384 ? "data/keys/ec384.pem" : alg == Alg::ES512 ? "data/keys/ec521.pem" : "data/keys/ec256k.pem";
    const char* pub = alg == Alg::ES256 ? "data/keys/ec256.pub.pem" : alg == Alg::ES384 ? "data/keys/ec384.pub.pem" : alg == Alg::ES512 ? "data/keys/ec521.pub.pem" : "data/keys/ec256k.pub.pem";
    const Key key = load_one(pub);
    const std::string raw = sign_pem(alg, priv);
    const size_t half = raw.size() / 2;
    ECDSA_SIG* es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(half), nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + half, static_cast<int>(half), nullptr));
    unsigned char* der = nullptr;
    const int der_len = i2d_ECDSA_SIG(es, &der);
    REQUIRE(der_len > 0);
    const std::string der_sig(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    CHECK(verify(key, alg, raw));
    CHECK_FALSE(verify(key, alg, der_sig));
    // Cut or zero-padded to the raw length, DER is no valid r||s either.
    std::string resized = der_sig;
    resized.resize(raw.size(), '\0');
    CHECK_FALSE(verify(key, alg, resized));
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("HMAC: truncated, extended or other-hash tags are refused", "[crypto]") {
  const Key key = secret_key(kSecret64);
  const std::string tag = sign_secret(Alg::HS256, kSecret64);
  REQUIRE(verify(key, Alg::HS256, tag));
  CHECK_FALSE(verify(key, Alg::HS256, tag.substr(0, 16)));  // truncated to 128 bits
  CHECK_FALSE(verify(key, Alg::HS256, tag.substr(0, 31)));
  CHECK_FALSE(verify(key, Alg::HS256, tag + '\0'));
  CHECK_FALSE(verify(key, Alg::HS256, ""));
  CHECK_FALSE(verify(key, Alg::HS384, tag));
  const std::string tag512 = sign_secret(Alg::HS512, kSecret64);
  CHECK_FALSE(verify(key, Alg::HS512, tag512.substr(0, 32)));
  CHECK_FALSE(verify(key, Alg::HS256, tag512.substr(0, 32)));
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("EdDSA: wrong-length signatures are refused", "[crypto]") {
  const Key ed25519 = load_one("data/keys/ed25519.pub.pem");
  const std::string sig = sign_pem(Alg::EdDSA, "data/keys/ed25519.pem");
  REQUIRE(verify(ed25519, Alg::EdDSA, sig));
  CHECK_FALSE(verify(ed25519, Alg::EdDSA, sig.substr(0, 63)));
  CHECK_FALSE(verify(ed25519, Alg::EdDSA, sig + '\0'));
  CHECK_FALSE(verify(ed25519, Alg::EdDSA, std::string(64, '\0')));
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("the OpenSSL error queue is empty after failed verifications", "[crypto]") {
  const Key rsa = load_one("data/keys/rsa2048.pub.pem");
  const Key ec = load_one("data/keys/ec256.pub.pem");
  const Key ed = load_one("data/keys/ed25519.pub.pem");
  const Key hmac = secret_key(kSecret64);
  ERR_clear_error();
  // Garbage of the right length reaches OpenSSL's primitive and fails there,
  // which is where errors get queued.
  CHECK_FALSE(verify(rsa, Alg::RS256, std::string(256, '\x5a')));
  CHECK(ERR_peek_error() == 0);
  CHECK_FALSE(verify(rsa, Alg::PS384, std::string(256, '\x01')));
  CHECK(ERR_peek_error() == 0);
  CHECK_FALSE(verify(rsa, Alg::RS256, std::string(256, '\xff')));  // >= n
  CHECK(ERR_peek_error() == 0);
  CHECK_FALSE(verify(ec, Alg::ES256, std::string(64, '\x01')));
  CHECK(ERR_peek_error() == 0);
  CHECK_FALSE(verify(ed, Alg::EdDSA, std::string(64, '\xff')));
  CHECK(ERR_peek_error() == 0);
  CHECK_FALSE(verify(hmac, Alg::HS256, std::string(32, '\0')));
  CHECK(ERR_peek_error() == 0);
  // An error left by someone else before the call is gone afterwards too.
  ERR_raise(ERR_LIB_EVP, ERR_R_PASSED_INVALID_ARGUMENT);
  CHECK_FALSE(verify(ec, Alg::ES256, std::string(64, '\x02')));
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("verification is thread-safe on shared keys", "[crypto]") {
  struct Item { Key key; Alg alg; std::string sig; };
  std::vector<Item> items;
  items.push_back({load_one("data/keys/rsa2048.pub.pem"), Alg::RS256, sign_pem(Alg::RS256, "data/keys/rsa2048.pem")});
  items.push_back({load_one("data/keys/rsa2048.pub.pem"), Alg::PS256, sign_pem(Alg::PS256, "data/keys/rsa2048.pem")});
  items.push_back({load_one("data/keys/ec256.pub.pem"), Alg::ES256, sign_pem(Alg::ES256, "data/keys/ec256.pem")});
  items.push_back({load_one("data/keys/ed25519.pub.pem"), Alg::EdDSA, sign_pem(Alg::EdDSA, "data/keys/ed25519.pem")});
  items.push_back({secret_key(kSecret64), Alg::HS256, sign_secret(Alg::HS256, kSecret64)});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&items, &failures, t] {
      for (int i = 0; i < 50; ++i) {
        for (const auto& it : items) {
          if (!verify(it.key, it.alg, it.sig)) ++failures;
          std::string bad = it.sig;
          bad[static_cast<size_t>(i + t) % bad.size()] ^= 0x10;
          if (verify(it.key, it.alg, bad)) ++failures;
          if (ERR_peek_error() != 0) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures.load() == 0);
}

TEST_CASE("sign_with_pem and sign_with_secret refuse mismatched inputs", "[crypto]") {
  std::string sig;
  const std::string rsa = read_data("data/keys/rsa2048.pem");
  CHECK_FALSE(sign_with_pem(Alg::ES256, rsa, kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::HS256, rsa, kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::ES384, read_data("data/keys/ec256.pem"), kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::ES256K, read_data("data/keys/ec256.pem"), kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::ES256, read_data("data/keys/ec256k.pem"), kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pub.pem"), kInput, sig));
  CHECK_FALSE(sign_with_pem(Alg::RS256, "not a pem", kInput, sig));
  CHECK_FALSE(sign_with_secret(Alg::RS256, reinterpret_cast<const uint8_t*>("k"), 1, kInput, sig));
  CHECK_FALSE(sign_with_secret(Alg::HS256, nullptr, 0, kInput, sig));
  CHECK(ERR_peek_error() == 0);
}
