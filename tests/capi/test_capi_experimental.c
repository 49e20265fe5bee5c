/* test_capi_experimental.c - the experimental header (jwtgate_experimental.h)
 * from C99 -pedantic against the shared library: the key-text detector, the
 * metrics with their counts by reason, the key counters' struct_size, the
 * explanations (of a result, on one line, and of a list of load errors with
 * their codes), the OAuth request's client authentication and the
 * decryption keys of encrypted tokens (JWE). (What it returns is checked in
 * depth by the C++ suites; here, that the C declarations work as
 * documented.) */
#include <stdio.h>
#include <string.h>

#include "jwtgate_experimental.h"
#include "check.h"

#include "capi_token.h" /* kKeyB64, kToken: valid until 2000000000 */

static const char *const kPolicy =
    "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
    " \"audiences\": [\"api://demo\"], \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\":"
    " \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}]}}";

static void test_key_text_form(void) {
  /* A PEM public key after a UTF-8 BOM and a comment line, base64-encoded. */
  static const char *const kPemB64 =
      "77u/IyBzaWduaW5nIGtleQotLS0tLUJFR0lOIFBVQkxJQyBLRVktLS0tLQpNQ293QlFZREsyVndBeUVBT2ZVVWZ0MlA4T3BR"
      "cEhQeUViMWpHRG5UOEsvS0o0aGg4ejJFVHhJNjFiST0KLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0t";
  static const char *const kSsh =
      "# deploy key\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEhZ1XpH9Qu7Aa6hjpQwcolo6kRndSTqRLaurIH/DOm7 test";
  const char *form = jwtgate_key_text_form(kPemB64, strlen(kPemB64));
  CHECK(form != NULL && strcmp(form, "a PEM block") == 0);
  form = jwtgate_key_text_form(kSsh, strlen(kSsh));
  CHECK(form != NULL && strcmp(form, "an OpenSSH public key") == 0);
  CHECK(jwtgate_key_text_form(kKeyB64, strlen(kKeyB64)) == NULL);
  CHECK(jwtgate_key_text_form("", 0) == NULL);
  CHECK(jwtgate_key_text_form(NULL, 0) == NULL);
}

static void test_metrics_and_explain(void) {
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_metrics m;
  jwtgate_key_counters k;
  uint64_t n = 99;
  CHECK(jwtgate_policy_load(&p, NULL, kPolicy, strlen(kPolicy), NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_new(&v, NULL, p, NULL) == JWTGATE_OK);
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1900000000) == JWTGATE_OK);
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 2100000000) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 2100000000) == JWTGATE_INVALID_TOKEN);

  memset(&m, 0xff, sizeof m);
  m.struct_size = sizeof m;
  CHECK(jwtgate_validator_get_metrics(v, &m) == JWTGATE_OK);
  CHECK(m.struct_size == sizeof m);
  CHECK(m.valid == 1 && m.invalid == 2);
  CHECK(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_EXPIRED, &n) == JWTGATE_OK && n == 2);
  CHECK(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_NONE, &n) == JWTGATE_OK && n == 1);
  CHECK(jwtgate_validator_metrics_by_reason(v, JWTGATE_REASON_SIGNATURE_INVALID, &n) == JWTGATE_OK && n == 0);
  CHECK(jwtgate_validator_metrics_by_reason(v, (jwtgate_reason)9999, &n) == JWTGATE_ERR_INVALID_ARGUMENT);
  m.struct_size = sizeof(size_t); /* does not reach the totals */
  CHECK(jwtgate_validator_get_metrics(v, &m) == JWTGATE_ERR_INVALID_ARGUMENT);

  memset(&k, 0xff, sizeof k);
  k.struct_size = sizeof k;
  CHECK(jwtgate_validator_get_key_counters(v, &k) == JWTGATE_OK);
  CHECK(k.struct_size == sizeof k && k.sources == 0 && k.fetches == 0 && k.next_fetch == 0);

  CHECK(strstr(jwtgate_result_explain(r, 0), "exp") != NULL);
  CHECK(strstr(jwtgate_result_explain_json(r), "\"valid\":false") != NULL);
  {
    /* The explanation on one line: the most likely cause's code, title and
     * evidence (the deciding failure's text), no control character. */
    const char *line = jwtgate_result_explain_line(r);
    static const char kExpired[] = "expired: The token has expired (the token expired at ";
    CHECK(line != NULL && strncmp(line, kExpired, sizeof kExpired - 1) == 0);
    CHECK(line != NULL && strchr(line, '\n') == NULL && line[strlen(line) - 1] == ')');
  }
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1900000000) == JWTGATE_OK);
  CHECK(jwtgate_result_explain_line(r) != NULL && strcmp(jwtgate_result_explain_line(r), "") == 0);
  CHECK(jwtgate_result_explain_line(NULL) == NULL);

  jwtgate_result_free(r);
  jwtgate_validator_free(v);
  jwtgate_policy_free(p);
}

/* A policy that does not load: its errors' codes, and the list explained
 * (each form made once and kept by the list: the same pointer again). */
static void test_error_explain(void) {
  static const char kUnresolved[] =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"audiences\": [\"{{backend-app-id}}\"]}}";
  jwtgate_policy *p = NULL;
  jwtgate_error *err = NULL;
  const char *text, *json;
  CHECK(jwtgate_policy_load(&p, &err, kUnresolved, strlen(kUnresolved), NULL) == JWTGATE_ERR_POLICY);
  CHECK(p == NULL && err != NULL && jwtgate_error_count(err) == 1);
  CHECK(jwtgate_error_code(err, 0) != NULL && strcmp(jwtgate_error_code(err, 0), "named_value_undefined") == 0);
  CHECK(jwtgate_error_code(err, 1) == NULL);
  CHECK(jwtgate_error_code(NULL, 0) == NULL);
  text = jwtgate_error_explain(err, 0);
  CHECK(text != NULL && strstr(text, "  1. The policy uses a named value that was not supplied\n") != NULL);
  CHECK(text != NULL && strstr(text, "{{backend-app-id}}") != NULL && strchr(text, '\x1b') == NULL);
  CHECK(jwtgate_error_explain(err, 0) == text);
  CHECK(jwtgate_error_explain(err, 1) != NULL && strchr(jwtgate_error_explain(err, 1), '\x1b') != NULL);
  json = jwtgate_error_explain_json(err);
  CHECK(json != NULL && json[0] == '{' && strstr(json, "\"code\":\"named_value_unresolved\"") != NULL);
  CHECK(jwtgate_error_explain_json(err) == json);
  CHECK(jwtgate_error_explain(err, 0) == text); /* the other forms left it as it was */
  CHECK(jwtgate_error_explain(NULL, 0) == NULL && jwtgate_error_explain_json(NULL) == NULL);
  jwtgate_error_free(err);
}

static void test_token_request(void) {
  jwtgate_token_request *t = jwtgate_token_request_new();
  CHECK(jwtgate_token_request_set_client_auth(t, JWTGATE_CLIENT_SECRET_BASIC) == JWTGATE_OK);
  CHECK(jwtgate_token_request_set_client_auth(t, (jwtgate_client_auth)2) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_token_request_set_client_auth(NULL, JWTGATE_CLIENT_SECRET_POST) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_token_request_set_option(t, JWTGATE_TOKEN_TIMEOUT_MS, 5000) == JWTGATE_OK);
  CHECK(jwtgate_token_request_set_option(t, JWTGATE_TOKEN_TIMEOUT_MS, 600001) == JWTGATE_ERR_INVALID_ARGUMENT);
  jwtgate_token_request_free(t);
  jwtgate_token_request_free(NULL);
}

/* Encrypted tokens: the decryption key as the policy's Base64 text or
 * registered by certificate id (here a private JWK), validation of the
 * nested token, and the one failure for a modified one. */
static void test_encrypted(void) {
  static const char *const kJwePolicyFmt =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\","
      " \"issuers\": [\"https://issuer.example\"], \"audiences\": [\"api://demo\"],"
      " \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"%s\"}],"
      " \"decryption-keys\": [%s], \"jwtgate\": {\"encryption\": \"required\"}}}";
  static const char *const kJwk = "{\"kty\":\"oct\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}";
  char policy_text[1024], keys[128], tampered[1024];
  jwtgate_load_options *o = jwtgate_load_options_new();
  jwtgate_error *err = NULL;
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_result *r = jwtgate_result_new();
  const char *s = NULL;
  size_t len = 0;
  int pass;

  CHECK(jwtgate_load_options_add_decryption_key(NULL, NULL, "a", kJwk, strlen(kJwk), NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_load_options_add_decryption_key(o, NULL, "", kJwk, strlen(kJwk), NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  /* Not a private key: refused, and the message holds none of the bytes. */
  CHECK(jwtgate_load_options_add_decryption_key(o, &err, "bad", "MIIBIjANBgkqhkiG9w0BAQEFAAOC", 28,
                                                "pw") == JWTGATE_ERR_KEY);
  CHECK(jwtgate_error_count(err) >= 1);
  CHECK(strstr(jwtgate_error_text(err), "MIIBIjAN") == NULL);
  /* jwtgate.h's rule: the list of the failure is freed on entry, and a
   * success leaves *err NULL. */
  CHECK(jwtgate_load_options_add_decryption_key(o, &err, "cert1", kJwk, strlen(kJwk), NULL) == JWTGATE_OK);
  CHECK(err == NULL);

  for (pass = 0; pass < 2; ++pass) {
    if (pass == 0) snprintf(keys, sizeof keys, "{\"value\": \"%s\"}", kKeyB64);
    else snprintf(keys, sizeof keys, "{\"certificate-id\": \"cert1\"}");
    snprintf(policy_text, sizeof policy_text, kJwePolicyFmt, kKeyB64, keys);
    CHECK(jwtgate_policy_load(&p, &err, policy_text, strlen(policy_text), o) == JWTGATE_OK);
    jwtgate_error_free(err);
    err = NULL;
    CHECK(jwtgate_validator_new(&v, NULL, p, NULL) == JWTGATE_OK);
    CHECK(jwtgate_validate_token(v, r, kJweToken, strlen(kJweToken), 1800000000) == JWTGATE_OK);
    CHECK(jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "sub", &s, &len) == JWTGATE_OK);
    CHECK(len == 5 && memcmp(s, "alice", 5) == 0);
    /* One character of the tag changed. */
    snprintf(tampered, sizeof tampered, "%s", kJweToken);
    tampered[strlen(tampered) - 3] = tampered[strlen(tampered) - 3] == 'A' ? 'B' : 'A';
    CHECK(jwtgate_validate_token(v, r, tampered, strlen(tampered), 1800000000) == JWTGATE_INVALID_TOKEN);
    CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_JWE_DECRYPTION_FAILED);
    CHECK(strcmp(jwtgate_result_message(r), "IDX10603: Decryption failed. Access denied.") == 0);
    CHECK(strcmp(jwtgate_reason_str(JWTGATE_REASON_JWE_DECRYPTION_FAILED), "jwe_decryption_failed") == 0);
    /* encryption "required": the signed token alone is refused. */
    CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1800000000) == JWTGATE_INVALID_TOKEN);
    CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ENCRYPTION_REQUIRED);
    jwtgate_validator_free(v);
    jwtgate_policy_free(p);
    v = NULL;
    p = NULL;
  }
  jwtgate_result_free(r);
  jwtgate_load_options_free(o);
}

int main(void) {
  test_key_text_form();
  test_metrics_and_explain();
  test_error_explain();
  test_token_request();
  test_encrypted();
  return check_passed_failed();
}
