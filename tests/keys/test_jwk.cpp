// JWK and JWK Set parsing (RFC 7517, RFC 7518 6, RFC 8037 2): every
// accepted form and every rejection, with the reason in the diagnostics.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include "crypto/algorithm.h"
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

Parsed jwk(const std::string& json) {
  Parsed p;
  p.ok = parse_jwk(json, p.keys, p.diag);
  return p;
}

Parsed jwks(const std::string& json) {
  Parsed p;
  p.ok = parse_jwks(json, p.keys, p.diag);
  return p;
}

std::string b64u(const std::vector<uint8_t>& v) { return base64url_encode(v.data(), v.size()); }

EVP_PKEY* read_public(std::string_view rel) {
  const std::string pem = read_data(rel);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(pkey != nullptr);
  return pkey;
}

std::vector<uint8_t> bn_param(EVP_PKEY* pkey, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(pkey, name, &bn) == 1);
  const int len = pad ? pad : BN_num_bytes(bn);
  std::vector<uint8_t> out(static_cast<size_t>(len));
  REQUIRE(BN_bn2binpad(bn, out.data(), len) == len);
  BN_free(bn);
  return out;
}

// "n":"...","e":"..." of a test RSA key.
std::string rsa_members(std::string_view rel) {
  EVP_PKEY* pkey = read_public(rel);
  const std::string s = "\"n\":\"" + b64u(bn_param(pkey, OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" +
                        b64u(bn_param(pkey, OSSL_PKEY_PARAM_RSA_E)) + "\"";
  EVP_PKEY_free(pkey);
  return s;
}

struct EcXY {
  std::vector<uint8_t> x, y;
};

EcXY ec_xy(std::string_view rel, int coord) {
  EVP_PKEY* pkey = read_public(rel);
  EcXY r{bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, coord), bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, coord)};
  EVP_PKEY_free(pkey);
  return r;
}

std::string ec_jwk(const std::string& crv, const EcXY& p, const std::string& extra = "") {
  return "{\"kty\":\"EC\",\"crv\":\"" + crv + "\",\"x\":\"" + b64u(p.x) + "\",\"y\":\"" + b64u(p.y) + "\"" +
         extra + "}";
}

std::vector<uint8_t> okp_x(std::string_view rel) {
  EVP_PKEY* pkey = read_public(rel);
  size_t len = 0;
  REQUIRE(EVP_PKEY_get_raw_public_key(pkey, nullptr, &len) == 1);
  std::vector<uint8_t> x(len);
  REQUIRE(EVP_PKEY_get_raw_public_key(pkey, x.data(), &len) == 1);
  EVP_PKEY_free(pkey);
  return x;
}

std::string cert_b64() {
  const std::string der = read_data("data/keys/rsa2048.cert.der");
  return base64_encode(reinterpret_cast<const uint8_t*>(der.data()), der.size());
}

std::string digest_b64u(const char* md_name, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_MD* md_alg = EVP_MD_fetch(nullptr, md_name, nullptr);
  REQUIRE(EVP_Digest(data.data(), data.size(), md, &len, md_alg, nullptr) == 1);
  EVP_MD_free(md_alg);
  return base64url_encode(md, len);
}

simdjson::dom::element load_json(simdjson::dom::parser& parser, std::string_view rel) {
  simdjson::dom::element root;
  REQUIRE(parser.load(jwtgate_test::data_path(rel)).get(root) == simdjson::SUCCESS);
  return root;
}

bool verify_compact(const Key& key, Alg alg, std::string_view compact) {
  const size_t dot = compact.rfind('.');
  REQUIRE(dot != std::string_view::npos);
  std::vector<uint8_t> sig;
  REQUIRE(base64url_decode(compact.substr(dot + 1), sig));
  return verify_signature(key, alg, compact.substr(0, dot), sig.data(), sig.size());
}

const std::string kRsaRfc =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
    "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5h"
    "ajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

const std::string kEcX = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4";
const std::string kEcY = "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM";

}  // namespace

TEST_CASE("RFC 7517 Appendix A vectors", "[keys]") {
  simdjson::dom::parser parser;
  auto root = load_json(parser, "vectors/rfc/rfc_vectors.json");
  simdjson::dom::array vectors;
  REQUIRE(root["jwk_vectors"].get(vectors) == simdjson::SUCCESS);
  int seen = 0;
  for (auto v : vectors) {
    std::string_view id;
    REQUIRE(v["id"].get(id) == simdjson::SUCCESS);
    INFO(id);
    simdjson::dom::element body;
    if (id == "rfc7517-A.1-public-jwks") {
      REQUIRE(v["jwks"].get(body) == simdjson::SUCCESS);
      const auto p = jwks(simdjson::minify(body));
      INFO(p.diag.text());
      REQUIRE(p.ok);
      // The EC key has use "enc": skipped (with a warning), not loaded.
      REQUIRE(p.keys.size() == 1);
      CHECK(p.warning_has("JWKS key #1 (kid \"1\") skipped: use is \"enc\""));
      const Key& k = p.keys[0];
      CHECK(k.type == KeyType::RSA);
      CHECK(k.bits == 2048);
      CHECK(k.kid == "2011-04-29");
      CHECK(k.has_kid);
      CHECK(k.alg == "RS256");
      CHECK(k.origin == "JWKS key #2 (kid \"2011-04-29\")");
      CHECK(key_compatible(k, Alg::RS256, KeyRules{}, nullptr));
      CHECK_FALSE(key_compatible(k, Alg::PS256, KeyRules{}, nullptr));
      ++seen;
    } else if (id == "rfc7517-A.2-ec-private") {
      REQUIRE(v["jwk"].get(body) == simdjson::SUCCESS);
      const auto p = jwk(simdjson::minify(body));
      INFO(p.diag.text());
      REQUIRE(p.ok);
      REQUIRE(p.keys.size() == 1);
      CHECK(p.keys[0].type == KeyType::EC);
      CHECK(p.keys[0].curve_nid == NID_X9_62_prime256v1);
      CHECK(p.keys[0].use == "enc");
      CHECK(p.warning_has("private key members are ignored"));
      CHECK(p.warning_has("use is \"enc\""));
      // Loaded, but an encryption key never verifies.
      CHECK_FALSE(key_compatible(p.keys[0], Alg::ES256, KeyRules{}, nullptr));
      ++seen;
    } else if (id == "rfc7517-A.3-symmetric") {
      REQUIRE(v["jwks"].get(body) == simdjson::SUCCESS);
      const auto p = jwks(simdjson::minify(body));
      REQUIRE(p.ok);
      REQUIRE(p.keys.size() == 2);
      CHECK(p.keys[0].type == KeyType::Oct);
      CHECK(p.keys[0].bits == 128);
      CHECK(p.keys[0].alg == "A128KW");
      std::string why;
      KeyRules apim;
      apim.min_hmac_bits = 128;
      CHECK_FALSE(key_compatible(p.keys[0], Alg::HS256, apim, &why));  // an AES key-wrap key
      CHECK_THAT(why, Catch::Contains("A128KW"));
      CHECK(p.keys[1].bits == 512);
      CHECK(p.keys[1].kid == "HMAC key used in JWS spec Appendix A.1 example");
      CHECK(key_compatible(p.keys[1], Alg::HS256, KeyRules{}, nullptr));
      ++seen;
    } else {
      REQUIRE(v["jwk"].get(body) == simdjson::SUCCESS);
      const auto p = jwk(simdjson::minify(body));
      INFO(p.diag.text());
      REQUIRE(p.ok);
      REQUIRE(p.keys.size() == 1);
      CHECK(p.keys[0].origin == "JWK");
      if (id == "rfc7638-3.1-thumbprint-rsa") CHECK(p.keys[0].type == KeyType::RSA);
      if (id.substr(0, 7) == "rfc8037") {
        CHECK(p.keys[0].type == KeyType::OKP);
        CHECK(p.keys[0].curve_nid == NID_ED25519);
        CHECK(p.keys[0].bits == 255);
      }
      ++seen;
    }
  }
  CHECK(seen == 6);
}

TEST_CASE("RFC JWS vectors verify with keys parsed from their JWKs", "[keys]") {
  simdjson::dom::parser parser;
  auto root = load_json(parser, "vectors/rfc/rfc_vectors.json");
  simdjson::dom::array vectors;
  REQUIRE(root["jws_vectors"].get(vectors) == simdjson::SUCCESS);
  int verified = 0;
  for (auto v : vectors) {
    std::string_view id, alg_text, expected, compact;
    REQUIRE(v["id"].get(id) == simdjson::SUCCESS);
    REQUIRE(v["alg"].get(alg_text) == simdjson::SUCCESS);
    REQUIRE(v["expected_signature"].get(expected) == simdjson::SUCCESS);
    REQUIRE(v["jws"].get(compact) == simdjson::SUCCESS);
    INFO(id);
    const Alg alg = alg_from_name(alg_text);
    if (expected != "valid" || alg == Alg::Unknown) continue;
    simdjson::dom::element key_json;
    if (v["public_jwk"].get(key_json) != simdjson::SUCCESS) REQUIRE(v["key"].get(key_json) == simdjson::SUCCESS);
    const auto p = jwk(simdjson::minify(key_json));
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 1);
    CHECK(key_compatible(p.keys[0], alg, KeyRules{}, nullptr));
    CHECK(verify_compact(p.keys[0], alg, compact));
    ++verified;
  }
  CHECK(verified == 10);
}

TEST_CASE("JOSE cookbook JWKs (RFC 7520 3)", "[keys]") {
  SECTION("3.1 EC public P-521") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_1.ec_public_key.json"));
    REQUIRE(p.ok);
    CHECK(p.keys[0].type == KeyType::EC);
    CHECK(p.keys[0].bits == 521);
    CHECK(p.keys[0].kid == "bilbo.baggins@hobbiton.example");
    CHECK(p.keys[0].use == "sig");
    CHECK(key_compatible(p.keys[0], Alg::ES512, KeyRules{}, nullptr));
    CHECK(p.diag.empty());
  }
  SECTION("3.2 EC private: public part with a warning") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_2.ec_private_key.json"));
    REQUIRE(p.ok);
    CHECK(p.keys[0].bits == 521);
    CHECK(p.warning_has("private key members are ignored"));
    CHECK_FALSE(p.diag.has_errors());
  }
  SECTION("3.3 RSA public") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_3.rsa_public_key.json"));
    REQUIRE(p.ok);
    CHECK(p.keys[0].type == KeyType::RSA);
    CHECK(p.keys[0].bits == 2048);
  }
  SECTION("3.4 RSA private: public part with a warning") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_4.rsa_private_key.json"));
    REQUIRE(p.ok);
    CHECK(p.keys[0].type == KeyType::RSA);
    CHECK(p.warning_has("private key members are ignored"));
  }
  SECTION("3.5 symmetric MAC key") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json"));
    REQUIRE(p.ok);
    CHECK(p.keys[0].type == KeyType::Oct);
    CHECK(p.keys[0].bits == 256);
    CHECK(p.keys[0].alg == "HS256");
    CHECK(key_compatible(p.keys[0], Alg::HS256, KeyRules{}, nullptr));
    CHECK(p.diag.empty());
  }
  SECTION("3.6 symmetric encryption key: loaded alone, never verifies") {
    const auto p = jwk(read_data("vectors/jose-cookbook/jwk/3_6.symmetric_key_encryption.json"));
    REQUIRE(p.ok);
    CHECK(p.warning_has("use is \"enc\""));
    CHECK_FALSE(key_compatible(p.keys[0], Alg::HS256, KeyRules{}, nullptr));
    // In a set it is skipped; alone in it, nothing usable remains and the
    // set is refused.
    const auto s = jwks("{\"keys\":[" + read_data("vectors/jose-cookbook/jwk/3_6.symmetric_key_encryption.json") + "]}");
    CHECK_FALSE(s.ok);
    CHECK(s.keys.empty());
    CHECK(s.warning_has("skipped: use is \"enc\""));
    CHECK(s.error_has("no usable signing key"));
  }
}

TEST_CASE("JWKs built from the test keys load as the same keys as their PEM", "[keys]") {
  SECTION("RSA") {
    const auto p = jwk("{\"kty\":\"RSA\"," + rsa_members("data/keys/rsa2048.pub.pem") + "}");
    REQUIRE(p.ok);
    CHECK(p.keys[0].bits == 2048);
    std::string sig;
    REQUIRE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pem"), "a.b", sig));
    CHECK(verify_signature(p.keys[0], Alg::RS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
  }
  SECTION("EC P-256/384/521 and secp256k1") {
    struct C { const char* crv; const char* pub; const char* priv; int coord; Alg alg; };
    for (const C& c : {C{"P-256", "data/keys/ec256.pub.pem", "data/keys/ec256.pem", 32, Alg::ES256},
                       C{"P-384", "data/keys/ec384.pub.pem", "data/keys/ec384.pem", 48, Alg::ES384},
                       C{"P-521", "data/keys/ec521.pub.pem", "data/keys/ec521.pem", 66, Alg::ES512},
                       C{"secp256k1", "data/keys/ec256k.pub.pem", "data/keys/ec256k.pem", 32, Alg::ES256K}}) {
      INFO(c.crv);
      const auto p = jwk(ec_jwk(c.crv, ec_xy(c.pub, c.coord)));
      INFO(p.diag.text());
      REQUIRE(p.ok);
      CHECK(p.keys[0].type == KeyType::EC);
      std::string sig;
      REQUIRE(sign_with_pem(c.alg, read_data(c.priv), "a.b", sig));
      CHECK(verify_signature(p.keys[0], c.alg, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
    }
  }
  SECTION("the same coordinates under the other 256-bit crv are another key (RFC 8812 3.1)") {
    // A P-256 point is not on secp256k1 and the other way round: the crv
    // decides the curve, it is never guessed from the coordinates.
    auto p = jwk(ec_jwk("secp256k1", ec_xy("data/keys/ec256.pub.pem", 32)));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("the point (x, y) is not on secp256k1"));
    p = jwk(ec_jwk("P-256", ec_xy("data/keys/ec256k.pub.pem", 32)));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("the point (x, y) is not on P-256"));
    CHECK(ERR_peek_error() == 0);
  }
  SECTION("OKP Ed25519 and Ed448") {
    for (const char* crv : {"Ed25519", "Ed448"}) {
      INFO(crv);
      const std::string base = crv == std::string("Ed25519") ? "data/keys/ed25519" : "data/keys/ed448";
      const auto p = jwk(std::string("{\"kty\":\"OKP\",\"crv\":\"") + crv + "\",\"x\":\"" +
                         b64u(okp_x(base + ".pub.pem")) + "\"}");
      REQUIRE(p.ok);
      CHECK(p.keys[0].bits == (crv == std::string("Ed25519") ? 255 : 448));
      std::string sig;
      REQUIRE(sign_with_pem(Alg::EdDSA, read_data(base + ".pem"), "a.b", sig));
      CHECK(verify_signature(p.keys[0], Alg::EdDSA, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
    }
  }
}

TEST_CASE("JWK metadata is copied: kid, alg, use, key_ops, issuer, origin", "[keys]") {
  const auto p = jwks(
      "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY +
      "\",\"kid\":\"k1\",\"alg\":\"ES256\",\"use\":\"sig\",\"key_ops\":[\"verify\",\"sign\"],"
      "\"issuer\":\"https://login.microsoftonline.com/t/v2.0\",\"extra\":{\"nested\":[1,2]}}]}");
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 1);
  const Key& a = p.keys[0];
  CHECK(a.kid == "k1");
  CHECK(a.has_kid);
  CHECK(a.alg == "ES256");
  CHECK(a.use == "sig");
  CHECK(a.has_key_ops);
  CHECK(a.key_ops_verify);
  CHECK(a.issuer == "https://login.microsoftonline.com/t/v2.0");
  CHECK(a.origin == "JWKS key #1 (kid \"k1\")");
  CHECK(key_compatible(a, Alg::ES256, KeyRules{}, nullptr));

  const auto q = jwks("{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + std::string(43, 'A') +
                      "\",\"key_ops\":[\"sign\"]}]}");
  INFO(q.diag.text());
  REQUIRE(q.ok);
  REQUIRE(q.keys.size() == 1);
  const Key& b = q.keys[0];
  CHECK_FALSE(b.has_kid);
  CHECK(b.origin == "JWKS key #1");
  CHECK(b.has_key_ops);
  CHECK_FALSE(b.key_ops_verify);
  CHECK(b.alg.empty());
  CHECK(b.use.empty());
  std::string why;
  CHECK_FALSE(key_compatible(b, Alg::HS256, KeyRules{}, &why));
  CHECK_THAT(why, Catch::Contains("key_ops"));
}

TEST_CASE("a JWK Set mixing secrets with public keys is refused whole (Wycheproof MixedKeySet)", "[keys]") {
  const auto p = jwks("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" +
                      kEcY + "\"},{\"kty\":\"oct\",\"k\":\"" + std::string(43, 'A') + "\"}]}");
  CHECK_FALSE(p.ok);
  CHECK(p.keys.empty());
  CHECK_THAT(p.diag.text(), Catch::Contains("mixes symmetric (oct) secrets with public keys"));
}

TEST_CASE("JWKS: unusable keys are skipped with a warning", "[keys]") {
  const std::string ec = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\",\"kid\":\"good\"}";
  SECTION("unknown kty (RFC 7517 5)") {
    const auto p = jwks("{\"keys\":[{\"kty\":\"AKP\",\"kid\":\"pq\",\"pub\":\"AAAA\"}," + ec + "]}");
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 1);
    CHECK(p.keys[0].kid == "good");
    CHECK(p.warning_has("JWKS key #1 (kid \"pq\") skipped: kty \"AKP\""));
  }
  SECTION("unknown EC curve") {
    const auto p = jwks("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"brainpoolP256r1\",\"x\":\"A\",\"y\":\"B\"}," + ec + "]}");
    REQUIRE(p.ok);
    CHECK(p.keys.size() == 1);
    CHECK(p.warning_has("skipped: EC curve \"brainpoolP256r1\" is not P-256, P-384, P-521 (RFC 7518 3.4) or "
                        "secp256k1 (RFC 8812 3.1)"));
  }
  SECTION("X25519 and X448 are key-agreement keys") {
    const auto p = jwks("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" + std::string(43, 'A') +
                        "\"},{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"AA\"}," + ec + "]}");
    REQUIRE(p.ok);
    CHECK(p.keys.size() == 1);
    CHECK(p.warning_has("JWKS key #1 skipped: OKP curve \"X25519\" is for key agreement"));
    CHECK(p.warning_has("JWKS key #2 skipped: OKP curve \"X448\""));
  }
  SECTION("use enc, even when otherwise malformed") {
    const auto p = jwks("{\"keys\":[{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"+++\",\"e\":\"AQAB\"}," + ec + "]}");
    REQUIRE(p.ok);
    CHECK(p.keys.size() == 1);
    CHECK(p.warning_has("skipped: use is \"enc\""));
  }
  SECTION("an empty set, and a set with nothing usable, are refused") {
    auto p = jwks("{\"keys\":[]}");
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.error_has("JWK Set: no usable signing key: the set is empty"));
    p = jwks("{\"keys\":[{\"kty\":\"foo\"}],\"other\":1}");
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.warning_has("JWKS key #1 skipped: kty \"foo\""));
    CHECK(p.error_has("JWK Set: no usable signing key: its one key was skipped (see the warnings)"));
  }
}

TEST_CASE("a single JWK with an unusable kty or curve is an error", "[keys]") {
  auto p = jwk("{\"kty\":\"AKP\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("JWK: kty \"AKP\" is not a signature key type"));
  p = jwk("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" + std::string(43, 'A') + "\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("is for key agreement, not signatures"));
  p = jwk("{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("EC curve \"P-192\""));
  p = jwk("{\"kty\":\"OKP\",\"crv\":\"Ed25518\",\"x\":\"AA\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("is not Ed25519 or Ed448"));
  CHECK(p.keys.empty());
}

TEST_CASE("JWKS: malformed keys of a known type are skipped, each named; the good ones load", "[keys]") {
  const std::string good = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}";
  std::string bad_y = kEcY;
  bad_y[10] = bad_y[10] == 'A' ? 'B' : 'A';
  std::vector<Key> out(1);  // what the caller had is kept
  Diagnostics diag;
  const std::string set = "{\"keys\":[" + good +
                          ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off\",\"x\":\"" + kEcX + "\",\"y\":\"" + bad_y +
                          "\"},{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"" + kRsaRfc + "=\",\"e\":\"AQAB\"}," + good + "]}";
  REQUIRE(parse_jwks(set, out, diag));
  INFO(diag.text());
  CHECK(out.size() == 3);
  CHECK_FALSE(diag.has_errors());
  // Every skipped key is named, not only the first.
  CHECK_THAT(diag.text(), Catch::Contains("warning: JWKS key #2 (kid \"off\") skipped: the point (x, y) is not on P-256"));
  CHECK_THAT(diag.text(), Catch::Contains("warning: JWKS key #3 (kid \"r\") skipped: \"n\" is not base64url"));
  CHECK(out[1].origin == "JWKS key #1");
  CHECK(out[2].origin == "JWKS key #4");
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("JWKS: one bad key beside a good one is skipped with its index, kid and why", "[keys]") {
  const std::string good = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"good\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}";
  EcXY p521 = ec_xy("data/keys/ec521.pub.pem", 66);
  p521.x.erase(p521.x.begin());  // a 65-byte coordinate: a leading zero dropped
  struct Case { const char* name; std::string jwk; const char* why; };
  const std::vector<Case> cases = {
      {"a 65-byte P-521 coordinate", ec_jwk("P-521", p521, ",\"kid\":\"p521\""),
       "(kid \"p521\") skipped: EC coordinates must be 66 bytes each for this curve; \"x\" is 65"},
      {"an unknown kty", "{\"kty\":\"AKP\",\"kid\":\"pq\",\"pub\":\"AAAA\"}",
       "(kid \"pq\") skipped: kty \"AKP\" is not a signature key type"},
      {"a key without crv", "{\"kty\":\"EC\",\"kid\":\"nocrv\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}",
       "(kid \"nocrv\") skipped: no \"crv\" member"},
      {"bad base64url", "{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"" + kRsaRfc + "=\",\"e\":\"AQAB\"}",
       "(kid \"r\") skipped: \"n\" is not base64url"},
      {"a member given twice", "{\"kty\":\"EC\",\"kid\":\"twice\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" +
       kEcY + "\",\"x\":\"" + kEcX + "\"}", "(kid \"twice\") skipped: duplicate member \"x\""},
      {"not an object", "\"AAAA\"", "skipped: not a JSON object"},
      {"a kid that is not a string", "{\"kty\":\"EC\",\"kid\":7}", "skipped: member \"kid\" must be a string"},
  };
  for (const Case& c : cases) {
    for (bool bad_first : {true, false}) {
      INFO(c.name << (bad_first ? ", first" : ", second"));
      const auto p = jwks("{\"keys\":[" + (bad_first ? c.jwk + "," + good : good + "," + c.jwk) + "]}");
      INFO(p.diag.text());
      REQUIRE(p.ok);
      REQUIRE(p.keys.size() == 1);
      CHECK(p.keys[0].kid == "good");
      CHECK_FALSE(p.diag.has_errors());
      CHECK(p.warning_has(std::string("JWKS key #") + (bad_first ? "1 " : "2 ") + c.why));
    }
    // Alone, nothing usable remains: the set is refused, and the key named.
    const auto alone = jwks("{\"keys\":[" + c.jwk + "]}");
    INFO(alone.diag.text());
    CHECK_FALSE(alone.ok);
    CHECK(alone.keys.empty());
    CHECK(alone.warning_has(std::string("JWKS key #1 ") + c.why));
    CHECK(alone.error_has("no usable signing key"));
  }
  // All bad: refused, every key named.
  const auto all = jwks("{\"keys\":[" + cases[0].jwk + "," + cases[2].jwk + "," + cases[3].jwk + "]}");
  CHECK_FALSE(all.ok);
  CHECK(all.error_has("JWK Set: no usable signing key: all 3 of its keys were skipped (see the warnings)"));
  CHECK(all.warning_has("JWKS key #1 (kid \"p521\") skipped"));
  CHECK(all.warning_has("JWKS key #2 (kid \"nocrv\") skipped"));
  CHECK(all.warning_has("JWKS key #3 (kid \"r\") skipped"));
}

TEST_CASE("JWKS: a kid published with a key binds it; a kid given at load does not", "[keys]") {
  const auto p = jwks("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"a\",\"x\":\"" + kEcX + "\",\"y\":\"" +
                      kEcY + "\"},{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}]}");
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 2);
  CHECK(p.keys[0].kid_bound);
  CHECK_FALSE(p.keys[1].kid_bound);
  const auto one = jwk("{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"a\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}");
  REQUIRE(one.ok);
  CHECK(one.keys[0].kid_bound);
  std::vector<Key> pem;
  Diagnostics diag;
  REQUIRE(parse_pem(read_data("data/keys/ec256.pub.pem"), pem, diag));
  CHECK_FALSE(pem[0].kid_bound);
}

TEST_CASE("published JWK Sets hold no secret: any oct key refuses the set", "[keys]") {
  const std::string ec = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"e\",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"}";
  const std::string k = std::string(43, 'A');
  struct Case { const char* name; std::string set; const char* label; };
  const std::vector<Case> cases = {
      {"a set of secrets", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"" + k + "\"}]}", "JWKS key #1 (kid \"s\")"},
      {"a malformed secret beside a public key", "{\"keys\":[" + ec + ",{\"kty\":\"oct\",\"k\":\"+\"}]}", "JWKS key #2"},
      {"an encryption secret", "{\"keys\":[" + ec + ",{\"kty\":\"oct\",\"use\":\"enc\",\"k\":\"" + k + "\"}]}",
       "JWKS key #2"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::vector<Key> out;
    Diagnostics diag;
    CHECK_FALSE(parse_published_jwks(c.set, out, diag));
    INFO(diag.text());
    CHECK(out.empty());
    CHECK_THAT(diag.text(), Catch::Contains(std::string("JWK Set: holds a symmetric (oct) key (") + c.label +
                                            "); a published key set must not carry secrets"));
  }
  // A public set loads, bad keys skipped as in any set.
  std::vector<Key> out;
  Diagnostics diag;
  REQUIRE(parse_published_jwks("{\"keys\":[" + ec + ",{\"kty\":\"EC\",\"kid\":\"nocrv\"}]}", out, diag));
  CHECK(out.size() == 1);
  CHECK_THAT(diag.text(), Catch::Contains("JWKS key #2 (kid \"nocrv\") skipped: no \"crv\" member"));
}

TEST_CASE("JWKS: duplicate kids are all kept, with a warning", "[keys]") {
  // Both HS256 keys carry kid "same"; the validator tries each, so a token
  // from either key verifies, and the set is not refused.
  const std::string k1(43, 'A'), k2 = std::string(42, 'B') + "A";
  const auto p = jwks("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" + k1 +
                      "\"},{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" + k2 + "\"},{\"kty\":\"oct\",\"kid\":\"other\",\"k\":\"" + k1 + "\"}]}");
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 3);
  CHECK(p.keys[0].kid == "same");
  CHECK(p.keys[1].kid == "same");
  CHECK(p.warning_has("kid \"same\" is used by 2 keys"));
  CHECK_FALSE(p.warning_has("kid \"other\""));
  std::vector<uint8_t> secret2;
  REQUIRE(base64url_decode(k2, secret2));
  std::string sig;
  REQUIRE(sign_with_secret(Alg::HS256, secret2.data(), secret2.size(), "a.b", sig));
  const auto* s = reinterpret_cast<const uint8_t*>(sig.data());
  CHECK_FALSE(verify_signature(p.keys[0], Alg::HS256, "a.b", s, sig.size()));
  CHECK(verify_signature(p.keys[1], Alg::HS256, "a.b", s, sig.size()));
}

TEST_CASE("JWKS: a kid shared with a key that was skipped is ambiguous: its usable keys go too",
          "[keys]") {
  // The issuer may mean the key that could not be read (Wycheproof
  // json_web_key_test tcId 4); the rest of the set still loads.
  const std::string k1(43, 'A');
  const std::string bad = "{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" + std::string(42, 'B') + "B\"}";
  const std::string same = "{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" + k1 + "\"}";
  const std::string other = "{\"kty\":\"oct\",\"kid\":\"other\",\"k\":\"" + k1 + "\"}";
  for (bool bad_first : {true, false}) {
    INFO((bad_first ? "bad key first" : "bad key second"));
    const auto p = jwks("{\"keys\":[" + (bad_first ? bad + "," + same : same + "," + bad) + "," + other + "]}");
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 1);
    CHECK(p.keys[0].kid == "other");
    const std::string usable = bad_first ? "JWKS key #2" : "JWKS key #1";
    const std::string skipped = bad_first ? "JWKS key #1" : "JWKS key #2";
    CHECK(p.warning_has(skipped + " (kid \"same\") skipped: \"k\" is not base64url"));
    CHECK(p.warning_has(usable + " (kid \"same\") skipped: " + skipped +
                        " (kid \"same\"), which could not be used, has the same kid"));
  }
  // Without the third key nothing usable remains: the set is refused.
  const auto alone = jwks("{\"keys\":[" + same + "," + bad + "]}");
  CHECK_FALSE(alone.ok);
  CHECK(alone.error_has("no usable signing key"));
}

TEST_CASE("JWK structure rejections", "[keys]") {
  const std::string xy = ",\"x\":\"" + kEcX + "\",\"y\":\"" + kEcY + "\"";
  struct Case { const char* name; std::string json; const char* message; };
  const std::vector<Case> cases = {
      {"not JSON", "{\"kty\":", "not valid JSON"},
      {"not an object", "[1,2]", "JWK: not a JSON object"},
      {"no kty", "{\"crv\":\"P-256\"" + xy + "}", "no \"kty\" member"},
      {"kty not a string", "{\"kty\":1}", "member \"kty\" must be a string"},
      {"kid not a string", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":7" + xy + "}", "member \"kid\" must be a string"},
      {"alg not a string", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":[]" + xy + "}", "member \"alg\" must be a string"},
      {"alg empty", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"\"" + xy + "}", "member \"alg\" is empty"},
      {"use not a string", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":true" + xy + "}", "member \"use\" must be a string"},
      {"use empty", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"\"" + xy + "}", "member \"use\" is empty"},
      {"issuer not a string", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"issuer\":1" + xy + "}", "member \"issuer\" must be a string"},
      {"key_ops not an array", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":\"verify\"" + xy + "}", "\"key_ops\" must be an array of strings"},
      {"key_ops with a number", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":[\"verify\",1]" + xy + "}", "\"key_ops\" must be an array of strings"},
      {"key_ops duplicate", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"key_ops\":[\"verify\",\"verify\"]" + xy + "}", "key_ops lists \"verify\" twice"},
      {"no crv", "{\"kty\":\"EC\"" + xy + "}", "no \"crv\" member"},
      {"crv not a string", "{\"kty\":\"EC\",\"crv\":256" + xy + "}", "member \"crv\" must be a string"},
      {"duplicate member at top", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kty\":\"RSA\"" + xy + "}", "duplicate member \"kty\""},
      {"duplicate member spelled with an escape", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"\\u0078\":\"AA\"" + xy + "}", "duplicate member \"x\""},
      {"duplicate member nested", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"ext\":{\"a\":1,\"a\":2}" + xy + "}", "duplicate member \"a\""},
      {"JWKS given as JWK", "{\"keys\":[]}", "this is a JWK Set"},
  };
  for (const auto& c : cases) {
    INFO(c.name << ": " << c.json);
    const auto p = jwk(c.json);
    INFO(p.diag.text());
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.error_has(c.message));
  }
}

TEST_CASE("JWKS structure rejections", "[keys]") {
  struct Case { const char* name; std::string json; const char* message; };
  const std::vector<Case> cases = {
      {"not JSON", "{\"keys\":[", "JWK Set: not valid JSON"},
      {"not an object", "[]", "JWK Set: not a JSON object"},
      {"no keys", "{}", "no \"keys\" member"},
      {"a single JWK", "{\"kty\":\"oct\",\"k\":\"AAAA\"}", "this is a single JWK"},
      {"keys not an array", "{\"keys\":{\"kty\":\"oct\"}}", "\"keys\" must be an array"},
      // A set whose only key is bad: the key is named (a warning), the set
      // refused (no usable key remains).
      {"key not an object", "{\"keys\":[\"AAAA\"]}", "JWKS key #1 skipped: not a JSON object"},
      {"key without kty", "{\"keys\":[{\"k\":\"AAAA\"}]}", "JWKS key #1 skipped: no \"kty\" member"},
      {"duplicate keys member", "{\"keys\":[],\"keys\":[]}", "duplicate member \"keys\""},
      {"duplicate member beside keys", "{\"keys\":[],\"x\":{\"a\":1,\"a\":2}}", "duplicate member \"a\""},
      {"duplicate member inside a key", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\",\"k\":\"BBBB\"}]}", "JWKS key #1 skipped: duplicate member \"k\""},
  };
  for (const auto& c : cases) {
    INFO(c.name << ": " << c.json);
    const auto p = jwks(c.json);
    INFO(p.diag.text());
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.diag.has_errors());
    CHECK_THAT(p.diag.text(), Catch::Contains(c.message));
  }
}

TEST_CASE("RSA JWK rejections", "[keys]") {
  const std::string e = ",\"e\":\"AQAB\"";
  struct Case { const char* name; std::string json; const char* message; };
  const std::vector<Case> cases = {
      {"n standard base64 with +", "{\"kty\":\"RSA\",\"n\":\"ab+d\"" + e + "}", "contains '+', so it looks like standard base64"},
      {"n standard base64 with /", "{\"kty\":\"RSA\",\"n\":\"ab/d\"" + e + "}", "contains '/'"},
      {"n padded", "{\"kty\":\"RSA\",\"n\":\"" + kRsaRfc + "==\"" + e + "}", "contains '='"},
      {"n with whitespace", "{\"kty\":\"RSA\",\"n\":\"ab d\"" + e + "}", "contains whitespace"},
      {"n with stray bits", "{\"kty\":\"RSA\",\"n\":\"AB\"" + e + "}", "\"n\" is not base64url"},
      {"n empty", "{\"kty\":\"RSA\",\"n\":\"\"" + e + "}", "member \"n\" is empty"},
      {"n not a string", "{\"kty\":\"RSA\",\"n\":5" + e + "}", "member \"n\" must be a string"},
      {"n missing", "{\"kty\":\"RSA\"" + e + "}", "needs both \"n\" and \"e\""},
      {"e missing", "{\"kty\":\"RSA\",\"n\":\"" + kRsaRfc + "\"}", "needs both \"n\" and \"e\""},
      {"neither", "{\"kty\":\"RSA\"}", "no \"n\"/\"e\" and no x5c"},
      {"e = 1", "{\"kty\":\"RSA\",\"n\":\"" + kRsaRfc + "\",\"e\":\"AQ\"}", "exponent must be odd, greater than 1"},
      {"e even", "{\"kty\":\"RSA\",\"n\":\"" + kRsaRfc + "\",\"e\":\"AQAA\"}", "exponent must be odd"},
      {"n even", "{\"kty\":\"RSA\",\"n\":\"" + kRsaRfc.substr(0, kRsaRfc.size() - 1) + "A\"" + e + "}", "modulus is not an odd number"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto p = jwk(c.json);
    INFO(p.diag.text());
    CHECK_FALSE(p.ok);
    CHECK(p.error_has(c.message));
  }
}

// Each of these sets holds one key: that key is skipped with its reason (a
// warning) and the set, left with no usable key, is refused.
TEST_CASE("RSA JWKs from Wycheproof json_web_key_test: ROCA and e = 1 are refused", "[keys]") {
  simdjson::dom::parser parser;
  auto root = load_json(parser, "vectors/wycheproof/json_web_key_test.json");
  int checked = 0;
  for (auto group : root["testGroups"].get_array()) {
    std::string_view comment;
    if (group["comment"].get(comment)) continue;
    simdjson::dom::element pub;
    if (group["public"].get(pub)) continue;
    const std::string json = simdjson::minify(pub);
    INFO(comment);
    if (comment == "jws_rsa_roca_key") {
      const auto p = jwks(json);
      CHECK_FALSE(p.ok);
      CHECK(p.warning_has("ROCA fingerprint (CVE-2017-15361)"));
      CHECK(p.error_has("no usable signing key"));
      ++checked;
    } else if (comment == "exponentOne") {
      const auto p = jwks(json);
      CHECK_FALSE(p.ok);
      CHECK(p.warning_has("exponent must be odd, greater than 1"));
      CHECK(p.error_has("no usable signing key"));
      ++checked;
    } else if (comment == "keysize_too_small") {
      // Loads (it is a well-formed key) but the 2048-bit floor refuses it.
      const auto p = jwks(json);
      REQUIRE(p.ok);
      REQUIRE(p.keys.size() == 1);
      CHECK(p.keys[0].bits == 1024);
      CHECK_FALSE(key_compatible(p.keys[0], Alg::RS256, KeyRules{}, nullptr));
      ++checked;
    } else if (comment == "invalid_point") {
      const auto p = jwks(json);
      CHECK_FALSE(p.ok);
      CHECK(p.warning_has("is not on P-256"));
      CHECK(p.error_has("no usable signing key"));
      ++checked;
    }
  }
  CHECK(checked == 4);
}

TEST_CASE("EC JWK rejections", "[keys]") {
  const EcXY p256 = ec_xy("data/keys/ec256.pub.pem", 32);
  const EcXY p521 = ec_xy("data/keys/ec521.pub.pem", 66);
  SECTION("point not on the curve") {
    EcXY off = p256;
    off.y.back() ^= 1;
    const auto p = jwk(ec_jwk("P-256", off));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("the point (x, y) is not on P-256"));
    CHECK(ERR_peek_error() == 0);
  }
  SECTION("a valid point of another curve") {
    const EcXY p384 = ec_xy("data/keys/ec384.pub.pem", 48);
    const auto p = jwk(ec_jwk("P-256", p384));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("must be 32 bytes each"));
  }
  SECTION("coordinates of the wrong length (RFC 7518 6.2.1.2)") {
    EcXY shortx = p256;
    shortx.x.erase(shortx.x.begin());
    auto p = jwk(ec_jwk("P-256", shortx));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("\"x\" is 31 and \"y\" is 32"));
    EcXY longy = p256;
    longy.y.insert(longy.y.begin(), 0);
    p = jwk(ec_jwk("P-256", longy));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("\"y\" is 33"));
    // P-521 coordinates are 66 bytes; 65 (a dropped leading zero) is refused.
    EcXY p521_short = p521;
    p521_short.x.erase(p521_short.x.begin());
    p = jwk(ec_jwk("P-521", p521_short));
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("66 bytes each"));
  }
  SECTION("missing or bad coordinates") {
    auto p = jwk("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "\"}");
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("needs both \"x\" and \"y\""));
    p = jwk("{\"kty\":\"EC\",\"crv\":\"P-256\"}");
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("no \"x\"/\"y\" and no x5c"));
    p = jwk("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + kEcX + "=\",\"y\":\"" + kEcY + "\"}");
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("\"x\" is not base64url"));
  }
  SECTION("the identity is not a point") {
    const auto p = jwk(ec_jwk("P-256", EcXY{std::vector<uint8_t>(32, 0), std::vector<uint8_t>(32, 0)}));
    CHECK_FALSE(p.ok);
  }
}

TEST_CASE("OKP and oct JWK rejections", "[keys]") {
  auto p = jwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + std::string(42, 'A') + "\"}");  // 31 bytes
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("Ed25519 public keys are 32 bytes, not 31"));
  p = jwk("{\"kty\":\"OKP\",\"crv\":\"Ed448\",\"x\":\"" + std::string(43, 'A') + "\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("Ed448 public keys are 57 bytes"));
  p = jwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("no \"x\" and no x5c"));
  p = jwk("{\"kty\":\"oct\",\"k\":\"\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("member \"k\" is empty"));
  p = jwk("{\"kty\":\"oct\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("no \"k\" member"));
  p = jwk("{\"kty\":\"oct\",\"k\":\"AAA+\"}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("looks like standard base64"));
  p = jwk("{\"kty\":\"oct\",\"k\":\"AAAA\",\"x5c\":[\"" + cert_b64() + "\"]}");
  CHECK_FALSE(p.ok);
  CHECK(p.error_has("cannot have an x5c"));
}

TEST_CASE("x5c: the leaf certificate's key, checked against n/e and thumbprints", "[keys]") {
  const std::string x5c = ",\"x5c\":[\"" + cert_b64() + "\"]";
  const std::string der = read_data("data/keys/rsa2048.cert.der");
  SECTION("x5c with matching n/e") {
    const auto p = jwk("{\"kty\":\"RSA\",\"kid\":\"c\"," + rsa_members("data/keys/rsa2048.pub.pem") + x5c + "}");
    INFO(p.diag.text());
    REQUIRE(p.ok);
    CHECK(p.keys[0].bits == 2048);
    std::string sig;
    REQUIRE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pem"), "a.b", sig));
    CHECK(verify_signature(p.keys[0], Alg::RS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
  }
  SECTION("x5c alone") {
    const auto p = jwk("{\"kty\":\"RSA\"" + x5c + "}");
    INFO(p.diag.text());
    REQUIRE(p.ok);
    CHECK(p.keys[0].type == KeyType::RSA);
  }
  SECTION("x5c whose key differs from n/e") {
    const auto p = jwk("{\"kty\":\"RSA\"," + rsa_members("data/keys/rsa2048b.pub.pem") + x5c + "}");
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("holds a different key than the JWK's own members"));
  }
  SECTION("x5c whose key type differs from kty") {
    const auto p = jwk("{\"kty\":\"EC\",\"crv\":\"P-256\"" + x5c + "}");
    CHECK_FALSE(p.ok);
    CHECK(p.error_has("holds RSA 2048-bit, not the kty/crv of this JWK"));
  }
  SECTION("thumbprints") {
    auto p = jwk("{\"kty\":\"RSA\"" + x5c + ",\"x5t\":\"" + digest_b64u("SHA1", der) + "\",\"x5t#S256\":\"" +
                 digest_b64u("SHA256", der) + "\"}");
    INFO(p.diag.text());
    REQUIRE(p.ok);
    CHECK_FALSE(p.keys[0].x5t_mismatch);
    CHECK(p.diag.items().empty());
    KeyRules strict;
    strict.check_x5t = true;
    CHECK(key_compatible(p.keys[0], Alg::RS256, strict, nullptr));
    // A thumbprint that is not the leaf's, or is malformed, is a hint that is
    // ignored (with a warning): the key loads and verifies, unless the
    // policy's check-x5t asks for the thumbprint to hold.
    struct Case { std::string member; const char* warning; };
    for (const Case& c : {Case{",\"x5t#S256\":\"" + digest_b64u("SHA256", der + "x") + "\"", "\"x5t#S256\" is not the thumbprint"},
                          Case{",\"x5t\":\"" + digest_b64u("SHA256", der) + "\"", "\"x5t\" is not the thumbprint"},
                          Case{",\"x5t\":\"not base64url!\"", "\"x5t\" is not the thumbprint"},
                          Case{",\"x5t\":42", "\"x5t\" is not a string"}}) {
      INFO(c.member);
      p = jwk("{\"kty\":\"RSA\"" + x5c + c.member + "}");
      REQUIRE(p.ok);
      CHECK(p.warning_has(c.warning));
      CHECK(p.warning_has("the thumbprint is a hint and is ignored"));
      CHECK(p.keys[0].x5t_mismatch);
      CHECK(key_compatible(p.keys[0], Alg::RS256, KeyRules{}, nullptr));
      std::string why;
      CHECK_FALSE(key_compatible(p.keys[0], Alg::RS256, strict, &why));
      CHECK(why.find("is not the thumbprint of its x5c certificate (the policy's check-x5t)") != std::string::npos);
    }
  }
  SECTION("malformed x5c") {
    std::string url = cert_b64();
    while (!url.empty() && url.back() == '=') url.pop_back();
    for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
    struct Case { std::string x5c; const char* message; };
    for (const Case& c : {Case{"\"x5c\":\"" + cert_b64() + "\"", "non-empty array"},
                          Case{"\"x5c\":[]", "non-empty array"},
                          Case{"\"x5c\":[1]", "x5c[0] must be a string"},
                          Case{"\"x5c\":[\"" + url + "\"]", "x5c[0] is not standard base64"},
                          Case{"\"x5c\":[\"AAAA\"]", "x5c[0]: not a DER X.509 certificate"},
                          Case{"\"x5c\":[\"" + cert_b64() + "\",\"AAAA\"]", "x5c[1]: not a DER X.509 certificate"}}) {
      INFO(c.x5c);
      const auto p = jwk("{\"kty\":\"RSA\"," + c.x5c + "}");
      INFO(p.diag.text());
      CHECK_FALSE(p.ok);
      CHECK(p.error_has(c.message));
      CHECK(ERR_peek_error() == 0);
    }
  }
}
