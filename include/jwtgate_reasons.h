/*
 * jwtgate_reasons.h - the one list of jwtgate_reason values. Included by
 * jwtgate.h; do not include it on its own.
 *
 * JWTGATE_REASON_LIST(X) calls X once per reason, in number order:
 *
 *   X(NAME, number, "code", "ApimReason", "description")
 *
 *   NAME         the enumerator is JWTGATE_REASON_NAME
 *   number       its value, frozen forever: a new reason takes a new number,
 *                and a retired one keeps its slot
 *   "code"       jwtgate_reason_str: a stable snake_case name
 *   "ApimReason" jwtgate_reason_apim: Azure API Management's
 *                context.LastError.Reason for it ("" for NONE)
 *   "description" one line saying what failed, for documentation, the Python
 *                enum's docstrings and the default of a detail
 *
 * Everything that names reasons (the C enum, jwtgate_reason_str,
 * jwtgate_reason_apim, the Python jwtgate.Reason enum, the docs) is derived
 * from this list; tests/abi/reasons.txt records every number ever given and a
 * test fails if one moves. The APIM reason names are those of API
 * Management's predefined errors for validate-jwt ("Error handling in API
 * Management policies", learn.microsoft.com).
 */
#ifndef JWTGATE_REASONS_H
#define JWTGATE_REASONS_H

#define JWTGATE_REASON_LIST(X)                                                                   \
  X(NONE, 0, "none", "", "the token is valid")                                                   \
  /* token source (APIM TokenNotPresent) */                                                      \
  X(TOKEN_NOT_PRESENT, 1, "token_not_present", "TokenNotPresent",                                \
    "no token where the policy looks for it")                                                    \
  X(SCHEME_MISMATCH, 2, "scheme_mismatch", "TokenNotPresent",                                    \
    "the Authorization header does not use the scheme require-scheme asks for")                  \
  X(DUPLICATE_TOKEN, 3, "duplicate_token", "JwtInvalid",                                         \
    "the token's header or query parameter appears more than once in the request")               \
  /* format (APIM JwtInvalid, or TokenSignatureInvalid for the algorithm) */                     \
  X(MALFORMED, 10, "malformed", "JwtInvalid", "not three segments, or an empty segment")         \
  X(TOO_LARGE, 11, "too_large", "JwtInvalid", "longer than the token size limit")                \
  X(BAD_BASE64URL, 12, "bad_base64url", "JwtInvalid", "a segment is not strict base64url")       \
  X(BAD_JSON, 13, "bad_json", "JwtInvalid", "the header or payload is not valid JSON")           \
  X(NOT_JSON_OBJECT, 14, "not_json_object", "JwtInvalid",                                        \
    "the header or payload is not a JSON object")                                                \
  X(DUPLICATE_MEMBER, 15, "duplicate_member", "JwtInvalid", "a JSON member name is repeated")    \
  X(JSON_TOO_DEEP, 16, "json_too_deep", "JwtInvalid", "JSON nesting beyond the depth limit")     \
  X(JWE_NOT_SUPPORTED, 17, "jwe_not_supported", "JwtInvalid",                                    \
    "five segments: an encrypted token (JWE), and the policy has no decryption keys")             \
  X(HEADER_INVALID, 18, "header_invalid", "JwtInvalid", "a header member has the wrong type")    \
  X(ALG_MISSING, 19, "alg_missing", "JwtInvalid", "the header has no alg")                       \
  X(ALG_NONE, 20, "alg_none", "TokenSignatureInvalid", "alg is \"none\" in some spelling")       \
  X(ALG_UNKNOWN, 21, "alg_unknown", "TokenSignatureInvalid",                                     \
    "alg is not a JWS algorithm jwtgate implements")                                             \
  X(ALG_NOT_ALLOWED, 22, "alg_not_allowed", "TokenSignatureInvalid",                             \
    "alg is implemented but the policy does not allow it")                                       \
  X(CRIT_UNSUPPORTED, 23, "crit_unsupported", "JwtInvalid",                                      \
    "crit names an extension jwtgate does not implement (RFC 7515 4.1.11)")                      \
  X(EMBEDDED_KEY, 24, "embedded_key", "JwtInvalid",                                              \
    "the header carries a key or a key location: jwk, jku, x5u or x5c")                          \
  X(B64_UNSUPPORTED, 25, "b64_unsupported", "JwtInvalid", "an unencoded payload (RFC 7797)")     \
  X(TYP_MISMATCH, 26, "typ_mismatch", "JwtInvalid", "the header typ is not the one required")    \
  /* signature (APIM TokenSignatureInvalid / TokenSignatureKeyNotFound) */                       \
  X(SIGNATURE_MISSING, 30, "signature_missing", "TokenSignatureInvalid",                         \
    "the signature segment is empty")                                                            \
  X(SIGNATURE_INVALID, 31, "signature_invalid", "TokenSignatureInvalid",                         \
    "the signature does not verify")                                                             \
  X(KEY_NOT_FOUND, 32, "key_not_found", "TokenSignatureKeyNotFound",                             \
    "no key for the token's kid and alg")                                                        \
  X(NO_KEYS, 33, "no_keys", "TokenSignatureKeyNotFound", "the validator has no keys at all")     \
  X(KEYS_UNAVAILABLE, 34, "keys_unavailable", "TokenSignatureKeyNotFound",                       \
    "fetched keys are not loaded yet or too old to use")                                         \
  /* lifetime (APIM TokenExpired / JwtInvalid) */                                                \
  X(EXPIRED, 40, "expired", "TokenExpired", "exp has passed")                                    \
  X(NOT_YET_VALID, 41, "not_yet_valid", "JwtInvalid", "nbf is in the future")                    \
  X(EXP_MISSING, 42, "exp_missing", "JwtInvalid",                                                \
    "the token has no exp and require-expiration-time is on")                                    \
  X(TIME_CLAIM_INVALID, 43, "time_claim_invalid", "JwtInvalid",                                  \
    "exp, nbf or iat is not a NumericDate")                                                      \
  X(IAT_IN_FUTURE, 44, "iat_in_future", "JwtInvalid", "iat is in the future")                    \
  /* issuer, audience, claims */                                                                 \
  X(ISSUER_NOT_ALLOWED, 50, "issuer_not_allowed", "TokenIssuerNotAllowed",                       \
    "iss is not among the allowed issuers")                                                      \
  X(AUDIENCE_NOT_ALLOWED, 51, "audience_not_allowed", "TokenAudienceNotAllowed",                 \
    "no aud value is among the allowed audiences")                                               \
  X(CLAIM_NOT_FOUND, 52, "claim_not_found", "TokenClaimNotFound", "a required claim is absent")  \
  X(CLAIM_VALUE_NOT_ALLOWED, 53, "claim_value_not_allowed", "TokenClaimValueNotAllowed",         \
    "a required claim does not have the values the policy asks for")                             \
  X(CLIENT_NOT_ALLOWED, 54, "client_not_allowed", "TokenAudienceNotAllowed",                     \
    "the client (azp or appid) is not among client-application-ids")                             \
  X(CLAIM_TYPE_INVALID, 55, "claim_type_invalid", "JwtInvalid",                                  \
    "a registered claim has the wrong JSON type (RFC 7519 4.1: iss, sub, jti, aud)")              \
  /* encrypted tokens (APIM JwtInvalid: IdentityModel's IDX10603 decryption failure) */          \
  X(JWE_DECRYPTION_FAILED, 60, "jwe_decryption_failed", "JwtInvalid",                            \
    "the encrypted token could not be decrypted with the policy's keys (one reason for a wrong " \
    "key, a bad key unwrap and a modified header, IV, ciphertext or tag)")                       \
  X(JWE_ALGORITHM_REFUSED, 61, "jwe_algorithm_refused", "JwtInvalid",                            \
    "the JWE alg, enc or zip is not implemented or not allowed (RSA1_5, PBES2 and compression "  \
    "are refused)")                                                                              \
  X(ENCRYPTION_REQUIRED, 62, "encryption_required", "JwtInvalid",                                \
    "the policy requires an encrypted token (JWE) and the token is a plain JWS")                 \
  X(ENCRYPTION_FORBIDDEN, 63, "encryption_forbidden", "JwtInvalid",                              \
    "the policy refuses encrypted tokens (JWE)")

#endif /* JWTGATE_REASONS_H */
