/* The 32-byte HMAC key 0x00..0x1f, base64, and kToken signed with it.
 * kToken: header {"alg":"HS256","typ":"JWT","kid":"k1"}, claims
 * {"iss":"https://issuer.example","aud":"api://demo","sub":"alice","exp":2000000000,
 *  "roles":["Data.Read","Data.Write"],"n":42,"admin":true}; made once with
 * Python's hmac module, an independent implementation. */
static const char *const kKeyB64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
static const char *const kToken =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiYXBpOi8vZGVtbyIsInN1YiI6ImFsaWNlIiwiZXhwIjoyMDAwMDAwMDAwLCJyb2xlcyI6WyJEYXRhLlJlYWQiLCJEYXRhLldyaXRlIl0sIm4iOjQyLCJhZG1pbiI6dHJ1ZX0.9uVaayc-AZGEvOO8s8A6AXQqPPI-Cyluh_4ELysEVeY";

/* kToken inside a JWE: dir + A256GCM with the same 32 bytes as the content
 * encryption key, "cty":"JWT". Made once with jose (npm), an independent
 * implementation. */
static const char *const kJweToken =
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiSldUIn0..C_3WiTTK5IOKcFYD.s9Njrn5tsqfTxPJY"
    "WwuxL8NIV2MA-hS0YNyWal3RigtZsLj0BDz0vOuY9ujIKZd9s5fxLSXdeF0O1Gdr2tCMgYAx1liWwxgEij-t6_g5NU"
    "fXAE39pwfCLJ50OXVyUt6cJsMm-S7NS7a_OHxjIatB43oUYO7vGn_bMTS7voVOSReUwQCTVaxkmY3AwmCVFhr_ixzo"
    "oxJR5nQ9vJZ_zt329ebSV2CLatKCLjgXidm6r5DiNQkOS2HJTVC-ftPrYBY9nj-P4ksyjjw-QngZi8fqmYdrcSUmmr"
    "DGHY_NKoP6tmxpHm7E6ztgH8-trgjyDQYsuA2FTP5Tr73EclUwFw4AfY6p2Opnist4zHa76Ko4kHDmbyBSBXSb.9xd"
    "gRgl2wVu_gE_t9-qKkQ";
