// One JWK (RFC 7517 4, RFC 7518 6, RFC 8037 2) through the public loader, and
// the diagnostics rendered as text.
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_keyset* ks = nullptr;
  jwtgate_error* err = nullptr;
  jwtgate_fuzz::check_status(jwtgate_keyset_from_data(
      &ks, &err, JWTGATE_KEY_JWK, reinterpret_cast<const char*>(data), size));
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_keyset_free(ks);
  return 0;
}
