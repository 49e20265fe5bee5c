// Loading decryption keys: APIM's base64 <key> text, PEM (plain and
// encrypted PKCS#8, traditional RSA/EC), DER PKCS#8, PKCS#12 with a
// password, private JWKs; what each refuses; and that no message ever
// holds key material.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "encoding/base64url.h"
#include "jwe/decryption_key.h"
#include "jwe_fixture.h"
#include "test_support.h"

using namespace jwtgate;
using jwe_test::fixture;

namespace {

std::string pem_of(EVP_PKEY* k, const char* password) {
  BIO* bio = BIO_new(BIO_s_mem());
  const EVP_CIPHER* cipher = password ? EVP_aes_256_cbc() : nullptr;
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(bio, k, cipher, nullptr, 0, nullptr,
                                        const_cast<char*>(password)) == 1);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string der_of(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(k);
  const int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  PKCS8_PRIV_KEY_INFO_free(p8);
  return out;
}

std::string pkcs12_of(EVP_PKEY* k, const char* password) {
  // A self-signed certificate for the key, as a PFX holds one.
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, k);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("jwe test"), -1, -1, 0);
  X509_set_issuer_name(cert, X509_get_subject_name(cert));
  REQUIRE(X509_sign(cert, k, EVP_sha256()) > 0);
  PKCS12* p12 = PKCS12_create(password, "jwe", k, cert, nullptr, 0, 0, 0, 0, 0);
  REQUIRE(p12 != nullptr);
  unsigned char* der = nullptr;
  const int n = i2d_PKCS12(p12, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  PKCS12_free(p12);
  X509_free(cert);
  return out;
}

}  // namespace

TEST_CASE("base64 symmetric key text (APIM <key>)", "[jwe]") {
  std::vector<DecryptionKey> keys;
  Diagnostics diag;
  const std::vector<uint8_t> k(32, 7);
  REQUIRE(load_decryption_secret_base64(base64_encode(k.data(), k.size()), keys, diag));
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].type == KeyType::Oct);
  CHECK(keys[0].bits == 256);
  CHECK(decryption_key_fits(keys[0], KeyAlg::A256KW, ContentEnc::A128GCM, {}, nullptr));
  CHECK(decryption_key_fits(keys[0], KeyAlg::Dir, ContentEnc::A128CBC_HS256, {}, nullptr));
  std::string why;
  CHECK_FALSE(decryption_key_fits(keys[0], KeyAlg::A128KW, ContentEnc::A128GCM, {}, &why));
  CHECK(why == "A128KW needs a 128-bit symmetric key, not a symmetric (oct) 256-bit secret");
  CHECK_FALSE(decryption_key_fits(keys[0], KeyAlg::RSA_OAEP, ContentEnc::A128GCM, {}, &why));
  CHECK(why == "RSA-OAEP needs an RSA key, not a symmetric (oct) 256-bit secret");
  // Lengths other than a KEK or a CEK are refused, saying only the length.
  Diagnostics d2;
  CHECK_FALSE(load_decryption_secret_base64("AAECAwQFBgcICQ==", keys, d2));
  CHECK(d2.text().find("not 10") != std::string::npos);
  // Public key text is no secret.
  Diagnostics d3;
  CHECK_FALSE(load_decryption_secret_base64(jwtgate_test::read_data("data/keys/rsa2048.pub.pem"), keys, d3));
  CHECK(d3.text().find("CVE-2022-29217") != std::string::npos);
  Diagnostics d4;
  CHECK_FALSE(load_decryption_secret_base64("not base64!", keys, d4));
}

TEST_CASE("private keys from PEM, encrypted PKCS#8, DER and PKCS#12", "[jwe]") {
  for (EVP_PKEY* k : {fixture().rsa, fixture().ec, fixture().x25519}) {
    std::vector<DecryptionKey> keys;
    Diagnostics diag;
    REQUIRE(load_decryption_private_key(pem_of(k, nullptr), "", keys, diag));
    REQUIRE(load_decryption_private_key(pem_of(k, "s3cret"), "s3cret", keys, diag));
    REQUIRE(load_decryption_private_key(der_of(k), "", keys, diag));
    if (EVP_PKEY_get_base_id(k) != EVP_PKEY_X25519)  // no X25519 certificates here
      REQUIRE(load_decryption_private_key(pkcs12_of(k, "pfx-pass"), "pfx-pass", keys, diag));
    INFO(diag.text());
    CHECK(diag.empty());
    for (const DecryptionKey& dk : keys) CHECK(dk.material);
    // Wrong or missing passwords fail, and the messages hold no key bytes.
    Diagnostics bad;
    CHECK_FALSE(load_decryption_private_key(pem_of(k, "s3cret"), "wrong", keys, bad));
    CHECK_FALSE(load_decryption_private_key(pem_of(k, "s3cret"), "", keys, bad));
    if (EVP_PKEY_get_base_id(k) != EVP_PKEY_X25519)
      CHECK_FALSE(load_decryption_private_key(pkcs12_of(k, "pfx-pass"), "nope", keys, bad));
    const std::string pem = pem_of(k, nullptr);
    const std::string body = pem.substr(pem.find('\n') + 1, 40);
    CHECK(bad.text().find(body) == std::string::npos);
    CHECK(bad.text().find("PRIVATE KEY") != std::string::npos);
  }
  // The committed RSA key in its traditional form.
  std::vector<DecryptionKey> keys;
  Diagnostics diag;
  CHECK(load_decryption_private_key(jwtgate_test::read_data("data/keys/rsa2048.pem"), "", keys, diag));
  // A public key or a certificate alone is no decryption key.
  Diagnostics d2;
  CHECK_FALSE(load_decryption_private_key(jwtgate_test::read_data("data/keys/rsa2048.pub.pem"), "", keys, d2));
  CHECK_FALSE(load_decryption_private_key(jwtgate_test::read_data("data/keys/rsa2048.cert.pem"), "", keys, d2));
  // Ed25519 decrypts nothing.
  Diagnostics d3;
  CHECK_FALSE(load_decryption_private_key(jwtgate_test::read_data("data/keys/ed25519.pem"), "", keys, d3));
  CHECK(d3.text().find("neither RSA") != std::string::npos);
}

TEST_CASE("private JWKs bind use, key_ops and alg", "[jwe]") {
  std::vector<DecryptionKey> keys;
  Diagnostics diag;
  REQUIRE(load_decryption_jwks(
      "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\",\"use\":\"sig\",\"k\":\"" +
          base64url_encode(std::string(16, 'k')) + "\"},{\"kty\":\"oct\",\"kid\":\"b\",\"key_ops\":[\"encrypt\"],\"k\":\"" +
          base64url_encode(std::string(16, 'k')) + "\"},{\"kty\":\"oct\",\"kid\":\"c\",\"alg\":\"A128GCMKW\",\"k\":\"" +
          base64url_encode(std::string(16, 'k')) + "\"}]}",
      keys, diag));
  REQUIRE(keys.size() == 3);
  std::string why;
  CHECK_FALSE(decryption_key_fits(keys[0], KeyAlg::A128KW, ContentEnc::A128GCM, {}, &why));
  CHECK(why == "the key's use is \"sig\", not \"enc\"");
  CHECK_FALSE(decryption_key_fits(keys[1], KeyAlg::A128KW, ContentEnc::A128GCM, {}, &why));
  CHECK(why == "the key's key_ops do not list \"unwrapKey\"");
  CHECK_FALSE(decryption_key_fits(keys[2], KeyAlg::A128KW, ContentEnc::A128GCM, {}, &why));
  CHECK(decryption_key_fits(keys[2], KeyAlg::A128GCMKW, ContentEnc::A128GCM, {}, nullptr));
  // A public JWK is no decryption key; an RSA key under the floor fits no alg.
  Diagnostics d2;
  CHECK_FALSE(load_decryption_jwks("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}", keys, d2));
  CHECK(d2.text().find("\"d\" is missing") != std::string::npos);
  // kty and crv must agree: an X25519 key that says kty "EC", or a P-256
  // key that says "OKP", is refused (it was read by its crv alone).
  const std::string b32 = base64url_encode(std::string(32, '\x11'));
  Diagnostics d3;
  CHECK_FALSE(load_decryption_jwks("{\"kty\":\"EC\",\"crv\":\"X25519\",\"x\":\"" + b32 + "\",\"d\":\"" + b32 + "\"}",
                                   keys, d3));
  CHECK(d3.text().find("crv X25519 is an OKP curve, not kty EC") != std::string::npos);
  Diagnostics d4;
  CHECK_FALSE(load_decryption_jwks("{\"kty\":\"OKP\",\"crv\":\"P-256\",\"x\":\"" + b32 + "\",\"y\":\"" + b32 +
                                       "\",\"d\":\"" + b32 + "\"}",
                                   keys, d4));
  CHECK(d4.text().find("crv P-256 is an EC curve, not kty OKP") != std::string::npos);
  std::vector<DecryptionKey> small;
  REQUIRE(load_decryption_private_key(jwtgate_test::read_data("data/keys/rsa1024.pem"), "", small, diag));
  KeyRules rules;
  CHECK_FALSE(decryption_key_fits(small[0], KeyAlg::RSA_OAEP, ContentEnc::A128GCM, rules, &why));
  CHECK(why == "the RSA key has 1024 bits, fewer than 2048");
}
