/* test_capi.c - exercises jwtgate.h, the stable API alone, from C99 against
 * the shared library: versions, NULL safety, status and reason text, key
 * sets (a bad key of a JWK Set skipped with a warning, a published set with
 * a secret refused), policy loading errors, validation of a valid and an
 * invalid token, every getter, and the refusal of public key text as an HMAC
 * secret. (test_err_rule.c checks the jwtgate_error **err rule, and
 * test_capi_experimental.c the experimental header.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jwtgate.h"
#include "check.h"

/* The HS256 test token and its 32-byte key 0x00..0x1f (claims there). */
#include "capi_token.h" /* kKeyB64, kToken */

static const char *const kPolicyFmt =
    "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"require-scheme\": \"Bearer\","
    " \"issuers\": [\"https://issuer.example\"], \"audiences\": [\"api://demo\"],"
    " \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"%s\"}],"
    " \"required-claims\": [{\"name\": \"roles\", \"match\": \"any\", \"values\": [\"Data.Read\"]}]}}";

static void test_versions(void) {
  CHECK(jwtgate_version_number() == JWTGATE_VERSION_NUMBER);
  CHECK(strcmp(jwtgate_version_string(), JWTGATE_VERSION_STRING) == 0);
  CHECK(JWTGATE_VERSION_NUMBER == JWTGATE_VERSION_MAJOR * 10000 + JWTGATE_VERSION_MINOR * 100 +
                                      JWTGATE_VERSION_PATCH);
}

static void test_null_safety(void) {
  jwtgate_error_free(NULL);
  jwtgate_keyset_free(NULL);
  jwtgate_keyset_builder_free(NULL);
  jwtgate_load_options_free(NULL);
  jwtgate_policy_free(NULL);
  jwtgate_validator_free(NULL);
  jwtgate_request_free(NULL);
  jwtgate_result_free(NULL);
  CHECK(jwtgate_validate_token(NULL, NULL, "x", 1, 0) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_result_valid(NULL) == 0);
  CHECK(jwtgate_error_count(NULL) == 0);
  CHECK(jwtgate_keyset_count(NULL) == 0);
  {
    jwtgate_result *r = jwtgate_result_new();
    /* A result that never ran must never read as valid. */
    CHECK(jwtgate_result_valid(r) == 0);
    CHECK(jwtgate_result_http_status(r) == 401);
    jwtgate_result_free(r);
  }
}

static void test_text(void) {
  CHECK(JWTGATE_OK == 0);
  CHECK(JWTGATE_INVALID_TOKEN == 1);
  CHECK(JWTGATE_REASON_EXPIRED == 40);
  CHECK(strcmp(jwtgate_status_str(JWTGATE_OK), "ok") == 0);
  CHECK(strlen(jwtgate_status_str((jwtgate_status)999)) > 0);
  CHECK(strcmp(jwtgate_reason_str(JWTGATE_REASON_EXPIRED), "expired") == 0);
  CHECK(strcmp(jwtgate_reason_apim(JWTGATE_REASON_EXPIRED), "TokenExpired") == 0);
  CHECK(strcmp(jwtgate_reason_apim(JWTGATE_REASON_CLAIM_NOT_FOUND), "TokenClaimNotFound") == 0);
}

static void test_policy_errors(void) {
  jwtgate_policy *p = NULL;
  jwtgate_error *err = NULL;
  const char *bad = "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"clock-skew\": \"soon\","
                    " \"audiences\": [\"{{missing}}\"]}}";
  CHECK(jwtgate_policy_load(&p, &err, bad, strlen(bad), NULL) == JWTGATE_ERR_POLICY);
  CHECK(p == NULL);
  CHECK(jwtgate_error_count(err) == 2); /* both problems reported, not just the first */
  CHECK(strstr(jwtgate_error_text(err), "{{missing}}") != NULL);
  CHECK(jwtgate_error_is_warning(err, 0) == 0);
  CHECK(jwtgate_error_message(err, 99) == NULL);
  jwtgate_error_free(err);
}

static void test_validation(void) {
  char policy_text[1024];
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_request *req = jwtgate_request_new();
  jwtgate_error *err = NULL;
  const char *s = NULL;
  size_t n = 0, len = 0;
  int64_t i64 = 0;
  int b = 0;
  char header[2048];

  sprintf(policy_text, kPolicyFmt, kKeyB64);
  CHECK(jwtgate_policy_load(&p, &err, policy_text, strlen(policy_text), NULL) == JWTGATE_OK);
  if (err) fprintf(stderr, "%s", jwtgate_error_text(err));
  CHECK(err == NULL);
  CHECK(jwtgate_policy_warnings(p) == NULL);
  if (!p) return;
  CHECK(strstr(jwtgate_policy_to_json(p), "\"issuers\"") != NULL);
  CHECK(jwtgate_validator_new(&v, NULL, p, NULL) == JWTGATE_OK);
  jwtgate_policy_free(p); /* the validator keeps its own reference */

  /* valid, from a request with the Bearer scheme */
  sprintf(header, "Bearer %s", kToken);
  CHECK(jwtgate_request_add_header(req, "authorization", header, strlen(header)) == JWTGATE_OK);
  CHECK(jwtgate_validate_request(v, r, req, 1900000000) == JWTGATE_OK);
  CHECK(jwtgate_result_valid(r) == 1);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_NONE);
  CHECK(jwtgate_result_http_status(r) == 200);
  CHECK(jwtgate_result_failure_count(r) == 0);
  CHECK(jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "sub", &s, &len) == JWTGATE_OK);
  CHECK(len == 5 && strcmp(s, "alice") == 0);
  CHECK(jwtgate_result_get_string(r, JWTGATE_PART_HEADER, "kid", &s, &len) == JWTGATE_OK);
  CHECK(strcmp(s, "k1") == 0);
  CHECK(jwtgate_result_get_int64(r, JWTGATE_PART_CLAIMS, "n", &i64) == JWTGATE_OK && i64 == 42);
  CHECK(jwtgate_result_get_bool(r, JWTGATE_PART_CLAIMS, "admin", &b) == JWTGATE_OK && b == 1);
  CHECK(jwtgate_result_get_array_size(r, JWTGATE_PART_CLAIMS, "roles", &n) == JWTGATE_OK && n == 2);
  CHECK(jwtgate_result_get_array_string(r, JWTGATE_PART_CLAIMS, "roles", 1, &s, &len) == JWTGATE_OK);
  CHECK(strcmp(s, "Data.Write") == 0);
  CHECK(jwtgate_result_get_array_string(r, JWTGATE_PART_CLAIMS, "roles", 2, &s, &len) == JWTGATE_ERR_RANGE);
  CHECK(jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "n", &s, &len) == JWTGATE_ERR_TYPE);
  CHECK(jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "nope", &s, &len) == JWTGATE_ERR_NOT_FOUND);
  CHECK(jwtgate_result_get_json(r, JWTGATE_PART_CLAIMS, "roles", &s, &len) == JWTGATE_OK);
  CHECK(strcmp(s, "[\"Data.Read\",\"Data.Write\"]") == 0);
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_HEADER, &s, &len) == JWTGATE_OK && len > 10);
  CHECK(strstr(jwtgate_result_to_json(r), "\"valid\":true") != NULL);

  /* expired at a later time: invalid, APIM reason and status */
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 2100000000) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_valid(r) == 0);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_EXPIRED);
  CHECK(jwtgate_result_http_status(r) == 401);
  CHECK(strstr(jwtgate_result_message(r), "IDX10223") != NULL);
  CHECK(strcmp(jwtgate_result_subject(r), "exp") == 0);
  CHECK(jwtgate_result_failure_count(r) == 1);

  /* the token twice: refused even though the first copy is valid (a
   * backend reading the second would act on a token nobody checked) */
  jwtgate_request_clear(req);
  CHECK(jwtgate_request_add_header(req, "Authorization", header, strlen(header)) == JWTGATE_OK);
  CHECK(jwtgate_request_add_header(req, "Authorization", "Bearer x.y.z", 12) == JWTGATE_OK);
  CHECK(jwtgate_validate_request(v, r, req, 1900000000) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_valid(r) == 0);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_DUPLICATE_TOKEN);
  CHECK(strcmp(jwtgate_reason_apim(jwtgate_result_reason(r)), "JwtInvalid") == 0);
  CHECK(strcmp(jwtgate_result_subject(r), "Authorization") == 0);
  CHECK(strcmp(jwtgate_result_message(r), "Invalid JWT.") == 0);
  CHECK(jwtgate_result_http_status(r) == 401);

  /* no token: APIM's "JWT not present." */
  jwtgate_request_clear(req);
  CHECK(jwtgate_validate_request(v, r, req, 1900000000) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_TOKEN_NOT_PRESENT);
  CHECK(strcmp(jwtgate_result_message(r), "JWT not present.") == 0);

  /* a tampered token */
  {
    char bad[2048];
    size_t tl = strlen(kToken);
    memcpy(bad, kToken, tl + 1);
    bad[tl - 3] = bad[tl - 3] == 'A' ? 'B' : 'A';
    CHECK(jwtgate_validate_token(v, r, bad, tl, 1900000000) == JWTGATE_INVALID_TOKEN);
    CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_SIGNATURE_INVALID);
  }

  /* decode never reads as valid */
  CHECK(jwtgate_decode(r, kToken, strlen(kToken)) == JWTGATE_OK);
  CHECK(jwtgate_result_valid(r) == 0);
  CHECK(jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "sub", &s, &len) == JWTGATE_OK);

  /* replacing the key set atomically with an empty one keeps policy keys */
  {
    jwtgate_keyset_builder *kb = jwtgate_keyset_builder_new();
    jwtgate_keyset *ks = NULL;
    CHECK(jwtgate_keyset_builder_add(kb, &err, JWTGATE_KEY_SYMMETRIC_BASE64, kKeyB64,
                                     strlen(kKeyB64), "other") == JWTGATE_OK);
    CHECK(jwtgate_keyset_builder_build(kb, &ks) == JWTGATE_OK);
    CHECK(jwtgate_keyset_count(ks) == 1);
    CHECK(jwtgate_validator_set_keys(v, ks) == JWTGATE_OK);
    jwtgate_keyset_free(ks);
    jwtgate_keyset_builder_free(kb);
    CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1900000000) == JWTGATE_OK);
  }
  /* bad key material: a clear error, nothing added */
  {
    jwtgate_keyset *ks = NULL;
    const char *junk = "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"!!\", \"e\": \"AQAB\"}]}";
    CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS, junk, strlen(junk)) == JWTGATE_ERR_KEY);
    CHECK(ks == NULL);
    CHECK(jwtgate_error_count(err) >= 1);
    jwtgate_error_free(err);
  }

  jwtgate_request_free(req);
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
}

/* Public key text is never an HMAC secret (CVE-2022-29217): the symmetric
 * key format and a policy <key> refuse it (the detector itself,
 * jwtgate_key_text_form, is experimental: test_capi_experimental.c). */
static void test_key_text_refused(void) {
  /* A PEM public key after a UTF-8 BOM and a comment line, base64-encoded
   * as a symmetric <key> holds it. */
  static const char *const kPemB64 =
      "77u/IyBzaWduaW5nIGtleQotLS0tLUJFR0lOIFBVQkxJQyBLRVktLS0tLQpNQ293QlFZREsyVndBeUVBT2ZVVWZ0MlA4T3BR"
      "cEhQeUViMWpHRG5UOEsvS0o0aGg4ejJFVHhJNjFiST0KLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";
  static const char *const kPolicyKeyFmt =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\","
      " \"issuer-signing-keys\": [{\"value\": \"%s\"}]}}";
  jwtgate_error *err = NULL;
  jwtgate_keyset *ks = NULL;
  jwtgate_policy *p = NULL;
  char policy_text[1024];
  const char *msg;

  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_SYMMETRIC_BASE64, kPemB64, strlen(kPemB64)) ==
        JWTGATE_ERR_KEY);
  CHECK(ks == NULL);
  CHECK(jwtgate_error_count(err) == 1);
  msg = jwtgate_error_message(err, 0);
  CHECK(msg != NULL && strstr(msg,
                              "symmetric key: this looks like a public key or certificate (a PEM block "
                              "\"-----BEGIN PUBLIC KEY-----\", base64-encoded), not an HMAC secret") != NULL);
  CHECK(msg != NULL && strstr(msg, "CVE-2022-29217") != NULL);
  jwtgate_error_free(err);
  err = NULL;

  snprintf(policy_text, sizeof policy_text, kPolicyKeyFmt, kPemB64);
  CHECK(jwtgate_policy_load(&p, &err, policy_text, strlen(policy_text), NULL) == JWTGATE_ERR_POLICY);
  CHECK(p == NULL);
  CHECK(jwtgate_error_count(err) == 1);
  msg = jwtgate_error_path(err, 0);
  CHECK(msg != NULL && strcmp(msg, "issuer-signing-keys/key[1]") == 0);
  msg = jwtgate_error_message(err, 0);
  CHECK(msg != NULL && strstr(msg, "CVE-2022-29217") != NULL);
  jwtgate_error_free(err);
  jwtgate_policy_free(p);
  err = NULL;

  /* A real secret still loads. */
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_SYMMETRIC_BASE64, kKeyB64, strlen(kKeyB64)) ==
        JWTGATE_OK);
  CHECK(jwtgate_keyset_count(ks) == 1);
  jwtgate_keyset_free(ks);
  jwtgate_error_free(err);
}

/* A JWK Set with one bad key loads the rest: the call succeeds, *err is
 * NULL, and the key set keeps a warning naming the skipped key
 * (docs/keys-and-network.md). An
 * offline copy of a published set that holds a secret (oct) is refused as a
 * fetched one is: the HS256 token signed with that "published" secret is
 * never accepted. */
static void test_key_sets(void) {
  static const char *const kKeyB64url = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  static const char *const kKeyless =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
      " \"audiences\": [\"api://demo\"]}}";
  char jwks[512];
  jwtgate_keyset *ks = NULL;
  jwtgate_error *err = NULL;
  const jwtgate_error *warnings;
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_result *r = jwtgate_result_new();
  snprintf(jwks, sizeof jwks,
           "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"k1\", \"k\": \"%s\"},"
           " {\"kty\": \"EC\", \"kid\": \"bad\", \"x\": \"AAAA\", \"y\": \"AAAA\"}]}",
           kKeyB64url);
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS, jwks, strlen(jwks)) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_keyset_count(ks) == 1);
  warnings = jwtgate_keyset_warnings(ks);
  CHECK(jwtgate_error_count(warnings) == 1);
  CHECK(jwtgate_error_is_warning(warnings, 0) == 1);
  CHECK(jwtgate_error_message(warnings, 0) != NULL &&
        strcmp(jwtgate_error_message(warnings, 0),
               "JWKS key #2 (kid \"bad\") skipped: no \"crv\" member (RFC 7518 6.2.1.1, RFC 8037 2)") == 0);
  CHECK(jwtgate_policy_load(&p, NULL, kKeyless, strlen(kKeyless), NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_new(&v, NULL, p, ks) == JWTGATE_OK);
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1900000000) == JWTGATE_OK);
  jwtgate_validator_free(v);
  jwtgate_policy_free(p);
  jwtgate_keyset_free(ks);
  v = NULL;
  p = NULL;

  /* The same secret as an offline copy of a published set: refused at load. */
  {
    static const char *const kUrl = "https://issuer.example/.well-known/openid-configuration";
    static const char *const kDiscovery =
        "{\"issuer\": \"https://issuer.example\", \"jwks_uri\": \"https://issuer.example/keys\"}";
    static const char *const kOffline =
        "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"audiences\": [\"api://demo\"],"
        " \"openid-config\": [{\"url\": \"https://issuer.example/.well-known/openid-configuration\"}]}}";
    char secret_set[256];
    jwtgate_load_options *o = jwtgate_load_options_new();
    snprintf(secret_set, sizeof secret_set, "{\"keys\": [{\"kty\": \"oct\", \"kid\": \"k1\", \"k\": \"%s\"}]}",
             kKeyB64url);
    CHECK(jwtgate_load_options_set_document(o, kUrl, JWTGATE_DOCUMENT_OPENID_CONFIGURATION, kDiscovery,
                                            strlen(kDiscovery)) == JWTGATE_OK);
    CHECK(jwtgate_load_options_set_document(o, "https://issuer.example/keys", JWTGATE_DOCUMENT_JWKS,
                                            secret_set, strlen(secret_set)) == JWTGATE_OK);
    CHECK(jwtgate_policy_load(&p, &err, kOffline, strlen(kOffline), o) == JWTGATE_ERR_POLICY);
    CHECK(p == NULL);
    CHECK(strstr(jwtgate_error_text(err), "holds a symmetric (oct) key (JWKS key #1 (kid \"k1\")); a "
                                          "published key set must not carry secrets") != NULL);
    jwtgate_error_free(err);
    err = NULL;
    if (p) { /* before the fix: the token signed with the published secret was accepted */
      CHECK(jwtgate_validator_new(&v, NULL, p, NULL) == JWTGATE_OK);
      CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1900000000) == JWTGATE_INVALID_TOKEN);
      jwtgate_validator_free(v);
      jwtgate_policy_free(p);
    }
    jwtgate_load_options_free(o);
  }
  jwtgate_result_free(r);
}

int main(void) {
  test_versions();
  test_null_safety();
  test_text();
  test_policy_errors();
  test_validation();
  test_key_text_refused();
  test_key_sets();
  return check_passed_failed();
}
