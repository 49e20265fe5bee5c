// Diagnostics: the problems found while loading policies and keys. Loading
// collects every problem instead of stopping at the first, so a user fixes a
// broken policy in one pass.
#pragma once

#include <string>
#include <vector>

namespace jwtgate {

struct Diagnostic {
  std::string message;
  unsigned line = 0;    // 1-based; 0 when unknown
  unsigned column = 0;  // 1-based; 0 when unknown
  std::string path;     // element path, e.g. "validate-jwt/audiences/audience[2]"
  bool warning = false;
  // A stable name for the kind of problem ("named_value_undefined"), for
  // programs and for the diagnosis of a policy that does not load
  // (diagnose/); "" when the problem has no name of its own.
  std::string code;
};

class Diagnostics {
 public:
  void error(std::string message, std::string path = {}, unsigned line = 0, unsigned column = 0) {
    items_.push_back({std::move(message), line, column, std::move(path), false, {}});
  }
  // coded_error: an error with a stable code (Diagnostic::code).
  void coded_error(std::string code, std::string message, std::string path = {},
                   unsigned line = 0, unsigned column = 0) {
    items_.push_back({std::move(message), line, column, std::move(path), false, std::move(code)});
  }
  void warn(std::string message, std::string path = {}, unsigned line = 0, unsigned column = 0) {
    items_.push_back({std::move(message), line, column, std::move(path), true, {}});
  }
  bool has_errors() const {
    for (const auto& d : items_)
      if (!d.warning) return true;
    return false;
  }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  void append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }
  // "line:col: path: message" lines, or "path: message" when no position.
  std::string text() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace jwtgate
