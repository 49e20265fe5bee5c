// ParsedKeys: what a key parser (keys/key_parsers.h) made of a text, its
// keys and its diagnostics, with the lookups the key suites assert with.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "crypto/key.h"

namespace jwtgate_test {

struct ParsedKeys {
  bool ok = false;
  std::vector<jwtgate::Key> keys;
  jwtgate::Diagnostics diag;
  // has: an error (|warning| false) or a warning whose message contains |text|.
  bool has(const std::string& text, bool warning) const {
    for (const auto& d : diag.items())
      if (d.warning == warning && d.message.find(text) != std::string::npos) return true;
    return false;
  }
  bool error_has(const std::string& text) const { return has(text, false); }
  bool warning_has(const std::string& text) const { return has(text, true); }
};

}  // namespace jwtgate_test
