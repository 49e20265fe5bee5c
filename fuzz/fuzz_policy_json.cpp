// A policy in jwtgate's JSON form ({"validate-jwt": {...}}, or a "policies"
// list) through jwtgate_policy_load, under load options that satisfy the
// bundled examples so that a policy can load all the way to finalize; then
// the diagnostics as text (fuzz_support.h's load_policy, shared with
// policy_xml, which feeds the same entry point an XML corpus and dictionary).
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return jwtgate_fuzz::load_policy(data, size);
}
