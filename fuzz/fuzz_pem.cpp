// PEM text (RFC 7468): PUBLIC KEY, RSA PUBLIC KEY and CERTIFICATE blocks, and
// the private-key blocks that must be refused, through the public loader.
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_keyset* ks = nullptr;
  jwtgate_error* err = nullptr;
  jwtgate_fuzz::check_status(jwtgate_keyset_from_data(
      &ks, &err, JWTGATE_KEY_PEM, reinterpret_cast<const char*>(data), size));
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_keyset_free(ks);
  return 0;
}
