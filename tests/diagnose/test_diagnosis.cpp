// Each troubleshooting case jwtgate explain knows (docs/apim-semantics.md): build the token and
// the policy, validate, and assert the diagnosis names the cause.
#include <catch2/catch.hpp>

#include <algorithm>

#include "diagnose/diagnosis.h"
#include "keys/key_parsers.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/validator.h"

using namespace jwtgate;
using jwtgate_test::b64url;
using jwtgate_test::make_token;
using jwtgate_test::read_data;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kTenant = "0da700fe-a3a7-4aaa-a43f-48a79eefc326";
const std::string kApi = "7e5ff242-8d3a-46a9-8890-45722c2f3d27";
const std::string kClient = "a1888df2-84c2-4379-8d53-7091dd630ca7";
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const std::string kV2Iss = "https://login.microsoftonline.com/" + kTenant + "/v2.0";
const std::string kV1Iss = "https://sts.windows.net/" + kTenant + "/";

std::shared_ptr<const Policy> policy(const std::string& members, bool with_secret = true) {
  Diagnostics diag;
  std::string keys = with_secret ? ", \"issuer-signing-keys\": [{\"value\": \"" + kSecretB64 + "\"}]" : "";
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\"" + keys +
                           (members.empty() ? "" : ", " + members) + "}}",
                       LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  return p;
}

std::string v2_claims(const std::string& extra = "") {
  return "{\"aud\":\"" + kApi + "\",\"iss\":\"" + kV2Iss + "\",\"exp\":" + std::to_string(kNow + 600) +
         ",\"tid\":\"" + kTenant + "\",\"azp\":\"" + kClient + "\",\"ver\":\"2.0\"" +
         (extra.empty() ? "" : "," + extra) + "}";
}

std::string hs(const std::string& claims, const std::string& header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}") {
  return make_token(header, claims, "HS256", kSecret);
}

Diagnosis run(const std::shared_ptr<const Policy>& p, const std::string& token, KeySetPtr keys = nullptr,
              int64_t now = kNow) {
  Validator v(p, std::move(keys));
  Result r;
  v.validate_token(token, now, r);
  Diagnosis d = diagnose(r, *p);
  INFO(diagnosis_text(d, false));
  return d;
}

bool has_finding(const Diagnosis& d, const std::string& code) {
  return std::any_of(d.findings.begin(), d.findings.end(), [&](const Finding& f) { return f.code == code; });
}

// The cause asked for is the first (most likely) finding.
void expect_first(const Diagnosis& d, const std::string& code) {
  INFO(diagnosis_text(d, false));
  REQUIRE_FALSE(d.findings.empty());
  CHECK(d.findings[0].code == code);
  CHECK_FALSE(d.findings[0].fix.empty());
  CHECK_FALSE(d.findings[0].evidence.empty());
}

KeySetPtr rsa_keys(const std::string& kid) {
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_pem(read_data("data/keys/rsa2048.pub.pem"), keys, diag));
  keys[0].kid = kid;
  keys[0].has_kid = true;
  return std::make_shared<const KeySet>(std::move(keys));
}

}  // namespace

TEST_CASE("a valid token: every check passes, no findings", "[diagnose]") {
  auto d = run(policy("\"issuers\": [\"" + kV2Iss + "\"], \"audiences\": [\"" + kApi + "\"]"), hs(v2_claims()));
  CHECK(d.valid);
  CHECK(d.findings.empty());
  CHECK(d.token_version == "Entra ID v2.0");
  CHECK(d.issuer_type == "Entra ID (public cloud)");
  for (const Check& c : d.checks) CHECK(c.passed);
  CHECK(d.checks.size() >= 6);
}

TEST_CASE("v1.0 token against a v2.0 policy: accessTokenAcceptedVersion", "[diagnose]") {
  auto p = policy("\"issuers\": [\"" + kV2Iss + "\"]");
  auto d = run(p, hs("{\"aud\":\"api://" + kApi + "\",\"iss\":\"" + kV1Iss + "\",\"exp\":" +
                     std::to_string(kNow + 600) + ",\"ver\":\"1.0\",\"appid\":\"" + kClient + "\"}"));
  expect_first(d, "token_version_mismatch");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("accessTokenAcceptedVersion"));
  CHECK(d.token_version == "Entra ID v1.0");
  // and the reverse
  auto p1 = policy("\"issuers\": [\"" + kV1Iss + "\"]");
  expect_first(run(p1, hs(v2_claims())), "token_version_mismatch");
}

TEST_CASE("aud as App ID URI where the policy has the GUID, and the reverse", "[diagnose]") {
  auto p = policy("\"audiences\": [\"" + kApi + "\"]");
  auto d = run(p, hs("{\"aud\":\"api://" + kApi + "\",\"exp\":" + std::to_string(kNow + 600) + ",\"ver\":\"1.0\"}"));
  expect_first(d, "audience_form");
  auto p2 = policy("\"audiences\": [\"api://" + kApi + "\"]");
  expect_first(run(p2, hs(v2_claims())), "audience_form");
  // The article's form: aud pinned through required-claims.
  auto p3 = policy("\"required-claims\": [{\"name\": \"aud\", \"match\": \"any\", \"values\": [\"" + kApi + "\"]}]");
  expect_first(run(p3, hs("{\"aud\":\"api://" + kApi + "\",\"exp\":" + std::to_string(kNow + 600) + "}")),
               "audience_form");
}

TEST_CASE("azp / appid not among the allowed clients", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"azp\", \"match\": \"any\", \"values\": [\"f1d55d9b-b116-4f54-bc00-164a51e7e47f\"]}]");
  expect_first(run(p, hs(v2_claims())), "client_not_allowed");
  Diagnostics diag;
  auto az = load_policy("{\"validate-azure-ad-token\": {\"tenant-id\": \"" + kTenant +
                            "\", \"client-application-ids\": [\"f1d55d9b-b116-4f54-bc00-164a51e7e47f\"]}}",
                        [] {
                          LoadOptions o;
                          const std::string url = "https://login.microsoftonline.com/" + kTenant +
                                                  "/v2.0/.well-known/openid-configuration";
                          o.discovery_documents[url] = "{\"issuer\":\"" + kV2Iss + "\",\"jwks_uri\":\"https://k\"}";
                          o.jwks_documents["https://k"] = read_data("../examples/article/jwks.json");
                          return o;
                        }(),
                        diag);
  INFO(diag.text());
  REQUIRE(az);
  const std::string t = make_token("{\"alg\":\"RS256\",\"kid\":\"demo-key-1\"}", v2_claims(), "RS256",
                                   jwtgate_test::rsa_private_pem());
  expect_first(run(az, t), "client_not_allowed");
}

TEST_CASE("roles missing from an app-only token: no app role assigned", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"roles\", \"match\": \"any\", \"values\": [\"Data.Read\"]}]");
  auto d = run(p, hs(v2_claims("\"idtyp\":\"app\"")));
  expect_first(d, "roles_missing_app_only");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("admin consent"));
}

TEST_CASE("scp required on an app-only token", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"scp\", \"match\": \"any\", \"separator\": \" \", \"values\": [\"Data.Read\"]}]");
  expect_first(run(p, hs(v2_claims("\"roles\":[\"Data.Read\"],\"idtyp\":\"app\""))), "scp_on_app_only_token");
}

TEST_CASE("scp compared without separator=\" \"", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"scp\", \"match\": \"any\", \"values\": [\"Data.Read\"]}]");
  auto d = run(p, hs(v2_claims("\"scp\":\"Data.Write Data.Read\"")));
  expect_first(d, "separator_missing");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("separator=\" \""));
}

TEST_CASE("match=\"all\" where \"any\" was meant", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"roles\", \"values\": [\"Data.Read\", \"Data.Write\"]}]");
  expect_first(run(p, hs(v2_claims("\"roles\":[\"Data.Read\"]"))), "match_all_not_any");
}

TEST_CASE("a claim name of the other token version", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"appid\"}]");
  expect_first(run(p, hs(v2_claims())), "claim_name_version");
  auto p2 = policy("\"required-claims\": [{\"name\": \"preferred_username\"}]");
  expect_first(run(p2, hs("{\"exp\":" + std::to_string(kNow + 60) + ",\"upn\":\"a@b\",\"ver\":\"1.0\"}")),
               "claim_name_version");
}

TEST_CASE("unknown kid: rotation, wrong tenant, v1 vs v2 key endpoints", "[diagnose]") {
  auto p = policy("", false);
  const std::string t = make_token("{\"alg\":\"RS256\",\"kid\":\"rotated-key\"}", v2_claims(), "RS256",
                                   read_data("data/keys/rsa2048b.pem"));
  auto d = run(p, t, rsa_keys("old-key"));
  expect_first(d, "unknown_kid");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("rotated"));
  CHECK_THAT(d.findings[0].evidence, Catch::Contains("rotated-key"));
}

TEST_CASE("a Microsoft Graph token (header nonce) that only Graph can validate", "[diagnose]") {
  auto p = policy("\"audiences\": [\"" + kApi + "\"]", false);
  const std::string t = make_token("{\"alg\":\"RS256\",\"kid\":\"k\",\"nonce\":\"abc\"}",
                                   "{\"aud\":\"00000003-0000-0000-c000-000000000000\",\"exp\":" +
                                       std::to_string(kNow + 60) + "}",
                                   "RS256", read_data("data/keys/rsa2048b.pem"));
  auto d = run(p, t, rsa_keys("k"));
  expect_first(d, "graph_token");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("/.default"));
}

TEST_CASE("expired and not yet valid, with the exact difference and a skew hint", "[diagnose]") {
  auto p = policy("");
  auto d = run(p, hs("{\"exp\":" + std::to_string(kNow - 20) + "}"));
  expect_first(d, "expired");
  CHECK_THAT(d.findings[0].evidence, Catch::Contains("20 s before"));
  CHECK_THAT(d.findings[0].fix, Catch::Contains("clock-skew"));
  auto n = run(p, hs("{\"exp\":" + std::to_string(kNow + 600) + ",\"nbf\":" + std::to_string(kNow + 90) + "}"));
  expect_first(n, "not_yet_valid");
  CHECK_THAT(n.findings[0].evidence, Catch::Contains("1 min 30 s after"));
}

TEST_CASE("the wrong tenant", "[diagnose]") {
  auto p = policy("\"issuers\": [\"" + kV2Iss + "\"]");
  const std::string other = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  expect_first(run(p, hs("{\"iss\":\"https://login.microsoftonline.com/" + other + "/v2.0\",\"tid\":\"" + other +
                         "\",\"ver\":\"2.0\",\"exp\":" + std::to_string(kNow + 60) + "}")),
               "wrong_tenant");
}

TEST_CASE("multi-tenant issuer template", "[diagnose]") {
  auto p = policy("\"issuers\": [\"https://login.microsoftonline.com/{tenantid}/v2.0\"]");
  auto d = run(p, hs("{\"iss\":\"https://login.microsoftonline.com/" + kTenant + "/v2.0\",\"tid\":\"not-a-guid\",\"exp\":" +
                     std::to_string(kNow + 60) + "}"));
  CHECK(has_finding(d, "multi_tenant_template"));
}

TEST_CASE("sovereign-cloud, B2C and CIAM issuers", "[diagnose]") {
  auto p = policy("\"issuers\": [\"" + kV2Iss + "\"]");
  auto us = run(p, hs("{\"iss\":\"https://login.microsoftonline.us/" + kTenant + "/v2.0\",\"ver\":\"2.0\",\"exp\":" +
                      std::to_string(kNow + 60) + "}"));
  CHECK(has_finding(us, "sovereign_cloud"));
  CHECK(us.issuer_type == "Entra ID (US Government)");
  auto b2c = run(p, hs("{\"iss\":\"https://contoso.b2clogin.com/" + kTenant + "/v2.0/\",\"exp\":" +
                       std::to_string(kNow + 60) + "}"));
  CHECK(has_finding(b2c, "b2c_or_ciam_token"));
  auto ciam = run(p, hs("{\"iss\":\"https://" + kTenant + ".ciamlogin.com/" + kTenant + "/v2.0\",\"exp\":" +
                        std::to_string(kNow + 60) + "}"));
  CHECK(has_finding(ciam, "b2c_or_ciam_token"));
  CHECK(ciam.issuer_type == "Entra External ID (CIAM)");
}

TEST_CASE("groups overage", "[diagnose]") {
  auto p = policy("\"required-claims\": [{\"name\": \"groups\", \"match\": \"any\", \"values\": [\"g1\"]}]");
  expect_first(run(p, hs(v2_claims("\"_claim_names\":{\"groups\":\"src1\"},\"_claim_sources\":{\"src1\":{\"endpoint\":\"x\"}}"))),
               "groups_overage");
}

TEST_CASE("an encrypted token with no decryption key", "[diagnose]") {
  auto d = run(policy(""), "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d");
  expect_first(d, "encrypted_token");
}

TEST_CASE("an unresolved {{named value}}", "[diagnose]") {
  Diagnostics diag;
  CHECK_FALSE(load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"{{issuer}}\"]}}",
                          LoadOptions{}, diag));
  auto d = diagnose_policy_errors(diag.text());
  expect_first(d, "named_value_unresolved");
}

TEST_CASE("an HS256 token against an RSA-only policy", "[diagnose]") {
  auto p = policy("\"jwtgate\": {\"algorithms\": [\"RS256\", \"HS256\"]}", false);
  const std::string forged = make_token("{\"alg\":\"HS256\"}", v2_claims(), "HS256", read_data("data/keys/rsa2048.pub.pem"));
  expect_first(run(p, forged, rsa_keys("k")), "hmac_against_public_keys");
}

TEST_CASE("an HMAC secret pasted raw instead of base64", "[diagnose]") {
  // <key> holds the text "my-32-byte-long-shared-secret-ok", not its base64;
  // the issuer signs with those bytes.
  const std::string raw = "bXktMzItYnl0ZS1sb25nLXNoYXJlZC1zZWNyZXQtb2s=";  // valid base64 of other bytes
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": [{\"value\": \"" +
                           raw + "\"}], \"jwtgate\": {\"min-hmac-bits\": 128}}}",
                       LoadOptions{}, diag);
  REQUIRE(p);
  const std::string t = make_token("{\"alg\":\"HS256\"}", v2_claims(), "HS256", raw);
  expect_first(run(p, t), "hmac_key_not_base64");
}

TEST_CASE("no token, a missing scheme, Bearer inside a custom header", "[diagnose]") {
  Diagnostics diag;
  auto scheme = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\", "
      "\"issuer-signing-keys\": [{\"value\": \"" + kSecretB64 + "\"}]}}",
      LoadOptions{}, diag);
  REQUIRE(scheme);
  Validator v(scheme, nullptr);
  Result r;
  Request req;
  v.validate_request(req, kNow, r);
  expect_first(diagnose(r, *scheme), "token_not_present");
  req.add_header("Authorization", hs(v2_claims()));
  v.validate_request(req, kNow, r);
  expect_first(diagnose(r, *scheme), "scheme_missing");

  auto custom = load_policy("{\"validate-jwt\": {\"header-name\": \"X-Token\", \"issuer-signing-keys\": [{\"value\": \"" +
                                kSecretB64 + "\"}]}}",
                            LoadOptions{}, diag);
  REQUIRE(custom);
  Validator cv(custom, nullptr);
  Request creq;
  creq.add_header("X-Token", "Bearer " + hs(v2_claims()));
  cv.validate_request(creq, kNow, r);
  expect_first(diagnose(r, *custom), "scheme_in_token");
}

TEST_CASE("a token sent twice is named as the cause, with the fix", "[diagnose]") {
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": "
                       "[{\"value\": \"" + kSecretB64 + "\"}]}}",
                       LoadOptions{}, diag);
  REQUIRE(p);
  Validator v(p, nullptr);
  Result r;
  Request req;
  const std::string t = hs(v2_claims());
  req.add_header("Authorization", "Bearer " + t);  // valid on its own
  req.add_header("authorization", "Bearer forged");
  v.validate_request(req, kNow, r);
  const Diagnosis d = diagnose(r, *p);
  expect_first(d, "duplicate_token");
  CHECK_THAT(d.findings[0].fix, Catch::Contains("Send the token once"));
  CHECK_THAT(d.findings[0].evidence, Catch::Contains("appears 2 times"));
  REQUIRE_FALSE(d.checks.empty());
  CHECK(d.checks[0].name == "token present");
  CHECK_FALSE(d.checks[0].passed);
  CHECK(d.checks.size() == 1);  // nothing after the token source ran
}

TEST_CASE("explanations as text and JSON carry the same findings", "[diagnose]") {
  auto p = policy("\"issuers\": [\"" + kV2Iss + "\"]");
  auto d = run(p, hs("{\"iss\":\"" + kV1Iss + "\",\"ver\":\"1.0\",\"exp\":" + std::to_string(kNow - 5) + "}"));
  const std::string text = diagnosis_text(d, false);
  const std::string json = diagnosis_json(d);
  CHECK_THAT(text, Catch::Contains("likely causes"));
  CHECK_THAT(text, Catch::Contains("FAIL exp"));
  CHECK_THAT(json, Catch::Contains("\"code\":\"token_version_mismatch\""));
  CHECK_THAT(json, Catch::Contains("\"code\":\"expired\""));
  CHECK(text.find("\033[") == std::string::npos);
  CHECK(diagnosis_text(d, true).find("\033[") != std::string::npos);
}
