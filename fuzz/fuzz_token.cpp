// Compact JWS parsing (RFC 7515 7.1, RFC 7519 7.2) through jwtgate_decode, and
// the decoded header and claims rendered as JSON, as `jwtgate decode` does
// with whatever a user pastes.
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_result* r = jwtgate_result_new();
  jwtgate_fuzz::check_status(jwtgate_decode(r, reinterpret_cast<const char*>(data), size));
  (void)jwtgate_result_to_json(r);
  jwtgate_result_free(r);
  return 0;
}
