// Key material of unknown form: JWTGATE_KEY_AUTO's detection (JWK Set, JWK,
// PEM, DER certificate, DER SPKI) and the APIM <key> base64 secret, the two
// formats a user reaches by pasting a file without saying what it is.
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (jwtgate_key_format format : {JWTGATE_KEY_AUTO, JWTGATE_KEY_SYMMETRIC_BASE64}) {
    jwtgate_keyset* ks = nullptr;
    jwtgate_error* err = nullptr;
    jwtgate_fuzz::check_status(jwtgate_keyset_from_data(
        &ks, &err, format, reinterpret_cast<const char*>(data), size));
    (void)jwtgate_error_text(err);
    jwtgate_error_free(err);
    jwtgate_keyset_free(ks);
  }
  return 0;
}
