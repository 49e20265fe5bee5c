// Parsers that turn key material into Keys: JWK / JWK Set (RFC 7517), PEM and
// DER public keys and X.509 certificates, APIM inline forms (base64 secret,
// base64url n/e). Each returns false and adds to |diag| on failure, and then
// appends nothing to |out| (all or nothing). On success |diag| may hold
// warnings (for a JWK Set: each key it skipped, with its index, kid and why).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "crypto/key.h"

namespace jwtgate {

// parse_jwks reads a JWK Set (RFC 7517 5). A key that is malformed or that
// jwtgate cannot use is skipped with a warning naming it ("JWKS key #2 (kid
// \"x\") skipped: why"); the set is refused when no usable key remains, and
// when it mixes symmetric secrets with public keys. Keys with a "kid" are
// kid-bound (Key::kid_bound).
bool parse_jwks(std::string_view json, std::vector<Key>& out, Diagnostics& diag);
// parse_published_jwks reads a JWK Set as an identity provider publishes it:
// fetched from a jwks_uri (net/openid_fetch.h) or an offline copy of one
// (jwtgate_load_options_set_document, --jwks-document, serve's
// jwks_documents). parse_jwks, and refused whole when any key is declared
// "oct": anyone can read a published set, so a secret in it is no secret.
bool parse_published_jwks(std::string_view json, std::vector<Key>& out, Diagnostics& diag);
bool parse_jwk(std::string_view json, std::vector<Key>& out, Diagnostics& diag);
// PEM text with one or more "PUBLIC KEY", "RSA PUBLIC KEY" or "CERTIFICATE"
// blocks (private-key blocks are refused: a verifier must not hold them).
bool parse_pem(std::string_view text, std::vector<Key>& out, Diagnostics& diag);
bool parse_der_spki(std::string_view der, std::vector<Key>& out, Diagnostics& diag);
bool parse_der_certificate(std::string_view der, std::vector<Key>& out, Diagnostics& diag);
// parse_keys_auto detects JWKS, JWK, PEM or DER (certificate, then SPKI).
bool parse_keys_auto(std::string_view data, std::vector<Key>& out, Diagnostics& diag);
// APIM <key n="..." e="..."/>: base64url modulus and exponent.
bool parse_rsa_components(std::string_view n_b64url, std::string_view e_b64url,
                          std::vector<Key>& out, Diagnostics& diag);
// APIM <key>base64</key>: a symmetric secret in standard base64.
bool parse_symmetric_base64(std::string_view b64, std::vector<Key>& out, Diagnostics& diag);

}  // namespace jwtgate
