/*
 * jwtgate_experimental.h - the part of jwtgate's C API that is not frozen.
 *
 * What is here works, is tested and is used by jwtgate's own CLI, server
 * and Python package, but its shape may still change: a function may change
 * its signature or meaning, or go, in any release. Include this header (it
 * includes jwtgate.h) to use it; a program that includes only jwtgate.h uses
 * only the frozen API.
 *
 * Symbols of this header carry the version node JWTGATE_EXPERIMENTAL_<x.y>
 * of the release that last changed them (src/jwtgate.map). A function that
 * changes incompatibly moves to the node of that release, so a program built
 * against the old one fails to start ("version JWTGATE_EXPERIMENTAL_0.1 not
 * found") instead of calling it wrongly. When a function is ready to be
 * frozen it moves to jwtgate.h and to a stable node (JWTGATE_<x.y>).
 *
 * The conventions of jwtgate.h (handles, the jwtgate_error **err rule,
 * booleans, struct_size, ownership, threads) hold here too. Structs here
 * begin with struct_size and only grow at their end.
 *
 * Adding to it: append a block at the end, one per feature, under a heading
 * line like the ones below; declare each function with JWTGATE_API, add its
 * name to the JWTGATE_EXPERIMENTAL_<x.y> node of src/jwtgate.map and to
 * tests/abi/symbols.txt (`meson test abi-symbols` says what is missing), and,
 * if it takes a jwtgate_error **err, a case to tests/capi/test_err_rule.c.
 * docs/api-stability.md has the whole procedure.
 */
#ifndef JWTGATE_EXPERIMENTAL_H
#define JWTGATE_EXPERIMENTAL_H

#include "jwtgate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------- key text */
/* Experimental because a frozen form would name the form with an enum, not
 * an English phrase, and the list of forms is still growing. */
/* jwtgate_key_text_form says whether |data| is key text rather than a
 * secret: a PEM block of any label anywhere in it (after a BOM, OpenSSL's
 * "Bag Attributes", comments), an OpenSSH or RFC 4716 SSH public key, a DER
 * certificate, SubjectPublicKeyInfo or PKCS#1 RSA public key, an SSH key
 * blob, a JWK or JWK Set, or any of these base64-encoded (docs/keys-and-
 * network.md lists the rules). It returns a static phrase naming the form
 * ("a PEM block"), or NULL when none is found. Every loader of HMAC secrets
 * (JWTGATE_KEY_SYMMETRIC_BASE64, a policy <key>, a JWK "oct" key) refuses
 * such data, since a public key used as an HMAC secret lets anyone sign
 * (CVE-2022-29217); this function lets a host decide how to load key text it
 * was handed. NULL |data| with |data_len| 0 is empty text (NULL returned). */
JWTGATE_API const char *jwtgate_key_text_form(const char *data, size_t data_len);

/* ---------------------------------------------------------- trace events */
/* jwtgate_trace_fn receives one validation step as a JSON object (one line,
 * no newline, valid JSON and UTF-8 whatever the token holds):
 * {"event":"source"|"header"|"key"|"check"|"result", ...}. Events never hold
 * the signature or key material; the token's header and claims appear only
 * with jwtgate_validator_options_set_trace_token(o, 1). Called on the
 * validating thread, after the validation, before it returns. */
typedef void (*jwtgate_trace_fn)(void *user, const char *event_json, size_t event_len);
JWTGATE_API jwtgate_status jwtgate_validator_options_set_trace(jwtgate_validator_options *o,
                                                               jwtgate_trace_fn fn, void *user);
JWTGATE_API jwtgate_status jwtgate_validator_options_set_trace_token(jwtgate_validator_options *o,
                                                                     int include);

/* --------------------------------------------------------------- metrics */
/* jwtgate_validator_options_set_metrics turns the counters off (0) or on (1,
 * the default: they cost well under 2% of a validation). */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_metrics(jwtgate_validator_options *o,
                                                                 int on);

/* JWTGATE_METRICS_BUCKETS latency buckets: bucket i counts validations that
 * took less than 2^i microseconds and at least 2^(i-1) (bucket 0: < 1 us). */
#define JWTGATE_METRICS_BUCKETS 24
/* jwtgate_metrics: totals and latencies of one validator. Set struct_size =
 * sizeof(jwtgate_metrics) before the call; fields may be appended in later
 * versions. Counts by reason have their own call, so that new reasons need
 * no room here. */
typedef struct jwtgate_metrics {
  size_t struct_size;
  uint64_t valid;
  uint64_t invalid;
  uint64_t latency_us_log2[JWTGATE_METRICS_BUCKETS];
} jwtgate_metrics;
/* jwtgate_validator_get_metrics reads the counters (thread-safe).
 * JWTGATE_ERR_UNSUPPORTED when metrics are off, JWTGATE_ERR_INVALID_ARGUMENT
 * when struct_size does not reach past the totals. */
JWTGATE_API jwtgate_status jwtgate_validator_get_metrics(const jwtgate_validator *v,
                                                         jwtgate_metrics *out);
/* jwtgate_validator_metrics_by_reason sets *count to the number of
 * validations that ended with |reason| as the deciding one
 * (JWTGATE_REASON_NONE: the valid ones). Thread-safe; the counters move while
 * validations run, so the counts read by several calls need not add up to
 * jwtgate_metrics' totals exactly. JWTGATE_ERR_INVALID_ARGUMENT for a number
 * that is not a reason, JWTGATE_ERR_UNSUPPORTED when metrics are off. */
JWTGATE_API jwtgate_status jwtgate_validator_metrics_by_reason(const jwtgate_validator *v,
                                                               jwtgate_reason reason,
                                                               uint64_t *count);

/* ---------------------------------------------------------- explanations */
/* jwtgate_result_explain returns an explanation of the last validation for
 * a person: every check with its evidence, and the likely causes of a
 * failure with their fixes, most likely first (v1.0 vs v2.0 tokens, App ID
 * URI vs GUID audiences, missing roles, scp without separator, unknown kid,
 * clock problems, wrong tenant or cloud, ...). |color| adds ANSI colours
 * (and is the only way an ESC enters the text); the lines end in \n and hold
 * no other control character. Owned by |r|. jwtgate_result_explain_json gives the same as JSON:
 * {"valid","token_version","issuer_type","findings":[{"code","title",
 * "evidence","fix"}],"checks":[{"name","passed","evidence"}]}. */
JWTGATE_API const char *jwtgate_result_explain(jwtgate_result *r, int color);
JWTGATE_API const char *jwtgate_result_explain_json(jwtgate_result *r);

/* ------------------------------------------- fetched keys: counters, errors */
/* jwtgate_key_counters: what the fetcher of one validator has done. Set
 * struct_size to sizeof(jwtgate_key_counters) before the call: fields beyond
 * it (added by later versions) are not written. */
typedef struct jwtgate_key_counters {
  size_t struct_size;
  uint64_t fetches;        /* fetch attempts (discovery document + JWK Set) that ended */
  uint64_t failures;       /* of them, those that failed */
  uint64_t kid_misses;     /* validations whose kid matched no key */
  uint64_t keys_loaded;    /* fetched keys usable now */
  uint64_t sources;        /* openid-config URLs this validator fetches */
  uint64_t sources_usable; /* of them, those whose keys are usable now */
  int64_t last_success;    /* Unix seconds of the last successful fetch; 0 never */
  int64_t last_failure;    /* Unix seconds of the last failed fetch; 0 never */
  int64_t next_fetch;      /* Unix seconds of the next scheduled fetch; 0 none */
} jwtgate_key_counters;

/* jwtgate_validator_get_key_counters fills |out| (all zero for a validator
 * with nothing to fetch). Returns JWTGATE_ERR_INVALID_ARGUMENT when |v| or
 * |out| is NULL or out->struct_size does not cover struct_size itself. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_get_key_counters(const jwtgate_validator *v,
                                                              jwtgate_key_counters *out);
/* jwtgate_validator_key_errors sets *out (freed on entry, as *err would be)
 * to a new list of the error of the last fetch of every openid-config whose
 * last fetch failed and, as warnings (jwtgate_error_is_warning), each key
 * the fetched sets in use skipped (malformed or unusable: the jwks_uri, its
 * index, kid and why; the set's other keys are used); or to NULL when there
 * is nothing to report. The caller frees it with jwtgate_error_free. The
 * list is the product of the call, not its error: the status is JWTGATE_OK
 * whatever the list holds. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_key_errors(const jwtgate_validator *v,
                                                        jwtgate_error **out);

/* ------------------------------------- OAuth 2.0 client-credentials client */
/* jwtgate_token_request: an OAuth 2.0 client-credentials grant (RFC 6749
 * 4.4), as a daemon calling an API behind API Management makes it. The
 * secret is copied, wiped on free, and never appears in an error. */
typedef struct jwtgate_token_request jwtgate_token_request;
typedef struct jwtgate_token_response jwtgate_token_response;

/* jwtgate_token_field names a text field of a token request. */
typedef enum jwtgate_token_field {
  JWTGATE_TOKEN_ENDPOINT = 0,      /* the token endpoint URL (https) */
  JWTGATE_TOKEN_TENANT = 1,        /* or an Entra tenant ID or domain: the endpoint is
                                      https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token */
  JWTGATE_TOKEN_CLIENT_ID = 2,
  JWTGATE_TOKEN_CLIENT_SECRET = 3,
  JWTGATE_TOKEN_SCOPE = 4,         /* Entra: "{App ID URI}/.default" */
  JWTGATE_TOKEN_RESOURCE = 5       /* RFC 8707 resource indicator (optional) */
} jwtgate_token_field;

/* jwtgate_token_option names a numeric option of a token request. (0 was
 * the client authentication, now jwtgate_token_request_set_client_auth.) */
typedef enum jwtgate_token_option {
  JWTGATE_TOKEN_TIMEOUT_MS = 1,         /* 1 .. 600000; default 10000 */
  JWTGATE_TOKEN_ALLOW_HTTP_LOOPBACK = 2 /* 1: plain http to a loopback host (tests) */
} jwtgate_token_option;

/* How the client authenticates (RFC 6749 2.3.1): in the request body, as
 * Entra documents it, or with HTTP Basic. */
typedef enum jwtgate_client_auth {
  JWTGATE_CLIENT_SECRET_POST = 0,
  JWTGATE_CLIENT_SECRET_BASIC = 1
} jwtgate_client_auth;

/* jwtgate_token_request_new returns an empty request, or NULL on OOM. */
JWTGATE_API jwtgate_token_request *jwtgate_token_request_new(void);
/* jwtgate_token_request_free wipes the secret and frees |t|. */
JWTGATE_API void jwtgate_token_request_free(jwtgate_token_request *t);
/* jwtgate_token_request_set copies |value_len| bytes of |value| into
 * |field|. JWTGATE_ERR_INVALID_ARGUMENT for an unknown field or a value with
 * a NUL byte. */
JWTGATE_API jwtgate_status jwtgate_token_request_set(jwtgate_token_request *t,
                                                     jwtgate_token_field field,
                                                     const char *value, size_t value_len);
/* jwtgate_token_request_set_option sets a numeric option.
 * JWTGATE_ERR_INVALID_ARGUMENT for an unknown option or a value out of range. */
JWTGATE_API jwtgate_status jwtgate_token_request_set_option(jwtgate_token_request *t,
                                                            jwtgate_token_option option,
                                                            uint64_t value);
/* jwtgate_token_request_set_client_auth chooses how the client
 * authenticates (default JWTGATE_CLIENT_SECRET_POST).
 * JWTGATE_ERR_INVALID_ARGUMENT for an unknown value. */
JWTGATE_API jwtgate_status jwtgate_token_request_set_client_auth(jwtgate_token_request *t,
                                                                 jwtgate_client_auth auth);
/* jwtgate_client_credentials sends |t| and, on success, returns JWTGATE_OK
 * with *out holding the response (free it with jwtgate_token_response_free).
 * Otherwise *out is NULL and the status is JWTGATE_ERR_INVALID_ARGUMENT (a
 * field is missing or both endpoint and tenant are set) or
 * JWTGATE_ERR_NETWORK (the request failed or the provider refused it) or
 * JWTGATE_ERR_UNSUPPORTED (a build without network); *err
 * explains, including what Entra's AADSTS501051,
 * 70011, 7000215, 7000222, 700016 and 500011 mean and how to fix them.
 * Blocks for the exchange. Thread-safe for distinct requests. */
JWTGATE_API JWTGATE_WARN_UNUSED_RESULT jwtgate_status jwtgate_client_credentials(
    jwtgate_token_response **out, jwtgate_error **err, const jwtgate_token_request *t);
/* jwtgate_token_response_access_token returns the access token, owned by |r|. */
JWTGATE_API const char *jwtgate_token_response_access_token(const jwtgate_token_response *r);
/* jwtgate_token_response_json returns the whole JSON response, owned by |r|. */
JWTGATE_API const char *jwtgate_token_response_json(const jwtgate_token_response *r);
/* jwtgate_token_response_expires_in returns expires_in (seconds), or -1 when
 * the response has none. */
JWTGATE_API int64_t jwtgate_token_response_expires_in(const jwtgate_token_response *r);
JWTGATE_API void jwtgate_token_response_free(jwtgate_token_response *r);

/* ----------------------------------------------- keys for event-loop hosts */
/* Keys for event-loop hosts (nginx, Envoy, HAProxy, a Rust or Go service):
 * a validator that never fetches on the calling thread, fetching done by
 * the host, and the library's behaviour across fork(). Experimental because
 * only the nginx module uses it so far. docs/keys-and-network.md ("Hosts
 * that fetch") describes the design.
 *
 * Which functions may block, in the whole API: jwtgate_policy_load_file,
 * jwtgate_keyset_builder_add_file (file I/O); jwtgate_validator_refresh_keys
 * and jwtgate_client_credentials (network, bounded by their timeouts);
 * jwtgate_validator_stop_refresh_thread and jwtgate_validator_free (join the
 * refresh thread: within a second, or a fetch timeout); jwtgate_validate_*
 * only for a validator in the default mode, on its first load (at most the
 * first-load timeout); jwtgate_validator_wait_keys (at most its timeout).
 * Nothing else blocks, and with jwtgate_validator_options_set_never_wait or
 * JWTGATE_KEY_SOURCE_HOST no validation ever does.
 *
 * fork(): a validator may be created before fork() and used in the child
 * when no refresh thread ran at the fork (create it, fork, then call
 * jwtgate_validator_start_refresh_thread in each child: the nginx model).
 * A validator whose refresh thread was running at fork() keeps validating
 * in the child with the keys it had, but the thread stayed in the parent:
 * in the child jwtgate_validator_start_refresh_thread returns
 * JWTGATE_ERR_UNSUPPORTED, jwtgate_validator_refresh_keys returns
 * JWTGATE_ERR_NETWORK saying why, validations never wait for a first load
 * (they fail with JWTGATE_REASON_KEYS_UNAVAILABLE until keys exist), and
 * stop_refresh_thread and free forget the parent's thread without joining
 * it. The same holds in a child forked while another thread was inside
 * jwtgate_validator_refresh_keys (or a validation's first load) of the
 * validator. Create a new validator in the child to refresh there. Other
 * threads may validate while one forks; the child's first validation with
 * OpenSSL may still wait for a lock OpenSSL itself held at the fork, so
 * fork while no validation runs, or create validators after fork(). */

/* jwtgate_validator_options_set_never_wait: with |never_wait| 1, no
 * validation ever waits for keys: one that arrives before the first load
 * has ended fails at once with JWTGATE_REASON_KEYS_UNAVAILABLE (detail:
 * "the first key load has not finished"), and the keys are loaded by the
 * refresh thread or jwtgate_validator_refresh_keys. Default 0. Never blocks. */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_never_wait(jwtgate_validator_options *o,
                                                                    int never_wait);

/* jwtgate_key_source says who fetches a validator's openid-config documents. */
typedef enum jwtgate_key_source {
  JWTGATE_KEY_SOURCE_LIBRARY = 0, /* the library, with libcurl (default) */
  JWTGATE_KEY_SOURCE_HOST = 1     /* the host: jwtgate_validator_next_fetch and
                                     jwtgate_validator_supply_document; implies never_wait */
} jwtgate_key_source;

/* jwtgate_validator_options_set_key_source chooses who fetches. With
 * JWTGATE_KEY_SOURCE_HOST the library never opens a connection: the refresh
 * thread and jwtgate_validator_refresh_keys return JWTGATE_ERR_UNSUPPORTED,
 * and the host fetches what jwtgate_validator_next_fetch asks for. A build
 * without libcurl (-Dnetwork=disabled) accepts only this source for a
 * policy whose openid-config is not given offline: jwtgate_validator_new*
 * returns JWTGATE_ERR_UNSUPPORTED otherwise. Never blocks. */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_key_source(jwtgate_validator_options *o,
                                                                    jwtgate_key_source source);

/* jwtgate_fetch: one document the host is asked to fetch, owned by the
 * host (free it with jwtgate_fetch_free, before or after answering). */
typedef struct jwtgate_fetch jwtgate_fetch;

/* jwtgate_validator_next_fetch: for JWTGATE_KEY_SOURCE_HOST. Sets *out to
 * the next document due now and returns JWTGATE_OK; or sets *out to NULL,
 * *wait_ms (if not NULL) to the milliseconds after which to ask again (-1:
 * nothing will be due until a fetch is answered, or ever), and returns
 * JWTGATE_ERR_NOT_FOUND. JWTGATE_ERR_UNSUPPORTED for a validator in library
 * mode. Call it when *wait_ms has passed, after each answer, and every few
 * seconds (a token with an unknown kid makes an early fetch due, at most
 * once per refetch window). A fetch not answered by its deadline is recorded
 * as failed when this is next called (the refetch window then applies).
 * One fetch per openid-config is in flight at a time: the discovery
 * document first; once it is supplied, the JWK Set at its jwks_uri is due
 * at once, under the same deadline. The URLs were checked as the library
 * checks its own (https, or http to loopback with
 * JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK; no user:password): fetch them with
 * certificates verified, at most jwtgate_fetch_max_redirects redirects,
 * each to an https URL. Never blocks. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_next_fetch(jwtgate_validator *v, jwtgate_fetch **out,
                                                        int64_t *wait_ms);
/* The getters of a fetch; strings are owned by |f|. */
JWTGATE_API const char *jwtgate_fetch_url(const jwtgate_fetch *f);
JWTGATE_API jwtgate_document_kind jwtgate_fetch_kind(const jwtgate_fetch *f);
/* jwtgate_fetch_openid_config_url: the openid-config URL the fetch is for
 * (the fetch's own URL for a discovery document). */
JWTGATE_API const char *jwtgate_fetch_openid_config_url(const jwtgate_fetch *f);
/* jwtgate_fetch_timeout_ms: milliseconds left, when it was handed out,
 * before the deadline (JWTGATE_KEYS_FETCH_TIMEOUT_MS for a new attempt). */
JWTGATE_API int64_t jwtgate_fetch_timeout_ms(const jwtgate_fetch *f);
/* jwtgate_fetch_max_bytes: the largest body accepted (JWTGATE_KEYS_MAX_RESPONSE_BYTES). */
JWTGATE_API size_t jwtgate_fetch_max_bytes(const jwtgate_fetch *f);
/* jwtgate_fetch_max_redirects: JWTGATE_KEYS_MAX_REDIRECTS. */
JWTGATE_API int jwtgate_fetch_max_redirects(const jwtgate_fetch *f);
JWTGATE_API void jwtgate_fetch_free(jwtgate_fetch *f);

/* jwtgate_validator_supply_document hands over the response the host got
 * for |f|: its HTTP status, body, and Cache-Control and Age header values
 * (NULL when absent; several Cache-Control fields joined with ", "). The
 * response passes exactly the checks of the library's own fetch (status
 * 200, size, a discovery document or a JWK Set with usable signing keys and
 * no secret) and its outcome is recorded by the same code: last known good
 * keys, refresh schedule (Cache-Control max-age within its floor), refetch
 * window, counters. Returns JWTGATE_OK when accepted (for a discovery
 * document: its JWK Set is now due; for a JWK Set: the keys are in use);
 * JWTGATE_ERR_NETWORK when refused (the attempt failed: *err says why; the
 * last good keys stay); JWTGATE_ERR_NOT_FOUND when |f| is not in flight
 * (answered already, or past its deadline: the late document is not used;
 * *err says so). Never blocks on the network; parses the document
 * (microseconds for a JWK Set of Entra). Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_supply_document(jwtgate_validator *v,
                                                             jwtgate_error **err,
                                                             const jwtgate_fetch *f,
                                                             int http_status, const char *body,
                                                             size_t body_len,
                                                             const char *cache_control,
                                                             const char *age);
/* jwtgate_validator_fetch_failed records that the host could not fetch |f|
 * (|why|: its reason, for jwtgate_validator_key_errors; may be NULL): the
 * attempt failed as a failed library fetch does. JWTGATE_OK, or
 * JWTGATE_ERR_NOT_FOUND when |f| is not in flight. Never blocks. */
JWTGATE_API jwtgate_status jwtgate_validator_fetch_failed(jwtgate_validator *v,
                                                          const jwtgate_fetch *f,
                                                          const char *why);

/* jwtgate_keys_state: how far a validator's fetched keys are. */
typedef enum jwtgate_keys_state {
  JWTGATE_KEYS_STATE_NONE_NEEDED = 0, /* the validator fetches nothing */
  JWTGATE_KEYS_STATE_LOADING = 1,     /* some openid-config's first attempt has not ended */
  JWTGATE_KEYS_STATE_READY = 2,       /* every openid-config has usable keys */
  JWTGATE_KEYS_STATE_UNAVAILABLE = 3  /* every first attempt ended; some openid-config has no
                                         usable keys (jwtgate_validator_key_errors says why) */
} jwtgate_keys_state;

/* jwtgate_validator_wait_keys waits until no first attempt is pending, or
 * |timeout_ms| has passed, and sets *state. With |timeout_ms| 0 it never
 * blocks (an event loop's check); otherwise it blocks for at most
 * |timeout_ms|, for hosts with worker threads (Python's asyncio through a
 * thread). It waits for the refresh thread, jwtgate_validator_refresh_keys
 * on another thread, or the host's supplied documents; it starts nothing. */
JWTGATE_API jwtgate_status jwtgate_validator_wait_keys(const jwtgate_validator *v,
                                                       uint64_t timeout_ms,
                                                       jwtgate_keys_state *state);

/* jwtgate_policy_with_clock_skew makes *out, a copy of |p| whose
 * clock-skew (the leeway on exp and nbf, APIM's clock-skew attribute) is
 * |seconds| (0 .. 86400), for hosts whose configuration sets the leeway
 * beside the policy (nginx's jwtgate_leeway). Never blocks. */
JWTGATE_API jwtgate_status jwtgate_policy_with_clock_skew(jwtgate_policy **out,
                                                          const jwtgate_policy *p,
                                                          int64_t seconds);

/* jwtgate_network_available returns 1 when this build of the library can
 * fetch (libcurl), 0 for a -Dnetwork=disabled build, where
 * jwtgate_validator_refresh_keys, jwtgate_validator_start_refresh_thread
 * and jwtgate_client_credentials return JWTGATE_ERR_UNSUPPORTED. */
JWTGATE_API int jwtgate_network_available(void);

/* ------------------------------------------- for tools that show tokens */
/* What jwtgate's own command-line tool needs beyond the frozen API (the CLI
 * stands on the public headers alone), offered to every host that shows
 * tokens to people: escaping of untrusted text, a token described as jwt.ms
 * shows one, a policy load's errors explained, the build's features and
 * dependency versions. Experimental because a name, an argument or an
 * output format may still change. */

/* jwtgate_escape_style: how jwtgate_text_escape writes untrusted text. The
 * escapes are those of every text the library makes from a token (see
 * jwtgate_result_message): \" (inside the quotes), \\, \n, \r, \t, \xHH for
 * other control characters, DEL and bytes that are not UTF-8, \u{HHHH} for
 * C1 controls, bidirectional controls, U+2028 and U+2029. */
typedef enum jwtgate_escape_style {
  JWTGATE_ESCAPE_QUOTED = 0,         /* between double quotes, escaped */
  JWTGATE_ESCAPE_BARE = 1,           /* escaped, without quotes */
  JWTGATE_ESCAPE_TERMINAL = 2,       /* text built for output already: only what must
                                        never reach a terminal or log raw is escaped
                                        (controls, DEL, non-UTF-8, invisible controls);
                                        backslashes and quotes stay, so escaped text
                                        passes unchanged */
  JWTGATE_ESCAPE_TERMINAL_LINES = 3, /* as TERMINAL, but \n stays (several lines) */
  JWTGATE_ESCAPE_JSON = 4            /* a JSON string with its quotes: valid UTF-8 on
                                        one line for any bytes (\ufffd for bytes outside
                                        UTF-8; DEL, C1, bidirectional controls, U+2028
                                        and U+2029 \u-escaped) */
} jwtgate_escape_style;

/* jwtgate_text_escape writes |text_len| bytes of |text| (any bytes) in
 * |style| to |out|, NUL-terminated, and sets *out_len to the length of the
 * whole escaped text. QUOTED and BARE text longer than |max| bytes (0: no
 * limit) is cut at a character boundary and "..." follows. Returns
 * JWTGATE_OK, or JWTGATE_ERR_RANGE when |out_size| bytes cannot hold the
 * text and its NUL (|out| then holds "" and *out_len says how much is
 * needed: call again with *out_len + 1), or JWTGATE_ERR_INVALID_ARGUMENT
 * (unknown style, NULL |text| with a length, NULL |out| with a size, NULL
 * |out_len|). */
JWTGATE_API jwtgate_status jwtgate_text_escape(const char *text, size_t text_len,
                                               jwtgate_escape_style style, size_t max,
                                               char *out, size_t out_size, size_t *out_len);

/* jwtgate_result_describe returns the token of the last validation or
 * jwtgate_decode for a person, as jwt.ms shows one: a "token:" line with its
 * version and issuer type (Entra ID v1.0 or v2.0; public cloud, US
 * Government, China, B2C, External ID) when the claims show them, then
 * "header:" and "claims:", a member a line as "  name: JSON value", each
 * NumericDate claim (exp, nbf, iat, auth_time, updated_at) followed by its
 * UTC time and its distance from |now| (Unix seconds, or JWTGATE_NOW) and
 * "(expired)" or "(not yet valid)", and under each known member what it
 * means (RFC 7519, RFC 7515, OpenID Connect Core, Entra ID's claims
 * reference). It is no verdict: it says what a token claims, true or not.
 * Names and values are escaped as the result's other text, masked claims
 * read "***" and show no time; |color| adds ANSI colours (the only way an ESC
 * enters the text). "" when no header parsed. Owned by |r| until its next
 * use. */
JWTGATE_API const char *jwtgate_result_describe(jwtgate_result *r, int64_t now, int color);
/* jwtgate_result_describe_json gives the same as one line of JSON:
 * {"verified":false,"token_version":"","issuer_type":"","header":{...},
 *  "claims":{...},"about":{"header":{"alg":{"meaning":"..."}},
 *  "claims":{"exp":{"meaning":"...","utc":"...","relative":"in 5 min",
 *  "state":"expired"}}}}. "verified" is whether |r| holds a validation that
 * accepted the token (never after jwtgate_decode); "header" and "claims"
 * are the token's objects (null when they did not parse, masked claims
 * "***"); "about" has a member for each known member or NumericDate claim,
 * and "state" ("expired", "not yet valid") only when it applies. */
JWTGATE_API const char *jwtgate_result_describe_json(jwtgate_result *r, int64_t now);

/* jwtgate_build_features returns the parts compiled into the run-time
 * library, space-separated: "policy-xml" and "policy-json" (policies in
 * either form), "network" (the library fetches openid-config documents and
 * JWK Sets and makes client-credentials requests itself, with libcurl;
 * absent from a -Dnetwork=disabled build, where jwtgate_network_available
 * returns 0 and the host supplies documents). A name keeps its meaning; a
 * build without a part leaves its name out. */
JWTGATE_API const char *jwtgate_build_features(void);
/* jwtgate_dependency_versions returns the libraries the run-time library
 * uses, space-separated NAME/VERSION, e.g. "OpenSSL/3.0.17 libcurl/7.88.1
 * simdjson/3.0.1 pugixml/1.13" (no libcurl without "network"): OpenSSL's
 * and libcurl's as they run, the others' as compiled in. For bug reports
 * and "jwtgate --version". */
JWTGATE_API const char *jwtgate_dependency_versions(void);
/* -------------------------------------------- key maps and payload bytes */
/* Experimental values of two frozen enums. They are macros, not
 * enumerators, so that jwtgate.h's enums stay as frozen; their numbers are
 * reserved there, and they become enumerators when they are frozen. */

/* JWTGATE_KEY_PEM_MAP (for jwtgate_keyset_builder_add and
 * jwtgate_keyset_from_data): {"<kid>": "<PEM certificate or public key>",
 * ...}, the key map Google and Firebase publish; each key gets its kid.
 * JWTGATE_KEY_AUTO recognises it too. */
#define JWTGATE_KEY_PEM_MAP ((jwtgate_key_format)7)

/* JWTGATE_PART_PAYLOAD (for jwtgate_result_part_json only; the member
 * getters take the header or the claims): the decoded payload as bytes,
 * whatever they are: the claims JSON of a JWT, or the content of a plain JWS
 * (jwtgate_verify_jws), which may hold NULs: use |out_len|. */
#define JWTGATE_PART_PAYLOAD ((jwtgate_part)2)

/* ------------------------------------------------- plain JWS (RFC 7515) */
/* A JOSE library's JWS API verifies signatures over any content, not only
 * JWT claims sets. These calls run the checks jwtgate_validate_token runs up
 * to and including the signature, and none of the claim checks: the same
 * parser (size, segments, strict base64url, the header: a JSON object
 * without duplicate members, "alg" present and never "none", "crit", no
 * embedded "jwk"/"jku"/"x5u"/"x5c" keys, "b64" false refused) and the same
 * key selection and verification (the alg bound to the key's type, JWK
 * "alg"/"use"/"key_ops", RSA keys of 2048 bits or more, HMAC keys at least
 * as long as the hash, RFC 7518 3.2, ECDSA signatures as R || S). */
typedef struct jwtgate_jws_options jwtgate_jws_options;
/* jwtgate_jws_options_new returns the default options, or NULL on OOM. */
JWTGATE_API jwtgate_jws_options *jwtgate_jws_options_new(void);
JWTGATE_API void jwtgate_jws_options_free(jwtgate_jws_options *o);
/* jwtgate_jws_options_set_algorithms sets the allowed "alg" values, a
 * comma-separated list of JWS names ("RS256,ES256"). By default every
 * algorithm jwtgate implements is allowed. JWTGATE_ERR_INVALID_ARGUMENT for
 * an empty list or a name jwtgate does not implement. */
JWTGATE_API jwtgate_status jwtgate_jws_options_set_algorithms(jwtgate_jws_options *o,
                                                              const char *algorithms);
/* jwtgate_jws_options_set_min_hmac_bits lowers the HMAC key floor from the
 * hash size to |bits| (128 .. 4096; 128 is API Management's floor), as the
 * policy's min-hmac-bits does; 0 restores the default. */
JWTGATE_API jwtgate_status jwtgate_jws_options_set_min_hmac_bits(jwtgate_jws_options *o,
                                                                 unsigned bits);
/* jwtgate_verify_jws verifies the compact JWS |token| with the keys of
 * |keys| (|opts| may be NULL for the defaults). Returns JWTGATE_OK when the
 * signature verifies, JWTGATE_INVALID_TOKEN otherwise; |r| then says why, as
 * after a validation (jwtgate_result_reason, _failure_*; reasons from the
 * format and signature stages only), and holds the header
 * (JWTGATE_PART_HEADER) and the payload bytes (JWTGATE_PART_PAYLOAD) as far
 * as they were decoded. The payload is any bytes; JWTGATE_PART_CLAIMS is not
 * available. Thread-safe for distinct results. */
JWTGATE_API JWTGATE_WARN_UNUSED_RESULT jwtgate_status jwtgate_verify_jws(
    jwtgate_result *r, const jwtgate_keyset *keys, const jwtgate_jws_options *opts,
    const char *token, size_t token_len);
/* jwtgate_verify_signature checks the JWS signature |sig| (raw bytes: the
 * decoded third segment) over |signing_input| for the algorithm named |alg|
 * with the keys of |keys|: every key that may verify |alg| under |opts| is
 * tried. Returns JWTGATE_OK when one verifies, JWTGATE_INVALID_TOKEN
 * otherwise, with |r| holding one failure: alg_unknown, alg_not_allowed,
 * signature_missing (empty |sig|), no_keys, key_not_found (no key may verify
 * |alg|, with the reason) or signature_invalid. For JOSE libraries whose
 * algorithm objects verify a message and a signature directly. */
JWTGATE_API JWTGATE_WARN_UNUSED_RESULT jwtgate_status jwtgate_verify_signature(
    jwtgate_result *r, const jwtgate_keyset *keys, const jwtgate_jws_options *opts,
    const char *alg, const void *signing_input, size_t signing_input_len, const void *sig,
    size_t sig_len);
/* ------------------------------------------ explanations: codes, load errors */
/* jwtgate_error_code returns the stable code of entry |i| of |err|
 * ("named_value_undefined", "policy_expression", "discovery_document_is_jwks",
 * ...; docs/diagnosis.md lists them), "" for an entry without one, or NULL
 * out of range. */
JWTGATE_API const char *jwtgate_error_code(const jwtgate_error *err, size_t i);
/* jwtgate_error_explain explains an error list (a policy that did not load:
 * the *err of jwtgate_policy_load; or a loaded policy's warnings) as
 * jwtgate_result_explain explains a token: the likely causes with their
 * fixes (unresolved named values, expressions, unusable openid-config
 * documents). jwtgate_error_explain_json gives the same as JSON. The text is
 * made on the first call for each form and kept by |err| until it is freed:
 * the list does not change otherwise, and any number of threads may call
 * these on one list at once. NULL for a NULL |err| or on OOM. */
JWTGATE_API const char *jwtgate_error_explain(const jwtgate_error *err, int color);
JWTGATE_API const char *jwtgate_error_explain_json(const jwtgate_error *err);
/* jwtgate_result_explain_line returns the explanation of the last
 * validation on one line, for a log field or a server variable: the most
 * likely cause's code, title and evidence ("" for a valid token). No control
 * character; owned by |r|, valid until its next validation or explanation. */
JWTGATE_API const char *jwtgate_result_explain_line(jwtgate_result *r);
/* ------------------------------------------------- decryption keys (JWE) */

/* jwtgate_load_options_add_decryption_key registers the private key that
 * <decryption-keys><key certificate-id="..."> names (APIM: an uploaded PFX):
 * PEM ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC
 * PRIVATE KEY"; certificates beside it are skipped), DER PKCS#8 (plain or
 * encrypted), PKCS#12, or a private JWK / JWK Set, found by content.
 * |password| (NULL or "" for none) decrypts an encrypted PKCS#8 key or a
 * PKCS#12 file. RSA, EC P-256/384/521 and X25519 keys are taken. The key is
 * copied into OpenSSL objects: the caller may wipe its buffers at once; the
 * library wipes its copy when the last policy using it is freed. Messages
 * in *err never hold key material. */
JWTGATE_API jwtgate_status jwtgate_load_options_add_decryption_key(jwtgate_load_options *o,
                                                                   jwtgate_error **err,
                                                                   const char *certificate_id,
                                                                   const char *data,
                                                                   size_t data_len,
                                                                   const char *password);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JWTGATE_EXPERIMENTAL_H */
