// jwtgate: the command-line face of the library.
#include <cstring>
#include <iostream>

#include "commands.h"
#include "core/quote.h"
#include "jwtgate.h"
#include "setup.h"

namespace {

const char* const kUsage =
    "usage: jwtgate <command> [options]\n"
    "\n"
    "Validate JSON Web Tokens with Azure API Management's <validate-jwt> rules.\n"
    "\n"
    "commands:\n"
    "  validate   check a token against a policy (exit 0 valid, 1 invalid, 2 error)\n"
    "  explain    validate and explain every check and the likely causes of a failure\n"
    "  decode     show a token's header and claims without validating it\n"
    "  policy     check a policy, or convert it between XML and JSON\n"
    "  token      get an access token with the OAuth 2.0 client-credentials grant\n"
    "  serve      authorize requests for nginx auth_request over HTTP (docs/serving.md)\n"
    "\n"
    "Run 'jwtgate <command> --help' for a command's options; 'jwtgate --version'.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? cli::kExitUsage : cli::kExitValid;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "jwtgate " << jwtgate_version_string() << "\n";
    return cli::kExitValid;
  }
  const std::string cmd = argv[1];
  cli::Args args(argc, argv, 2);
  try {
    if (cmd == "validate") return cli::cmd_validate(args);
    if (cmd == "decode") return cli::cmd_decode(args);
    if (cmd == "explain") return cli::cmd_explain(args);
    if (cmd == "policy") return cli::cmd_policy(args);
    if (cmd == "token") return cli::cmd_token(args);
    if (cmd == "serve") return cli::cmd_serve(args);
    std::cerr << "jwtgate: unknown command " << jwtgate::quoted(cmd, 64) << "\n" << kUsage;
    return cli::kExitUsage;
  } catch (const cli::UsageError& e) {
    // Usage errors quote the arguments, which may carry a token's text.
    std::cerr << "jwtgate " << cmd << ": " << jwtgate::controls_escaped(e.message) << " (see 'jwtgate " << cmd
              << " --help')\n";
    return cli::kExitUsage;
  } catch (const cli::ConfigError&) {
    return cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "jwtgate: " << e.what() << "\n";
    return cli::kExitUsage;
  }
}
