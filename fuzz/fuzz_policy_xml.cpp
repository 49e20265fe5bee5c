// An APIM policy in XML (<validate-jwt>, <validate-azure-ad-token>, or a
// <policies> document) through jwtgate_policy_load, under load options that
// satisfy the bundled examples so that a policy can load all the way to
// finalize; then the diagnostics as text (fuzz_support.h's load_policy,
// shared with policy_json, which feeds the same entry point a JSON corpus and
// dictionary).
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jwtgate_fuzz::load_policy(data, size);
}
