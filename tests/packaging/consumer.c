/* consumer.c: a C program that uses an installed jwtgate the way an adopter
 * does (tests/packaging/run_consumer_test.sh builds it with pkg-config, shared
 * and static, and with CMake's find_package, then runs each build). It loads
 * a JSON policy with an HMAC key, validates a token signed with that key and
 * the same token with its signature changed, and checks the exact outcomes.
 * With JWTGATE_EXPECT_NO_XML=1 in the environment (a -Dxml=disabled build)
 * it checks that an XML policy is refused with a message that says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwtgate.h>

/* {"alg":"HS256","typ":"JWT"}.{"iss":"https://issuer.example/","aud":"api://consumer",
 * "sub":"consumer","exp":4102444800}, HMAC-SHA256 with the 32-byte secret
 * "jwtgate-consumer-test-secret-32b" (base64 in the policy). */
static const char token[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLyIsImF1ZCI6ImFwaTovL2NvbnN1bWVyIiwic3ViIjoiY29uc3Vt"
    "ZXIiLCJleHAiOjQxMDI0NDQ4MDB9."
    "QtQ4m9Yvy2_poa6kaaXhaL1uI3nU9wVxjr5XofpwR14";

static const char policy_json[] =
    "{\"validate-jwt\": {\"header-name\": \"Authorization\","
    " \"issuer-signing-keys\": [{\"value\": \"and0Z2F0ZS1jb25zdW1lci10ZXN0LXNlY3JldC0zMmI=\"}],"
    " \"audiences\": [\"api://consumer\"], \"issuers\": [\"https://issuer.example/\"]}}";

static const char policy_xml[] = "<validate-jwt header-name=\"Authorization\"/>";

static int failures = 0;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) failures++;
}

int main(void) {
  printf("jwtgate %s\n", jwtgate_version_string());
  check(strcmp(jwtgate_version_string(), JWTGATE_VERSION_STRING) == 0,
        "the library's version is the header's");

  jwtgate_error *err = NULL;
  jwtgate_policy *policy = NULL;
  jwtgate_status st = jwtgate_policy_load(&policy, &err, policy_json, strlen(policy_json), NULL);
  if (st != JWTGATE_OK) fprintf(stderr, "%s\n", err ? jwtgate_error_text(err) : "(no error)");
  check(st == JWTGATE_OK && policy != NULL, "JSON policy loads");
  jwtgate_error_free(err);
  err = NULL;
  if (policy == NULL) return 1;

  jwtgate_validator *v = NULL;
  st = jwtgate_validator_new(&v, &err, policy, NULL);
  jwtgate_policy_free(policy);
  jwtgate_error_free(err);
  err = NULL;
  check(st == JWTGATE_OK && v != NULL, "validator from the policy's own key");
  if (v == NULL) return 1;

  jwtgate_result *r = jwtgate_result_new();
  st = jwtgate_validate_token(v, r, token, strlen(token), JWTGATE_NOW);
  const char *sub = NULL;
  size_t sub_len = 0;
  check(st == JWTGATE_OK && jwtgate_result_get_string(r, JWTGATE_PART_CLAIMS, "sub", &sub, &sub_len) ==
                                JWTGATE_OK &&
            sub_len == 8 && memcmp(sub, "consumer", 8) == 0,
        "the signed token is valid, sub is \"consumer\"");

  char tampered[sizeof token];
  memcpy(tampered, token, sizeof token);
  tampered[sizeof token - 2] = tampered[sizeof token - 2] == 'A' ? 'B' : 'A';
  st = jwtgate_validate_token(v, r, tampered, strlen(tampered), JWTGATE_NOW);
  check(st == JWTGATE_INVALID_TOKEN && jwtgate_result_reason(r) == JWTGATE_REASON_SIGNATURE_INVALID,
        "a changed signature is refused with signature_invalid");
  jwtgate_result_free(r);
  jwtgate_validator_free(v);

  const char *no_xml = getenv("JWTGATE_EXPECT_NO_XML");
  if (no_xml != NULL && strcmp(no_xml, "1") == 0) {
    st = jwtgate_policy_load(&policy, &err, policy_xml, strlen(policy_xml), NULL);
    const char *text = err ? jwtgate_error_text(err) : "";
    printf("XML policy: %s: %s", jwtgate_status_str(st), text);
    check(st != JWTGATE_OK && policy == NULL && strstr(text, "-Dxml=disabled") != NULL,
          "an XML policy is refused in a -Dxml=disabled build, saying so");
    jwtgate_error_free(err);
  }
  return failures == 0 ? 0 : 1;
}
