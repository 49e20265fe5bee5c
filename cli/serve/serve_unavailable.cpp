// jwtgate serve in a build without libmicrohttpd (cli/meson.build): the
// command exists, and says how to get it.
#include <iostream>

#include "../commands.h"

namespace cli {

const char* serve_library() { return ""; }

int cmd_serve(Args&) {
  std::cerr << "jwtgate serve: this jwtgate was built without libmicrohttpd; install\n"
               "libmicrohttpd-dev (scripts/install-deps.sh) and rebuild\n";
  return kExitUsage;
}

}  // namespace cli
