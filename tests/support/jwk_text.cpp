#include "jwk_text.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <stdexcept>

#include "test_support.h"

namespace jwtgate_test {

namespace {

std::string b64url_bn(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  return b64url(bytes);
}

}  // namespace

std::string public_jwk(const std::string& private_pem, const std::string& kid,
                       const std::string& extra) {
  BIO* bio = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) throw std::runtime_error("test key does not parse");
  const std::string kid_member = kid.empty() ? "" : ",\"kid\":\"" + kid + "\"";
  std::string jwk;
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e);
    jwk = "{\"kty\":\"RSA\",\"use\":\"sig\"" + kid_member + ",\"n\":\"" + b64url_bn(n) +
          "\",\"e\":\"" + b64url_bn(e) + "\"";
    BN_free(n);
    BN_free(e);
  } else if (EVP_PKEY_is_a(pkey, "ED25519") || EVP_PKEY_is_a(pkey, "ED448")) {
    unsigned char x[64];
    size_t len = sizeof x;
    EVP_PKEY_get_raw_public_key(pkey, x, &len);
    jwk = std::string("{\"kty\":\"OKP\",\"use\":\"sig\"") + kid_member + ",\"crv\":\"" +
          (EVP_PKEY_is_a(pkey, "ED25519") ? "Ed25519" : "Ed448") + "\",\"x\":\"" +
          b64url(std::string(reinterpret_cast<char*>(x), len)) + "\"";
  } else {
    char group[64] = {0};
    EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr);
    const std::string g = group;
    const char* crv = g == "secp384r1" ? "P-384" : g == "secp521r1" ? "P-521" : g == "secp256k1" ? "secp256k1" : "P-256";
    unsigned char point[200];
    size_t len = 0;
    EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
    const size_t half = (len - 1) / 2;  // 0x04 || x || y
    const std::string x(reinterpret_cast<char*>(point) + 1, half);
    const std::string y(reinterpret_cast<char*>(point) + 1 + half, half);
    jwk = "{\"kty\":\"EC\",\"use\":\"sig\"" + kid_member + ",\"crv\":\"" + crv +
          "\",\"x\":\"" + b64url(x) + "\",\"y\":\"" + b64url(y) + "\"";
  }
  EVP_PKEY_free(pkey);
  if (!extra.empty()) jwk += "," + extra;
  return jwk + "}";
}

std::string oct_jwk(const std::string& secret, const std::string& kid) {
  return "{\"kty\":\"oct\",\"use\":\"sig\"" +
         (kid.empty() ? std::string() : ",\"kid\":\"" + kid + "\"") + ",\"k\":\"" + b64url(secret) +
         "\"}";
}

std::string jwk_set(const std::vector<std::string>& jwks) {
  std::string out = "{\"keys\":[";
  for (size_t i = 0; i < jwks.size(); ++i) out += (i ? "," : "") + jwks[i];
  return out + "]}";
}

std::string discovery_json(const std::string& issuer, const std::string& jwks_uri) {
  return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwks_uri +
         "\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
}

}  // namespace jwtgate_test
