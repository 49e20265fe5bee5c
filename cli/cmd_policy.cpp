// jwtgate policy check and jwtgate policy convert: a policy file without a
// token.
#include <iostream>

#include "color.h"
#include "commands.h"
#include "json_out.h"
#include "setup.h"
#include "text.h"

namespace cli {

namespace {

// Loaded: a policy file read and loaded with the load options given.
struct Loaded {
  std::string path;
  std::string text;
  jwtgate::error_list err;  // why it did not load (its warnings are the policy's)
  jwtgate::policy policy;
};

Loaded load(Args& args) {
  jwtgate::load_options opts = read_load_options(args);
  const auto& pos = args.operands();
  if (pos.size() != 1) throw UsageError{"give one policy file"};
  Loaded l;
  l.path = pos[0];
  l.text = read_text(l.path);
  l.policy = load_policy(l.text, opts.get(), l.err);
  return l;
}

}  // namespace

int cmd_policy_check(Args& args) {
  const bool json = args.flag("json");
  const bool color = use_color(args) && !json;
  Loaded l = load(args);
  args.finish();
  // A policy that loads keeps its warnings; one that does not gives its
  // errors (with the warnings that led to them) through err.
  const jwtgate_error* e = l.policy ? jwtgate_policy_warnings(l.policy.get()) : l.err.get();
  const size_t n = jwtgate_error_count(e);
  size_t warnings = 0;
  for (size_t i = 0; i < n; ++i) warnings += jwtgate_error_is_warning(e, i) ? 1 : 0;
  const size_t errors = n - warnings;
  if (json) {
    JsonOut w;
    w.begin_object().key("policy").value(l.path).key("loads").value(l.policy != nullptr);
    w.key("errors").value(int64_t(errors)).key("warnings").value(int64_t(warnings));
    w.key("problems").begin_array();
    for (size_t i = 0; i < n; ++i)
      w.begin_object()
          .key("line").value(jwtgate_error_line(e, i))
          .key("column").value(jwtgate_error_column(e, i))
          .key("path").value(jwtgate_error_path(e, i))
          .key("message").value(jwtgate_error_message(e, i))
          .key("warning").value(jwtgate_error_is_warning(e, i) != 0)
          .end_object();
    w.end_array().end_object();
    std::cout << w.text() << "\n";
  } else {
    // As compilers write them, so that editors can jump to each:
    // FILE:LINE:COLUMN: error: PATH: MESSAGE.
    const Palette c = palette(color);
    const std::string file = terminal_text(l.path);
    for (size_t i = 0; i < n; ++i) {
      std::cout << file << ":";
      if (const unsigned line = jwtgate_error_line(e, i)) {
        std::cout << line << ":";
        if (const unsigned column = jwtgate_error_column(e, i)) std::cout << column << ":";
      }
      std::cout << " "
                << (jwtgate_error_is_warning(e, i) ? std::string(c.warn) + "warning" : std::string(c.bad) + "error")
                << c.off << ": ";
      const std::string path = terminal_text(jwtgate_error_path(e, i));
      if (!path.empty()) std::cout << path << ": ";
      std::cout << terminal_text(jwtgate_error_message(e, i)) << "\n";
    }
    auto count = [](size_t k, const char* what) {
      return std::to_string(k) + " " + what + (k == 1 ? "" : "s");
    };
    if (l.policy)
      std::cout << "policy " << file << " " << c.good << "loads" << c.off << ": " << count(warnings, "warning") << "\n";
    else
      std::cout << "policy " << file << " " << c.bad << "does not load" << c.off << ": " << count(errors, "error")
                << ", " << count(warnings, "warning") << "\n";
  }
  return l.policy ? kExitValid : kExitInvalid;
}

int cmd_policy_convert(Args& args) {
  auto to = args.value("to");
  if (args.flag("json")) {
    if (to && *to != "json") throw UsageError{"--json and --to " + *to + " contradict each other"};
    to = "json";
  }
  Loaded l = load(args);
  args.finish();
  if (l.err) std::cerr << terminal_text(jwtgate_error_text(l.err.get()), true);
  if (l.policy)
    std::cerr << terminal_text(jwtgate_error_text(jwtgate_policy_warnings(l.policy.get())), true);
  if (!l.policy) {
    std::cerr << "jwtgate: cannot load policy " << terminal_text(l.path) << "\n";
    return kExitUsage;
  }
  const size_t first = l.text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool from_xml = first != std::string::npos && l.text[first] == '<';
  const std::string target = to ? *to : (from_xml ? "json" : "xml");
  if (target == "json") std::cout << jwtgate_policy_to_json(l.policy.get()) << "\n";
  else std::cout << jwtgate_policy_to_xml(l.policy.get());
  return kExitValid;
}

}  // namespace cli
