// Helpers shared by the key parsers (jwk.cpp, pem.cpp, key_parsers.cpp).
// Not part of the parsers' interface (keys/key_parsers.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "core/diagnostics.h"
#include "crypto/key.h"

namespace jwtgate {

// add_key ends a parser of one key: when |built| it names |key| by |origin|
// and appends it to |out|; otherwise it reports "origin: why". Returns
// |built|.
bool add_key(bool built, Key& key, std::string origin, const std::string& why,
             std::vector<Key>& out, Diagnostics& diag);

// add_public_key is add_key for an OpenSSL public key (nullptr when it could
// not be read: |why| says why), checked and taken over by make_asymmetric_key.
bool add_public_key(EVP_PKEY* pkey, std::string origin, std::string& why, std::vector<Key>& out,
                    Diagnostics& diag);

// base64url_problem explains why |value| of member |name| is not strict
// base64url, naming the usual mistake (standard base64 pasted in: '+', '/',
// '=') when that is what happened.
std::string base64url_problem(std::string_view name, std::string_view value);

// spki_public_key parses one DER SubjectPublicKeyInfo (all of |der|) and
// returns its key, or nullptr with a sentence in *why.
EVP_PKEY* spki_public_key(const uint8_t* der, size_t len, std::string* why);

// certificate_public_key parses one DER X.509 certificate (all of |der|,
// nothing trailing) and returns its subject public key, or nullptr with a
// sentence in *why. |subject| (if not NULL) gets the subject name (RFC 2253).
EVP_PKEY* certificate_public_key(const uint8_t* der, size_t len, std::string* subject,
                                 std::string* why);

}  // namespace jwtgate
