/* test_capi_host.c - the host API of jwtgate_experimental.h from C99, against
 * the shared library: a validator whose keys the host fetches (next_fetch,
 * supply_document, fetch_failed), never-wait validations, wait_keys, the
 * same checks and last-known-good rules as the library's own fetch, and the
 * behaviour across fork(). No network: the test is the host, and hands over
 * the bundled example's discovery document and JWK Set (examples/article).
 * It runs against the normal build and the -Dnetwork=disabled one. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jwtgate_experimental.h"
#include "check.h"

static char *root_path(const char *rel) {
  const char *root = getenv("JWTGATE_SOURCE_ROOT");
  size_t n;
  char *p;
  if (!root) root = ".";
  n = strlen(root) + strlen(rel) + 2;
  p = malloc(n);
  snprintf(p, n, "%s/%s", root, rel);
  return p;
}

static char *slurp(const char *rel, size_t *len) {
  char *path = root_path(rel), *buf;
  size_t n = 0;
  buf = check_read_file(path, &n);
  if (!buf) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  free(path);
  /* one-line files: no trailing newline */
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
  if (len) *len = n;
  return buf;
}

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

static char *discovery, *jwks, *token, *config_url, *jwks_url;
static size_t discovery_len, jwks_len, token_len;
static int64_t now;
static jwtgate_policy *policy;

/* key_errors_have: the validator's last fetch errors mention |needle|. */
static int key_errors_have(const jwtgate_validator *v, const char *needle) {
  jwtgate_error *err = NULL;
  int found;
  if (jwtgate_validator_key_errors(v, &err) != JWTGATE_OK) return 0;
  found = error_has(err, needle);
  if (!found && err) fprintf(stderr, "key errors: %s\n", jwtgate_error_text(err));
  jwtgate_error_free(err);
  return found;
}

/* new_host_validator: host fetch mode, with |fetch_timeout|, refresh and
 * refetch intervals of |interval| ms (0: defaults). */
static jwtgate_validator *new_validator(jwtgate_key_source source, uint64_t fetch_timeout,
                                        uint64_t interval) {
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  jwtgate_validator *v = NULL;
  jwtgate_error *err = NULL;
  CHECK(jwtgate_validator_options_set_key_source(o, source) == JWTGATE_OK);
  if (fetch_timeout)
    CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_FETCH_TIMEOUT_MS,
                                                    fetch_timeout) == JWTGATE_OK);
  if (interval) {
    CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_REFRESH_INTERVAL_MS, interval) ==
          JWTGATE_OK);
    CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_MIN_REFRESH_INTERVAL_MS,
                                                    interval) == JWTGATE_OK);
    CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_MIN_REFETCH_INTERVAL_MS,
                                                    interval) == JWTGATE_OK);
  }
  CHECK(jwtgate_validator_new_with_options(&v, &err, policy, NULL, o) == JWTGATE_OK);
  jwtgate_error_free(err);
  jwtgate_validator_options_free(o);
  return v;
}

static jwtgate_status validate(const jwtgate_validator *v, jwtgate_result *r) {
  return jwtgate_validate_token(v, r, token, token_len, now);
}

/* load: hands out both documents; returns the status of the JWK Set supply. */
static jwtgate_status load(jwtgate_validator *v, const char *jwks_body, size_t jwks_body_len) {
  jwtgate_fetch *f = NULL;
  jwtgate_status st;
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  if (!f) return JWTGATE_ERR_INTERNAL;
  CHECK(jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_OPENID_CONFIGURATION);
  CHECK(jwtgate_validator_supply_document(v, NULL, f, 200, discovery, discovery_len, NULL, NULL) ==
        JWTGATE_OK);
  jwtgate_fetch_free(f);
  f = NULL;
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  if (!f) return JWTGATE_ERR_INTERNAL;
  CHECK(jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_JWKS);
  st = jwtgate_validator_supply_document(v, NULL, f, 200, jwks_body, jwks_body_len,
                                         "public, max-age=86400", NULL);
  jwtgate_fetch_free(f);
  return st;
}

static void test_host_first_load(void) {
  jwtgate_validator *v = new_validator(JWTGATE_KEY_SOURCE_HOST, 0, 0);
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_fetch *f = NULL, *again = NULL;
  jwtgate_keys_state state;
  jwtgate_key_counters c;
  jwtgate_error *err = NULL;
  int64_t wait = 0, t0;

  /* Before the first load: refused at once, never waits. */
  t0 = mono_ms();
  CHECK(validate(v, r) == JWTGATE_INVALID_TOKEN);
  CHECK(mono_ms() - t0 < 200);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEYS_UNAVAILABLE);
  CHECK(strstr(jwtgate_result_detail(r), "the first key load has not finished") != NULL);
  CHECK(jwtgate_validator_wait_keys(v, 0, &state) == JWTGATE_OK);
  CHECK(state == JWTGATE_KEYS_STATE_LOADING);
  /* wait_keys with a timeout blocks for it, and no longer. */
  t0 = mono_ms();
  CHECK(jwtgate_validator_wait_keys(v, 120, &state) == JWTGATE_OK);
  CHECK(state == JWTGATE_KEYS_STATE_LOADING);
  CHECK(mono_ms() - t0 >= 100 && mono_ms() - t0 < 2000);

  /* The library never fetches in host mode. */
  CHECK(jwtgate_validator_refresh_keys(v, NULL, 1) == JWTGATE_ERR_UNSUPPORTED);
  CHECK(jwtgate_validator_start_refresh_thread(v) == JWTGATE_ERR_UNSUPPORTED);

  /* The discovery document is due; nothing else while it is in flight. */
  CHECK(jwtgate_validator_next_fetch(v, &f, &wait) == JWTGATE_OK);
  CHECK(f != NULL && wait == 0);
  CHECK(strcmp(jwtgate_fetch_url(f), config_url) == 0);
  CHECK(strcmp(jwtgate_fetch_openid_config_url(f), config_url) == 0);
  CHECK(jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_OPENID_CONFIGURATION);
  CHECK(jwtgate_fetch_timeout_ms(f) == 10000);
  CHECK(jwtgate_fetch_max_bytes(f) == 1048576);
  CHECK(jwtgate_fetch_max_redirects(f) == 3);
  CHECK(jwtgate_validator_next_fetch(v, &again, &wait) == JWTGATE_ERR_NOT_FOUND);
  CHECK(again == NULL && wait > 9000 && wait <= 10000);

  /* A JWK Set handed in for a discovery fetch is not taken for one. */
  CHECK(jwtgate_validator_supply_document(v, NULL, f, 200, discovery, discovery_len, NULL, NULL) ==
        JWTGATE_OK);
  /* The same fetch answered twice: unknown the second time. */
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, discovery, discovery_len, NULL, NULL) ==
        JWTGATE_ERR_NOT_FOUND);
  CHECK(error_has(err, "no such fetch in flight"));
  jwtgate_error_free(err);
  err = NULL;
  jwtgate_fetch_free(f);
  f = NULL;

  /* Then the JWK Set at the document's jwks_uri, at once. */
  CHECK(jwtgate_validator_next_fetch(v, &f, &wait) == JWTGATE_OK);
  CHECK(f && jwtgate_fetch_kind(f) == JWTGATE_DOCUMENT_JWKS);
  CHECK(f && strcmp(jwtgate_fetch_url(f), jwks_url) == 0);
  CHECK(f && jwtgate_fetch_timeout_ms(f) <= 10000 && jwtgate_fetch_timeout_ms(f) > 9000);
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, jwks, jwks_len, "max-age=3000", "10") ==
        JWTGATE_OK);
  CHECK(err == NULL);
  jwtgate_fetch_free(f);
  f = NULL;

  CHECK(jwtgate_validator_wait_keys(v, 0, &state) == JWTGATE_OK);
  CHECK(state == JWTGATE_KEYS_STATE_READY);
  CHECK(validate(v, r) == JWTGATE_OK);
  c.struct_size = sizeof c;
  CHECK(jwtgate_validator_get_key_counters(v, &c) == JWTGATE_OK);
  CHECK(c.fetches == 1 && c.failures == 0 && c.keys_loaded == 1 && c.sources_usable == 1);
  /* Cache-Control max-age 3000 s less Age 10 s, above the 5 min floor: the
   * next fetch is due in about 2990 s. */
  CHECK(jwtgate_validator_next_fetch(v, &f, &wait) == JWTGATE_ERR_NOT_FOUND);
  CHECK(wait > 2980 * 1000 && wait <= 2990 * 1000);

  jwtgate_result_free(r);
  jwtgate_validator_free(v);
}

/* Refused documents change nothing but the error: the rules of the
 * library's own fetch. */
static void test_host_refusals(void) {
  jwtgate_validator *v = new_validator(JWTGATE_KEY_SOURCE_HOST, 0, 60);
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_fetch *f = NULL;
  jwtgate_error *err = NULL;
  jwtgate_keys_state state;
  jwtgate_key_counters c;
  int64_t wait = 0;
  static const char oct_jwks[] =
      "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}";
  char *big;

  /* A 500 for the discovery document: failed, state unavailable. */
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_supply_document(v, &err, f, 500, "oops", 4, NULL, NULL) ==
        JWTGATE_ERR_NETWORK);
  CHECK(error_has(err, "answered HTTP 500 (expected 200)"));
  jwtgate_error_free(err);
  err = NULL;
  jwtgate_fetch_free(f);
  f = NULL;
  CHECK(jwtgate_validator_wait_keys(v, 0, &state) == JWTGATE_OK);
  CHECK(state == JWTGATE_KEYS_STATE_UNAVAILABLE);
  CHECK(key_errors_have(v, "answered HTTP 500"));
  CHECK(validate(v, r) == JWTGATE_INVALID_TOKEN);
  CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEYS_UNAVAILABLE);
  CHECK(strstr(jwtgate_result_detail(r), "no keys were ever loaded") != NULL);
  /* The refetch window (60 ms here) applies before the next attempt. */
  CHECK(jwtgate_validator_next_fetch(v, &f, &wait) == JWTGATE_ERR_NOT_FOUND);
  CHECK(wait > 0 && wait <= 60);
  sleep_ms(70);

  /* A JWK Set holding a secret is refused. */
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_supply_document(v, NULL, f, 200, discovery, discovery_len, NULL, NULL) ==
        JWTGATE_OK);
  jwtgate_fetch_free(f);
  f = NULL;
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_supply_document(v, &err, f, 200, oct_jwks, sizeof oct_jwks - 1, NULL,
                                          NULL) == JWTGATE_ERR_NETWORK);
  CHECK(error_has(err, "symmetric (oct) key"));
  jwtgate_error_free(err);
  err = NULL;
  jwtgate_fetch_free(f);
  f = NULL;
  sleep_ms(70);

  /* A good load, then an oversized and a garbage JWK Set: the good keys stay. */
  CHECK(load(v, jwks, jwks_len) == JWTGATE_OK);
  CHECK(validate(v, r) == JWTGATE_OK);
  sleep_ms(70);
  big = malloc(2 * 1048576);
  memset(big, ' ', 2 * 1048576);
  CHECK(load(v, big, 2 * 1048576) == JWTGATE_ERR_NETWORK);
  free(big);
  CHECK(key_errors_have(v, "larger than the 1048576-byte limit"));
  CHECK(validate(v, r) == JWTGATE_OK);
  sleep_ms(70);
  CHECK(load(v, "{\"keys\":", 8) == JWTGATE_ERR_NETWORK);
  CHECK(validate(v, r) == JWTGATE_OK);
  c.struct_size = sizeof c;
  CHECK(jwtgate_validator_get_key_counters(v, &c) == JWTGATE_OK);
  CHECK(c.fetches == 5 && c.failures == 4 && c.keys_loaded == 1);

  /* The host's own failure, in its words (escaped). */
  sleep_ms(70);
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_fetch_failed(v, f, "connect: refused\n(test)") == JWTGATE_OK);
  CHECK(jwtgate_validator_fetch_failed(v, f, "again") == JWTGATE_ERR_NOT_FOUND);
  jwtgate_fetch_free(f);
  f = NULL;
  CHECK(key_errors_have(v, "the host's fetch failed: connect: refused\\n(test)"));
  CHECK(validate(v, r) == JWTGATE_OK);

  jwtgate_result_free(r);
  jwtgate_validator_free(v);
}

/* A fetch not answered by its deadline fails; the late answer is not used. */
static void test_host_deadline(void) {
  jwtgate_validator *v = new_validator(JWTGATE_KEY_SOURCE_HOST, 50, 0);
  jwtgate_fetch *f = NULL, *g = NULL;
  jwtgate_keys_state state;
  int64_t wait = 0;
  CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_OK);
  CHECK(f && jwtgate_fetch_timeout_ms(f) == 50);
  sleep_ms(80);
  CHECK(jwtgate_validator_next_fetch(v, &g, &wait) == JWTGATE_ERR_NOT_FOUND);
  CHECK(g == NULL && wait > 250000);  /* the 5 min refetch window */
  CHECK(key_errors_have(v, "the host did not deliver the discovery document within 50 ms"));
  CHECK(jwtgate_validator_supply_document(v, NULL, f, 200, discovery, discovery_len, NULL, NULL) ==
        JWTGATE_ERR_NOT_FOUND);
  CHECK(jwtgate_validator_wait_keys(v, 0, &state) == JWTGATE_OK);
  CHECK(state == JWTGATE_KEYS_STATE_UNAVAILABLE);
  jwtgate_fetch_free(f);
  jwtgate_validator_free(v);
}

/* Library mode: next_fetch is not the way, and never_wait refuses at once. */
static void test_library_mode(void) {
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  jwtgate_validator *v = NULL;
  jwtgate_error *err = NULL;
  jwtgate_fetch *f = NULL;
  jwtgate_result *r = jwtgate_result_new();
  jwtgate_key_counters c;
  jwtgate_status st;
  int64_t t0;
  CHECK(jwtgate_validator_options_set_never_wait(NULL, 1) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_source(o, (jwtgate_key_source)7) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_never_wait(o, 1) == JWTGATE_OK);
  st = jwtgate_validator_new_with_options(&v, &err, policy, NULL, o);
  if (!jwtgate_network_available()) {
    /* -Dnetwork=disabled: only the host can fetch. */
    CHECK(st == JWTGATE_ERR_UNSUPPORTED && v == NULL);
    CHECK(error_has(err, "-Dnetwork=disabled"));
    CHECK(jwtgate_client_credentials(NULL, NULL, NULL) == JWTGATE_ERR_INVALID_ARGUMENT);
    {
      jwtgate_token_request *t = jwtgate_token_request_new();
      jwtgate_token_response *resp = NULL;
      CHECK(jwtgate_client_credentials(&resp, NULL, t) == JWTGATE_ERR_UNSUPPORTED);
      jwtgate_token_request_free(t);
    }
  } else {
    CHECK(st == JWTGATE_OK);
    CHECK(jwtgate_validator_next_fetch(v, &f, NULL) == JWTGATE_ERR_UNSUPPORTED);
    t0 = mono_ms();
    CHECK(validate(v, r) == JWTGATE_INVALID_TOKEN);
    CHECK(mono_ms() - t0 < 200);
    CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_KEYS_UNAVAILABLE);
    c.struct_size = sizeof c;
    CHECK(jwtgate_validator_get_key_counters(v, &c) == JWTGATE_OK);
    CHECK(c.fetches == 0); /* the validation did not fetch */
  }
  jwtgate_error_free(err);
  jwtgate_validator_options_free(o);
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
}

/* run_child runs |fn| in a child process (bounded by an alarm) and returns
 * its exit status: 0 when every check in it passed. */
static int run_child(int (*fn)(jwtgate_validator *), jwtgate_validator *v) {
  int status = 0;
  pid_t pid;
  fflush(stderr);
  pid = fork();
  if (pid == 0) {
    alarm(20); /* a hang (a lock held by a thread of the parent) is a failure */
    _exit(fn(v));
  }
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return 100;
  if (WIFSIGNALED(status)) return 200 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

static int child_validates(jwtgate_validator *v) {
  jwtgate_result *r = jwtgate_result_new();
  int ok = validate(v, r) == JWTGATE_OK;
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
  return ok ? 0 : 1;
}

/* A validator with no thread at the fork: the child may start its own. */
static int child_starts_thread(jwtgate_validator *v) {
  int bad = 0;
  if (jwtgate_validator_start_refresh_thread(v) != JWTGATE_OK) bad |= 1;
  if (jwtgate_validator_stop_refresh_thread(v) != JWTGATE_OK) bad |= 2;
  jwtgate_validator_free(v);
  return bad;
}

/* A validator whose thread ran at the fork: refused clearly, no hang. */
static int child_after_thread(jwtgate_validator *v) {
  int bad = 0;
  jwtgate_error *err = NULL;
  jwtgate_result *r = jwtgate_result_new();
  if (jwtgate_validator_start_refresh_thread(v) != JWTGATE_ERR_UNSUPPORTED) bad |= 1;
  if (jwtgate_validator_refresh_keys(v, &err, 1) != JWTGATE_ERR_NETWORK) bad |= 2;
  if (!error_has(err, "running when the process forked")) bad |= 4;
  jwtgate_error_free(err);
  if (validate(v, r) != JWTGATE_INVALID_TOKEN ||
      jwtgate_result_reason(r) != JWTGATE_REASON_KEYS_UNAVAILABLE)
    bad |= 8;
  jwtgate_result_free(r);
  if (jwtgate_validator_stop_refresh_thread(v) != JWTGATE_OK) bad |= 16;
  jwtgate_validator_free(v);
  return bad;
}

/* A validator that another thread was refreshing at the fork (it held the
 * refresher's lock, across a fetch): refused clearly, no hang. */
static int child_after_refresher(jwtgate_validator *v) {
  int bad = 0;
  jwtgate_error *err = NULL;
  jwtgate_result *r = jwtgate_result_new();
  if (jwtgate_validator_refresh_keys(v, &err, 1) != JWTGATE_ERR_NETWORK) bad |= 1;
  if (!error_has(err, "refreshing this validator's keys when the process forked")) bad |= 2;
  jwtgate_error_free(err);
  if (jwtgate_validator_start_refresh_thread(v) != JWTGATE_ERR_UNSUPPORTED) bad |= 8;
  if (validate(v, r) != JWTGATE_INVALID_TOKEN ||
      jwtgate_result_reason(r) != JWTGATE_REASON_KEYS_UNAVAILABLE)
    bad |= 4;
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
  return bad;
}

static void *refresh_keys_thread(void *v) {
  jwtgate_error *err = NULL;
  jwtgate_validator_refresh_keys((jwtgate_validator *)v, &err, 1);
  jwtgate_error_free(err);
  return NULL;
}

/* A loopback listener that accepts connections (the kernel completes the
 * handshake) and never answers: a fetch from it lasts its whole timeout. */
static int silent_listener(int *port) {
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0 ||
      getsockname(s, (struct sockaddr *)&a, &len) != 0)
    return -1;
  *port = ntohs(a.sin_port);
  return s;
}

static void test_fork_while_refreshing(void) {
  static const char kPolicyFmt[] =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": [{\"url\": "
      "\"http://127.0.0.1:%d/.well-known/openid-configuration\"}], \"audiences\": [\"x\"]}}";
  char text[sizeof kPolicyFmt + 16];
  int port = 0;
  const int listener = silent_listener(&port);
  jwtgate_policy *p = NULL;
  jwtgate_validator_options *o = jwtgate_validator_options_new();
  jwtgate_validator *v = NULL;
  pthread_t refresher;
  CHECK(listener >= 0);
  if (listener < 0) return;
  snprintf(text, sizeof text, kPolicyFmt, port);
  CHECK(jwtgate_policy_load(&p, NULL, text, strlen(text), NULL) == JWTGATE_OK);
  CHECK(jwtgate_validator_options_set_never_wait(o, 1) == JWTGATE_OK);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1) ==
        JWTGATE_OK);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_FETCH_TIMEOUT_MS, 3000) ==
        JWTGATE_OK);
  CHECK(jwtgate_validator_new_with_options(&v, NULL, p, NULL, o) == JWTGATE_OK);
  CHECK(pthread_create(&refresher, NULL, refresh_keys_thread, v) == 0);
  sleep_ms(300); /* the refresher is inside its fetch, holding its lock */
  CHECK(run_child(child_after_refresher, v) == 0);
  /* The parent is unaffected: its refresher ends with the fetch's timeout,
   * and a refresh after it takes the lock again (refused at once now that
   * nothing listens: a network error, not the fork's). */
  CHECK(pthread_join(refresher, NULL) == 0);
  close(listener);
  {
    jwtgate_error *err = NULL;
    CHECK(jwtgate_validator_refresh_keys(v, &err, 1) == JWTGATE_ERR_NETWORK);
    CHECK(!error_has(err, "forked"));
    jwtgate_error_free(err);
  }
  jwtgate_validator_free(v);
  jwtgate_validator_options_free(o);
  jwtgate_policy_free(p);
}

static void test_fork(void) {
  jwtgate_validator *v = new_validator(JWTGATE_KEY_SOURCE_HOST, 0, 0);
  /* Keys loaded in the parent are there in the child. */
  CHECK(load(v, jwks, jwks_len) == JWTGATE_OK);
  CHECK(run_child(child_validates, v) == 0);
  jwtgate_validator_free(v);

  if (jwtgate_network_available()) {
    /* An openid-config on a loopback port where nothing listens (bound and
     * closed here, so the refusal is immediate). */
    static const char kPolicyFmt[] =
        "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": [{\"url\": "
        "\"http://127.0.0.1:9/.well-known/openid-configuration\"}],"
        " \"audiences\": [\"x\"]}}";
    jwtgate_policy *p = NULL;
    jwtgate_validator_options *o = jwtgate_validator_options_new();
    jwtgate_validator *lv = NULL;
    jwtgate_error *perr = NULL;
    CHECK(jwtgate_policy_load(&p, &perr, kPolicyFmt, sizeof kPolicyFmt - 1, NULL) == JWTGATE_OK);
    if (perr) fprintf(stderr, "policy: %s\n", jwtgate_error_text(perr));
    jwtgate_error_free(perr);
    CHECK(jwtgate_validator_options_set_never_wait(o, 1) == JWTGATE_OK);
    CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1) ==
          JWTGATE_OK);
    CHECK(jwtgate_validator_new_with_options(&lv, NULL, p, NULL, o) == JWTGATE_OK);
    /* No thread at the fork: the child starts and stops its own. */
    CHECK(run_child(child_starts_thread, lv) == 0);
    /* The thread runs at the fork. */
    CHECK(jwtgate_validator_start_refresh_thread(lv) == JWTGATE_OK);
    CHECK(run_child(child_after_thread, lv) == 0);
    /* The thread waits for its next attempt at the fork (the first failed at
     * once): the child's stop and free must neither wait for the mutex the
     * thread may hold nor destroy the condition variable it waits on. */
    {
      jwtgate_key_counters c;
      int64_t t0 = mono_ms();
      memset(&c, 0, sizeof c);
      c.struct_size = sizeof c;
      while (jwtgate_validator_get_key_counters(lv, &c) == JWTGATE_OK && c.failures == 0 &&
             mono_ms() - t0 < 5000)
        sleep_ms(5);
      CHECK(c.failures >= 1);
      sleep_ms(50);
      CHECK(run_child(child_after_thread, lv) == 0);
    }
    CHECK(jwtgate_validator_stop_refresh_thread(lv) == JWTGATE_OK);
    jwtgate_validator_free(lv);
    jwtgate_validator_options_free(o);
    jwtgate_policy_free(p);
    test_fork_while_refreshing();
  }
}

int main(void) {
  jwtgate_load_options *lo = jwtgate_load_options_new();
  jwtgate_error *err = NULL;
  char *now_text;
  discovery = slurp("examples/article/openid-configuration.json", &discovery_len);
  jwks = slurp("examples/article/jwks.json", &jwks_len);
  token = slurp("examples/article/tokens/valid.jwt", &token_len);
  config_url = slurp("examples/article/openid-config-url.txt", NULL);
  jwks_url = slurp("examples/article/jwks-uri.txt", NULL);
  now_text = slurp("examples/article/now.txt", NULL);
  now = strtoll(now_text, NULL, 10);
  jwtgate_load_options_set_named_value(lo, "tenant-id", "0da700fe-a3a7-4aaa-a43f-48a79eefc326");
  jwtgate_load_options_set_named_value(lo, "backend-app-id", "7e5ff242-8d3a-46a9-8890-45722c2f3d27");
  {
    char *path = root_path("examples/article/policy.xml");
    if (jwtgate_policy_load_file(&policy, &err, path, lo) != JWTGATE_OK) {
      fprintf(stderr, "policy: %s\n", err ? jwtgate_error_text(err) : "?");
      return 2;
    }
    free(path);
  }
  jwtgate_error_free(err);
  jwtgate_load_options_free(lo);

  test_host_first_load();
  test_host_refusals();
  test_host_deadline();
  test_library_mode();
  test_fork();

  jwtgate_policy_free(policy);
  free(discovery);
  free(jwks);
  free(token);
  free(config_url);
  free(jwks_url);
  free(now_text);
  printf("capi_host (network %s): %d checks, %d failed\n",
         jwtgate_network_available() ? "built" : "disabled", checks, failures);
  return failures ? 1 : 0;
}
