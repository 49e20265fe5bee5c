// Strict base64url (RFC 7515 section 2, RFC 4648 section 5) and strict
// standard base64 (RFC 4648 section 4, for x5c and APIM inline keys).
//
// Strict means: no padding in base64url, no characters outside the alphabet
// (no whitespace, no '+' or '/' in base64url, no '-' or '_' in base64), a
// length that can encode whole bytes (never 1 mod 4), and zero unused bits in
// the last character, so every byte string has exactly one encoding. Lenient
// decoders let attackers mint many encodings of one token (malleability).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jwtgate {

// base64url_decoded_size returns an upper bound on the decoded size of n
// characters.
constexpr size_t base64url_decoded_size(size_t n) { return (n / 4) * 3 + 3; }

// base64url_decode decodes |in| into |out|, which has room for
// base64url_decoded_size(in.size()) bytes, and stores the decoded length in
// *out_len. Returns false on any deviation from strict base64url. No
// allocation.
bool base64url_decode(std::string_view in, uint8_t* out, size_t* out_len);

// base64url_decode into a vector (resized to fit). Returns false on error.
bool base64url_decode(std::string_view in, std::vector<uint8_t>& out);

// base64url_encode returns the unpadded base64url encoding.
std::string base64url_encode(const uint8_t* data, size_t len);
inline std::string base64url_encode(std::string_view s) {
  return base64url_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// base64_decode decodes strict standard base64 with mandatory padding.
// |ignore_whitespace| skips ASCII whitespace (PEM bodies, XML element text).
bool base64_decode(std::string_view in, std::vector<uint8_t>& out, bool ignore_whitespace = false);

// base64_encode returns padded standard base64.
std::string base64_encode(const uint8_t* data, size_t len);

}  // namespace jwtgate
