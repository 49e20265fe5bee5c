// Key material of unknown form: JWTGATE_KEY_AUTO's detection (JWK Set, JWK,
// PEM, DER certificate, DER SPKI) and the APIM <key> base64 secret, the two
// formats a user reaches by pasting a file without saying what it is.
//
// Oracle: key text is never an HMAC secret (CVE-2022-29217). Whatever
// jwtgate_key_text_form recognises, the symmetric format must refuse.
#include <cstdint>
#include <cstdlib>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  const char* form = jwtgate_key_text_form(text, size);
  for (jwtgate_key_format format : {JWTGATE_KEY_AUTO, JWTGATE_KEY_SYMMETRIC_BASE64}) {
    jwtgate_keyset* ks = nullptr;
    jwtgate_error* err = nullptr;
    const jwtgate_status s = jwtgate_keyset_from_data(&ks, &err, format, text, size);
    jwtgate_fuzz::check_status(s);
    if (format == JWTGATE_KEY_SYMMETRIC_BASE64 && form != nullptr && s == JWTGATE_OK) abort();
    (void)jwtgate_error_text(err);
    jwtgate_error_free(err);
    jwtgate_keyset_free(ks);
  }
  return 0;
}
