// jwtgate policy: check a policy, or convert it between XML and JSON.
#include <iostream>

#include "commands.h"
#include "setup.h"

namespace cli {

int cmd_policy(Args& args) {
  auto pos = args.positionals();
  const std::string sub = pos.empty() ? "" : pos[0];
  if (args.flag("help") || sub.empty() || (sub != "convert" && sub != "check")) {
    std::cout << "usage: jwtgate policy check FILE [load options]\n"
                 "       jwtgate policy convert [--to json|xml] FILE [load options]\n"
                 "\n"
                 "check loads the policy exactly as validate would and reports every problem\n"
                 "(line, column, element path). convert prints the policy in the other form\n"
                 "(XML -> JSON by default for XML input, and the reverse); named values and\n"
                 "supplied expression values appear resolved.\n"
                 "\n"
                 "Load options:\n"
              << kSetupHelp;
    return sub.empty() || sub == "convert" || sub == "check" ? kExitValid : kExitUsage;
  }
  auto to = args.value("to");
  jwtgate_cpp::LoadOptions opts = read_load_options(args);
  args.finish();
  pos = args.positionals();
  if (pos.size() != 2) throw UsageError{"give one policy file"};
  std::string text = read_text(pos[1]);
  jwtgate_cpp::Error err;
  jwtgate_cpp::Policy p = jwtgate_cpp::load_policy(text, opts.get(), &err);
  if (err) std::cerr << jwtgate_error_text(err.get());
  if (!p) return kExitUsage;
  const jwtgate_error* warnings = jwtgate_policy_warnings(p.get());
  std::cerr << jwtgate_error_text(warnings);
  if (sub == "check") {
    std::cout << "policy " << pos[1] << " loads: " << jwtgate_error_count(warnings) << " warning(s)\n";
    return kExitValid;
  }
  size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  bool from_xml = first != std::string::npos && text[first] == '<';
  std::string target = to ? *to : (from_xml ? "json" : "xml");
  if (target == "json") std::cout << jwtgate_policy_to_json(p.get()) << "\n";
  else if (target == "xml") std::cout << jwtgate_policy_to_xml(p.get());
  else throw UsageError{"--to takes json or xml"};
  return kExitValid;
}

}  // namespace cli
