// Full validation: an attacker's token through jwtgate_validate_token against
// a fixed policy (audience, issuer, required claims, clock skew, every
// algorithm the keys can verify) and a fixed key set holding one HMAC, RSA,
// EC (P-256) and Ed25519 key, at a fixed time, then the result rendered as
// JSON. Every stage runs, from the size limit to the required claims and
// APIM's response text; the seed corpus holds valid tokens signed with each
// key, so the accept path is reached too. Every text the result gives (the
// message, each failure's subject and detail, the result JSON, the
// explanation and its JSON) must be clean: no raw control character, valid
// UTF-8, one line, and the JSON must parse back.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <simdjson.h>

#include "fuzz_support.h"

namespace {

// examples/article/now.txt: the seed tokens are valid at this instant.
constexpr int64_t kNow = 1764401000;

constexpr char kPolicy[] = R"(<validate-jwt header-name="Authorization" clock-skew="60">
  <audiences><audience>api://jwtgate-fuzz</audience></audiences>
  <issuers><issuer>https://issuer.jwtgate.test/</issuer></issuers>
  <required-claims>
    <claim name="scp" match="any" separator=" "><value>read</value><value>write</value></claim>
    <claim name="roles" match="all"><value>reader</value></claim>
  </required-claims>
  <jwtgate algorithms="HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 EdDSA"/>
</validate-jwt>)";

const jwtgate_validator* validator() {
  static const jwtgate_validator* const v = [] {
    jwtgate_policy* policy = nullptr;
    jwtgate_keyset_builder* b = jwtgate_keyset_builder_new();
    jwtgate_keyset* keys = nullptr;
    jwtgate_validator* out = nullptr;
    using namespace jwtgate_fuzz;
    const jwtgate_status s[] = {
        jwtgate_policy_load(&policy, nullptr, kPolicy, sizeof kPolicy - 1, nullptr),
        jwtgate_keyset_builder_add(b, nullptr, JWTGATE_KEY_PEM, kRsa2048Pem, std::strlen(kRsa2048Pem), "rsa"),
        jwtgate_keyset_builder_add(b, nullptr, JWTGATE_KEY_PEM, kEc256Pem, std::strlen(kEc256Pem), "ec"),
        jwtgate_keyset_builder_add(b, nullptr, JWTGATE_KEY_PEM, kEd25519Pem, std::strlen(kEd25519Pem), "ed"),
        jwtgate_keyset_builder_add(b, nullptr, JWTGATE_KEY_SYMMETRIC_BASE64, kHmacSecretBase64,
                                   std::strlen(kHmacSecretBase64), "hs"),
        jwtgate_keyset_builder_build(b, &keys),
        jwtgate_validator_new(&out, nullptr, policy, keys),
    };
    for (jwtgate_status st : s)
      if (st != JWTGATE_OK) std::abort();  // the fixture itself is broken
    jwtgate_keyset_builder_free(b);
    jwtgate_keyset_free(keys);
    jwtgate_policy_free(policy);
    return out;
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_result* r = jwtgate_result_new();
  const jwtgate_status s =
      jwtgate_validate_token(validator(), r, reinterpret_cast<const char*>(data), size, kNow);
  jwtgate_fuzz::check_status(s);
  // The status and the result must give the same verdict.
  if ((s == JWTGATE_OK) != (jwtgate_result_valid(r) == 1)) std::abort();
  // Whatever the token held, the text of the result is clean single lines
  // (the explanation: lines of its own) and its JSON parses back.
  using jwtgate_fuzz::check_clean;
  check_clean(jwtgate_result_message(r));
  for (size_t i = 0; i < jwtgate_result_failure_count(r); ++i) {
    check_clean(jwtgate_result_failure_subject(r, i));
    check_clean(jwtgate_result_failure_detail(r, i));
  }
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  for (const char* json : {jwtgate_result_to_json(r), jwtgate_result_explain_json(r)}) {
    if (json == nullptr) std::abort();
    const std::string text(json);
    check_clean(text);
    if (parser.parse(text).get(parsed) != simdjson::SUCCESS) std::abort();
  }
  const char* explained = jwtgate_result_explain(r, 0);
  if (explained == nullptr) std::abort();
  check_clean(explained, true);
  jwtgate_result_free(r);
  return 0;
}
