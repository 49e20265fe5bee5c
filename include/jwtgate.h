/*
 * jwtgate.h - embeddable JSON Web Token validator with APIM-style policies.
 *
 * Stability: everything in this header is part of the stable ABI of
 * libjwtgate.so.JWTGATE_ABI_VERSION. Enum numbers never change; new values are
 * appended. Handles are opaque. Every _free function accepts NULL.
 *
 * Ownership: pointers returned by getters are owned by the object they were
 * read from and stay valid until that object is freed or, for a result, until
 * it is reused by the next validation.
 *
 * Threads: keysets, policies and validators are immutable once created (a
 * validator's key set is replaced atomically) and may be used from any number
 * of threads at once. A jwtgate_result, jwtgate_request, jwtgate_load_options
 * or jwtgate_keyset_builder belongs to one thread at a time.
 */
#ifndef JWTGATE_H
#define JWTGATE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- export */
#if defined(_WIN32)
#  if defined(JWTGATE_BUILDING)
#    define JWTGATE_API __declspec(dllexport)
#  else
#    define JWTGATE_API
#  endif
#elif defined(__GNUC__)
#  define JWTGATE_API __attribute__((visibility("default")))
#else
#  define JWTGATE_API
#endif

#if defined(__GNUC__)
#  define JWTGATE_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#  define JWTGATE_WARN_UNUSED_RESULT
#endif

/* --------------------------------------------------------------- version */
#include "jwtgate_version.h" /* JWTGATE_VERSION_MAJOR/MINOR/PATCH/STRING */
#define JWTGATE_VERSION_NUMBER \
  (JWTGATE_VERSION_MAJOR * 10000 + JWTGATE_VERSION_MINOR * 100 + JWTGATE_VERSION_PATCH)
/* JWTGATE_ABI_VERSION (in jwtgate_version.h) is the SONAME major:
 * libjwtgate.so.JWTGATE_ABI_VERSION. */

/* jwtgate_version_number returns JWTGATE_VERSION_NUMBER of the library that is
 * linked at run time, so a binding can detect a header/library mismatch. */
JWTGATE_API unsigned jwtgate_version_number(void);
/* jwtgate_version_string returns the run-time library's version, e.g. "0.1.0". */
JWTGATE_API const char *jwtgate_version_string(void);

/* ---------------------------------------------------------------- status */
/* jwtgate_status is what every fallible call returns. The numbers are frozen. */
typedef enum jwtgate_status {
  JWTGATE_OK = 0,
  /* The token was examined and rejected; the result says why. */
  JWTGATE_INVALID_TOKEN = 1,
  JWTGATE_ERR_INVALID_ARGUMENT = 2, /* NULL handle, bad enum, bad length */
  JWTGATE_ERR_OUT_OF_MEMORY = 3,
  JWTGATE_ERR_IO = 4,               /* a file could not be read */
  JWTGATE_ERR_POLICY = 5,           /* a policy could not be loaded */
  JWTGATE_ERR_KEY = 6,              /* key material could not be loaded */
  JWTGATE_ERR_NOT_FOUND = 7,        /* a getter's claim or item is absent */
  JWTGATE_ERR_TYPE = 8,             /* a getter's claim has another JSON type */
  JWTGATE_ERR_RANGE = 9,            /* index or number out of range */
  JWTGATE_ERR_UNSUPPORTED = 10,     /* a feature this build does not have */
  JWTGATE_ERR_NETWORK = 11,         /* a fetch failed */
  JWTGATE_ERR_INTERNAL = 12
} jwtgate_status;

/* jwtgate_status_str returns static English text for |status|, never NULL. */
JWTGATE_API const char *jwtgate_status_str(jwtgate_status status);

/* ---------------------------------------------------------------- reason */
/* jwtgate_reason is the stable, detailed code of one failed check. Each maps
 * onto one APIM context.LastError.Reason (see jwtgate_reason_apim). The values
 * come from JWTGATE_REASON_LIST in jwtgate_reasons.h, which gives every
 * reason's number, name, APIM reason and meaning; the numbers are frozen and
 * new reasons are appended. */
#include "jwtgate_reasons.h"
#define JWTGATE_REASON_ENUMERATOR_(name, number, code, apim, text) JWTGATE_REASON_##name = number,
typedef enum jwtgate_reason { JWTGATE_REASON_LIST(JWTGATE_REASON_ENUMERATOR_) } jwtgate_reason;
#undef JWTGATE_REASON_ENUMERATOR_

/* jwtgate_reason_str returns a stable snake_case name, e.g. "expired". */
JWTGATE_API const char *jwtgate_reason_str(jwtgate_reason reason);
/* jwtgate_reason_apim returns the APIM context.LastError.Reason for |reason|,
 * e.g. "TokenExpired", or "" for JWTGATE_REASON_NONE. */
JWTGATE_API const char *jwtgate_reason_apim(jwtgate_reason reason);

/* ------------------------------------------------------------ error list */
/* jwtgate_error lists every problem found while loading a policy or keys:
 * message, and where known the line, column and element path. */
typedef struct jwtgate_error jwtgate_error;

JWTGATE_API size_t jwtgate_error_count(const jwtgate_error *err);
/* jwtgate_error_message returns the i-th message, or NULL out of range. */
JWTGATE_API const char *jwtgate_error_message(const jwtgate_error *err, size_t i);
/* jwtgate_error_line / _column return 1-based positions, or 0 if unknown. */
JWTGATE_API unsigned jwtgate_error_line(const jwtgate_error *err, size_t i);
JWTGATE_API unsigned jwtgate_error_column(const jwtgate_error *err, size_t i);
/* jwtgate_error_path returns an element path such as
 * "policies/inbound/validate-jwt[1]/audiences", or "" if none. */
JWTGATE_API const char *jwtgate_error_path(const jwtgate_error *err, size_t i);
/* jwtgate_error_is_warning returns 1 for a warning (load went on), else 0. */
JWTGATE_API int jwtgate_error_is_warning(const jwtgate_error *err, size_t i);
/* jwtgate_error_text returns all entries as one "line:col: path: message\n"
 * text, owned by |err|. */
JWTGATE_API const char *jwtgate_error_text(const jwtgate_error *err);
JWTGATE_API void jwtgate_error_free(jwtgate_error *err);

/* ---------------------------------------------------------------- keyset */
typedef struct jwtgate_keyset jwtgate_keyset;
typedef struct jwtgate_keyset_builder jwtgate_keyset_builder;

/* jwtgate_key_format says how to read key bytes. */
typedef enum jwtgate_key_format {
  JWTGATE_KEY_AUTO = 0,       /* JWKS, JWK, PEM (keys or certificates) or DER */
  JWTGATE_KEY_JWKS = 1,       /* {"keys":[...]} */
  JWTGATE_KEY_JWK = 2,        /* one JWK object */
  JWTGATE_KEY_PEM = 3,        /* PUBLIC KEY and/or CERTIFICATE blocks */
  JWTGATE_KEY_DER_SPKI = 4,   /* DER SubjectPublicKeyInfo */
  JWTGATE_KEY_DER_CERT = 5,   /* DER X.509 certificate */
  JWTGATE_KEY_SYMMETRIC_BASE64 = 6 /* APIM <key>: standard base64 secret */
} jwtgate_key_format;

/* jwtgate_keyset_builder_new returns an empty builder, or NULL on OOM. */
JWTGATE_API jwtgate_keyset_builder *jwtgate_keyset_builder_new(void);
JWTGATE_API void jwtgate_keyset_builder_free(jwtgate_keyset_builder *b);
/* jwtgate_keyset_builder_add parses |data| and adds every key in it. |kid|,
 * if not NULL, sets the key id of keys that have none (PEM, DER, symmetric).
 * On failure nothing is added and, if |err| is not NULL, *err receives a list
 * the caller frees with jwtgate_error_free. On success *err is NULL, or a
 * list of warnings (jwtgate_error_is_warning) the caller frees too: above
 * all, each key of a JWK Set that was skipped, malformed or unusable, named
 * by its index, kid and why ("JWKS key #2 (kid "x") skipped: ..."); the
 * other keys of the set are added. A JWK Set with no usable key left, or
 * one that mixes symmetric secrets with public keys, is refused whole.
 * A key whose JWK has a "kid" never verifies a token that names another
 * kid; keys without one, and keys that get |kid| here, are also tried for a
 * token whose kid matches no key (docs/keys-and-network.md). */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_add(jwtgate_keyset_builder *b,
                                                      jwtgate_error **err,
                                                      jwtgate_key_format format,
                                                      const char *data, size_t data_len,
                                                      const char *kid);
/* jwtgate_keyset_builder_add_rsa_components adds an RSA key from base64url
 * modulus and exponent (the APIM n/e form). */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_add_rsa_components(
    jwtgate_keyset_builder *b, jwtgate_error **err, const char *n_b64url,
    const char *e_b64url, const char *kid);
/* jwtgate_keyset_builder_add_file reads |path| and adds its keys (format
 * detected); *err as for jwtgate_keyset_builder_add (warnings on success
 * included). */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_add_file(jwtgate_keyset_builder *b,
                                                           jwtgate_error **err,
                                                           const char *path);
/* jwtgate_keyset_builder_build makes an immutable key set from what was added.
 * The builder may be reused or freed afterwards. */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_build(jwtgate_keyset_builder *b,
                                                        jwtgate_keyset **out);
/* jwtgate_keyset_from_data is builder_new + add + build in one call; *err
 * as for jwtgate_keyset_builder_add (warnings on success included). */
JWTGATE_API jwtgate_status jwtgate_keyset_from_data(jwtgate_keyset **out, jwtgate_error **err,
                                                    jwtgate_key_format format,
                                                    const char *data, size_t data_len);
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
/* jwtgate_keyset_count returns the number of keys. */
JWTGATE_API size_t jwtgate_keyset_count(const jwtgate_keyset *ks);
/* jwtgate_keyset_free releases the caller's reference; validators using the
 * set keep their own. */
JWTGATE_API void jwtgate_keyset_free(jwtgate_keyset *ks);

/* ---------------------------------------------------------- load options */
/* jwtgate_load_options carries what a policy needs from its host: named
 * values, expression results, certificates by id, and limits. */
typedef struct jwtgate_load_options jwtgate_load_options;

JWTGATE_API jwtgate_load_options *jwtgate_load_options_new(void);
JWTGATE_API void jwtgate_load_options_free(jwtgate_load_options *o);
/* jwtgate_load_options_set_named_value defines {{name}}. */
JWTGATE_API jwtgate_status jwtgate_load_options_set_named_value(jwtgate_load_options *o,
                                                                const char *name,
                                                                const char *value);
/* jwtgate_load_options_set_expression_value supplies the value that the policy
 * expression with exactly this text (e.g. "@(context.Api.Name)") stands for.
 * Without one, a policy that holds an expression fails to load. */
JWTGATE_API jwtgate_status jwtgate_load_options_set_expression_value(jwtgate_load_options *o,
                                                                     const char *expression,
                                                                     const char *value);
/* jwtgate_load_options_add_certificate registers certificate bytes (PEM or
 * DER) under |certificate_id| for <key certificate-id="...">. */
JWTGATE_API jwtgate_status jwtgate_load_options_add_certificate(jwtgate_load_options *o,
                                                                jwtgate_error **err,
                                                                const char *certificate_id,
                                                                const char *data,
                                                                size_t data_len);
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
/* jwtgate_load_options_select picks one validation element of a policy
 * document by its id attribute, or by 1-based position when |id| is a
 * number. NULL selects the first. */
JWTGATE_API jwtgate_status jwtgate_load_options_select(jwtgate_load_options *o, const char *id);
/* jwtgate_load_options_set_document supplies, for offline use, the OpenID
 * discovery document (kind 0) or the JWK Set (kind 1) for |url|. Documents
 * are read by jwtgate_policy_load, and an offline JWK Set obeys the rules of
 * a fetched one: a set that holds a symmetric (oct) key, or no usable key,
 * fails the load; a key that cannot be used is skipped with a warning in
 * that call's *err. */
JWTGATE_API jwtgate_status jwtgate_load_options_set_document(jwtgate_load_options *o,
                                                             const char *url, int kind,
                                                             const char *data,
                                                             size_t data_len);

/* ---------------------------------------------------------------- policy */
typedef struct jwtgate_policy jwtgate_policy;

/* jwtgate_policy_load reads a policy in XML (<validate-jwt>,
 * <validate-azure-ad-token>, or a <policies> document) or JSON, chosen by the
 * first non-blank character. |opts| may be NULL. On failure *out is NULL and
 * *err (if |err| is not NULL) lists every problem found; warnings may be
 * returned in *err on success too. Nothing is half-loaded. */
JWTGATE_API jwtgate_status jwtgate_policy_load(jwtgate_policy **out, jwtgate_error **err,
                                               const char *text, size_t text_len,
                                               const jwtgate_load_options *opts);
/* jwtgate_policy_load_file is jwtgate_policy_load on a file's contents. */
JWTGATE_API jwtgate_status jwtgate_policy_load_file(jwtgate_policy **out, jwtgate_error **err,
                                                    const char *path,
                                                    const jwtgate_load_options *opts);
/* jwtgate_policy_to_json returns the policy in jwtgate's JSON form, owned by
 * |p|. */
JWTGATE_API const char *jwtgate_policy_to_json(const jwtgate_policy *p);
/* jwtgate_policy_to_xml returns the policy as an APIM XML element, owned by
 * |p|. Named values and supplied expressions appear resolved. */
JWTGATE_API const char *jwtgate_policy_to_xml(const jwtgate_policy *p);
JWTGATE_API void jwtgate_policy_free(jwtgate_policy *p);

/* ------------------------------------------------------------- validator */
typedef struct jwtgate_validator jwtgate_validator;

/* jwtgate_validator_new combines a policy and a key set (|keys| may be NULL
 * when the policy carries its own keys). Both are shared, not copied; the
 * caller may free its handles afterwards. */
JWTGATE_API jwtgate_status jwtgate_validator_new(jwtgate_validator **out, jwtgate_error **err,
                                                 const jwtgate_policy *policy,
                                                 const jwtgate_keyset *keys);
/* jwtgate_validator_options: settings of a validator that are not part of
 * the policy. Create, set, pass to jwtgate_validator_new_with_options, free. */
typedef struct jwtgate_validator_options jwtgate_validator_options;
JWTGATE_API jwtgate_validator_options *jwtgate_validator_options_new(void);
JWTGATE_API void jwtgate_validator_options_free(jwtgate_validator_options *o);
/* jwtgate_validator_options_set_cache_entries sizes the verified-token cache:
 * a repeated valid token then skips signature and claim checks (exp, nbf and
 * iat are checked again each time; a new key set empties it). 0, the default,
 * turns it off. */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_cache_entries(
    jwtgate_validator_options *o, size_t entries);
/* jwtgate_validator_new_with_options is jwtgate_validator_new with options
 * (|opts| may be NULL). */
JWTGATE_API jwtgate_status jwtgate_validator_new_with_options(
    jwtgate_validator **out, jwtgate_error **err, const jwtgate_policy *policy,
    const jwtgate_keyset *keys, const jwtgate_validator_options *opts);

/* --------------------------------------------------------- observability */
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
/* jwtgate_validator_options_mask_claim names a claim whose value never
 * appears in the text a validation produces: the message, the details, the
 * result JSON (its "claims" member holds "***" for it), the explanations and
 * the trace events write "***" in its place, whatever its type (string,
 * number, array, object), and nothing derived from it (a date, a host, a
 * tenant). The value is never written and then searched for: masking cannot
 * miss a value that JSON escapes or that is cut. Only the named claim is
 * masked: another claim holding the same text is shown as it is. The claim
 * getters (jwtgate_result_get_*, jwtgate_result_part_json) still read it:
 * they are the program's own access to the token. Repeatable. */
JWTGATE_API jwtgate_status jwtgate_validator_options_mask_claim(jwtgate_validator_options *o,
                                                                const char *claim);
/* jwtgate_validator_options_set_metrics turns the counters off (0) or on (1,
 * the default: they cost well under 2% of a validation). */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_metrics(jwtgate_validator_options *o,
                                                                 int on);

/* JWTGATE_METRICS_BUCKETS latency buckets: bucket i counts validations that
 * took less than 2^i microseconds and at least 2^(i-1) (bucket 0: < 1 us). */
#define JWTGATE_METRICS_BUCKETS 24
/* jwtgate_metrics: set struct_size = sizeof(jwtgate_metrics) before the call;
 * fields may be appended in later versions. */
typedef struct jwtgate_metrics {
  size_t struct_size;
  uint64_t valid;
  uint64_t invalid;
  uint64_t by_reason[64];  /* indexed by jwtgate_reason */
  uint64_t latency_us_log2[JWTGATE_METRICS_BUCKETS];
} jwtgate_metrics;
/* jwtgate_validator_get_metrics reads the counters (thread-safe).
 * JWTGATE_ERR_UNSUPPORTED when metrics are off. */
JWTGATE_API jwtgate_status jwtgate_validator_get_metrics(const jwtgate_validator *v,
                                                         jwtgate_metrics *out);

/* jwtgate_validator_set_keys replaces the validator's extra key set
 * atomically: a validation in flight sees the old set or the new one, never a
 * mix. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_set_keys(jwtgate_validator *v,
                                                      const jwtgate_keyset *keys);
JWTGATE_API void jwtgate_validator_free(jwtgate_validator *v);

/* --------------------------------------------------------------- request */
/* jwtgate_request holds the headers and query parameters a token may come
 * from. Add every one, repeated names included: a request that carries the
 * token's header or parameter more than once (or a header holding a
 * comma-separated list) is refused with JWTGATE_REASON_DUPLICATE_TOKEN.
 * Header names compare case-insensitively; query names compare after
 * percent-decoding ("+" as a space), so a name may be given raw, as it
 * stands in the URL, or decoded. Query values are taken as given. */
typedef struct jwtgate_request jwtgate_request;

JWTGATE_API jwtgate_request *jwtgate_request_new(void);
JWTGATE_API void jwtgate_request_free(jwtgate_request *req);
/* jwtgate_request_clear empties the request for reuse without freeing. */
JWTGATE_API void jwtgate_request_clear(jwtgate_request *req);
JWTGATE_API jwtgate_status jwtgate_request_add_header(jwtgate_request *req, const char *name,
                                                      const char *value, size_t value_len);
JWTGATE_API jwtgate_status jwtgate_request_add_query(jwtgate_request *req, const char *name,
                                                     const char *value, size_t value_len);

/* ---------------------------------------------------------------- result */
typedef struct jwtgate_result jwtgate_result;

/* JWTGATE_NOW asks a validation to use the system clock. */
#define JWTGATE_NOW INT64_MIN

JWTGATE_API jwtgate_result *jwtgate_result_new(void);
JWTGATE_API void jwtgate_result_free(jwtgate_result *r);

/* jwtgate_validate_token checks a bare token (no scheme) against |v| at time
 * |now| (Unix seconds, or JWTGATE_NOW). It returns JWTGATE_OK if the token is
 * valid, JWTGATE_INVALID_TOKEN if not (|r| says why), or an error status for
 * bad arguments. |r| is overwritten; reuse it to avoid allocation.
 * Thread-safe on |v|; |r| must not be shared. */
JWTGATE_API JWTGATE_WARN_UNUSED_RESULT jwtgate_status jwtgate_validate_token(
    const jwtgate_validator *v, jwtgate_result *r, const char *token, size_t token_len,
    int64_t now);
/* jwtgate_validate_request takes the token from |req| as the policy says
 * (header-name, query-parameter-name, require-scheme) and validates it. */
JWTGATE_API JWTGATE_WARN_UNUSED_RESULT jwtgate_status jwtgate_validate_request(
    const jwtgate_validator *v, jwtgate_result *r, const jwtgate_request *req, int64_t now);

/* jwtgate_decode parses |token| into |r| without verifying anything, so its
 * header and claims can be read. It returns JWTGATE_OK if the token parsed;
 * the result still reads as invalid (jwtgate_result_valid returns 0).
 * WARNING: nothing in a decoded token is trustworthy. */
JWTGATE_API jwtgate_status jwtgate_decode(jwtgate_result *r, const char *token,
                                          size_t token_len);

/* jwtgate_result_valid returns 1 if the last validation accepted the token. */
JWTGATE_API int jwtgate_result_valid(const jwtgate_result *r);
/* jwtgate_result_reason returns the deciding failure (APIM's order), or
 * JWTGATE_REASON_NONE. */
JWTGATE_API jwtgate_reason jwtgate_result_reason(const jwtgate_result *r);
/* jwtgate_result_http_status returns failed-validation-httpcode (401 unless
 * the policy says otherwise), or 200 for a valid token. */
JWTGATE_API int jwtgate_result_http_status(const jwtgate_result *r);
/* Text from the token (kid, alg, typ, claim names and values) enters the
 * message, the details, the subjects, the explanations and the trace only
 * escaped, so that each is one line that a token can neither extend, end
 * early, nor fill with terminal controls: \" (inside double quotes), \'
 * (inside APIM's single quotes), \\, \n, \r, \t, \xHH for other control
 * characters, DEL and bytes that are not UTF-8, \u{HHHH} for C1 controls,
 * bidirectional controls, U+2028 and U+2029. Claim values in details appear
 * as their JSON text (strings in double quotes, JSON-escaped, DEL and the
 * same invisible controls as \uHHHH). Masked claims appear as "***". */

/* jwtgate_result_message returns the response message APIM would send: the
 * policy's failed-validation-error-message, else APIM's text for the reason
 * ("JWT not present.", ...), with values where APIM puts them (between
 * single quotes or bare, escaped as above without adding quotes: "kid:
 * 'a\nb'"). "" for a valid token. */
JWTGATE_API const char *jwtgate_result_message(const jwtgate_result *r);
/* jwtgate_result_detail returns a precise English sentence for the deciding
 * failure (claim names and values included; never key material). */
JWTGATE_API const char *jwtgate_result_detail(const jwtgate_result *r);
/* jwtgate_result_subject returns the claim, header member or key id involved
 * in the deciding failure, or "": a name to compare ("exp", "aud", a required
 * claim's name) and to print. A name that holds a control character, a
 * backslash, a byte that is not UTF-8 or an invisible control (which only a
 * token's kid or repeated member name, or an odd policy, can bring) is
 * stored escaped as above, without quotes; any other name is itself. */
JWTGATE_API const char *jwtgate_result_subject(const jwtgate_result *r);

/* jwtgate_result_failure_count returns how many checks failed; the getters
 * below read them in evaluation order (index 0 is the deciding one). */
JWTGATE_API size_t jwtgate_result_failure_count(const jwtgate_result *r);
JWTGATE_API jwtgate_reason jwtgate_result_failure_reason(const jwtgate_result *r, size_t i);
JWTGATE_API const char *jwtgate_result_failure_subject(const jwtgate_result *r, size_t i);
JWTGATE_API const char *jwtgate_result_failure_detail(const jwtgate_result *r, size_t i);

/* jwtgate_part picks the token's JOSE header or its claims (payload). */
typedef enum jwtgate_part { JWTGATE_PART_HEADER = 0, JWTGATE_PART_CLAIMS = 1 } jwtgate_part;

/* Claim getters read the token of the last validation, valid or not (a token
 * that did not parse has no claims: JWTGATE_ERR_NOT_FOUND). They return
 * JWTGATE_ERR_NOT_FOUND when absent and JWTGATE_ERR_TYPE on a type mismatch.
 * WARNING: claims of an invalid token are attacker-controlled. */
JWTGATE_API jwtgate_status jwtgate_result_get_string(const jwtgate_result *r, jwtgate_part part,
                                                     const char *name, const char **out,
                                                     size_t *out_len);
JWTGATE_API jwtgate_status jwtgate_result_get_int64(const jwtgate_result *r, jwtgate_part part,
                                                    const char *name, int64_t *out);
JWTGATE_API jwtgate_status jwtgate_result_get_double(const jwtgate_result *r, jwtgate_part part,
                                                     const char *name, double *out);
JWTGATE_API jwtgate_status jwtgate_result_get_bool(const jwtgate_result *r, jwtgate_part part,
                                                   const char *name, int *out);
/* jwtgate_result_get_array_size gives the length of an array claim. */
JWTGATE_API jwtgate_status jwtgate_result_get_array_size(const jwtgate_result *r,
                                                         jwtgate_part part, const char *name,
                                                         size_t *out);
/* jwtgate_result_get_array_string reads element |index| of an array claim. */
JWTGATE_API jwtgate_status jwtgate_result_get_array_string(const jwtgate_result *r,
                                                           jwtgate_part part, const char *name,
                                                           size_t index, const char **out,
                                                           size_t *out_len);
/* jwtgate_result_get_json gives any member as compact JSON text. */
JWTGATE_API jwtgate_status jwtgate_result_get_json(const jwtgate_result *r, jwtgate_part part,
                                                   const char *name, const char **out,
                                                   size_t *out_len);
/* jwtgate_result_part_json gives the whole decoded header or claims JSON. */
JWTGATE_API jwtgate_status jwtgate_result_part_json(const jwtgate_result *r, jwtgate_part part,
                                                    const char **out, size_t *out_len);
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

/* jwtgate_result_to_json returns the result as one JSON object (valid, status,
 * reason, message, failures, header, claims), owned by |r|: one line of
 * valid JSON and UTF-8 for any token (bytes that are not UTF-8 become
 * \ufffd; DEL, C1 and bidirectional controls, U+2028 and U+2029 are
 * \u-escaped), masked claims' values "***". */
JWTGATE_API const char *jwtgate_result_to_json(jwtgate_result *r);

/* ---- remote keys (OpenID discovery) ---- */
/* A policy's openid-config elements without offline documents
 * (jwtgate_load_options_set_document wins over fetching) are fetched by the
 * validator: the discovery document (OpenID Connect Discovery 1.0), then the
 * JWK Set at its jwks_uri. The keys and issuers of every openid-config are
 * pooled; each URL keeps its own cache.
 *  - The first validation loads them, waiting at most the first-load timeout
 *    (default 5 s); validations arriving meanwhile share that one wait. No
 *    other validation ever waits on the network.
 *  - Keys are then refreshed every hour (sooner when Cache-Control max-age
 *    says so, never sooner than the floor), and early, at most once per
 *    refetch window (5 min), when a token names an unknown kid or a fetch
 *    failed: API Management's intervals.
 *  - Refreshes run on the library's own thread
 *    (jwtgate_validator_start_refresh_thread) or when the host calls
 *    jwtgate_validator_refresh_keys.
 *    WARNING: with neither, keys are loaded once and become unusable after
 *    the maximum staleness (default 24 h).
 *  - A failed, slow, oversized or invalid response never replaces working
 *    keys. Keys older than the maximum staleness are not used; a token that
 *    no other key verifies then fails with JWTGATE_REASON_KEYS_UNAVAILABLE.
 *  - https only, certificates verified; proxies from the environment
 *    (https_proxy, no_proxy, ...) as libcurl reads them. */

/* jwtgate_key_setting names a setting of jwtgate_validator_options that
 * governs fetched keys. Durations are milliseconds. */
typedef enum jwtgate_key_setting {
  JWTGATE_KEYS_REFRESH_INTERVAL_MS = 0,     /* default 3600000 (1 h, APIM) */
  JWTGATE_KEYS_MIN_REFRESH_INTERVAL_MS = 1, /* floor under Cache-Control max-age; default
                                               300000; above the refresh interval it is
                                               lowered to it */
  JWTGATE_KEYS_MIN_REFETCH_INTERVAL_MS = 2, /* refetch window after an unknown kid or a
                                               failed fetch; default 300000 (5 min, APIM) */
  JWTGATE_KEYS_MAX_STALENESS_MS = 3,        /* default 86400000 (24 h, Entra) */
  JWTGATE_KEYS_FIRST_LOAD_TIMEOUT_MS = 4,   /* default 5000 */
  JWTGATE_KEYS_FETCH_TIMEOUT_MS = 5,        /* one fetch, redirects included; default 10000 */
  JWTGATE_KEYS_MAX_RESPONSE_BYTES = 6,      /* default 1048576 */
  JWTGATE_KEYS_MAX_REDIRECTS = 7,           /* default 3 */
  JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK = 8      /* 1 also allows plain http to 127.0.0.0/8, ::1
                                               and localhost (for tests); default 0 */
} jwtgate_key_setting;

/* jwtgate_validator_options_set_key_setting sets |setting| to |value|.
 * Returns JWTGATE_ERR_INVALID_ARGUMENT for an unknown setting or a value out
 * of range: durations 1 ms .. 30 days, response size 1 KiB .. 64 MiB,
 * redirects 0 .. 10, the loopback switch 0 or 1. */
JWTGATE_API jwtgate_status jwtgate_validator_options_set_key_setting(
    jwtgate_validator_options *o, jwtgate_key_setting setting, uint64_t value);

/* jwtgate_validator_refresh_keys fetches, now, every openid-config of |v|
 * that is due (all of them when |force| is non-zero), for hosts that drive
 * refreshes themselves; call it every few seconds to honour the schedule
 * and kid-miss requests. Blocks for the fetches (each bounded by the fetch
 * timeout); validations on other threads go on with the keys they have.
 * Returns JWTGATE_OK when every fetch made succeeded or none was due (also
 * for a validator with nothing to fetch), JWTGATE_ERR_NETWORK when one
 * failed: *err (if |err| is not NULL) then lists why, one entry per URL.
 * Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_refresh_keys(jwtgate_validator *v,
                                                          jwtgate_error **err, int force);
/* jwtgate_validator_start_refresh_thread starts the library's thread that
 * loads the keys at once and refreshes them when due. Idempotent; a no-op
 * for a validator with nothing to fetch. jwtgate_validator_free stops it,
 * abandoning a fetch in progress within about a second.
 * Returns JWTGATE_ERR_INTERNAL if the thread cannot be created. */
JWTGATE_API jwtgate_status jwtgate_validator_start_refresh_thread(jwtgate_validator *v);
/* jwtgate_validator_stop_refresh_thread stops and joins that thread; a fetch
 * in progress ends first, within the fetch timeout. Idempotent. */
JWTGATE_API jwtgate_status jwtgate_validator_stop_refresh_thread(jwtgate_validator *v);

/* jwtgate_key_counters: what the fetcher of one validator has done. Set
 * |size| to sizeof(jwtgate_key_counters) before the call: fields beyond it
 * (added by later versions) are not written. */
typedef struct jwtgate_key_counters {
  size_t size;
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
 * |out| is NULL or out->size is smaller than the size field. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_get_key_counters(const jwtgate_validator *v,
                                                              jwtgate_key_counters *out);
/* jwtgate_validator_key_errors gives, in *err, the error of the last fetch
 * of every openid-config whose last fetch failed and, as warnings
 * (jwtgate_error_is_warning), each key the fetched sets in use skipped
 * (malformed or unusable: the jwks_uri, its index, kid and why; the set's
 * other keys are used); NULL when there is nothing to report. The caller
 * frees it with jwtgate_error_free. Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_key_errors(const jwtgate_validator *v,
                                                        jwtgate_error **err);

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

/* jwtgate_token_option names a numeric option of a token request. */
typedef enum jwtgate_token_option {
  JWTGATE_TOKEN_CLIENT_AUTH = 0,        /* JWTGATE_CLIENT_SECRET_POST (default) or _BASIC */
  JWTGATE_TOKEN_TIMEOUT_MS = 1,         /* default 10000 */
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
/* jwtgate_token_request_set_option sets a numeric option. */
JWTGATE_API jwtgate_status jwtgate_token_request_set_option(jwtgate_token_request *t,
                                                            jwtgate_token_option option,
                                                            uint64_t value);
/* jwtgate_client_credentials sends |t| and, on success, returns JWTGATE_OK
 * with *out holding the response (free it with jwtgate_token_response_free).
 * Otherwise *out is NULL and the status is JWTGATE_ERR_INVALID_ARGUMENT (a
 * field is missing or both endpoint and tenant are set) or
 * JWTGATE_ERR_NETWORK (the request failed or the provider refused it); *err
 * (if |err| is not NULL) explains, including what Entra's AADSTS501051,
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


/* ============================================================ experimental
 * Keys for event-loop hosts (nginx, Envoy, HAProxy, a Rust or Go service):
 * a validator that never fetches on the calling thread, fetching done by
 * the host, and the library's behaviour across fork(). EXPERIMENTAL: these
 * declarations may change in a minor version; they stay together so that
 * they move as one block. docs/keys-and-network.md ("Hosts that fetch")
 * describes the design.
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
 * it. Create a new validator in the child to refresh there. */

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

/* jwtgate_document_kind: the two documents of an openid-config (same
 * numbers as jwtgate_load_options_set_document's kind). */
typedef enum jwtgate_document_kind {
  JWTGATE_DOCUMENT_OPENID_CONFIGURATION = 0, /* OpenID Connect Discovery 1.0 document */
  JWTGATE_DOCUMENT_JWKS = 1                  /* the JWK Set at its jwks_uri (RFC 7517 5) */
} jwtgate_document_kind;

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
 * JWTGATE_ERR_NETWORK when refused (the attempt failed: *err, if |err| is
 * not NULL, says why; the last good keys stay); JWTGATE_ERR_NOT_FOUND when
 * |f| is not in flight (answered already, or past its deadline: the late
 * document is not used). Never blocks on the network; parses the document
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
/* ======================================================= end experimental */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JWTGATE_H */
