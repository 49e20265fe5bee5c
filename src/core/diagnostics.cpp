#include "core/diagnostics.h"

namespace jwtgate {

std::string Diagnostics::text() const {
  std::string out;
  for (const auto& d : items_) {
    if (d.line) {
      out += std::to_string(d.line);
      out += ':';
      out += std::to_string(d.column);
      out += ": ";
    }
    out += d.warning ? "warning: " : "error: ";
    if (!d.path.empty()) {
      out += d.path;
      out += ": ";
    }
    out += d.message;
    out += '\n';
  }
  return out;
}

}  // namespace jwtgate
