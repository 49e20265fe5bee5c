// jwtgate explain: run every check and say why a token fails, the way an
// expert would, with the evidence and the fix.
#include <iostream>

#include "color.h"
#include "commands.h"
#include "jwtgate_experimental.h"
#include "setup.h"
#include "text.h"
#include "token_input.h"

namespace cli {

int cmd_explain(Args& args) {
  const bool json = args.flag("json");
  const bool color = use_color(args) && !json;
  const int64_t now = parse_now(args);
  if (!args.given("policy")) throw UsageError{"--policy FILE is required"};
  const TokenInput input = read_token_input(args);
  Setup s;
  try {
    s = read_setup(args);
  } catch (const PolicyLoadError& e) {
    // A policy that does not load is a diagnosis too (unresolved named
    // values, expressions, openid-config problems).
    jwtgate_error* list = e.list.get();
    const char* text = json ? jwtgate_error_explain_json(list) : jwtgate_error_explain(list, color ? 1 : 0);
    if (text) std::cout << text << (json ? "\n" : "");
    return kExitUsage;
  }
  args.finish();

  jwtgate::result r = jwtgate::make_result();
  const jwtgate_status st = validate_input(input, s.validator.get(), r.get(), now);
  // Fetched key sets are loaded by the validation: the keys they skipped and
  // the fetches that failed are said here, as read_setup said those of the
  // policy and of --keys.
  jwtgate_error* key_err = nullptr;
  if (jwtgate_validator_key_errors(s.validator.get(), &key_err) == JWTGATE_OK && key_err)
    std::cerr << terminal_text(jwtgate_error_text(key_err), true);
  jwtgate_error_free(key_err);
  if (json) {
    if (const char* text = jwtgate_result_explain_json(r.get())) std::cout << text << "\n";
  } else {
    const Palette c = palette(color);
    if (st == JWTGATE_OK)
      std::cout << c.good << "valid" << c.off << ": the token is accepted\n";
    else
      std::cout << c.bad << "invalid" << c.off << ": " << jwtgate_result_http_status(r.get()) << " "
                << jwtgate_reason_apim(jwtgate_result_reason(r.get())) << ": "
                << terminal_text(jwtgate_result_message(r.get())) << "\n";
    if (const char* text = jwtgate_result_explain(r.get(), color ? 1 : 0)) std::cout << text;
  }
  return st == JWTGATE_OK ? kExitValid : kExitInvalid;
}

}  // namespace cli
