// jwtgate decode: show a token's header and claims the way jwt.ms does
// (jwtgate_result_describe), without judging it.
#include <iostream>
#include <new>

#include "color.h"
#include "commands.h"
#include "jwtgate.hpp"
#include "setup.h"
#include "text.h"

namespace cli {

int cmd_decode(Args& args) {
  const bool json = args.flag("json");
  const bool color = use_color(args) && !json;
  const int64_t now = parse_now(args);
  args.finish();
  const auto& pos = args.operands();
  if (pos.size() != 1) throw UsageError{"give one token (or - for standard input)"};
  std::string token = pos[0] == "-" ? read_text("-") : pos[0];
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  // What a person copies from a request often starts with its scheme.
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token.erase(0, 7);

  jwtgate::result r = jwtgate::make_result();
  const jwtgate_status st = jwtgate_decode(r.get(), token.data(), token.size());
  if (json) {
    if (const char* text = jwtgate_result_describe_json(r.get(), now)) std::cout << text << "\n";
  } else {
    const Palette c = palette(color);
    std::cout << c.warn << "NOT VALIDATED: this shows what the token says, not whether it is true." << c.off
              << "\n";
    if (const char* text = jwtgate_result_describe(r.get(), now, color ? 1 : 0)) std::cout << text;
  }
  if (st != JWTGATE_OK) {
    std::cerr << "jwtgate: not a well-formed token: " << jwtgate_reason_str(jwtgate_result_reason(r.get()))
              << ": " << terminal_text(jwtgate_result_detail(r.get())) << "\n";
    return kExitInvalid;
  }
  return kExitValid;
}

}  // namespace cli
