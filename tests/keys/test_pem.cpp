// PEM (RFC 7468) and DER public keys and certificates.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/key_material.h"
#include "encoding/base64url.h"
#include "keys/key_parsers.h"
#include "parsed_keys.h"
#include "test_support.h"
#include "sign.h"

using namespace jwtgate;
using jwtgate_test::read_data;

namespace {

using Parsed = jwtgate_test::ParsedKeys;

Parsed pem(const std::string& text) {
  Parsed p;
  p.ok = parse_pem(text, p.keys, p.diag);
  return p;
}

std::string pem_block(const std::string& label, const std::string& der) {
  const std::string b64 = base64_encode(reinterpret_cast<const uint8_t*>(der.data()), der.size());
  std::string out = "-----BEGIN " + label + "-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + label + "-----\n";
}

std::string der_of(EVP_PKEY* pkey) {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(pkey, &buf);
  REQUIRE(len > 0);
  std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return der;
}

EVP_PKEY* read_public(const std::string& rel) {
  const std::string text = read_data(rel);
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(pkey != nullptr);
  return pkey;
}

}  // namespace

TEST_CASE("PEM public keys of every supported type", "[keys]") {
  struct Case { const char* rel; KeyType type; int bits; int nid; };
  for (const Case& c : {Case{"data/keys/rsa2048.pub.pem", KeyType::RSA, 2048, 0},
                        Case{"data/keys/rsa2048b.pub.pem", KeyType::RSA, 2048, 0},
                        Case{"data/keys/rsa1024.pub.pem", KeyType::RSA, 1024, 0},
                        Case{"data/keys/ec256.pub.pem", KeyType::EC, 256, NID_X9_62_prime256v1},
                        Case{"data/keys/ec384.pub.pem", KeyType::EC, 384, NID_secp384r1},
                        Case{"data/keys/ec521.pub.pem", KeyType::EC, 521, NID_secp521r1},
                        Case{"data/keys/ec256k.pub.pem", KeyType::EC, 256, NID_secp256k1},
                        Case{"data/keys/ed25519.pub.pem", KeyType::OKP, 255, NID_ED25519},
                        Case{"data/keys/ed448.pub.pem", KeyType::OKP, 448, NID_ED448}}) {
    INFO(c.rel);
    const auto p = pem(read_data(c.rel));
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 1);
    const Key& k = p.keys[0];
    CHECK(k.type == c.type);
    CHECK(k.bits == c.bits);
    CHECK(k.curve_nid == c.nid);
    CHECK_FALSE(k.has_kid);
    CHECK(k.origin == "PEM block #1 (PUBLIC KEY)");
    CHECK(k.material);
    CHECK(p.diag.empty());
  }
}

TEST_CASE("PEM certificate: the key of the certificate, named by subject", "[keys]") {
  const auto p = pem(read_data("data/keys/rsa2048.cert.pem"));
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 1);
  CHECK(p.keys[0].type == KeyType::RSA);
  CHECK(p.keys[0].origin == "PEM block #1 (CERTIFICATE) (CN=jwtgate-test)");
  std::string sig;
  REQUIRE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pem"), "a.b", sig));
  CHECK(verify_signature(p.keys[0], Alg::RS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
}

TEST_CASE("several PEM blocks, with text around them, give several keys", "[keys]") {
  const std::string text = "Bag Attributes: something\nsubject=CN = test\n" + read_data("data/keys/rsa2048.pub.pem") +
                           "\r\ncomment between blocks\r\n" + read_data("data/keys/rsa2048.cert.pem") +
                           read_data("data/keys/ec256.pub.pem") + "trailing text";
  const auto p = pem(text);
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 3);
  CHECK(p.keys[0].origin == "PEM block #1 (PUBLIC KEY)");
  CHECK(p.keys[1].origin == "PEM block #2 (CERTIFICATE) (CN=jwtgate-test)");
  CHECK(p.keys[2].origin == "PEM block #3 (PUBLIC KEY)");
  CHECK(p.keys[2].type == KeyType::EC);
}

TEST_CASE("PEM RSA PUBLIC KEY (PKCS#1 RSAPublicKey)", "[keys]") {
  EVP_PKEY* pkey = read_public("data/keys/rsa2048.pub.pem");
  unsigned char* buf = nullptr;
  const int len = i2d_PublicKey(pkey, &buf);  // RSAPublicKey for an RSA key
  REQUIRE(len > 0);
  const std::string pkcs1(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  EVP_PKEY_free(pkey);
  const auto p = pem(pem_block("RSA PUBLIC KEY", pkcs1));
  INFO(p.diag.text());
  REQUIRE(p.ok);
  CHECK(p.keys[0].bits == 2048);
  CHECK(p.keys[0].origin == "PEM block #1 (RSA PUBLIC KEY)");
  // A SubjectPublicKeyInfo under the PKCS#1 label (or the reverse) is refused.
  CHECK_FALSE(pem(pem_block("RSA PUBLIC KEY", read_data("data/keys/rsa2048.pub.der"))).ok);
  CHECK_FALSE(pem(pem_block("PUBLIC KEY", pkcs1)).ok);
}

TEST_CASE("private keys are refused with a clear message", "[keys]") {
  for (const char* rel : {"data/keys/rsa2048.pem", "data/keys/ec256.pem", "data/keys/ed25519.pem", "data/keys/ed448.pem"}) {
    INFO(rel);
    const auto p = pem(read_data(rel));
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.error_has("PEM block #1 (PRIVATE KEY): a private key was given; a token verifier must hold only public keys"));
  }
  for (const char* label : {"RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"}) {
    INFO(label);
    const auto p = pem(pem_block(label, "\x30\x03\x02\x01\x00"));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("a private key was given"));
  }
  // A bundle with a public key and a private key loads nothing.
  std::vector<Key> out;
  Diagnostics diag;
  CHECK_FALSE(parse_pem(read_data("data/keys/rsa2048.pub.pem") + read_data("data/keys/rsa2048.pem"), out, diag));
  CHECK(out.empty());
  CHECK_THAT(diag.text(), Catch::Contains("PEM block #2 (PRIVATE KEY)"));
}

TEST_CASE("malformed PEM is refused", "[keys]") {
  const std::string good = read_data("data/keys/ec256.pub.pem");
  struct Case { const char* name; std::string text; const char* message; };
  std::string bad_b64 = good;
  bad_b64[40] = '*';
  std::string truncated = good.substr(0, good.find("-----END"));
  const std::vector<Case> cases = {
      {"no block", "just text", "no PEM block"},
      {"empty", "", "no PEM block"},
      {"no END line", truncated, "no matching \"-----END PUBLIC KEY-----\" line"},
      {"END of another label", truncated + "-----END CERTIFICATE-----\n", "no matching"},
      {"BEGIN line not closed", "-----BEGIN PUBLIC KEY\nAAAA\n-----END PUBLIC KEY-----\n", "BEGIN line is not closed"},
      {"bad base64", bad_b64, "not valid base64"},
      {"unpadded base64", "-----BEGIN PUBLIC KEY-----\nAAAAA\n-----END PUBLIC KEY-----\n", "not valid base64"},
      {"empty body", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", "not valid base64"},
      {"unsupported label", pem_block("EC PARAMETERS", "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07"), "unsupported PEM block"},
      {"encryption headers", "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,ENCRYPTED\n\n" + good.substr(27), "has headers"},
      {"garbage DER", pem_block("PUBLIC KEY", "\x30\x03\x02\x01\x00"), "not a DER SubjectPublicKeyInfo"},
      {"trailing DER bytes", pem_block("PUBLIC KEY", read_data("data/keys/rsa2048.pub.der") + std::string(1, '\0')), "trailing bytes"},
      {"garbage certificate", pem_block("CERTIFICATE", "\x30\x03\x02\x01\x00"), "not a DER X.509 certificate"},
      {"one good, one bad", good + bad_b64, "PEM block #2 (PUBLIC KEY): the body is not valid base64"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto p = pem(c.text);
    INFO(p.diag.text());
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.error_has(c.message));
    CHECK(ERR_peek_error() == 0);
  }
}

TEST_CASE("keys that cannot verify JWS are refused at load", "[keys]") {
  SECTION("X25519 (key agreement)") {
    EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
    REQUIRE(k != nullptr);
    const auto p = pem(pem_block("PUBLIC KEY", der_of(k)));
    EVP_PKEY_free(k);
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("X25519/X448 keys are for key agreement"));
  }
  SECTION("RSASSA-PSS-restricted key") {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr);
    REQUIRE(ctx != nullptr);
    REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 1024) == 1);
    EVP_PKEY* k = nullptr;
    REQUIRE(EVP_PKEY_generate(ctx, &k) == 1);
    EVP_PKEY_CTX_free(ctx);
    const auto p = pem(pem_block("PUBLIC KEY", der_of(k)));
    EVP_PKEY_free(k);
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("RSASSA-PSS-restricted keys"));
  }
  SECTION("EC curve outside JWS (brainpoolP256r1, secp224r1)") {
    // 256 bits like P-256 and secp256k1 (RFC 8812 3.2), yet no JWS alg names it.
    for (const char* curve : {"brainpoolP256r1", "secp224r1"}) {
      INFO(curve);
      EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
      REQUIRE(k != nullptr);
      const auto p = pem(pem_block("PUBLIC KEY", der_of(k)));
      EVP_PKEY_free(k);
      CHECK_FALSE(p.ok);
      CHECK(p.error_has(std::string("the EC key is on curve ") + curve +
                        "; JWS ECDSA uses only P-256, P-384, P-521 (RFC 7518 3.4) and secp256k1 (RFC 8812 3.2)"));
    }
  }
  SECTION("EC key with explicit curve parameters (RFC 5480 2.1.1)") {
    EVP_PKEY* k = read_public("data/keys/ec256.pub.pem");
    REQUIRE(EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_ENCODING, OSSL_PKEY_EC_ENCODING_EXPLICIT) == 1);
    const std::string der = der_of(k);
    EVP_PKEY_free(k);
    const auto p = pem(pem_block("PUBLIC KEY", der));
    INFO(p.diag.text());
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("explicit curve parameters"));
  }
  SECTION("EC point off the curve in a SubjectPublicKeyInfo") {
    std::string der = read_data("data/keys/ec256.pub.pem");
    std::vector<uint8_t> bytes;
    const size_t b = der.find("-----\n") + 6;
    REQUIRE(base64_decode(der.substr(b, der.find("-----END") - b), bytes, true));
    bytes.back() ^= 1;  // last byte of y
    const auto p = pem(pem_block("PUBLIC KEY", std::string(bytes.begin(), bytes.end())));
    CHECK_FALSE(p.ok);
  }
}

TEST_CASE("DER SubjectPublicKeyInfo and DER certificate", "[keys]") {
  std::vector<Key> out;
  Diagnostics diag;
  REQUIRE(parse_der_spki(read_data("data/keys/rsa2048.pub.der"), out, diag));
  REQUIRE(parse_der_certificate(read_data("data/keys/rsa2048.cert.der"), out, diag));
  REQUIRE(out.size() == 2);
  CHECK(out[0].origin == "DER public key");
  CHECK(out[1].origin == "DER certificate (CN=jwtgate-test)");
  CHECK(out[0].bits == 2048);
  CHECK(out[1].bits == 2048);
  CHECK(diag.empty());

  SECTION("each parser refuses the other's input, and truncated or extended DER") {
    const std::string spki = read_data("data/keys/rsa2048.pub.der");
    const std::string cert = read_data("data/keys/rsa2048.cert.der");
    std::vector<Key> none;
    Diagnostics d;
    CHECK_FALSE(parse_der_spki(cert, none, d));
    CHECK_FALSE(parse_der_certificate(spki, none, d));
    CHECK_FALSE(parse_der_spki(spki.substr(0, spki.size() - 1), none, d));
    CHECK_FALSE(parse_der_spki(spki + std::string(1, '\0'), none, d));
    CHECK_FALSE(parse_der_certificate(cert.substr(0, cert.size() - 1), none, d));
    CHECK_FALSE(parse_der_certificate(cert + std::string(1, '\0'), none, d));
    CHECK_FALSE(parse_der_spki("", none, d));
    CHECK_FALSE(parse_der_certificate("", none, d));
    CHECK(none.empty());
    CHECK_THAT(d.text(), Catch::Contains("DER public key: not a DER SubjectPublicKeyInfo") &&
                             Catch::Contains("DER certificate: not a DER X.509 certificate") &&
                             Catch::Contains("trailing bytes after the X.509 certificate"));
  }
}
