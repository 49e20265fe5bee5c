/* test_capi_jws.c - jwtgate_verify_jws and jwtgate_verify_signature from C99
 * against the shared library: the RFC 7520 4.4 HMAC example (a prose
 * payload, not a JWT), tampering, the algorithm allow-list, the header rules
 * of a validation (embedded keys, "none"), payload bytes holding a NUL, and
 * the raw signature check with the HMAC floor and its policy override. */
#include <stdio.h>
#include <string.h>

#include "jwtgate_experimental.h"
#include "check.h"

/* RFC 7520 3.5 (the key) and 4.4 (the JWS). */
static const char *const kJwk =
    "{\"kty\":\"oct\",\"kid\":\"018c0ae5-4d9b-471b-bfd6-eef314bc7037\",\"use\":\"sig\","
    "\"alg\":\"HS256\",\"k\":\"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg\"}";
static const char *const kHeaderB64 =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9";
static const char *const kPayloadB64 =
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250"
    "byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hl"
    "cmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
static const char *const kSigB64 = "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";
static const char kSig[] =
    "\xb3\x48\x7a\x29\x38\x73\x91\xf0\x41\x06\x42\xec\xa5\x6d\x61\xf3"
    "\x85\x6c\x25\x91\x53\xb0\xf3\xea\x30\x30\x3b\x83\x53\x1d\xee\x9d";
static const char *const kPayload =
    "It\xe2\x80\x99s a dangerous business, Frodo, going out your door. You step onto the road, "
    "and if you don't keep your feet, there\xe2\x80\x99s no knowing where you might be swept off "
    "to.";

static jwtgate_keyset *load(jwtgate_key_format format, const char *data) {
  jwtgate_keyset *ks = NULL;
  CHECK(jwtgate_keyset_from_data(&ks, NULL, format, data, strlen(data)) == JWTGATE_OK);
  return ks;
}

static void cat3(char *out, size_t cap, const char *a, const char *b, const char *c) {
  snprintf(out, cap, "%s.%s.%s", a, b, c);
}

static void test_rfc7520_hmac(void) {
  jwtgate_keyset *ks = load(JWTGATE_KEY_JWK, kJwk);
  jwtgate_result *r = jwtgate_result_new();
  char token[1024];
  const char *part = NULL;
  size_t len = 0;
  cat3(token, sizeof token, kHeaderB64, kPayloadB64, kSigB64);

  CHECK(jwtgate_verify_jws(r, ks, NULL, token, strlen(token)) == JWTGATE_OK);
  CHECK(jwtgate_result_valid(r) == 1);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_NONE);
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_PAYLOAD, &part, &len) == JWTGATE_OK);
  CHECK(len == strlen(kPayload) && memcmp(part, kPayload, len) == 0);
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_HEADER, &part, &len) == JWTGATE_OK);
  CHECK(strcmp(part, "{\"alg\":\"HS256\",\"kid\":\"018c0ae5-4d9b-471b-bfd6-eef314bc7037\"}") == 0);
  /* Prose is not a claims set: no claims, and the getters say so. */
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_CLAIMS, &part, &len) == JWTGATE_ERR_NOT_FOUND);

  /* One changed signature character: the MAC no longer matches. */
  token[strlen(token) - 2] = token[strlen(token) - 2] == 'A' ? 'B' : 'A';
  CHECK(jwtgate_verify_jws(r, ks, NULL, token, strlen(token)) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_valid(r) == 0);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_SIGNATURE_INVALID);
  CHECK(jwtgate_result_http_status(r) == 401);
  /* The payload is still there to read, as after a failed validation. */
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_PAYLOAD, &part, &len) == JWTGATE_OK);
  CHECK(len == strlen(kPayload));

  jwtgate_result_free(r);
  jwtgate_keyset_free(ks);
}

static void test_options(void) {
  jwtgate_keyset *ks = load(JWTGATE_KEY_JWK, kJwk);
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_jws_options *o = jwtgate_jws_options_new();
  char token[1024];
  cat3(token, sizeof token, kHeaderB64, kPayloadB64, kSigB64);

  CHECK(jwtgate_jws_options_set_algorithms(o, "RS256,ES256") == JWTGATE_OK);
  CHECK(jwtgate_verify_jws(r, ks, o, token, strlen(token)) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ALG_NOT_ALLOWED);
  CHECK(jwtgate_jws_options_set_algorithms(o, "RS256,HS256") == JWTGATE_OK);
  CHECK(jwtgate_verify_jws(r, ks, o, token, strlen(token)) == JWTGATE_OK);

  /* Names jwtgate does not implement, "none" among them, are refused. */
  CHECK(jwtgate_jws_options_set_algorithms(o, "none") == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_algorithms(o, "") == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_algorithms(o, "HS256,") == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_algorithms(o, "hs256") == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_algorithms(NULL, "HS256") == JWTGATE_ERR_INVALID_ARGUMENT);
  /* The HMAC floor may go down to APIM's 128 bits, no further. */
  CHECK(jwtgate_jws_options_set_min_hmac_bits(o, 127) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_min_hmac_bits(o, 4097) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_jws_options_set_min_hmac_bits(o, 128) == JWTGATE_OK);
  CHECK(jwtgate_jws_options_set_min_hmac_bits(o, 0) == JWTGATE_OK);

  jwtgate_jws_options_free(o);
  jwtgate_jws_options_free(NULL);
  jwtgate_result_free(r);
  jwtgate_keyset_free(ks);
}

static void test_header_rules(void) {
  jwtgate_keyset *ks = load(JWTGATE_KEY_JWK, kJwk);
  jwtgate_result *r = jwtgate_result_new();
  const char *part = NULL;
  size_t len = 0;
  /* {"alg":"HS256","jwk":{...}}: a token never brings its own key. */
  const char *embedded = "eyJhbGciOiJIUzI1NiIsImp3ayI6eyJrdHkiOiJvY3QiLCJrIjoiQUEifX0.e30.AAAA";
  /* {"alg":"none"} */
  const char *none = "eyJhbGciOiJub25lIn0.e30.";
  /* {"alg":"HS256"}, payload "a\0b", signed with the RFC 7520 key. */
  const char *nul = "eyJhbGciOiJIUzI1NiJ9.YQBi.x2J8wPqiO-_ULYhpznfV375aG-8409eOk2V0sy-flDc";

  CHECK(jwtgate_verify_jws(r, ks, NULL, embedded, strlen(embedded)) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_EMBEDDED_KEY);
  CHECK(jwtgate_verify_jws(r, ks, NULL, none, strlen(none)) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ALG_NONE);
  CHECK(jwtgate_verify_jws(r, ks, NULL, "a.b", 3) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_MALFORMED);
  CHECK(jwtgate_verify_jws(r, ks, NULL, "e30.e30=.AAAA", 13) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_BAD_BASE64URL);

  CHECK(jwtgate_verify_jws(r, ks, NULL, nul, strlen(nul)) == JWTGATE_OK);
  CHECK(jwtgate_result_part_json(r, JWTGATE_PART_PAYLOAD, &part, &len) == JWTGATE_OK);
  CHECK(len == 3 && memcmp(part, "a\0b", 3) == 0);

  CHECK(jwtgate_verify_jws(r, NULL, NULL, nul, strlen(nul)) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_NO_KEYS);
  CHECK(jwtgate_verify_jws(NULL, ks, NULL, nul, strlen(nul)) == JWTGATE_ERR_INVALID_ARGUMENT);

  jwtgate_result_free(r);
  jwtgate_keyset_free(ks);
}

static void test_raw_signature(void) {
  jwtgate_keyset *ks = load(JWTGATE_KEY_JWK, kJwk);
  /* 16 bytes, "0123456789abcdef": below HS256's 256-bit floor. */
  jwtgate_keyset *short_ks = load(JWTGATE_KEY_SYMMETRIC_BASE64, "MDEyMzQ1Njc4OWFiY2RlZg==");
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_jws_options *o = jwtgate_jws_options_new();
  char input[1024];
  /* HMAC-SHA256("0123456789abcdef", "Hello World!"), from Python's hmac. */
  const char short_mac[] =
      "\x7b\xd9\x7e\xb6\xb3\x8c\xb2\xa7\x61\x37\x9d\x83\x66\x1f\x19\x2c"
      "\x46\x58\x9c\x43\xdd\x96\x13\xba\x73\xca\xff\x54\xd2\x89\xd3\x6a";
  char bad[32];
  snprintf(input, sizeof input, "%s.%s", kHeaderB64, kPayloadB64);

  CHECK(jwtgate_verify_signature(r, ks, NULL, "HS256", input, strlen(input), kSig, 32) == JWTGATE_OK);
  CHECK(jwtgate_result_valid(r) == 1);
  memcpy(bad, kSig, 32);
  bad[0] ^= 1;
  CHECK(jwtgate_verify_signature(r, ks, NULL, "HS256", input, strlen(input), bad, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_SIGNATURE_INVALID);
  /* The JWK says "alg":"HS256": it verifies nothing else. */
  CHECK(jwtgate_verify_signature(r, ks, NULL, "HS384", input, strlen(input), kSig, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(jwtgate_verify_signature(r, ks, NULL, "RS256", input, strlen(input), kSig, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(jwtgate_verify_signature(r, ks, NULL, "none", input, strlen(input), "", 0) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ALG_NONE);
  CHECK(jwtgate_verify_signature(r, ks, NULL, "HS1024", input, strlen(input), kSig, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ALG_UNKNOWN);
  CHECK(jwtgate_verify_signature(r, ks, NULL, "HS256", input, strlen(input), "", 0) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_SIGNATURE_MISSING);
  CHECK(jwtgate_jws_options_set_algorithms(o, "HS512") == JWTGATE_OK);
  CHECK(jwtgate_verify_signature(r, ks, o, "HS256", input, strlen(input), kSig, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_ALG_NOT_ALLOWED);

  /* A 128-bit secret is below RFC 7518 3.2's floor for HS256 ... */
  CHECK(jwtgate_verify_signature(r, short_ks, NULL, "HS256", "Hello World!", 12, short_mac, 32) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(strstr(jwtgate_result_failure_detail(r, 0), "needs at least 256 bits") != NULL);
  /* ... and verifies when the options lower the floor to APIM's 128 bits. */
  CHECK(jwtgate_jws_options_set_algorithms(o, "HS256") == JWTGATE_OK);
  CHECK(jwtgate_jws_options_set_min_hmac_bits(o, 128) == JWTGATE_OK);
  CHECK(jwtgate_verify_signature(r, short_ks, o, "HS256", "Hello World!", 12, short_mac, 32) ==
        JWTGATE_OK);

  CHECK(jwtgate_verify_signature(NULL, ks, NULL, "HS256", input, 1, kSig, 32) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_verify_signature(r, ks, NULL, NULL, input, 1, kSig, 32) == JWTGATE_ERR_INVALID_ARGUMENT);

  jwtgate_jws_options_free(o);
  jwtgate_result_free(r);
  jwtgate_keyset_free(short_ks);
  jwtgate_keyset_free(ks);
}

int main(void) {
  test_rfc7520_hmac();
  test_options();
  test_header_rules();
  test_raw_signature();
  printf("%d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
