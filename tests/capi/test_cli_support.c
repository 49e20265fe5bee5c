/* test_cli_support.c - the block of jwtgate_experimental.h the CLI
 * stands on, from C99 against the shared library: jwtgate_text_escape in
 * every style and at every buffer size, jwtgate_result_describe(_json)
 * after a decode and after validations (masked claims included),
 * jwtgate_error_explain(_json), and the build information. */
#include <stdio.h>
#include <string.h>

#include "jwtgate_experimental.h"
#include "check.h"

/* The HS256 token of test_capi.c and its key 0x00..0x1f (claims there). */
#include "capi_token.h" /* kKeyB64, kToken */

static int starts_with(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* escaped: |text| in |style| through a buffer that is large enough; the
 * result must equal |want| exactly. */
static int escaped_is(const char *text, size_t len, jwtgate_escape_style style, size_t max,
                      const char *want) {
  char out[256];
  size_t n = 0;
  if (jwtgate_text_escape(text, len, style, max, out, sizeof out, &n) != JWTGATE_OK) return 0;
  if (n != strlen(want) || strcmp(out, want) != 0) {
    fprintf(stderr, "  escaped to [%s] (%zu bytes), wanted [%s]\n", out, n, want);
    return 0;
  }
  return 1;
}

static void test_text_escape(void) {
  char out[16];
  size_t n = 99;
  /* Quoted and bare: the escapes of every text the library makes. */
  CHECK(escaped_is("a\"b\nc", 5, JWTGATE_ESCAPE_QUOTED, 0, "\"a\\\"b\\nc\""));
  CHECK(escaped_is("x\x1b[31m\\", 7, JWTGATE_ESCAPE_BARE, 0, "x\\x1b[31m\\\\"));
  CHECK(escaped_is("\xe2\x80\xae" "ab", 5, JWTGATE_ESCAPE_BARE, 0, "\\u{202e}ab"));
  CHECK(escaped_is("\xff\x7f", 2, JWTGATE_ESCAPE_BARE, 0, "\\xff\\x7f"));
  CHECK(escaped_is("abcdef", 6, JWTGATE_ESCAPE_QUOTED, 3, "\"abc\"..."));
  CHECK(escaped_is("abcdef", 6, JWTGATE_ESCAPE_BARE, 3, "abc..."));
  /* Terminal: only controls; backslashes and quotes stay, newlines only
   * in the LINES style. */
  CHECK(escaped_is("a\\\"b\x1b\n", 6, JWTGATE_ESCAPE_TERMINAL, 0, "a\\\"b\\x1b\\n"));
  CHECK(escaped_is("a\nb\r\n", 5, JWTGATE_ESCAPE_TERMINAL_LINES, 0, "a\nb\\r\n"));
  CHECK(escaped_is("abcdef", 6, JWTGATE_ESCAPE_TERMINAL, 2, "abcdef")); /* |max| cuts quoted text only */
  /* JSON: a string with its quotes, valid UTF-8 for any bytes. */
  CHECK(escaped_is("\xff\x7f\"\n\xe2\x80\xa8", 7, JWTGATE_ESCAPE_JSON, 0,
                   "\"\\ufffd\\u007f\\\"\\n\\u2028\""));
  CHECK(escaped_is(NULL, 0, JWTGATE_ESCAPE_QUOTED, 0, "\"\""));
  CHECK(escaped_is(NULL, 0, JWTGATE_ESCAPE_TERMINAL, 0, ""));
  /* Buffer sizes: the text and its NUL fit exactly, or nothing is written
   * and the length needed is told. */
  CHECK(jwtgate_text_escape("abcdef", 6, JWTGATE_ESCAPE_BARE, 0, out, 7, &n) == JWTGATE_OK && n == 6 &&
        strcmp(out, "abcdef") == 0);
  strcpy(out, "junk");
  CHECK(jwtgate_text_escape("abcdef", 6, JWTGATE_ESCAPE_BARE, 0, out, 6, &n) == JWTGATE_ERR_RANGE && n == 6 &&
        out[0] == '\0');
  CHECK(jwtgate_text_escape("a\n", 2, JWTGATE_ESCAPE_QUOTED, 0, NULL, 0, &n) == JWTGATE_ERR_RANGE && n == 5);
  /* Arguments. */
  CHECK(jwtgate_text_escape("a", 1, (jwtgate_escape_style)99, 0, out, sizeof out, &n) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_text_escape(NULL, 1, JWTGATE_ESCAPE_BARE, 0, out, sizeof out, &n) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_text_escape("a", 1, JWTGATE_ESCAPE_BARE, 0, NULL, 4, &n) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_text_escape("a", 1, JWTGATE_ESCAPE_BARE, 0, out, sizeof out, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
}

static jwtgate_validator *validator(const char *mask_claim) {
  char policy_text[512];
  jwtgate_policy *p = NULL;
  jwtgate_validator *v = NULL;
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  snprintf(policy_text, sizeof policy_text,
           "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": "
           "[{\"value\": \"%s\"}]}}",
           kKeyB64);
  CHECK(jwtgate_policy_load(&p, NULL, policy_text, strlen(policy_text), NULL) == JWTGATE_OK);
  if (mask_claim) CHECK(jwtgate_validator_options_mask_claim(o, mask_claim) == JWTGATE_OK);
  CHECK(jwtgate_validator_new_with_options(&v, NULL, p, NULL, o) == JWTGATE_OK);
  jwtgate_policy_free(p);
  jwtgate_validator_options_free(o);
  return v;
}

static void test_describe(void) {
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_validator *v = validator(NULL);
  jwtgate_validator *masking = validator("sub");
  const char *text;
  CHECK(jwtgate_result_describe(NULL, 0, 0) == NULL);
  CHECK(jwtgate_result_describe_json(NULL, 0) == NULL);

  /* After a decode, 1000 s before exp. */
  CHECK(jwtgate_decode(r, kToken, strlen(kToken)) == JWTGATE_OK);
  text = jwtgate_result_describe(r, 1999999000, 0);
  CHECK(starts_with(text, "token: not an Entra ID token, issuer other (issuer.example)\n"
                          "header:\n  alg: \"HS256\"\n      signature algorithm\n"));
  CHECK(text && strstr(text, "\nclaims:\n  iss: \"https://issuer.example\"\n      issuer: who minted the token\n"));
  CHECK(text && strstr(text, "\n  exp: 2000000000  2033-05-18T03:33:20Z, in 16 min 40 s\n      expiration time\n"));
  CHECK(text && strstr(text, "\n  n: 42\n  admin: true\n"));  /* unknown claims: no meaning */
  CHECK(text && !strchr(text, '\033'));
  text = jwtgate_result_describe(r, 2000000000, 1);
  CHECK(text && strstr(text, "\033[33m(expired)\033[0m"));
  CHECK(text && strstr(text, "2033-05-18T03:33:20Z, now"));
  text = jwtgate_result_describe_json(r, 1999999000);
  CHECK(starts_with(text, "{\"verified\":false,\"token_version\":\"\",\"issuer_type\":\"other (issuer.example)\","
                          "\"header\":{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"},"));
  CHECK(text && strstr(text, "\"about\":{\"header\":{\"alg\":{\"meaning\":\"signature algorithm\"},"));
  CHECK(text && strstr(text, "\"exp\":{\"meaning\":\"expiration time\",\"utc\":\"2033-05-18T03:33:20Z\","
                             "\"relative\":\"in 16 min 40 s\"}"));
  text = jwtgate_result_describe_json(r, 2000000001);
  CHECK(text && strstr(text, "\"relative\":\"1 s ago\",\"state\":\"expired\"}"));

  /* After a validation that accepted the token: verified. */
  CHECK(jwtgate_validate_token(v, r, kToken, strlen(kToken), 1999999000) == JWTGATE_OK);
  text = jwtgate_result_describe_json(r, 1999999000);
  CHECK(starts_with(text, "{\"verified\":true,"));
  /* A masked claim's value is never shown, in either form. */
  CHECK(jwtgate_validate_token(masking, r, kToken, strlen(kToken), 1999999000) == JWTGATE_OK);
  text = jwtgate_result_describe(r, 1999999000, 0);
  CHECK(text && strstr(text, "\n  sub: ***\n") && !strstr(text, "alice"));
  text = jwtgate_result_describe_json(r, 1999999000);
  CHECK(text && strstr(text, "\"sub\":\"***\"") && !strstr(text, "alice"));

  /* Not a token: nothing parsed, nothing described. */
  CHECK(jwtgate_decode(r, "abc.def", 7) == JWTGATE_INVALID_TOKEN);
  text = jwtgate_result_describe(r, 0, 0);
  CHECK(text && strcmp(text, "") == 0);
  text = jwtgate_result_describe_json(r, 0);
  CHECK(text && strstr(text, "\"header\":null,\"claims\":null,\"about\":{}}"));
  jwtgate_validator_free(v);
  jwtgate_validator_free(masking);
  jwtgate_result_free(r);
}

static void test_error_explain(void) {
  static const char policy_text[] = "{\"validate-jwt\": {\"header-name\": \"Authorization\", "
                                    "\"audiences\": [\"{{backend-app-id}}\"]}}";
  jwtgate_policy *p = NULL;
  jwtgate_error *err = NULL;
  const char *text;
  CHECK(jwtgate_error_explain(NULL, 0) == NULL);
  CHECK(jwtgate_error_explain_json(NULL) == NULL);
  CHECK(jwtgate_policy_load(&p, &err, policy_text, strlen(policy_text), NULL) == JWTGATE_ERR_POLICY);
  CHECK(p == NULL && err != NULL);
  text = jwtgate_error_explain(err, 0);
  CHECK(text && strstr(text, "  1. The policy uses a named value that was not supplied\n"));
  CHECK(text && strstr(text, "{{backend-app-id}}"));
  CHECK(text && !strchr(text, '\033'));
  text = jwtgate_error_explain(err, 1);
  CHECK(text && strchr(text, '\033'));
  text = jwtgate_error_explain_json(err);
  CHECK(text && strstr(text, "\"findings\":[{\"code\":\"named_value_unresolved\","));
  /* The error list itself is untouched by the explanations. */
  CHECK(jwtgate_error_count(err) >= 1 && strstr(jwtgate_error_text(err), "{{backend-app-id}}"));
  jwtgate_error_free(err);
}

static void test_build_info(void) {
  const char *features = jwtgate_build_features();
  const char *deps = jwtgate_dependency_versions();
  /* "network" and libcurl exactly when the library fetches itself. */
  if (jwtgate_network_available()) {
    CHECK(features && strcmp(features, "policy-xml policy-json network") == 0);
    CHECK(deps && strstr(deps, " libcurl/"));
  } else {
    CHECK(features && strcmp(features, "policy-xml policy-json") == 0);
    CHECK(deps && !strstr(deps, "libcurl"));
  }
  CHECK(deps && strncmp(deps, "OpenSSL/3.", 10) == 0);
  CHECK(deps && strstr(deps, " simdjson/") && strstr(deps, " pugixml/1."));
  CHECK(deps == jwtgate_dependency_versions()); /* made once */
}

int main(void) {
  test_text_escape();
  test_describe();
  test_error_explain();
  test_build_info();
  printf("cli_support: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
