// JWE vectors through JweDecryptor, the path a token takes:
//  - Wycheproof json_web_encryption_test.json (tests/vectors/wycheproof-jwe):
//    per group, the group's "private" JWK is the only decryption key, the
//    allow-lists are jwtgate's defaults, and every "jwe" goes through
//    decrypt_compact. "valid" must decrypt to "pt" exactly; "invalid" must
//    be refused. Decisions (docs/jwe.md): RSA1_5 is refused on principle
//    (every test of the jwe_rsa1_5 group and RFC 7520 figure 81, reason
//    jwe_algorithm_refused), and so is compressed content (tcId 135, RFC
//    7520 figure 170, "zip"). tcId 22 is the JSON serialization of the valid
//    tcId 1, marked invalid for a compact-only consumer: decrypt_compact
//    refuses it (malformed), and the library's decrypt_json opens it.
//  - the JOSE cookbook, RFC 7520 section 5 (tests/vectors/jose-cookbook/jwe):
//    every compact, flattened and general JSON output with input.key (5.13:
//    its three keys); 5.1 (RSA1_5), 5.3 (PBES2) and 5.9 (zip) are refused
//    with jwe_algorithm_refused; 5.13's general serialization opens with
//    its ECDH-ES+A256KW and A256GCMKW recipients, its RSA1_5 recipient is
//    skipped.
// The counts are printed and pinned.
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <simdjson.h>

#include "jwe/decryption_key.h"
#include "jwe/jwe_decrypt.h"
#include "test_support.h"

using namespace jwtgate;
using jwtgate_test::from_hex;
using jwtgate_test::read_data;

namespace {

struct Counts {
  int valid_accepted = 0, valid_refused_by_decision = 0, invalid_refused = 0, acceptable_refused = 0;
  int failures = 0;
};

DecryptionKeySet keys_from(std::string_view jwk_json) {
  std::vector<DecryptionKey> keys;
  Diagnostics diag;
  if (!load_decryption_jwks(jwk_json, keys, diag)) FAIL("key does not load: " << diag.text());
  return keys;
}

JweDecryptOptions default_options() {
  JweDecryptOptions o;
  o.key_rules.min_rsa_bits = 2048;
  return o;
}

TokenLimits big_limits() {
  TokenLimits l;
  l.max_token_bytes = 64 * 1024;
  return l;
}

}  // namespace

TEST_CASE("Wycheproof json_web_encryption_test.json through JweDecryptor", "[jwe]") {
  const std::string text = read_data("vectors/wycheproof-jwe/json_web_encryption_test.json");
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(text);
  Counts c;
  std::map<std::string, int> refusals;  // reason name -> count
  JweDecryptor d;
  for (simdjson::dom::element g : root["testGroups"].get_array()) {
    const std::string key_json = simdjson::minify(g["private"]);
    const DecryptionKeySet keys = keys_from(key_json);
    const std::string_view comment = g["comment"].get_string().value();
    for (simdjson::dom::element t : g["tests"].get_array()) {
      const int64_t id = t["tcId"].get_int64().value();
      const std::string_view result = t["result"].get_string().value();
      bool compressed = false;
      for (simdjson::dom::element f : t["flags"].get_array())
        compressed = compressed || f.get_string().value() == "CompressedPlaintext";
      simdjson::dom::element jwe = t["jwe"];
      const std::string token = jwe.is_string() ? std::string(jwe.get_string().value())
                                                : simdjson::minify(jwe);
      ParseFailure pf;
      const bool ok = d.decrypt_compact(token, big_limits(), keys, default_options(), pf);
      INFO("tcId " << id << " (" << comment << ", " << result << "): " << pf.detail);
      const bool rsa1_5 = token.rfind("eyJhbGciOiJSU0ExXzUi", 0) == 0;  // {"alg":"RSA1_5"
      const bool by_decision = result == "valid" && (rsa1_5 || compressed);
      if (result == "valid" && !by_decision) {
        CHECK(ok);
        if (ok) {
          const std::vector<uint8_t> pt = from_hex(t["pt"].get_string().value());
          CHECK(d.plaintext() == std::string_view(reinterpret_cast<const char*>(pt.data()), pt.size()));
          ++c.valid_accepted;
        }
      } else {
        CHECK_FALSE(ok);
        if (!ok) {
          ++refusals[jwtgate_reason_str(pf.reason)];
          if (by_decision) {
            CHECK(pf.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
            ++c.valid_refused_by_decision;
          } else if (result == "acceptable") {
            ++c.acceptable_refused;
          } else {
            ++c.invalid_refused;
          }
        }
        if (rsa1_5 && !ok) CHECK(pf.detail.find("Bleichenbacher") != std::string::npos);
      }
      if (id == 22) {
        // The JSON serialization of tcId 1: refused as a compact token, opened
        // by the JSON API.
        CHECK(pf.reason == JWTGATE_REASON_MALFORMED);
        ParseFailure jf;
        CHECK(d.decrypt_json(token, big_limits(), keys, default_options(), jf));
        CHECK(d.plaintext() == "foo");
      }
    }
  }
  std::printf("json_web_encryption_test.json: %d valid accepted, %d valid refused by decision "
              "(RSA1_5, zip), %d invalid refused, %d acceptable refused\n",
              c.valid_accepted, c.valid_refused_by_decision, c.invalid_refused,
              c.acceptable_refused);
  for (const auto& [reason, n] : refusals) std::printf("  refused %-24s %d\n", reason.c_str(), n);
  CHECK(c.valid_accepted == 56);
  CHECK(c.valid_refused_by_decision == 9);
  CHECK(c.invalid_refused == 74);
  CHECK(c.acceptable_refused == 0);
}

TEST_CASE("JOSE cookbook RFC 7520 section 5 through JweDecryptor", "[jwe]") {
  const char* const kFiles[] = {
      "5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json",
      "5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json",
      "5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json",
      "5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json",
      "5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json",
      "5_6.direct_encryption_using_aes-gcm.json",
      "5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json",
      "5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json",
      "5_9.compressed_content.json",
      "5_10.including_additional_authentication_data.json",
      "5_11.protecting_specific_header_fields.json",
      "5_12.protecting_content_only.json",
      "5_13.encrypting_to_multiple_recipients.json",
  };
  int opened = 0, refused = 0;
  JweDecryptor d;
  for (const char* name : kFiles) {
    const std::string text = read_data(std::string("vectors/jose-cookbook/jwe/") + name);
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(text);
    const std::string file(name);
    const bool refused_file = file.rfind("5_1.", 0) == 0 || file.rfind("5_3.", 0) == 0 ||
                              file.rfind("5_9.", 0) == 0;
    std::string plaintext(root["input"]["plaintext"].get_string().value());
    DecryptionKeySet keys;
    simdjson::dom::element key;
    if (root["input"]["key"].get(key)) {
      // 5.3 (PBES2) has a password, no key.
    } else if (key.is_array()) {
      for (simdjson::dom::element k : key.get_array()) {
        DecryptionKeySet one = keys_from(simdjson::minify(k));
        keys.insert(keys.end(), one.begin(), one.end());
      }
    } else if (key.is_object()) {
      keys = keys_from(simdjson::minify(key));
    }
    simdjson::dom::object out = root["output"].get_object();
    for (const char* form : {"compact", "json_flat", "json"}) {
      simdjson::dom::element v;
      if (out[form].get(v)) continue;
      ParseFailure pf;
      const bool ok = v.is_string()
                          ? d.decrypt_compact(v.get_string().value(), big_limits(), keys,
                                              default_options(), pf)
                          : d.decrypt_json(simdjson::minify(v), big_limits(), keys,
                                           default_options(), pf);
      INFO(name << " " << form << ": " << pf.detail);
      if (refused_file) {
        CHECK_FALSE(ok);
        CHECK(pf.reason == JWTGATE_REASON_JWE_ALGORITHM_REFUSED);
        refused += !ok;
      } else {
        CHECK(ok);
        if (ok) CHECK(d.plaintext() == plaintext);
        opened += ok;
      }
    }
  }
  std::printf("jose-cookbook/jwe: %d outputs opened, %d refused (5.1 RSA1_5, 5.3 PBES2, 5.9 zip)\n",
              opened, refused);
  CHECK(opened == 25);
  CHECK(refused == 9);
}
