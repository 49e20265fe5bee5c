// The CLI's one description of itself: every command and every option, with
// its help. It drives the parser (args.cpp), --help and `jwtgate help`
// (help_text.cpp), the man page and docs/cli.md (cli_docs.cpp, at build time)
// and the bash completion (completion.cpp). An option is added by adding a
// row to kOptions in command_table.cpp, and nowhere else.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace cli {

// Cmd: one bit per command, so that an option row lists the commands that
// take it.
enum Cmd : uint32_t {
  kValidate = 1u << 0,
  kExplain = 1u << 1,
  kDecode = 1u << 2,
  kPolicy = 1u << 3,  // the group "policy": takes a subcommand, no option but -h
  kPolicyCheck = 1u << 4,
  kPolicyConvert = 1u << 5,
  kToken = 1u << 6,
  kServe = 1u << 7,
  kVersion = 1u << 8,
  kHelp = 1u << 9,
  kCompletion = 1u << 10,
};
constexpr uint32_t kAllCommands = (1u << 11) - 1;

// OptionSpec: one option of one or more commands.
struct OptionSpec {
  const char* name;         // the long form without "--", e.g. "policy"
  char short_name;          // 'p' for -p, or 0
  const char* arg;          // the value's name ("FILE"), or nullptr for a switch
  const char* section;      // the heading it is listed under in --help and the man page
  uint32_t commands;        // the Cmd bits of the commands that take it
  const char* help;         // what it does, one sentence or two; nullptr: accepted
                            // (to refuse it with a reason) but never listed
  bool repeatable = false;  // may be given more than once
  const char* choices = nullptr;  // the only values it takes, space-separated
  bool file = false;        // its value names a file (completion offers files)
};

// Operand: a positional argument of a command.
struct Operand {
  const char* name;
  const char* help;
  const char* choices = nullptr;  // the only values, space-separated (completion)
  bool file = false;              // a file name (completion offers files)
};

// CommandSpec: one command ("validate") or subcommand ("policy check").
struct CommandSpec {
  Cmd id;
  const char* name;                   // the words after "jwtgate"
  const char* summary;                // one line, for the list of commands
  std::vector<const char*> synopsis;  // usage lines, each after "jwtgate NAME "
  const char* description;            // paragraphs separated by "\n\n"
  std::vector<Operand> operands;
  const char* json = nullptr;         // what --json prints, when it takes --json
  const char* exit_status = nullptr;  // what its exit codes mean
  const char* parent = nullptr;       // "policy" for a subcommand
};

const std::vector<OptionSpec>& options();
const std::vector<CommandSpec>& commands();

// find_command: the command named |name| (a subcommand by its full name,
// "policy check"), or nullptr.
const CommandSpec* find_command(std::string_view name);
// subcommands: the subcommands of the group |parent| ("policy"), in order.
std::vector<const CommandSpec*> subcommands(std::string_view parent);
// options_of: the options |cmd| takes, in table order (-h/--help last).
std::vector<const OptionSpec*> options_of(Cmd cmd);
// find_option: |cmd|'s option by long name (without "--"), or nullptr.
const OptionSpec* find_option(Cmd cmd, std::string_view name);
const OptionSpec* find_short_option(Cmd cmd, char short_name);

// The program's own text, shared by the top-level usage and the man page.
extern const char* const kProgramSummary;     // one line: what jwtgate is
extern const char* const kProgramDescription; // paragraphs
extern const char* const kExitStatus;         // the exit codes of every command
extern const char* const kEnvironment;        // NAME: meaning, one per line
extern const char* const kJsonNote;           // how --json output is shaped

}  // namespace cli
