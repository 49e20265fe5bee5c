// DER: the same bytes as a SubjectPublicKeyInfo (RFC 5280 4.1.2.7) and as an
// X.509 certificate, the two binary forms jwtgate_key_format names.
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (jwtgate_key_format format : {JWTGATE_KEY_DER_SPKI, JWTGATE_KEY_DER_CERT}) {
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
