// Format detection and the APIM inline key forms.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
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

Parsed autodetect(const std::string& data) {
  Parsed p;
  p.ok = parse_keys_auto(data, p.keys, p.diag);
  return p;
}

Parsed components(const std::string& n, const std::string& e) {
  Parsed p;
  p.ok = parse_rsa_components(n, e, p.keys, p.diag);
  return p;
}

Parsed symmetric(const std::string& b64) {
  Parsed p;
  p.ok = parse_symmetric_base64(b64, p.keys, p.diag);
  return p;
}

std::vector<uint8_t> rsa_param(const char* name) {
  const std::string text = read_data("data/keys/rsa2048.pub.pem");
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(pkey != nullptr);
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1);
  std::vector<uint8_t> out(static_cast<size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_free(bn);
  EVP_PKEY_free(pkey);
  return out;
}

std::string n_b64url() {
  const auto n = rsa_param(OSSL_PKEY_PARAM_RSA_N);
  return base64url_encode(n.data(), n.size());
}

std::string n_b64() {
  const auto n = rsa_param(OSSL_PKEY_PARAM_RSA_N);
  return base64_encode(n.data(), n.size());
}

bool verifies_rsa2048(const Key& key) {
  std::string sig;
  REQUIRE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pem"), "a.b", sig));
  return verify_signature(key, Alg::RS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size());
}

}  // namespace

TEST_CASE("parse_keys_auto detects every format", "[keys]") {
  const std::string jwk = "{\"kty\":\"RSA\",\"kid\":\"x\",\"n\":\"" + n_b64url() + "\",\"e\":\"AQAB\"}";
  struct Case { const char* name; std::string data; size_t keys; const char* origin; };
  const std::vector<Case> cases = {
      {"JWKS", "{\"keys\":[" + jwk + "," + jwk + "]}", 2, "JWKS key #1 (kid \"x\")"},
      {"JWK", jwk, 1, "JWK"},
      {"JWK after whitespace and a BOM", "\xEF\xBB\xBF \r\n\t" + jwk, 1, "JWK"},
      {"JWK with kty before keys-like members", "{\"kty\":\"RSA\",\"n\":\"" + n_b64url() + "\",\"e\":\"AQAB\",\"ext\":{\"keys\":1}}", 1, "JWK"},
      {"PEM public key", read_data("data/keys/rsa2048.pub.pem"), 1, "PEM block #1 (PUBLIC KEY)"},
      {"PEM certificate", read_data("data/keys/rsa2048.cert.pem"), 1, "PEM block #1 (CERTIFICATE) (CN=jwtgate-test)"},
      {"PEM after text", "some header\n" + read_data("data/keys/rsa2048.pub.pem"), 1, "PEM block #1 (PUBLIC KEY)"},
      {"DER certificate", read_data("data/keys/rsa2048.cert.der"), 1, "DER certificate (CN=jwtgate-test)"},
      {"DER SubjectPublicKeyInfo", read_data("data/keys/rsa2048.pub.der"), 1, "DER public key"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto p = autodetect(c.data);
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == c.keys);
    CHECK(p.keys[0].origin == c.origin);
    CHECK(verifies_rsa2048(p.keys[0]));
  }
}

TEST_CASE("parse_keys_auto refuses what it cannot recognise", "[keys]") {
  struct Case { const char* name; std::string data; const char* message; };
  const std::vector<Case> cases = {
      {"empty", "", "unrecognised key data"},
      {"whitespace", "  \n", "unrecognised key data"},
      {"plain text", "hello", "unrecognised key data"},
      {"a base64 secret", "c2VjcmV0", "unrecognised key data"},
      {"broken JSON", "{\"keys\":", "starts with '{' but is not a valid JSON object"},
      {"JSON without keys or kty", "{\"alg\":\"RS256\"}",
       "neither a JWK Set (no \"keys\"), a JWK (no \"kty\") nor a key map (key ids mapped to PEM certificates)"},
      {"JSON array", "[{\"kty\":\"oct\"}]", "unrecognised key data"},
      {"binary that is not DER", std::string("\x31\x02\x00\x00", 4), "unrecognised key data"},
      {"a DER SEQUENCE that is neither", std::string("\x30\x03\x02\x01\x05", 5), "neither a DER X.509 certificate nor a DER SubjectPublicKeyInfo"},
      {"private PEM", read_data("data/keys/ec256.pem"), "a private key was given"},
      // Its one key is skipped (a warning says why), so nothing usable remains.
      {"invalid JWKS", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"\"}]}", "no usable signing key"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::vector<Key> out(1);
    Diagnostics diag;
    CHECK_FALSE(parse_keys_auto(c.data, out, diag));
    CHECK(out.size() == 1);  // nothing appended
    INFO(diag.text());
    bool found = false;
    for (const auto& d : diag.items()) found = found || (!d.warning && d.message.find(c.message) != std::string::npos);
    CHECK(found);
  }
}

TEST_CASE("parse_rsa_components: APIM n/e in base64url", "[keys]") {
  const auto p = components(n_b64url(), "AQAB");
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 1);
  CHECK(p.keys[0].type == KeyType::RSA);
  CHECK(p.keys[0].bits == 2048);
  CHECK(p.keys[0].origin == "RSA key (n, e)");
  CHECK_FALSE(p.keys[0].has_kid);
  CHECK(verifies_rsa2048(p.keys[0]));
  // A leading zero byte in n (a common encoder habit) is the same key.
  auto n = rsa_param(OSSL_PKEY_PARAM_RSA_N);
  n.insert(n.begin(), 0);
  const auto z = components(base64url_encode(n.data(), n.size()), "AQAB");
  REQUIRE(z.ok);
  CHECK(z.keys[0].bits == 2048);
  CHECK(verifies_rsa2048(z.keys[0]));
}

TEST_CASE("parse_rsa_components refuses standard base64 with an explicit message", "[keys]") {
  const std::string std_n = n_b64();
  REQUIRE(std_n.find_first_of("+/=") != std::string::npos);
  auto p = components(std_n, "AQAB");
  CHECK_FALSE(p.ok);
  CHECK(p.keys.empty());
  CHECK(p.error_has("RSA key: modulus \"n\" is not base64url: it contains '"));
  CHECK(p.error_has("so it looks like standard base64"));
  CHECK(p.error_has("use '-' for '+', '_' for '/', and drop '='"));

  p = components(n_b64url(), "AQAB=");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("exponent \"e\" is not base64url: it contains '='"));
  p = components(n_b64url() + "+", "AQAB");
  CHECK(p.error_has("contains '+'"));
  p = components("ab/c", "AQAB");
  CHECK(p.error_has("contains '/'"));
  p = components(" " + n_b64url(), "AQAB");
  CHECK(p.error_has("contains whitespace"));
  // Both problems are reported in one pass.
  p = components("a+b", "A=");
  CHECK(p.diag.items().size() == 2);
}

TEST_CASE("parse_rsa_components refuses bad keys", "[keys]") {
  auto p = components("", "AQAB");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("the modulus n is empty"));
  p = components(n_b64url(), "");
  CHECK(p.error_has("the exponent e is empty"));
  p = components(n_b64url(), "AQ");
  CHECK(p.error_has("exponent must be odd, greater than 1"));
  p = components(n_b64url(), "Ag");
  CHECK(p.error_has("exponent must be odd"));
  p = components("AAAA", "AQAB");
  CHECK_FALSE(p.ok);
  CHECK(p.keys.empty());
}

TEST_CASE("parse_symmetric_base64: APIM <key> in standard base64", "[keys]") {
  const std::string secret = std::string(31, 'k') + "\xfb";  // encodes with '+' or '/'
  const std::string b64 = base64_encode(reinterpret_cast<const uint8_t*>(secret.data()), secret.size());
  auto p = symmetric(b64);
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 1);
  CHECK(p.keys[0].type == KeyType::Oct);
  CHECK(p.keys[0].bits == 256);
  CHECK(p.keys[0].origin == "symmetric key (base64)");
  std::string sig;
  REQUIRE(sign_with_secret(Alg::HS256, reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), "a.b", sig));
  CHECK(verify_signature(p.keys[0], Alg::HS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));

  // Whitespace from XML formatting is ignored.
  p = symmetric("\n    " + b64.substr(0, 20) + "\n    " + b64.substr(20) + "\n  ");
  REQUIRE(p.ok);
  CHECK(verify_signature(p.keys[0], Alg::HS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
  // 128-bit keys load (APIM accepts them); the HS256 floor is key_compatible's call.
  p = symmetric("AAAAAAAAAAAAAAAAAAAAAA==");
  REQUIRE(p.ok);
  CHECK(p.keys[0].bits == 128);
  CHECK_FALSE(key_compatible(p.keys[0], Alg::HS256, KeyRules{}, nullptr));
}

TEST_CASE("parse_symmetric_base64 rejections", "[keys]") {
  auto p = symmetric("");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("the key is empty"));
  p = symmetric("   ");
  CHECK_FALSE(p.ok);
  p = symmetric("ab-_AAAA");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("so it looks like base64url"));
  p = symmetric("AAAAAAAAAAAAAAAAAAAAAA");  // padding missing
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("not valid base64"));
  p = symmetric("AAAA*AAA");
  CHECK_FALSE(p.ok);
  CHECK(p.keys.empty());
}

TEST_CASE("parse_keys_auto reports the DER parser that understood the data", "[keys]") {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
  REQUIRE(k != nullptr);
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(k, &buf);
  REQUIRE(len > 0);
  const std::string der(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  EVP_PKEY_free(k);
  const auto p = autodetect(der);
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("DER public key: X25519/X448 keys are for key agreement"));
  CHECK(p.diag.items().size() == 1);
}
