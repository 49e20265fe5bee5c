// jwtgate version (and --version, -V): this program's version, the
// library's it runs on, what that library was built with, and whether
// jwtgate serve was built: what a bug report needs.
#include <iostream>
#include <sstream>
#include <vector>

#include "commands.h"
#include "json_out.h"
#include "jwtgate_experimental.h"
#include "text.h"

namespace cli {

namespace {

std::vector<std::string> words(const char* text) {
  std::vector<std::string> out;
  std::istringstream in(text ? text : "");
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

int cmd_version(Args& args) {
  const bool json = args.flag("json");
  args.finish();
  if (!args.operands().empty()) throw UsageError{"jwtgate version takes no operand"};
  // JWTGATE_VERSION_STRING is the header this program was built with;
  // jwtgate_version_string() the library it runs on.
  const std::string library = jwtgate_version_string();
  const std::vector<std::string> features = words(jwtgate_build_features());
  const std::vector<std::string> deps = words(jwtgate_dependency_versions());
  if (json) {
    JsonOut w;
    w.begin_object().key("jwtgate").value(JWTGATE_VERSION_STRING);
    w.key("library").begin_object().key("version").value(library);
    w.key("features").begin_array();
    for (const auto& f : features) w.value(f);
    w.end_array().key("dependencies").begin_object();
    for (const auto& d : deps) {
      const size_t slash = d.find('/');
      w.key(d.substr(0, slash)).value(slash == std::string::npos ? "" : d.substr(slash + 1));
    }
    w.end_object().end_object().key("serve").value(serve_library()).end_object();
    std::cout << w.text() << "\n";
    return kExitValid;
  }
  std::cout << "jwtgate " << JWTGATE_VERSION_STRING << "\n";
  std::cout << "libjwtgate " << terminal_text(library);
  if (library != JWTGATE_VERSION_STRING) std::cout << " (jwtgate was built with " << JWTGATE_VERSION_STRING << "'s header)";
  std::cout << ": " << terminal_text(jwtgate_build_features()) << "\n";
  std::cout << "uses " << terminal_text(jwtgate_dependency_versions()) << "\n";
  const std::string serve = serve_library();
  std::cout << "serve: " << (serve.empty() ? "not built (no libmicrohttpd)" : serve) << "\n";
  return kExitValid;
}

}  // namespace cli
