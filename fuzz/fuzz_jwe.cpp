// The JWE parser (RFC 7516 7.1 and 7.2): JweDecryptor::parse_compact on
// the input as a compact token, and decrypt_json on it as a JSON
// serialization with no keys (so every recipient that passes the header
// rules ends in the one decryption failure). Checks: a parsed header names
// an implemented alg and enc; a failure after the header rules has the one
// reason and no subject.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "jwe/jwe_decrypt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static jwtgate::JweDecryptor d;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  jwtgate::TokenLimits limits;
  jwtgate::ParseFailure pf;
  if (d.parse_compact(in, limits, {}, pf)) {
    if (d.header().alg == jwtgate::KeyAlg::Unknown || d.header().enc == jwtgate::ContentEnc::Unknown)
      std::abort();
  } else if (pf.reason == JWTGATE_REASON_NONE) {
    std::abort();
  }
  const jwtgate::DecryptionKeySet none;
  jwtgate::ParseFailure jf;
  if (d.decrypt_json(in, limits, none, {}, jf)) std::abort();  // no key opens anything
  if (jf.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED && !jf.subject.empty()) std::abort();
  return 0;
}
