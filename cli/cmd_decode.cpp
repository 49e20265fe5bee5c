// jwtgate decode: show a token's header and claims without judging it.
#include <iostream>

#include "commands.h"
#include "json_pretty.h"
#include "jwtgate.hpp"

namespace cli {

int cmd_decode(Args& args) {
  if (args.flag("help")) {
    std::cout << "usage: jwtgate decode [--json] (TOKEN | -)\n"
                 "\n"
                 "Prints the token's header and claims. Nothing is verified: a decoded token\n"
                 "is not a valid one. Exit status: 0 decoded, 1 not a well-formed token, 2 usage.\n";
    return kExitValid;
  }
  const bool json = args.flag("json");
  args.finish();
  auto pos = args.positionals();
  if (pos.size() != 1) throw UsageError{"give one token (or - for standard input)"};
  std::string token = pos[0] == "-" ? read_text("-") : pos[0];
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token.erase(0, 7);

  jwtgate_cpp::Result r = jwtgate_cpp::make_result();
  jwtgate_status st = jwtgate_decode(r.get(), token.data(), token.size());
  const char* header = nullptr;
  const char* claims = nullptr;
  size_t hlen = 0, clen = 0;
  bool has_h = jwtgate_result_part_json(r.get(), JWTGATE_PART_HEADER, &header, &hlen) == JWTGATE_OK;
  std::string header_text = has_h ? std::string(header, hlen) : "";
  bool has_c = jwtgate_result_part_json(r.get(), JWTGATE_PART_CLAIMS, &claims, &clen) == JWTGATE_OK;
  std::string claims_text = has_c ? std::string(claims, clen) : "";
  if (json) {
    std::cout << "{\"verified\":false,\"header\":" << (has_h ? header_text : "null")
              << ",\"claims\":" << (has_c ? claims_text : "null") << "}\n";
  } else {
    std::cout << "NOT VALIDATED: decoding shows what the token says, not whether it is true.\n";
    if (has_h) std::cout << "header:\n" << pretty_json(header_text) << "\n";
    if (has_c) std::cout << "claims:\n" << pretty_json(claims_text) << "\n";
  }
  if (st != JWTGATE_OK) {
    std::cerr << "jwtgate: not a well-formed token: "
              << jwtgate_reason_str(jwtgate_result_reason(r.get())) << ": "
              << jwtgate_result_detail(r.get()) << "\n";
    return kExitInvalid;
  }
  return kExitValid;
}

}  // namespace cli
