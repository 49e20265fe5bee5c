// Named values ({{name}}, docs/apim-semantics.md) and caller-supplied expression
// values, both chosen by the fuzzer, then a policy that uses them, all through
// the public API (jwtgate_load_options_set_named_value, _set_expression_value,
// jwtgate_policy_load).
//
// Input: (NAME \0 VALUE \0)* \0 (EXPRESSION \0 VALUE \0)* \0 POLICY
// (each list ends at an empty name; see fuzz_support.h).
#include <cstdint>
#include <string>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_fuzz::Input in(data, size);
  jwtgate_load_options* opts = jwtgate_load_options_new();
  for (std::string name(in.field()); !name.empty(); name = in.field())
    (void)jwtgate_load_options_set_named_value(opts, name.c_str(), std::string(in.field()).c_str());
  for (std::string expr(in.field()); !expr.empty(); expr = in.field())
    (void)jwtgate_load_options_set_expression_value(opts, expr.c_str(),
                                                    std::string(in.field()).c_str());
  const std::string_view policy = in.rest();

  jwtgate_policy* p = nullptr;
  jwtgate_error* err = nullptr;
  jwtgate_fuzz::check_status(jwtgate_policy_load(&p, &err, policy.data(), policy.size(), opts));
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_policy_free(p);
  jwtgate_load_options_free(opts);
  return 0;
}
