// Helpers shared by the key parsers (jwk.cpp, pem.cpp, key_parsers.cpp).
// Not part of the parsers' interface (keys/key_parsers.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace jwtgate {

// printable returns |s| for a message: at most 64 characters, control and
// non-ASCII bytes replaced by '?', so a hostile kid cannot forge log lines.
std::string printable(std::string_view s);

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
