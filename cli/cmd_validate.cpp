// jwtgate validate: one token against a policy, as APIM would decide.
#include <iostream>

#include "color.h"
#include "commands.h"
#include "json_pretty.h"
#include "setup.h"
#include "text.h"
#include "token_input.h"

namespace cli {

namespace {

// Every string the result gives is escaped where it quotes the token
// (jwtgate.h); terminal_text is the second line of defence: nothing printed
// here can end a line early or reach the terminal as a control.
void print_human(jwtgate_result* r, bool show_claims, const Palette& c) {
  if (jwtgate_result_valid(r)) {
    std::cout << c.good << "valid" << c.off << ": the token is accepted\n";
  } else {
    jwtgate_reason reason = jwtgate_result_reason(r);
    std::cout << c.bad << "invalid" << c.off << ": " << jwtgate_result_http_status(r) << " "
              << jwtgate_reason_apim(reason) << "\n";
    std::cout << "message: " << terminal_text(jwtgate_result_message(r)) << "\n";
    size_t n = jwtgate_result_failure_count(r);
    for (size_t i = 0; i < n; ++i) {
      std::cout << (i == 0 ? "reason:  " : "also:    ")
                << jwtgate_reason_str(jwtgate_result_failure_reason(r, i));
      const char* subject = jwtgate_result_failure_subject(r, i);
      if (subject && *subject) std::cout << " (" << terminal_text(subject) << ")";
      std::cout << ": " << terminal_text(jwtgate_result_failure_detail(r, i)) << "\n";
    }
  }
  const char* json = nullptr;
  size_t len = 0;
  // A person needs the claims of an accepted token; for a refused one the
  // failures above say what matters (--show-claims prints them anyway).
  if ((show_claims || jwtgate_result_valid(r)) &&
      jwtgate_result_part_json(r, JWTGATE_PART_CLAIMS, &json, &len) == JWTGATE_OK) {
    std::cout << "claims" << (jwtgate_result_valid(r) ? "" : " (unverified)") << ":\n"
              << terminal_text(pretty_json(std::string_view(json, len)), true) << "\n";
  }
}

}  // namespace

int cmd_validate(Args& args) {
  const bool json = args.flag("json");
  const bool show_claims = args.flag("show-claims");
  const bool color = use_color(args) && !json;
  const int64_t now = parse_now(args);
  if (!args.given("policy")) throw UsageError{"--policy FILE is required"};
  const TokenInput input = read_token_input(args);
  Setup s = read_setup(args);
  args.finish();

  jwtgate::result r = jwtgate::make_result();
  const jwtgate_status st = validate_input(input, s.validator.get(), r.get(), now);
  if (json) std::cout << jwtgate_result_to_json(r.get()) << "\n";
  else print_human(r.get(), show_claims, palette(color));
  return st == JWTGATE_OK ? kExitValid : kExitInvalid;
}

}  // namespace cli
