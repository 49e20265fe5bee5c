// Args: a small command-line reader. Options may come as "--name value" or
// "--name=value"; anything that does not start with "--" is positional.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cli {

class Args {
 public:
  Args(int argc, char** argv, int first);

  // flag consumes a boolean option.
  bool flag(const std::string& name);
  // value consumes one "--name value"; throws UsageError if the value is missing.
  std::optional<std::string> value(const std::string& name);
  // values consumes every occurrence.
  std::vector<std::string> values(const std::string& name);
  // positionals returns what is left that is not an option; finish() throws
  // UsageError for any unconsumed option.
  std::vector<std::string> positionals() const;
  void finish() const;

 private:
  std::vector<std::string> items_;
  std::vector<bool> used_;
};

struct UsageError {
  std::string message;
};

// read_text reads a file, or standard input for "-".
std::string read_text(const std::string& path);

}  // namespace cli
