// Every rejection of the validator, end to end (policy -> keys -> token ->
// result), asserting the exact reason code and subject. One row per rule.
#include <catch2/catch.hpp>

#include <string>

#include "keys/key_parsers.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/result.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::b64url;
using jwtgate_test::make_token;
using jwtgate_test::read_data;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes: HS256-sized
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

std::string claims_with(const std::string& extra) {
  std::string c = "{\"iss\":\"https://a.example\",\"aud\":\"api://demo\",\"sub\":\"alice\",\"exp\":" +
                  std::to_string(kNow + 600);
  if (!extra.empty()) c += "," + extra;
  return c + "}";
}

// A policy around HS256 and the RSA test key, with optional extra members.
std::shared_ptr<const Policy> policy(const std::string& extra = "") {
  std::string text =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://a.example\"],"
      " \"audiences\": [\"api://demo\"], \"issuer-signing-keys\": [{\"id\": \"hk\", \"value\": \"" +
      kSecretB64 + "\"}]" + (extra.empty() ? "" : ", " + extra) + "}}";
  Diagnostics diag;
  auto p = load_policy(text, LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

KeySetPtr rsa_keys(const char* file = "data/keys/rsa2048.pub.pem", const char* kid = "rk") {
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_pem(read_data(file), keys, diag));
  for (auto& k : keys) {
    k.kid = kid;
    k.has_kid = true;
  }
  return std::make_shared<const KeySet>(std::move(keys));
}

std::string hs(const std::string& claims, const std::string& header = "{\"alg\":\"HS256\",\"kid\":\"hk\"}") {
  return make_token(header, claims, "HS256", kSecret);
}

struct Outcome {
  bool valid;
  jwtgate_reason reason;
  std::string subject;
  size_t count;
  std::string message;
};

Outcome run(const std::shared_ptr<const Policy>& p, const std::string& token, KeySetPtr keys = nullptr,
            int64_t now = kNow) {
  Validator v(p, std::move(keys));
  Result r;
  bool ok = v.validate_token(token, now, r);
  CHECK(ok == r.valid);
  return Outcome{ok, r.reason, r.failures.empty() ? "" : r.failures[0].subject, r.failures.size(),
                 r.message};
}

void expect_reason(const std::shared_ptr<const Policy>& p, const std::string& token,
                   jwtgate_reason want, KeySetPtr keys = nullptr, int64_t now = kNow) {
  Validator v(p, std::move(keys));
  Result r;
  bool ok = v.validate_token(token, now, r);
  std::string seen;
  for (const auto& f : r.failures) seen += std::string(jwtgate_reason_str(f.reason)) + ": " + f.detail + "\n";
  INFO("token: " << token << "\nfailures:\n" << seen);
  CHECK_FALSE(ok);
  CHECK(r.reason == want);
  CHECK(r.http_status == 401);
}

}  // namespace

TEST_CASE("a well-formed HS256 token is valid", "[validate]") {
  auto o = run(policy(), hs(claims_with("")));
  CHECK(o.valid);
  CHECK(o.count == 0);
}

TEST_CASE("format rejections carry their own reason", "[validate]") {
  auto p = policy();
  const std::string good = hs(claims_with(""));
  const std::string h = b64url("{\"alg\":\"HS256\"}"), c = b64url(claims_with(""));
  expect_reason(p, "", JWTGATE_REASON_TOKEN_NOT_PRESENT);
  expect_reason(p, h + "." + c, JWTGATE_REASON_MALFORMED);
  expect_reason(p, good + ".x", JWTGATE_REASON_MALFORMED);
  expect_reason(p, "a.b.c.d.e", JWTGATE_REASON_JWE_NOT_SUPPORTED);
  expect_reason(p, h + "=." + c + ".sig", JWTGATE_REASON_BAD_BASE64URL);
  expect_reason(p, b64url("[1]") + "." + c + ".c2ln", JWTGATE_REASON_NOT_JSON_OBJECT);
  expect_reason(p, b64url("{\"alg\":") + "." + c + ".c2ln", JWTGATE_REASON_BAD_JSON);
  expect_reason(p, hs("{\"exp\":1,\"exp\":2}"), JWTGATE_REASON_DUPLICATE_MEMBER);
  expect_reason(p, hs(claims_with(""), "{\"alg\":\"HS256\",\"alg\":\"HS256\"}"),
                JWTGATE_REASON_DUPLICATE_MEMBER);
}

TEST_CASE("alg none is refused in every spelling, with or without a signature", "[validate]") {
  auto p = policy();
  for (std::string alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string t = b64url("{\"alg\":\"" + alg + "\"}") + "." + b64url(claims_with(""));
    expect_reason(p, t + ".", JWTGATE_REASON_ALG_NONE);
    expect_reason(p, t + ".c2ln", JWTGATE_REASON_ALG_NONE);
  }
}

TEST_CASE("header rules: crit, embedded keys, b64, alg type", "[validate]") {
  auto p = policy();
  const std::string c = claims_with("");
  expect_reason(p, hs(c, "{\"alg\":\"HS256\",\"crit\":[\"exp-ext\"],\"exp-ext\":1}"), JWTGATE_REASON_CRIT_UNSUPPORTED);
  expect_reason(p, hs(c, "{\"alg\":\"HS256\",\"crit\":[]}"), JWTGATE_REASON_CRIT_UNSUPPORTED);
  expect_reason(p, hs(c, "{\"alg\":\"HS256\",\"crit\":[\"absent\"]}"), JWTGATE_REASON_CRIT_UNSUPPORTED);
  for (std::string m : {"jwk", "jku", "x5u", "x5c"})
    expect_reason(p, hs(c, "{\"alg\":\"HS256\",\"" + m + "\":\"x\"}"), JWTGATE_REASON_EMBEDDED_KEY);
  expect_reason(p, hs(c, "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}"), JWTGATE_REASON_B64_UNSUPPORTED);
  expect_reason(p, hs(c, "{\"alg\":5}"), JWTGATE_REASON_HEADER_INVALID);
  expect_reason(p, hs(c, "{\"typ\":\"JWT\"}"), JWTGATE_REASON_ALG_MISSING);
}

TEST_CASE("size and depth limits", "[validate]") {
  auto small = policy("\"jwtgate\": {\"max-token-bytes\": 100}");
  expect_reason(small, hs(claims_with("\"pad\":\"" + std::string(200, 'x') + "\"")), JWTGATE_REASON_TOO_LARGE);
  auto shallow = policy("\"jwtgate\": {\"max-json-depth\": 2}");
  expect_reason(shallow, hs(claims_with("\"deep\":{\"a\":{\"b\":{\"c\":1}}}")), JWTGATE_REASON_JSON_TOO_DEEP);
}

TEST_CASE("algorithm allow-list and typ", "[validate]") {
  const std::string c = claims_with("");
  expect_reason(policy(), b64url("{\"alg\":\"HS1024\"}") + "." + b64url(c) + ".c2ln", JWTGATE_REASON_ALG_UNKNOWN);
  // RS384 is not in APIM's documented set, so not in the default allow-list.
  const std::string rs384 = make_token("{\"alg\":\"RS384\",\"kid\":\"rk\"}", c, "RS384", jwtgate_test::rsa_private_pem());
  expect_reason(policy(), rs384, JWTGATE_REASON_ALG_NOT_ALLOWED, rsa_keys());
  CHECK(run(policy("\"jwtgate\": {\"algorithms\": [\"RS384\"]}"), rs384, rsa_keys()).valid);
  // HS256 is valid by default but not when the policy narrows to RS256.
  expect_reason(policy("\"jwtgate\": {\"algorithms\": [\"RS256\"]}"), hs(c), JWTGATE_REASON_ALG_NOT_ALLOWED);
  auto typed = policy("\"jwtgate\": {\"typ\": \"at+jwt\"}");
  expect_reason(typed, hs(c), JWTGATE_REASON_TYP_MISMATCH);
  expect_reason(typed, hs(c, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), JWTGATE_REASON_TYP_MISMATCH);
  CHECK(run(typed, hs(c, "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}")).valid);
  CHECK(run(typed, hs(c, "{\"alg\":\"HS256\",\"typ\":\"application/AT+JWT\"}")).valid);
}

TEST_CASE("ES256K (RFC 8812): off by default like ES384, and bound to secp256k1 keys", "[validate]") {
  const std::string c = claims_with("");
  const std::string k1 = read_data("data/keys/ec256k.pem");
  const std::string es256k = make_token("{\"alg\":\"ES256K\",\"kid\":\"k1\"}", c, "ES256K", k1);
  const auto k1_keys = [] { return rsa_keys("data/keys/ec256k.pub.pem", "k1"); };
  // APIM documents PS256, RS256, RS512, ES256 and HS256; ES256K, like ES384
  // and ES512, is accepted only when the policy's algorithms name it.
  expect_reason(policy(), es256k, JWTGATE_REASON_ALG_NOT_ALLOWED, k1_keys());
  auto p = policy("\"jwtgate\": {\"algorithms\": [\"ES256\", \"ES256K\"]}");
  CHECK(run(p, es256k, k1_keys()).valid);
  std::string tampered = es256k;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  expect_reason(p, tampered, JWTGATE_REASON_SIGNATURE_INVALID, k1_keys());

  const auto first = [](const std::shared_ptr<const Policy>& pol, const std::string& token, KeySetPtr keys) {
    Validator v(pol, std::move(keys));
    Result r;
    CHECK_FALSE(v.validate_token(token, kNow, r));
    REQUIRE_FALSE(r.failures.empty());
    return r.failures[0];
  };
  // The kid names a key of the other 256-bit curve: the alg/key binding
  // refuses it before any verification (RFC 8812 3.2, RFC 7518 3.4).
  auto f = first(p, make_token("{\"alg\":\"ES256K\",\"kid\":\"p\"}", c, "ES256K", k1),
                 rsa_keys("data/keys/ec256.pub.pem", "p"));
  CHECK(f.reason == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(f.subject == "kid");
  CHECK(f.detail == "the key with kid \"p\" cannot verify \"ES256K\": key kid \"p\" is EC P-256; ES256K needs an "
                    "EC secp256k1 key (RFC 8812 3.2)");
  f = first(p, make_token("{\"alg\":\"ES256\",\"kid\":\"k1\"}", c, "ES256", jwtgate_test::ec_private_pem()),
            k1_keys());
  CHECK(f.reason == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(f.subject == "kid");
  CHECK(f.detail == "the key with kid \"k1\" cannot verify \"ES256\": key kid \"k1\" is EC secp256k1; ES256 needs "
                    "an EC P-256 key (RFC 7518 3.4)");
  // Without a kid, no key fits: the same sentence, as the reason no key was found.
  Diagnostics diag;
  auto keyless = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"jwtgate\": {\"algorithms\": [\"ES256\", \"ES256K\"]}}}",
      LoadOptions{}, diag);
  REQUIRE(keyless);
  f = first(keyless, make_token("{\"alg\":\"ES256K\"}", c, "ES256K", k1), rsa_keys("data/keys/ec256.pub.pem", "p"));
  CHECK(f.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(f.detail == "no configured key can verify \"ES256K\" (key kid \"p\" is EC P-256; ES256K needs an EC "
                    "secp256k1 key (RFC 8812 3.2))");
}

TEST_CASE("signature and key selection", "[validate]") {
  const std::string c = claims_with("");
  auto p = policy();
  std::string t = hs(c);
  std::string tampered = t.substr(0, t.size() - 2) + (t[t.size() - 2] == 'A' ? "B" : "A") + t.back();
  expect_reason(p, tampered, JWTGATE_REASON_SIGNATURE_INVALID);
  expect_reason(p, t.substr(0, t.rfind('.') + 1), JWTGATE_REASON_SIGNATURE_MISSING);
  // A token whose kid matches no key is tried against every compatible key
  // (APIM's fallback): it verifies with the policy key "hk".
  CHECK(run(p, hs(c, "{\"alg\":\"HS256\",\"kid\":\"rotated\"}")).valid);
  // ...and if none verifies, the kid is what is reported (IDX10503).
  auto other = make_token("{\"alg\":\"HS256\",\"kid\":\"rotated\"}", c, "HS256", std::string(32, 'z'));
  auto o = run(p, other);
  CHECK(o.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(o.subject == "rotated");
  // A policy without keys.
  Diagnostics diag;
  auto bare = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\"}}", LoadOptions{}, diag);
  REQUIRE(bare);
  expect_reason(bare, t, JWTGATE_REASON_NO_KEYS);
}

TEST_CASE("algorithm confusion: HMAC with public-key bytes never verifies", "[validate]") {
  Diagnostics diag;
  auto rsa_only = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"jwtgate\": {\"algorithms\": [\"RS256\", \"HS256\"]}}}",
      LoadOptions{}, diag);
  REQUIRE(rsa_only);
  const std::string c = claims_with("");
  for (const char* file : {"data/keys/rsa2048.pub.pem", "data/keys/rsa2048.pub.der"}) {
    const std::string forged = make_token("{\"alg\":\"HS256\",\"kid\":\"rk\"}", c, "HS256", read_data(file));
    auto o = run(rsa_only, forged, rsa_keys());
    CHECK_FALSE(o.valid);
    CHECK((o.reason == JWTGATE_REASON_SIGNATURE_INVALID || o.reason == JWTGATE_REASON_KEY_NOT_FOUND));
  }
  // Without a kid: no compatible key at all.
  const std::string forged = make_token("{\"alg\":\"HS256\"}", c, "HS256", read_data("data/keys/rsa2048.pub.pem"));
  CHECK(run(rsa_only, forged, rsa_keys()).reason == JWTGATE_REASON_KEY_NOT_FOUND);
}

TEST_CASE("key floors: RSA bits and HMAC length", "[validate]") {
  const std::string c = claims_with("");
  const std::string t = make_token("{\"alg\":\"RS256\"}", c, "RS256", read_data("data/keys/rsa1024.pem"));
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\"}}", LoadOptions{}, diag);
  REQUIRE(p);
  expect_reason(p, t, JWTGATE_REASON_KEY_NOT_FOUND, rsa_keys("data/keys/rsa1024.pub.pem"));
  auto lenient = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"jwtgate\": {\"min-rsa-bits\": 1024}}}",
      LoadOptions{}, diag);
  REQUIRE(lenient);
  CHECK(run(lenient, t, rsa_keys("data/keys/rsa1024.pub.pem")).valid);

  // A 16-byte HMAC key: refused for HS256 by default (RFC 7518 3.2), accepted
  // with min-hmac-bits 128 as APIM does.
  const std::string short_key = "0123456789abcdef";
  const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": "
                           "[{\"value\": \"MDEyMzQ1Njc4OWFiY2RlZg==\"}]%s}}";
  char strict[512], apim[512];
  std::snprintf(strict, sizeof strict, text.c_str(), "");
  std::snprintf(apim, sizeof apim, text.c_str(), ", \"jwtgate\": {\"min-hmac-bits\": 128}");
  const std::string st = make_token("{\"alg\":\"HS256\"}", c, "HS256", short_key);
  auto ps = load_policy(strict, LoadOptions{}, diag);
  auto pa = load_policy(apim, LoadOptions{}, diag);
  REQUIRE(ps);
  REQUIRE(pa);
  expect_reason(ps, st, JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(run(pa, st).valid);
}

TEST_CASE("lifetime: exp, nbf, iat and clock skew", "[validate]") {
  auto p = policy();
  auto tok = [](const std::string& times) {
    return hs("{\"iss\":\"https://a.example\",\"aud\":\"api://demo\"" + (times.empty() ? "" : "," + times) + "}");
  };
  expect_reason(p, tok(""), JWTGATE_REASON_EXP_MISSING);
  CHECK(run(policy("\"require-expiration-time\": false"), tok("")).valid);
  for (std::string bad : {"\"exp\":\"1900000000\"", "\"exp\":true", "\"exp\":null", "\"exp\":1e20",
                          "\"exp\":-5", "\"exp\":18446744073709551615", "\"exp\":[1]"})
    expect_reason(p, tok(bad), JWTGATE_REASON_TIME_CLAIM_INVALID);
  const std::string exp = "\"exp\":" + std::to_string(kNow);
  expect_reason(p, tok(exp), JWTGATE_REASON_EXPIRED);  // RFC 7519: on or after exp
  CHECK(run(p, tok(exp), nullptr, kNow - 1).valid);
  CHECK(run(p, tok("\"exp\":1800000000.5"), nullptr, kNow).valid);  // fractional NumericDate
  // clock-skew widens both ends.
  auto skew = policy("\"clock-skew\": 10");
  CHECK(run(skew, tok(exp), nullptr, kNow + 9).valid);
  expect_reason(skew, tok(exp), JWTGATE_REASON_EXPIRED, nullptr, kNow + 10);
  const std::string later = "\"exp\":" + std::to_string(kNow + 600);
  expect_reason(p, tok(later + ",\"nbf\":" + std::to_string(kNow + 5)), JWTGATE_REASON_NOT_YET_VALID);
  CHECK(run(skew, tok(later + ",\"nbf\":" + std::to_string(kNow + 5))).valid);
  expect_reason(p, tok(later + ",\"nbf\":\"soon\""), JWTGATE_REASON_TIME_CLAIM_INVALID);
  expect_reason(p, tok("\"exp\":" + std::to_string(kNow + 10) + ",\"nbf\":" + std::to_string(kNow + 20)),
                JWTGATE_REASON_NOT_YET_VALID);
  auto iat = policy("\"jwtgate\": {\"reject-future-iat\": true}");
  expect_reason(iat, tok(later + ",\"iat\":" + std::to_string(kNow + 60)), JWTGATE_REASON_IAT_IN_FUTURE);
  CHECK(run(p, tok(later + ",\"iat\":" + std::to_string(kNow + 60))).valid);  // off by default
  expect_reason(p, tok(later + ",\"iat\":\"x\""), JWTGATE_REASON_TIME_CLAIM_INVALID);
}

TEST_CASE("issuer: exact, case-sensitive, never a substring", "[validate]") {
  auto p = policy();
  auto with_iss = [](const std::string& iss) {
    return hs("{" + iss + "\"aud\":\"api://demo\",\"exp\":" + std::to_string(kNow + 60) + "}");
  };
  CHECK(run(p, with_iss("\"iss\":\"https://a.example\",")).valid);
  for (std::string bad : {"\"iss\":\"https://a.example.evil\",", "\"iss\":\"https://a\",",
                          "\"iss\":\"HTTPS://A.EXAMPLE\",", "\"iss\":\"https://a.example/\",",
                          "\"iss\":\"\",", ""})
    expect_reason(p, with_iss(bad), JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  // Not a string: the type is wrong before the value is (test_claim_types.cpp).
  for (std::string bad : {"\"iss\":[\"https://a.example\"],", "\"iss\":null,"})
    expect_reason(p, with_iss(bad), JWTGATE_REASON_CLAIM_TYPE_INVALID);
}

TEST_CASE("audience: string or array, exact", "[validate]") {
  auto p = policy();
  auto with_aud = [](const std::string& aud) {
    return hs("{\"iss\":\"https://a.example\"," + aud + "\"exp\":" + std::to_string(kNow + 60) + "}");
  };
  CHECK(run(p, with_aud("\"aud\":\"api://demo\",")).valid);
  CHECK(run(p, with_aud("\"aud\":[\"other\",\"api://demo\"],")).valid);
  for (std::string bad : {"\"aud\":\"api://demo/\",", "\"aud\":\"api://dem\",", "\"aud\":\"API://DEMO\",",
                          "\"aud\":[\"other\"],", "\"aud\":[],", ""})
    expect_reason(p, with_aud(bad), JWTGATE_REASON_AUDIENCE_NOT_ALLOWED);
  // Not a string or an array of strings: the type is wrong first.
  for (std::string bad : {"\"aud\":[\"api://demo\",5],", "\"aud\":5,", "\"aud\":null,"})
    expect_reason(p, with_aud(bad), JWTGATE_REASON_CLAIM_TYPE_INVALID);
}

TEST_CASE("Entra multi-tenant issuer template", "[validate]") {
  auto p = policy("\"jwtgate\": {}");
  Diagnostics diag;
  auto tmpl = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": "
      "[\"https://login.microsoftonline.com/{tenantid}/v2.0\"], \"issuer-signing-keys\": [{\"value\": \"" +
          kSecretB64 + "\"}]}}",
      LoadOptions{}, diag);
  REQUIRE(tmpl);
  const std::string tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  auto tok = [&](const std::string& iss, const std::string& t) {
    return hs("{\"iss\":\"" + iss + "\",\"tid\":\"" + t + "\",\"exp\":" + std::to_string(kNow + 60) + "}");
  };
  CHECK(run(tmpl, tok("https://login.microsoftonline.com/" + tid + "/v2.0", tid)).valid);
  // tid must be the tenant in iss, and a GUID.
  expect_reason(tmpl, tok("https://login.microsoftonline.com/" + tid + "/v2.0", "9188040d-6c67-4c5b-b112-36a304b66dad"),
                JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  expect_reason(tmpl, tok("https://login.microsoftonline.com/evil/v2.0", "evil"), JWTGATE_REASON_ISSUER_NOT_ALLOWED);
}

TEST_CASE("required claims: all, any, separator, types", "[validate]") {
  auto p = policy(
      "\"required-claims\": [{\"name\": \"scp\", \"match\": \"any\", \"separator\": \" \", \"values\": [\"Data.Read\"]},"
      " {\"name\": \"roles\", \"match\": \"all\", \"values\": [\"A\", \"B\"]}]");
  CHECK(run(p, hs(claims_with("\"scp\":\"Data.Write Data.Read\",\"roles\":[\"B\",\"A\",\"C\"]"))).valid);
  expect_reason(p, hs(claims_with("\"scp\":\"Data.Write\",\"roles\":[\"A\",\"B\"]")),
                JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
  expect_reason(p, hs(claims_with("\"scp\":\"Data.Read\",\"roles\":[\"A\"]")), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
  expect_reason(p, hs(claims_with("\"scp\":\"Data.Read\"")), JWTGATE_REASON_CLAIM_NOT_FOUND);
  expect_reason(p, hs(claims_with("\"scp\":\"Data.Read\",\"roles\":null")), JWTGATE_REASON_CLAIM_NOT_FOUND);
  // Without separator=" ", "Data.Read Data.Write" is one value (docs/apim-reference.md).
  auto nosep = policy("\"required-claims\": [{\"name\": \"scp\", \"match\": \"any\", \"values\": [\"Data.Read\"]}]");
  expect_reason(nosep, hs(claims_with("\"scp\":\"Data.Read Data.Write\"")), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
  CHECK(run(nosep, hs(claims_with("\"scp\":\"Data.Read\""))).valid);
  // Numbers and booleans compare as their JSON text.
  auto typed = policy("\"required-claims\": [{\"name\": \"n\", \"values\": [\"42\"]}, {\"name\": \"ok\", \"values\": [\"true\"]}]");
  CHECK(run(typed, hs(claims_with("\"n\":42,\"ok\":true"))).valid);
  expect_reason(typed, hs(claims_with("\"n\":\"42 \",\"ok\":true")), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
  // A claim with no values only has to be present.
  auto present = policy("\"required-claims\": [{\"name\": \"azp\"}]");
  CHECK(run(present, hs(claims_with("\"azp\":\"x\""))).valid);
  expect_reason(present, hs(claims_with("")), JWTGATE_REASON_CLAIM_NOT_FOUND);
  // Never a substring: "Data.ReadAll" is not "Data.Read".
  expect_reason(nosep, hs(claims_with("\"scp\":\"Data.ReadAll\"")), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED);
}

TEST_CASE("every failure is listed; the first decides; APIM messages", "[validate]") {
  auto p = policy("\"required-claims\": [{\"name\": \"roles\"}, {\"name\": \"azp\"}]");
  const std::string t = hs("{\"iss\":\"https://evil\",\"aud\":\"x\",\"exp\":" + std::to_string(kNow - 5) + "}");
  Validator v(p, nullptr);
  Result r;
  REQUIRE_FALSE(v.validate_token(t, kNow, r));
  REQUIRE(r.failures.size() == 5);
  CHECK(r.failures[0].reason == JWTGATE_REASON_EXPIRED);
  CHECK(r.failures[1].reason == JWTGATE_REASON_AUDIENCE_NOT_ALLOWED);
  CHECK(r.failures[2].reason == JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  CHECK(r.failures[3].reason == JWTGATE_REASON_CLAIM_NOT_FOUND);
  CHECK(r.failures[4].subject == "azp");
  CHECK(r.message.rfind("IDX10223: Lifetime validation failed. The token is expired.", 0) == 0);

  auto claims_only = policy("\"required-claims\": [{\"name\": \"roles\"}, {\"name\": \"azp\"}]");
  auto o = run(claims_only, hs(claims_with("")));
  CHECK(o.message == "JWT token is missing the following claims: roles, azp. Access denied.");
  auto values = policy("\"required-claims\": [{\"name\": \"azp\", \"values\": [\"good\"]}]");
  CHECK(run(values, hs(claims_with("\"azp\":\"bad\""))).message ==
        "Claim azp value of bad is not allowed. Access denied.");
  auto custom = policy("\"failed-validation-httpcode\": 403, \"failed-validation-error-message\": \"Nope.\"");
  Validator cv(custom, nullptr);
  REQUIRE_FALSE(cv.validate_token(hs(claims_with("")), kNow + 3600, r));
  CHECK(r.http_status == 403);
  CHECK(r.message == "Nope.");
  CHECK(r.reason == JWTGATE_REASON_EXPIRED);
}

TEST_CASE("a key bound to an issuer (Entra v2 keys) vouches for that issuer only", "[validate]") {
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_pem(read_data("data/keys/rsa2048.pub.pem"), keys, diag));
  keys[0].issuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
  auto ks = std::make_shared<const KeySet>(keys);
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\"}}", LoadOptions{}, diag);
  REQUIRE(p);
  const std::string tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  auto tok = [&](const std::string& iss) {
    return make_token("{\"alg\":\"RS256\"}",
                      "{\"iss\":\"" + iss + "\",\"tid\":\"" + tid + "\",\"exp\":" + std::to_string(kNow + 60) + "}",
                      "RS256", jwtgate_test::rsa_private_pem());
  };
  CHECK(run(p, tok("https://login.microsoftonline.com/" + tid + "/v2.0"), ks).valid);
  expect_reason(p, tok("https://evil.example/" + tid + "/v2.0"), JWTGATE_REASON_ISSUER_NOT_ALLOWED, ks);
}

TEST_CASE("the validator's key set is replaced atomically", "[validate]") {
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\"}}", LoadOptions{}, diag);
  REQUIRE(p);
  Validator v(p, rsa_keys("data/keys/rsa2048b.pub.pem", "old"));
  const std::string t = make_token("{\"alg\":\"RS256\",\"kid\":\"new\"}", claims_with(""), "RS256",
                                   jwtgate_test::rsa_private_pem());
  Result r;
  CHECK_FALSE(v.validate_token(t, kNow, r));
  v.set_keys(rsa_keys("data/keys/rsa2048.pub.pem", "new"));
  CHECK(v.validate_token(t, kNow, r));
  v.set_keys(nullptr);
  CHECK_FALSE(v.validate_token(t, kNow, r));
  CHECK(r.reason == JWTGATE_REASON_NO_KEYS);
}
