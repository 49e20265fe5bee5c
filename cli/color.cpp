#include "color.h"

#include <unistd.h>

#include <cstdlib>

namespace cli {

bool use_color(Args& args) {
  const bool never = args.flag("no-color");
  const std::string when = args.value("color").value_or(never ? "never" : "auto");
  if (never && when != "never") throw UsageError{"--no-color and --color=" + when + " contradict each other"};
  if (when == "always") return true;
  if (when == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

Palette palette(bool color) {
  if (!color) return {};
  return {"\033[32m", "\033[31m", "\033[33m", "\033[1m", "\033[0m"};
}

}  // namespace cli
