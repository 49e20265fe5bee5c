// Key sets as identity providers publish them beyond RFC 7517: the key map
// of Google and Firebase Authentication ({"<kid>": "<PEM certificate>"}),
// and Auth0's x5t (base64url of the hexadecimal SHA-1 thumbprint, not of the
// thumbprint's bytes), which is a hint jwtgate ignores.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <vector>

#include <openssl/evp.h>

#include "crypto/key_material.h"
#include "encoding/base64url.h"
#include "keys/key_parsers.h"
#include "sign.h"
#include "parsed_keys.h"
#include "test_support.h"

using namespace jwtgate;
using jwtgate_test::read_data;

namespace {

using Parsed = jwtgate_test::ParsedKeys;

template <typename Fn>
Parsed run(Fn parse, const std::string& data) {
  Parsed p;
  p.ok = parse(data, p.keys, p.diag);
  return p;
}

// A JSON string literal of |text| (PEM has newlines).
std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '"' || c == '\\') out += std::string("\\") + c;
    else out += c;
  }
  return out + "\"";
}

const std::string& cert() {
  static const std::string pem = read_data("data/keys/rsa2048.cert.pem");
  return pem;
}

bool verifies(const Key& k) {
  std::string sig;
  REQUIRE(sign_with_pem(Alg::RS256, read_data("data/keys/rsa2048.pem"), "a.b", sig));
  return verify_signature(k, Alg::RS256, "a.b", reinterpret_cast<const uint8_t*>(sig.data()), sig.size());
}

}  // namespace

TEST_CASE("key map: kid -> PEM certificate, as Google and Firebase publish", "[keys]") {
  const std::string map = "{\"a1b2\": " + json_string(cert()) + ", \"c3d4\": " +
                          json_string(read_data("data/keys/rsa2048b.pub.pem")) + "}";
  for (auto parse : {parse_pem_map, parse_keys_auto, parse_published_key_set}) {
    const Parsed p = run(parse, map);
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 2);
    CHECK(p.keys[0].kid == "a1b2");
    CHECK(p.keys[0].has_kid);
    CHECK(p.keys[0].kid_bound);
    CHECK(p.keys[0].origin == "key map entry \"a1b2\"");
    CHECK(p.keys[0].type == KeyType::RSA);
    CHECK(verifies(p.keys[0]));
    CHECK(p.keys[1].kid == "c3d4");
    CHECK_FALSE(verifies(p.keys[1]));
    CHECK(p.diag.items().empty());
  }
}

TEST_CASE("key map: unusable entries are skipped and named; none usable is an error", "[keys]") {
  const std::string good = "\"good\": " + json_string(cert());
  struct Case { std::string entry; const char* warning; };
  for (const Case& c : {Case{"\"num\": 5", "key map entry \"num\" skipped: its value is not a PEM string"},
                        Case{"\"\": " + json_string(cert()), "key map entry \"\" skipped: the key id is empty"},
                        Case{"\"priv\": " + json_string(read_data("data/keys/rsa2048.pem")),
                             "key map entry \"priv\" skipped: PEM block #1 (PRIVATE KEY): a private key was given"},
                        Case{"\"two\": " + json_string(cert() + cert()),
                             "key map entry \"two\" skipped: it holds 2 keys; one key id names one key"},
                        Case{"\"text\": \"not pem\"", "key map entry \"text\" skipped: "}}) {
    INFO(c.entry);
    // Auto-detection needs every value to be a string; the explicit format
    // reads any object.
    Parsed p = run(parse_pem_map, "{" + good + ", " + c.entry + "}");
    INFO(p.diag.text());
    REQUIRE(p.ok);
    REQUIRE(p.keys.size() == 1);
    CHECK(p.keys[0].kid == "good");
    CHECK(p.has(c.warning, true));
    p = run(parse_pem_map, "{" + c.entry + "}");
    CHECK_FALSE(p.ok);
    CHECK(p.keys.empty());
    CHECK(p.has("key map: no usable key (every entry was skipped)", false));
  }
  const Parsed dup = run(parse_pem_map, "{" + good + ", " + good + "}");
  CHECK_FALSE(dup.ok);
  CHECK(dup.has("key map: key id \"good\" is given twice", false));
  CHECK_FALSE(run(parse_pem_map, "[1]").ok);
  CHECK_FALSE(run(parse_pem_map, "{}").ok);
  // Auto-detection: an object of strings, PEM among them, is a key map;
  // anything else that is neither a JWK Set nor a JWK is an error naming the
  // three forms.
  for (const std::string& other : {"{" + good + ", \"n\": 1}", std::string("{\"alg\": \"RS256\"}")}) {
    const Parsed p = run(parse_keys_auto, other);
    CHECK_FALSE(p.ok);
    CHECK(p.has("neither a JWK Set (no \"keys\"), a JWK (no \"kty\") nor a key map", false));
  }
  const Parsed one_bad = run(parse_keys_auto, "{" + good + ", \"text\": \"not pem\"}");
  CHECK(one_bad.ok);
  CHECK(one_bad.keys.size() == 1);
  // parse_published_key_set reads JWK Sets as parse_published_jwks does.
  const Parsed set = run(parse_published_key_set, "{\"keys\": [{\"kty\":\"oct\",\"k\":\"AAAA\"}]}");
  CHECK_FALSE(set.ok);
}

TEST_CASE("Auth0's x5t, base64url of the hex thumbprint, is a hint: the key loads", "[keys]") {
  const std::string der = read_data("data/keys/rsa2048.cert.der");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  REQUIRE(EVP_Digest(der.data(), der.size(), md, &len, EVP_sha1(), nullptr) == 1);
  std::string hex;
  static const char* const kHex = "0123456789ABCDEF";
  for (unsigned i = 0; i < len; ++i) hex += std::string{kHex[md[i] >> 4], kHex[md[i] & 15]};
  const std::string x5t = base64url_encode(reinterpret_cast<const uint8_t*>(hex.data()), hex.size());
  const std::string x5c = base64_encode(reinterpret_cast<const uint8_t*>(der.data()), der.size());
  const std::string set = "{\"keys\":[{\"alg\":\"RS256\",\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + x5t +
                          "\",\"x5t\":\"" + x5t + "\",\"x5c\":[\"" + x5c + "\"]}]}";
  const Parsed p = run(parse_jwks, set);
  INFO(p.diag.text());
  REQUIRE(p.ok);
  REQUIRE(p.keys.size() == 1);
  CHECK(p.keys[0].x5t_mismatch);
  CHECK(p.has("\"x5t\" is not the thumbprint of the x5c leaf certificate; the thumbprint is a hint", true));
  CHECK(key_compatible(p.keys[0], Alg::RS256, KeyRules{}, nullptr));
  CHECK(verifies(p.keys[0]));
  KeyRules strict;
  strict.check_x5t = true;
  CHECK_FALSE(key_compatible(p.keys[0], Alg::RS256, strict, nullptr));
}
