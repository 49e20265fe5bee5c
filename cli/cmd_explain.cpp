// jwtgate explain: run every check and say why a token fails, the way an
// expert would, with the evidence and the fix.
#include <iostream>

#include "commands.h"
#include "core/quote.h"
#include "diagnose/diagnosis.h"
#include "jwtgate_experimental.h"
#include "setup.h"

namespace cli {

int cmd_explain(Args& args) {
  if (args.flag("help")) {
    std::cout << "usage: jwtgate explain --policy FILE [options] (TOKEN | --token - | --header 'Name: value'...)\n"
                 "\n"
                 "Validates like 'jwtgate validate', then explains: every check with the token's\n"
                 "value beside the policy's, and the likely causes of a failure, most likely first,\n"
                 "each with its fix. Exit status: 0 valid, 1 invalid, 2 usage or configuration error.\n"
                 "\n"
                 "Options: those of 'jwtgate validate' (see its --help), and\n"
                 "  --json                      the same explanation as one JSON object\n"
                 "  --no-color                  no ANSI colours even on a terminal\n";
    return kExitValid;
  }
  const bool json = args.flag("json");
  const bool color = want_color(args.flag("no-color")) && !json;
  const int64_t now = parse_now(args);
  auto token_opt = args.value("token");
  auto headers = args.values("header");
  Setup s;
  try {
    s = read_setup(args);
  } catch (const PolicyLoadError& e) {
    // A policy that does not load is a diagnosis too (unresolved named
    // values, expressions, openid-config problems).
    auto d = jwtgate::diagnose_policy_errors(e.errors);
    std::cout << (json ? jwtgate::diagnosis_json(d) + "\n" : jwtgate::diagnosis_text(d, color));
    return kExitUsage;
  }
  args.finish();
  auto pos = args.positionals();
  if (pos.size() > 1) throw UsageError{"give one token"};
  int sources = (pos.empty() ? 0 : 1) + (token_opt ? 1 : 0) + (headers.empty() ? 0 : 1);
  if (sources != 1) throw UsageError{"give the token as an argument, with --token -, or as --header"};

  jwtgate_cpp::Result r = jwtgate_cpp::make_result();
  jwtgate_status st;
  if (!headers.empty()) {
    jwtgate_cpp::Request req = jwtgate_cpp::make_request();
    for (const auto& h : headers) {
      size_t colon = h.find(':');
      if (colon == std::string::npos || colon == 0) throw UsageError{"--header takes 'Name: value'"};
      std::string value = h.substr(colon + 1);
      jwtgate_request_add_header(req.get(), h.substr(0, colon).c_str(), value.data(), value.size());
    }
    st = jwtgate_validate_request(s.validator.get(), r.get(), req.get(), now);
  } else {
    std::string token = token_opt ? (*token_opt == "-" ? read_text("-") : *token_opt) : pos[0];
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    st = jwtgate_validate_token(s.validator.get(), r.get(), token.data(), token.size(), now);
  }
  if (st != JWTGATE_OK && st != JWTGATE_INVALID_TOKEN) {
    std::cerr << "jwtgate: " << jwtgate_status_str(st) << "\n";
    return kExitUsage;
  }
  // Fetched key sets are loaded by the validation: the keys they skipped and
  // the fetches that failed are said here, as read_setup said those of the
  // policy and of --keys.
  jwtgate_error* key_err = nullptr;
  if (jwtgate_validator_key_errors(s.validator.get(), &key_err) == JWTGATE_OK && key_err)
    std::cerr << jwtgate_error_text(key_err);
  jwtgate_error_free(key_err);
  if (json) {
    std::cout << jwtgate_result_explain_json(r.get()) << "\n";
  } else {
    if (st == JWTGATE_OK) std::cout << "valid: the token is accepted\n";
    else
      std::cout << "invalid: " << jwtgate_result_http_status(r.get()) << " "
                << jwtgate_reason_apim(jwtgate_result_reason(r.get())) << ": "
                << jwtgate::controls_escaped(jwtgate_result_message(r.get())) << "\n";
    std::cout << jwtgate_result_explain(r.get(), color ? 1 : 0);
  }
  return st == JWTGATE_OK ? kExitValid : kExitInvalid;
}

}  // namespace cli
