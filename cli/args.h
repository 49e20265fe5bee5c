// Args: a command's arguments, read against its rows of the option table
// (command_table.h). Options come as --name VALUE, --name=VALUE, -x VALUE
// or -xVALUE; "--" ends them; "-" is an operand. Reading checks what the
// table says (known option, value present, one of its choices, given once
// unless repeatable) and notes the first problem; -h or --help anywhere
// before "--" wins over any problem, so that help is always reachable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "command_table.h"

namespace cli {

// UsageError: a command line that cannot be run (exit 2). |message| is one
// line; the caller adds the hint where to read the help.
struct UsageError {
  std::string message;
};

class Args {
 public:
  Args(const CommandSpec& cmd, std::vector<std::string> argv);

  const CommandSpec& command() const { return *cmd_; }
  // help: -h or --help was given.
  bool help() const { return help_; }
  // problem: the first thing the table refused, if any.
  const std::optional<UsageError>& problem() const { return problem_; }

  // flag consumes a switch; value an option given at most once (nullopt when
  // absent); values every occurrence, in order. Asking for an option the
  // command's table rows lack is a programming error (std::logic_error).
  bool flag(std::string_view name);
  std::optional<std::string> value(std::string_view name);
  std::vector<std::string> values(std::string_view name);
  // given: the option was given (without consuming it).
  bool given(std::string_view name) const;
  const std::vector<std::string>& operands() const { return operands_; }
  // finish throws UsageError for an option given but consumed by nothing
  // (one that does not apply with the others given).
  void finish() const;

  // Option: one option as given, in command-line order.
  struct Option {
    const OptionSpec* spec;
    std::string value;  // "" for a switch
    bool used = false;
  };
  const std::vector<Option>& given_options() const { return options_; }

 private:
  const OptionSpec& spec(std::string_view name) const;
  void refuse(std::string message);

  const CommandSpec* cmd_;
  std::vector<Option> options_;
  std::vector<std::string> operands_;
  bool help_ = false;
  std::optional<UsageError> problem_;
};

// read_text reads a file, or standard input for "-".
std::string read_text(const std::string& path);

// closest: the candidate nearest to |word| by edit distance when it is near
// enough to be a typo of it (for "did you mean"), else "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cli
