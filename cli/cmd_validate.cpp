// jwtgate validate: one token against a policy, as APIM would decide.
#include <iostream>

#include "commands.h"
#include "core/quote.h"
#include "json_pretty.h"
#include "setup.h"

namespace cli {

namespace {

const char* const kHelp =
    "usage: jwtgate validate --policy FILE [options] (TOKEN | --token - | --header 'Name: value'...)\n"
    "\n"
    "Validates a token against an APIM <validate-jwt> / <validate-azure-ad-token>\n"
    "policy and prints the decision, APIM's status and message, and every failed check.\n"
    "Exit status: 0 valid, 1 invalid, 2 usage or configuration error.\n"
    "\n"
    "Token:\n"
    "  TOKEN                       the bare token\n"
    "  --token -                   read the token from standard input\n"
    "  --header 'Name: value'      a request header; the policy says which one holds the\n"
    "                              token and whether a scheme is required (repeatable)\n"
    "  --query NAME=VALUE          a request query parameter (repeatable)\n"
    "\n"
    "Policy and keys:\n";

const char* const kHelpTail =
    "\n"
    "Output:\n"
    "  --now UNIX_SECONDS          validate at this time instead of the clock\n"
    "  --show-claims               print the claims of a refused token too\n"
    "  --json                      print one JSON object: valid, status, reason, message,\n"
    "                              failures, header, claims\n";

// Every string the result gives is escaped where it quotes the token
// (jwtgate.h); controls_escaped is the second line of defence: nothing
// printed here can end a line early or reach the terminal as a control.
std::string line(const char* s) { return jwtgate::controls_escaped(s ? s : ""); }

void print_human(jwtgate_result* r, bool show_claims) {
  if (jwtgate_result_valid(r)) {
    std::cout << "valid: the token is accepted\n";
  } else {
    jwtgate_reason reason = jwtgate_result_reason(r);
    std::cout << "invalid: " << jwtgate_result_http_status(r) << " " << jwtgate_reason_apim(reason)
              << "\n";
    std::cout << "message: " << line(jwtgate_result_message(r)) << "\n";
    size_t n = jwtgate_result_failure_count(r);
    for (size_t i = 0; i < n; ++i) {
      std::cout << (i == 0 ? "reason:  " : "also:    ")
                << jwtgate_reason_str(jwtgate_result_failure_reason(r, i));
      const char* subject = jwtgate_result_failure_subject(r, i);
      if (subject && *subject) std::cout << " (" << line(subject) << ")";
      std::cout << ": " << line(jwtgate_result_failure_detail(r, i)) << "\n";
    }
  }
  const char* json = nullptr;
  size_t len = 0;
  // A person needs the claims of an accepted token; for a refused one the
  // failures above say what matters (--show-claims prints them anyway).
  if ((show_claims || jwtgate_result_valid(r)) &&
      jwtgate_result_part_json(r, JWTGATE_PART_CLAIMS, &json, &len) == JWTGATE_OK) {
    std::cout << "claims" << (jwtgate_result_valid(r) ? "" : " (unverified)") << ":\n"
              << jwtgate::controls_escaped(pretty_json(std::string_view(json, len)), true) << "\n";
  }
}

}  // namespace

int cmd_validate(Args& args) {
  if (args.flag("help")) {
    std::cout << kHelp << kSetupHelp << kHelpTail;
    return kExitValid;
  }
  const bool json = args.flag("json");
  const bool show_claims = args.flag("show-claims");
  const int64_t now = parse_now(args);
  auto token_opt = args.value("token");
  auto headers = args.values("header");
  auto queries = args.values("query");
  Setup s = read_setup(args);
  args.finish();
  auto pos = args.positionals();
  if (pos.size() > 1) throw UsageError{"give one token"};
  int sources = (pos.empty() ? 0 : 1) + (token_opt ? 1 : 0) + ((headers.empty() && queries.empty()) ? 0 : 1);
  if (sources != 1)
    throw UsageError{"give the token as an argument, with --token -, or as --header/--query"};

  jwtgate_cpp::Result r = jwtgate_cpp::make_result();
  jwtgate_status st;
  if (!headers.empty() || !queries.empty()) {
    jwtgate_cpp::Request req = jwtgate_cpp::make_request();
    for (const auto& h : headers) {
      size_t colon = h.find(':');
      if (colon == std::string::npos || colon == 0)
        throw UsageError{"--header takes 'Name: value', not " + jwtgate::quoted(h, 80)};
      std::string value = h.substr(colon + 1);
      jwtgate_request_add_header(req.get(), h.substr(0, colon).c_str(), value.data(), value.size());
    }
    for (const auto& q : queries) {
      size_t eq = q.find('=');
      if (eq == std::string::npos) throw UsageError{"--query takes NAME=VALUE"};
      std::string value = q.substr(eq + 1);
      jwtgate_request_add_query(req.get(), q.substr(0, eq).c_str(), value.data(), value.size());
    }
    st = jwtgate_validate_request(s.validator.get(), r.get(), req.get(), now);
  } else {
    std::string token = token_opt ? (*token_opt == "-" ? read_text("-") : *token_opt) : pos[0];
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
      token.pop_back();
    st = jwtgate_validate_token(s.validator.get(), r.get(), token.data(), token.size(), now);
  }
  if (st != JWTGATE_OK && st != JWTGATE_INVALID_TOKEN) {
    std::cerr << "jwtgate: " << jwtgate_status_str(st) << "\n";
    return kExitUsage;
  }
  if (json) std::cout << jwtgate_result_to_json(r.get()) << "\n";
  else print_human(r.get(), show_claims);
  return st == JWTGATE_OK ? kExitValid : kExitInvalid;
}

}  // namespace cli
