/* test_err_rule.c - jwtgate.h's rule for `jwtgate_error **err`, checked for
 * every function that takes one (tests/abi/check_symbols.py fails if a new
 * one is not called here):
 *  - a non-NULL *err is freed on entry: each call below is made with *err
 *    holding a list from an earlier call, and the program is built with
 *    AddressSanitizer (in every build), so LeakSanitizer fails the test if
 *    a list is ever dropped instead of freed;
 *  - on JWTGATE_OK *err is NULL, warnings included (they are read from the
 *    object: jwtgate_policy_warnings, jwtgate_keyset_warnings,
 *    jwtgate_keyset_builder_warnings);
 *  - on failure *err holds at least one entry, NULL arguments included;
 *  - |err| may be NULL.
 * It also runs the README's C example, in its pattern: one jwtgate_error
 * variable through every call, freed once at the end. C99, -Wall -Wextra
 * -Werror -pedantic, against the shared library. */
#define _POSIX_C_SOURCE 200112L /* sockets: a closed loopback port */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "jwtgate_experimental.h"
#include "check.h"

/* The 32-byte HMAC key 0x00..0x1f, and the token signed with it. */
#include "capi_token.h" /* kKeyB64, kToken */

/* The modulus of tests/data/keys/rsa2048.pub.pem, base64url. */
static const char *const kRsaN =
    "Z2f9EU5VJZ9dyfYsyVlXqYHJD8zhgCv2k9rvV5Gf2ruJqGMA_zmY9aA_4GiAKgLqwDWhMlx1IXx4ywTJSjR2m88gVxsqrBWMU0t8"
    "mFbH6mcRGVSNbfI0dABGz2I5pL0oQfQOX9ySmf9yVIHi2janfHcvS-A3v_UoBXGP0kY7ZocA7_QlfTueyUB_R0mPPk4Kvhd0B3fM"
    "U61QDRdMgjitnofyob-swXEnUhpbpgiluxbIwIBUyqyIx5woQc7yJlGqhrBX4x9X24rNvXLzwBXGU2yMfhtjWBbGK94EqVKYgQ5x"
    "jvooeky_XMi6-PxKybvyl-eVT_v4CL3Z8JYjKsb-zw";

/* A JWK Set whose second key is skipped ("use":"enc"): loads, with a warning. */
static const char *const kJwksWithSkip =
    "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"},"
    "{\"kty\":\"oct\",\"kid\":\"k2\",\"use\":\"enc\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}";
static const char *const kBadJwks = "{\"keys\": [{\"kty\": \"RSA\", \"n\": \"!!\", \"e\": \"AQAB\"}]}";

/* A policy that loads with one warning (an audience with a leading space),
 * and one that does not load. */
static const char *const kWarningPolicy =
    "<validate-jwt header-name=\"Authorization\" require-scheme=\"Bearer\">\n"
    "  <issuers><issuer>https://issuer.example</issuer></issuers>\n"
    "  <audiences><audience> api://demo</audience><audience>api://demo</audience></audiences>\n"
    "  <issuer-signing-keys><key id=\"k1\">AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</key></issuer-signing-keys>\n"
    "</validate-jwt>\n";
static const char *const kBadPolicy = "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"clock-skew\": \"soon\"}}";

static char data_dir[1024];

/* a_list returns a fresh error list (from a failed policy load), to leave in
 * *err before a call: the call must free it. */
static jwtgate_error *a_list(void) {
  jwtgate_policy *p = NULL;
  jwtgate_error *e = NULL;
  if (jwtgate_policy_load(&p, &e, kBadPolicy, strlen(kBadPolicy), NULL) != JWTGATE_ERR_POLICY || !e) {
    fprintf(stderr, "a_list: the bad policy loaded\n");
    exit(2);
  }
  return e;
}

/* expect_failed: a failed call left a list with at least one error (the
 * warnings that led to it may come with it: a JWK Set refused because each
 * of its keys was skipped lists the skipped keys too). */
static int expect_failed(const jwtgate_error *err) {
  size_t i;
  if (err == NULL || strlen(jwtgate_error_text(err)) == 0) return 0;
  for (i = 0; i < jwtgate_error_count(err); i++)
    if (jwtgate_error_is_warning(err, i) == 0) return 1;
  return 0;
}

/* has_message: some entry of |err| contains |needle|. */
static int has_message(const jwtgate_error *err, const char *needle) {
  size_t i;
  for (i = 0; i < jwtgate_error_count(err); i++) {
    const char *m = jwtgate_error_message(err, i);
    if (m && strstr(m, needle)) return 1;
  }
  return 0;
}

static void test_error_list_itself(void) {
  jwtgate_error *err = a_list();
  CHECK(jwtgate_error_count(err) == 1);
  CHECK(strstr(jwtgate_error_text(err), "clock-skew") != NULL);
  CHECK(strcmp(jwtgate_error_text(NULL), "") == 0);
  jwtgate_error_free(err);
  jwtgate_error_free(NULL);
}

static void test_keyset_builder(void) {
  jwtgate_keyset_builder *b = jwtgate_keyset_builder_new();
  jwtgate_error *err = a_list();
  jwtgate_keyset *ks = NULL;
  const jwtgate_error *w;
  char path[1200];

  /* jwtgate_keyset_builder_add: a failure, then success with a warning. */
  CHECK(jwtgate_keyset_builder_add(b, &err, JWTGATE_KEY_JWKS, kBadJwks, strlen(kBadJwks), NULL) ==
        JWTGATE_ERR_KEY);
  CHECK(expect_failed(err));
  CHECK(jwtgate_keyset_builder_warnings(b) == NULL);
  CHECK(jwtgate_keyset_builder_add(b, &err, JWTGATE_KEY_JWKS, kJwksWithSkip, strlen(kJwksWithSkip),
                                   NULL) == JWTGATE_OK);
  CHECK(err == NULL); /* the list of the failure was freed, and no warning came back */
  w = jwtgate_keyset_builder_warnings(b);
  CHECK(jwtgate_error_count(w) == 1);
  CHECK(jwtgate_error_is_warning(w, 0) == 1);
  CHECK(has_message(w, "JWKS key #2") && has_message(w, "skipped: use is \"enc\""));
  CHECK(jwtgate_keyset_builder_add(NULL, &err, JWTGATE_KEY_JWKS, "{}", 2, NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "jwtgate_keyset_builder_add: the builder is NULL"));
  CHECK(jwtgate_keyset_builder_add(b, NULL, JWTGATE_KEY_JWKS, kBadJwks, strlen(kBadJwks), NULL) ==
        JWTGATE_ERR_KEY); /* |err| may be NULL */

  /* jwtgate_keyset_builder_add_rsa_components */
  CHECK(jwtgate_keyset_builder_add_rsa_components(b, &err, "!!", "AQAB", "r1") == JWTGATE_ERR_KEY);
  CHECK(expect_failed(err));
  CHECK(jwtgate_keyset_builder_add_rsa_components(b, &err, kRsaN, "AQAB", "r1") == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_keyset_builder_add_rsa_components(b, &err, NULL, "AQAB", "r1") ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));

  /* jwtgate_keyset_builder_add_file: a missing file, then a PEM key */
  snprintf(path, sizeof path, "%s/data/keys/no-such-file.pem", data_dir);
  CHECK(jwtgate_keyset_builder_add_file(b, &err, path) == JWTGATE_ERR_IO);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "cannot open"));
  snprintf(path, sizeof path, "%s/data/keys/rsa2048.pub.pem", data_dir);
  CHECK(jwtgate_keyset_builder_add_file(b, &err, path) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_keyset_builder_add_file(b, &err, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));

  /* The warnings go with the set; the failed adds added nothing. */
  CHECK(jwtgate_keyset_builder_build(b, &ks) == JWTGATE_OK);
  CHECK(jwtgate_keyset_count(ks) == 3);
  w = jwtgate_keyset_warnings(ks);
  CHECK(jwtgate_error_count(w) == 1 && has_message(w, "skipped: use is \"enc\""));
  jwtgate_keyset_free(ks);
  jwtgate_keyset_builder_free(b);
  jwtgate_error_free(err);
}

static void test_keyset_from_data(void) {
  jwtgate_error *err = a_list();
  jwtgate_keyset *ks = NULL;
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS, kBadJwks, strlen(kBadJwks)) ==
        JWTGATE_ERR_KEY);
  CHECK(ks == NULL);
  CHECK(expect_failed(err));
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS, kJwksWithSkip, strlen(kJwksWithSkip)) ==
        JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_keyset_count(ks) == 1);
  CHECK(jwtgate_error_count(jwtgate_keyset_warnings(ks)) == 1);
  jwtgate_keyset_free(ks);
  ks = NULL;
  CHECK(jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_SYMMETRIC_BASE64, kKeyB64, strlen(kKeyB64)) ==
        JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_keyset_warnings(ks) == NULL); /* nothing to warn about: no list */
  jwtgate_keyset_free(ks);
  CHECK(jwtgate_keyset_from_data(NULL, &err, JWTGATE_KEY_AUTO, "x", 1) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  jwtgate_error_free(err);
}

static void test_load_options(void) {
  jwtgate_load_options *o = jwtgate_load_options_new();
  jwtgate_error *err = a_list();
  char path[1200];
  size_t len = 0;
  char *pem;
  char *key;
  size_t key_len = 0;
  snprintf(path, sizeof path, "%s/data/keys/rsa2048.cert.pem", data_dir);
  pem = check_read_file(path, &len);
  CHECK(pem != NULL);
  if (!pem) return;
  CHECK(jwtgate_load_options_add_certificate(o, &err, "c1", "junk", 4) == JWTGATE_ERR_KEY);
  CHECK(expect_failed(err));
  CHECK(jwtgate_load_options_add_certificate(o, &err, "c1", pem, len) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_load_options_add_certificate(o, &err, "", pem, len) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_load_options_add_certificate(NULL, &err, "c1", pem, len) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  /* jwtgate_experimental.h: the private key of an encrypted token. */
  snprintf(path, sizeof path, "%s/data/keys/rsa2048.pem", data_dir);
  key = check_read_file(path, &key_len);
  CHECK(key != NULL);
  if (key) {
    CHECK(jwtgate_load_options_add_decryption_key(o, &err, "d1", "junk", 4, NULL) == JWTGATE_ERR_KEY);
    CHECK(expect_failed(err));
    CHECK(jwtgate_load_options_add_decryption_key(o, &err, "d1", key, key_len, NULL) == JWTGATE_OK);
    CHECK(err == NULL);
    err = a_list();
    CHECK(jwtgate_load_options_add_decryption_key(o, &err, "", key, key_len, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(expect_failed(err));
    CHECK(jwtgate_load_options_add_decryption_key(NULL, &err, "d1", key, key_len, NULL) ==
          JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(expect_failed(err));
    CHECK(jwtgate_load_options_add_decryption_key(o, &err, "d1", NULL, 0, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(expect_failed(err));
    CHECK(jwtgate_load_options_add_decryption_key(o, NULL, "d1", "junk", 4, NULL) == JWTGATE_ERR_KEY);
    free(key);
  }
  /* The document kind is an enum; a value outside it is refused. */
  CHECK(jwtgate_load_options_set_document(o, "https://x.example/keys", JWTGATE_DOCUMENT_JWKS, "{}", 2) ==
        JWTGATE_OK);
  CHECK(jwtgate_load_options_set_document(o, "https://x.example/keys", (jwtgate_document_kind)2, "{}", 2) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  free(pem);
  jwtgate_load_options_free(o);
  jwtgate_error_free(err);
}

static void test_policy(void) {
  jwtgate_error *err = a_list();
  jwtgate_policy *p = NULL;
  const jwtgate_error *w;
  char path[1200];
  FILE *f;

  /* jwtgate_policy_load */
  CHECK(jwtgate_policy_load(&p, &err, kBadPolicy, strlen(kBadPolicy), NULL) == JWTGATE_ERR_POLICY);
  CHECK(p == NULL);
  CHECK(expect_failed(err));
  CHECK(jwtgate_policy_load(&p, &err, kWarningPolicy, strlen(kWarningPolicy), NULL) == JWTGATE_OK);
  CHECK(err == NULL); /* the warning is the policy's, not *err's */
  w = jwtgate_policy_warnings(p);
  CHECK(jwtgate_error_count(w) == 1);
  CHECK(jwtgate_error_is_warning(w, 0) == 1);
  CHECK(jwtgate_error_line(w, 0) == 3);
  CHECK(has_message(w, "leading or trailing whitespace"));
  CHECK(strstr(jwtgate_error_text(w), "3:") == jwtgate_error_text(w));
  jwtgate_policy_free(p);
  p = NULL;
  CHECK(jwtgate_policy_load(NULL, &err, kBadPolicy, strlen(kBadPolicy), NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_policy_load(&p, NULL, kBadPolicy, strlen(kBadPolicy), NULL) == JWTGATE_ERR_POLICY);

  /* jwtgate_policy_load_file */
  snprintf(path, sizeof path, "%s/data/no-such-policy.xml", data_dir);
  CHECK(jwtgate_policy_load_file(&p, &err, path, NULL) == JWTGATE_ERR_IO);
  CHECK(expect_failed(err));
  snprintf(path, sizeof path, "test_err_rule_policy.xml"); /* in the test's working directory */
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs(kWarningPolicy, f);
    fclose(f);
    CHECK(jwtgate_policy_load_file(&p, &err, path, NULL) == JWTGATE_OK);
    CHECK(err == NULL);
    CHECK(jwtgate_error_count(jwtgate_policy_warnings(p)) == 1);
    jwtgate_policy_free(p);
    p = NULL;
    remove(path);
  }
  CHECK(jwtgate_policy_load_file(&p, &err, NULL, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  jwtgate_error_free(err);
}

static void test_validator(void) {
  jwtgate_error *err = a_list();
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  CHECK(jwtgate_policy_load(&p, NULL, kWarningPolicy, strlen(kWarningPolicy), NULL) == JWTGATE_OK);

  /* jwtgate_validator_new: NULL policy is a failure with a message now */
  CHECK(jwtgate_validator_new(&v, &err, NULL, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(v == NULL);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "jwtgate_validator_new: no policy given"));
  CHECK(jwtgate_validator_new(&v, &err, p, NULL) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(v != NULL);
  jwtgate_validator_free(v);
  v = NULL;
  CHECK(jwtgate_validator_new(NULL, &err, p, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));

  /* jwtgate_validator_new_with_options */
  CHECK(jwtgate_validator_new_with_options(&v, &err, NULL, NULL, o) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_validator_new_with_options(&v, &err, p, NULL, o) == JWTGATE_OK);
  CHECK(err == NULL);

  /* jwtgate_validator_refresh_keys: nothing to fetch is success */
  err = a_list();
  CHECK(jwtgate_validator_refresh_keys(v, &err, 1) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_validator_refresh_keys(NULL, &err, 1) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));

  /* jwtgate_validator_key_errors (experimental): its list is a product,
   * in *out, freed on entry like *err. */
  CHECK(jwtgate_validator_key_errors(v, &err) == JWTGATE_OK);
  CHECK(err == NULL);

  jwtgate_validator_free(v);
  jwtgate_validator_options_free(o);
  jwtgate_policy_free(p);
  jwtgate_error_free(err);
}

/* closed_port returns a loopback TCP port nothing listens on (bound, then
 * closed), or 0. */
static int closed_port(void) {
  struct sockaddr_in a;
  socklen_t n = sizeof a;
  int port = 0;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return 0;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &n) == 0)
    port = ntohs(a.sin_port);
  close(s);
  return port;
}

/* A fetch that fails: jwtgate_validator_refresh_keys's *err lists it. */
static void test_refresh_failure(void) {
  char text[512];
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  jwtgate_error *err = a_list();
  jwtgate_error *key_errors = NULL;
  const int port = closed_port();
  CHECK(port != 0);
  snprintf(text, sizeof text,
           "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": "
           "[{\"url\": \"http://127.0.0.1:%d/.well-known/openid-configuration\"}]}}",
           port);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1) == JWTGATE_OK);
  CHECK(jwtgate_policy_load(&p, &err, text, strlen(text), NULL) == JWTGATE_OK);
  CHECK(err == NULL);
  CHECK(jwtgate_validator_new_with_options(&v, &err, p, NULL, o) == JWTGATE_OK);
  CHECK(jwtgate_validator_refresh_keys(v, &err, 1) == JWTGATE_ERR_NETWORK);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "127.0.0.1"));
  /* the same failure, as the fetcher's report (a list the caller frees) */
  key_errors = a_list();
  CHECK(jwtgate_validator_key_errors(v, &key_errors) == JWTGATE_OK);
  CHECK(key_errors != NULL && jwtgate_error_count(key_errors) == 1);
  CHECK(jwtgate_validator_key_errors(v, &key_errors) == JWTGATE_OK); /* frees the first */
  CHECK(key_errors != NULL && jwtgate_error_count(key_errors) == 1);
  jwtgate_error_free(key_errors);
  jwtgate_validator_free(v);
  jwtgate_validator_options_free(o);
  jwtgate_policy_free(p);
  jwtgate_error_free(err);
}

/* jwtgate_client_credentials (experimental): an incomplete request fails
 * before any network use. Its success (with *err NULL) is checked against a
 * loopback token endpoint in tests/net/test_capi_net.cpp. */
static void test_client_credentials(void) {
  jwtgate_token_request *t = jwtgate_token_request_new();
  jwtgate_token_response *resp = NULL;
  jwtgate_error *err = a_list();
  CHECK(jwtgate_token_request_set(t, JWTGATE_TOKEN_CLIENT_ID, "app", 3) == JWTGATE_OK);
  CHECK(jwtgate_client_credentials(&resp, &err, t) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(resp == NULL);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "no client secret given"));
  CHECK(jwtgate_client_credentials(&resp, &err, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_client_credentials(&resp, NULL, t) == JWTGATE_ERR_INVALID_ARGUMENT);
  jwtgate_token_request_free(t);
  jwtgate_error_free(err);
}

/* The host-fetch API (experimental): jwtgate_validator_supply_document's
 * *err on acceptance, refusal, an unknown fetch and NULL arguments, and
 * jwtgate_validator_refresh_keys refused with a list in host mode. No
 * network: the test is the host. */
static void test_host_fetch(void) {
  static const char *const kPolicy =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"audiences\": [\"api://demo\"],"
      " \"openid-config\": [{\"url\": \"https://issuer.example/.well-known/openid-configuration\"}]}}";
  static const char *const kDiscovery =
      "{\"issuer\": \"https://issuer.example\", \"jwks_uri\": \"https://issuer.example/keys\"}";
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  jwtgate_fetch *f = NULL;
  jwtgate_error *err = a_list();
  CHECK(jwtgate_validator_options_set_key_source(o, JWTGATE_KEY_SOURCE_HOST) == JWTGATE_OK);
  CHECK(jwtgate_policy_load(&p, &err, kPolicy, strlen(kPolicy), NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_new_with_options(&v, &err, p, NULL, o) == JWTGATE_OK);
  CHECK(err == NULL);
  err = a_list();
  CHECK(jwtgate_validator_refresh_keys(v, &err, 1) == JWTGATE_ERR_UNSUPPORTED);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "JWTGATE_KEY_SOURCE_HOST"));
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(f != NULL && jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_OPENID_CONFIGURATION);
  /* accepted: *err (a list from the refresh) freed, NULL */
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, kDiscovery, strlen(kDiscovery), NULL, NULL) ==
        JWTGATE_OK);
  CHECK(err == NULL);
  /* the same fetch again: not in flight, and *err says so */
  err = a_list();
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, kDiscovery, strlen(kDiscovery), NULL, NULL) ==
        JWTGATE_ERR_NOT_FOUND);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "no such fetch in flight"));
  jwtgate_fetch_free(f);
  f = NULL;
  /* refused: the JWK Set answered 500 */
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(f != NULL && jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_JWKS);
  CHECK(jwtgate_validator_supply_document(v, &err, f, 500, "oops", 4, NULL, NULL) == JWTGATE_ERR_NETWORK);
  CHECK(expect_failed(err));
  CHECK(has_message(err, "answered HTTP 500"));
  /* NULL arguments */
  CHECK(jwtgate_validator_supply_document(v, &err, NULL, 200, "{}", 2, NULL, NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_validator_supply_document(NULL, &err, f, 200, "{}", 2, NULL, NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, NULL, 2, NULL, NULL) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(expect_failed(err));
  CHECK(jwtgate_validator_supply_document(v, NULL, f, 200, "{}", 2, NULL, NULL) == JWTGATE_ERR_NOT_FOUND);
  jwtgate_fetch_free(f);
  jwtgate_validator_free(v);
  jwtgate_validator_options_free(o);
  jwtgate_policy_free(p);
  jwtgate_error_free(err);
}

/* The README's C example, as written there: one `err` through every call,
 * freed once. With the old rule the policy's warning, returned in *err on
 * success, leaked when the next call overwrote it. */
static int readme_example(const char *policy_path, const char *jwks, size_t jwks_len, const char *auth) {
  int valid = 0;
  jwtgate_error *err = NULL;
  jwtgate_policy *policy = NULL;
  jwtgate_keyset *keys = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_result *r;
  jwtgate_request *req;
  if (jwtgate_policy_load_file(&policy, &err, policy_path, NULL) != JWTGATE_OK) {
    fprintf(stderr, "%s", jwtgate_error_text(err)); /* every problem, line:col: path: ... */
    jwtgate_error_free(err);
    return -1;
  }
  if (jwtgate_policy_warnings(policy))
    fprintf(stderr, "%s", jwtgate_error_text(jwtgate_policy_warnings(policy)));
  if (jwtgate_keyset_from_data(&keys, &err, JWTGATE_KEY_AUTO, jwks, jwks_len) != JWTGATE_OK ||
      jwtgate_validator_new(&v, &err, policy, keys) != JWTGATE_OK) {
    fprintf(stderr, "%s", jwtgate_error_text(err));
    jwtgate_error_free(err);
    jwtgate_keyset_free(keys);
    jwtgate_policy_free(policy);
    return -1;
  }
  jwtgate_policy_free(policy); /* the validator shares policy and keys */
  jwtgate_keyset_free(keys);

  r = jwtgate_result_new(); /* one per thread; reuse it */
  req = jwtgate_request_new();
  jwtgate_request_add_header(req, "Authorization", auth, strlen(auth));
  if (jwtgate_validate_request(v, r, req, 1900000000) == JWTGATE_OK) {
    const char *sub;
    size_t len;
    jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "sub", &sub, &len);
    valid = len == 5 && strcmp(sub, "alice") == 0;
  } else {
    size_t i;
    printf("%d %s: %s\n", jwtgate_result_http_status(r), jwtgate_reason_apim(jwtgate_result_reason(r)),
           jwtgate_result_message(r));
    for (i = 0; i < jwtgate_result_failure_count(r); i++)
      printf("  %s: %s\n", jwtgate_reason_str(jwtgate_result_failure_reason(r, i)),
             jwtgate_result_failure_detail(r, i));
  }
  jwtgate_request_free(req);
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
  jwtgate_error_free(err); /* NULL here: every call succeeded */
  return valid;
}

static void test_readme_example(void) {
  const char *path = "test_err_rule_readme.xml";
  char auth[2048];
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(kWarningPolicy, f); /* loads with a warning: the old rule's leak */
  fclose(f);
  snprintf(auth, sizeof auth, "Bearer %s", kToken);
  CHECK(readme_example(path, kJwksWithSkip, strlen(kJwksWithSkip), auth) == 1);
  /* a refused token takes the other branch */
  CHECK(readme_example(path, kJwksWithSkip, strlen(kJwksWithSkip), "Bearer x.y.z") == 0);
  remove(path);
}

int main(void) {
  const char *dir = getenv("JWTGATE_TEST_DATA");
  snprintf(data_dir, sizeof data_dir, "%s", dir ? dir : "tests");
  test_error_list_itself();
  test_keyset_builder();
  test_keyset_from_data();
  test_load_options();
  test_policy();
  test_validator();
  test_refresh_failure();
  test_client_credentials();
  test_host_fetch();
  test_readme_example();
  return check_passed_failed();
}
