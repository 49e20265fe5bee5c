/*
 * jwtgate.h - embeddable JSON Web Token validator with APIM-style policies.
 *
 * Stability: this header is the stable API of libjwtgate.so.JWTGATE_ABI_VERSION
 * and it is frozen. No function declared here changes its signature or its
 * meaning, none is removed, enum numbers never change (new values are
 * appended), and handles stay opaque; tests/abi/jwtgate.abi records it and
 * CI's ABI check (abidiff) fails on any change but an added function. Its symbols
 * carry the version node of the release that added them (JWTGATE_0.1, ...).
 * What is not promised yet (trace events, metrics, explanations, the OAuth
 * client, key fetch counters, ...) is in jwtgate_experimental.h, with symbols
 * of version JWTGATE_EXPERIMENTAL_*: see there and docs/api-stability.md.
 *
 * The conventions below hold for every function of this header and of
 * jwtgate_experimental.h.
 *
 * Handles are opaque and every _free function accepts NULL. An out-parameter
 * for a new object (jwtgate_policy **out, ...) is set to NULL on entry and
 * holds the object only when the call returns JWTGATE_OK.
 *
 * Error lists. Every function with a `jwtgate_error **err` parameter follows
 * this one rule (tests/capi/test_err_rule.c checks each of them):
 *  - |err| may be NULL when the caller does not want the list.
 *  - On entry, a non-NULL *err is freed and set to NULL, so one variable can
 *    be passed to call after call without leaking. It must therefore hold
 *    NULL or a list returned by an earlier call: initialise it to NULL, and
 *    after freeing it yourself, set it to NULL before passing it again.
 *  - On JWTGATE_OK, *err is NULL.
 *  - On any other status, *err holds a list of at least one error saying
 *    why (with the warnings that led to it, if any: a JWK Set refused
 *    because each of its keys was skipped lists them), which the caller
 *    frees with jwtgate_error_free (or leaves for the next call to free);
 *    only after JWTGATE_ERR_OUT_OF_MEMORY may it be NULL.
 *  - Warnings never come through *err: an object that was made despite
 *    problems keeps them, and jwtgate_policy_warnings,
 *    jwtgate_keyset_warnings and jwtgate_keyset_builder_warnings read them.
 *  A function that returns a list as its product rather than as its error
 *  takes `jwtgate_error **out` (jwtgate_validator_key_errors): freed on entry
 *  the same way, then set to the new list or NULL.
 *  Why freed rather than overwritten or refused: overwriting leaks whenever
 *  a caller reuses the variable (the commonest C pattern), and refusing a
 *  non-NULL *err turns a harmless reuse into a failed call.
 *
 * Other out-parameters, such as a getter's `const char **out`, are written
 * only on JWTGATE_OK.
 *
 * Booleans: an int parameter or result that answers a yes/no question
 * (|force|, jwtgate_result_valid, ...) is 0 for no; a parameter takes any
 * other value as yes and a result is then 1. A choice among named values is
 * always an enum.
 *
 * Structs that a caller fills (jwtgate_experimental.h only, so far) start
 * with `size_t struct_size`, which the caller sets to sizeof the struct it
 * was compiled with; the library writes no field beyond it.
 *
 * Ownership: pointers returned by getters are owned by the object they were
 * read from and stay valid until that object is freed or, for a result, until
 * it is reused by the next validation or getter that says so.
 *
 * Threads: keysets, policies and validators are immutable once created (a
 * validator's key set is replaced atomically) and may be used from any number
 * of threads at once, and so may the error lists and warnings they return. A
 * jwtgate_result, jwtgate_request, jwtgate_load_options or
 * jwtgate_keyset_builder belongs to one thread at a time.
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
 * message, and where known the line, column and element path. A list never
 * changes once a function has handed it out, so its getters are safe from
 * any number of threads. */
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
 * text, owned by |err| (made with the list; "" for NULL). */
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
 * On failure nothing is added and *err says why. Warnings are kept by the
 * builder (jwtgate_keyset_builder_warnings): above all, each key of a JWK
 * Set that was skipped, malformed or unusable, named by its index, kid and
 * why ("JWKS key #2 (kid "x") skipped: ..."); the other keys of the set are
 * added. A JWK Set with no usable key left, or one that mixes symmetric
 * secrets with public keys, is refused whole.
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
 * detected); its errors and warnings name |path|. */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_add_file(jwtgate_keyset_builder *b,
                                                           jwtgate_error **err,
                                                           const char *path);
/* jwtgate_keyset_builder_warnings returns the warnings of every add so far,
 * in order, or NULL when there are none. Owned by |b|: valid until the next
 * add or jwtgate_keyset_builder_free. */
JWTGATE_API const jwtgate_error *jwtgate_keyset_builder_warnings(const jwtgate_keyset_builder *b);
/* jwtgate_keyset_builder_build makes an immutable key set from what was added
 * (the builder's warnings go with it: jwtgate_keyset_warnings). The builder
 * may be reused or freed afterwards. */
JWTGATE_API jwtgate_status jwtgate_keyset_builder_build(jwtgate_keyset_builder *b,
                                                        jwtgate_keyset **out);
/* jwtgate_keyset_from_data is builder_new + add + build in one call; the
 * builder's warnings (a skipped key of a JWK Set, ...) are kept by the key
 * set: jwtgate_keyset_warnings. */
JWTGATE_API jwtgate_status jwtgate_keyset_from_data(jwtgate_keyset **out, jwtgate_error **err,
                                                    jwtgate_key_format format,
                                                    const char *data, size_t data_len);
/* jwtgate_keyset_count returns the number of keys. */
JWTGATE_API size_t jwtgate_keyset_count(const jwtgate_keyset *ks);
/* jwtgate_keyset_warnings returns the warnings of the adds the set was built
 * from, or NULL when there were none. Owned by |ks|. */
JWTGATE_API const jwtgate_error *jwtgate_keyset_warnings(const jwtgate_keyset *ks);
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
 * DER) under |certificate_id| for <key certificate-id="...">. Warnings about
 * the bytes become warnings of every policy loaded with |o|. */
JWTGATE_API jwtgate_status jwtgate_load_options_add_certificate(jwtgate_load_options *o,
                                                                jwtgate_error **err,
                                                                const char *certificate_id,
                                                                const char *data,
                                                                size_t data_len);
/* jwtgate_load_options_select picks one validation element of a policy
 * document by its id attribute, or by 1-based position when |id| is a
 * number. NULL selects the first. */
JWTGATE_API jwtgate_status jwtgate_load_options_select(jwtgate_load_options *o, const char *id);
/* jwtgate_document_kind says what an offline document is (and, in
 * jwtgate_experimental.h, what a host is asked to fetch). */
typedef enum jwtgate_document_kind {
  JWTGATE_DOCUMENT_OPENID_CONFIGURATION = 0, /* OpenID Connect Discovery 1.0 */
  JWTGATE_DOCUMENT_JWKS = 1                  /* a JWK Set (RFC 7517 5), at a jwks_uri */
} jwtgate_document_kind;
/* jwtgate_load_options_set_document supplies, for offline use, the document
 * of |kind| for |url| (JWTGATE_ERR_INVALID_ARGUMENT for an unknown kind).
 * Documents are read by jwtgate_policy_load, and an offline JWK Set obeys
 * the rules of a fetched one: a set that holds a symmetric (oct) key, or no
 * usable key, fails the load; a key that cannot be used is skipped with a
 * warning of the policy (jwtgate_policy_warnings). */
JWTGATE_API jwtgate_status jwtgate_load_options_set_document(jwtgate_load_options *o,
                                                             const char *url,
                                                             jwtgate_document_kind kind,
                                                             const char *data,
                                                             size_t data_len);

/* ---------------------------------------------------------------- policy */
typedef struct jwtgate_policy jwtgate_policy;

/* jwtgate_policy_load reads a policy in XML (<validate-jwt>,
 * <validate-azure-ad-token>, or a <policies> document) or JSON, chosen by the
 * first non-blank character. |opts| may be NULL. On failure *err lists every
 * problem found (warnings included, so that they read in order); nothing is
 * half-loaded. A policy that loads with warnings keeps them:
 * jwtgate_policy_warnings. */
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
/* jwtgate_policy_warnings returns what the load warned about (an attribute
 * APIM knows but ignores, whitespace kept in a value, a certificate's
 * warnings, ...), or NULL when nothing. Owned by |p|. */
JWTGATE_API const jwtgate_error *jwtgate_policy_warnings(const jwtgate_policy *p);
JWTGATE_API void jwtgate_policy_free(jwtgate_policy *p);

/* ------------------------------------------------------------- validator */
typedef struct jwtgate_validator jwtgate_validator;

/* jwtgate_validator_new combines a policy and a key set (|keys| may be NULL
 * when the policy carries its own keys). Both are shared, not copied; the
 * caller may free its handles afterwards. *err as the rule above says
 * (JWTGATE_ERR_INVALID_ARGUMENT without a policy). */
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
/* jwtgate_validator_new_with_options is jwtgate_validator_new with options
 * (|opts| may be NULL). */
JWTGATE_API jwtgate_status jwtgate_validator_new_with_options(
    jwtgate_validator **out, jwtgate_error **err, const jwtgate_policy *policy,
    const jwtgate_keyset *keys, const jwtgate_validator_options *opts);

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
/* jwtgate_result_get_json gives any member as compact JSON text, owned by |r|
 * until the next call of this function or jwtgate_result_part_json on |r|
 * (|r| is not const: the text is made into its buffer). */
JWTGATE_API jwtgate_status jwtgate_result_get_json(jwtgate_result *r, jwtgate_part part,
                                                   const char *name, const char **out,
                                                   size_t *out_len);
/* jwtgate_result_part_json gives the whole decoded header or claims JSON,
 * NUL-terminated, owned by |r| like jwtgate_result_get_json's text. */
JWTGATE_API jwtgate_status jwtgate_result_part_json(jwtgate_result *r, jwtgate_part part,
                                                    const char **out, size_t *out_len);
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
 * failed: *err (if |err| is not NULL) then lists why, one entry per URL;
 * JWTGATE_ERR_UNSUPPORTED in a build without network (-Dnetwork=disabled)
 * or when the host fetches (jwtgate_experimental.h: keys for event-loop
 * hosts, which also says what happens after fork()). Thread-safe. */
JWTGATE_API jwtgate_status jwtgate_validator_refresh_keys(jwtgate_validator *v,
                                                          jwtgate_error **err, int force);
/* (Counters and errors of the fetcher: jwtgate_experimental.h.) */
/* jwtgate_validator_start_refresh_thread starts the library's thread that
 * loads the keys at once and refreshes them when due. Idempotent; a no-op
 * for a validator with nothing to fetch. jwtgate_validator_free stops it,
 * abandoning a fetch in progress within about a second.
 * Returns JWTGATE_ERR_INTERNAL if the thread cannot be created,
 * JWTGATE_ERR_UNSUPPORTED in a build without network, when the host
 * fetches, or in a child forked while the thread ran
 * (jwtgate_experimental.h). */
JWTGATE_API jwtgate_status jwtgate_validator_start_refresh_thread(jwtgate_validator *v);
/* jwtgate_validator_stop_refresh_thread stops and joins that thread; a fetch
 * in progress ends first, within the fetch timeout. Idempotent. */
JWTGATE_API jwtgate_status jwtgate_validator_stop_refresh_thread(jwtgate_validator *v);

/* New stable functions are appended here, in a block per release with the
 * version node their symbols get (src/jwtgate.map, tests/abi/symbols.txt).
 * A new function starts in jwtgate_experimental.h unless it is ready to be
 * frozen. */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JWTGATE_H */
