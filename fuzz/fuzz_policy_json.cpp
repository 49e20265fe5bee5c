// A policy in jwtgate's JSON form ({"validate-jwt": {...}}, or a "policies"
// list) through jwtgate_policy_load, under load options that satisfy the
// bundled examples so that a policy can load all the way to finalize; then
// the diagnostics as text. (policy_xml is the same entry point with an XML
// corpus and dictionary.)
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* err = nullptr;
  jwtgate_fuzz::check_status(jwtgate_policy_load(&p, &err, reinterpret_cast<const char*>(data),
                                                 size, jwtgate_fuzz::policy_load_options()));
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_policy_free(p);
  return 0;
}
