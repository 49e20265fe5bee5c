// jwtgate: the command-line face of the library. main finds the command in
// the table (command_table.h), reads its arguments, answers -h/--help before
// anything else, and turns usage errors into exit 2 with one line and a hint.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command_table.h"
#include "commands.h"
#include "help_text.h"
#include "setup.h"
#include "text.h"

namespace cli {

namespace {

using Run = int (*)(Args&);

Run runner(Cmd id) {
  switch (id) {
    case kValidate: return cmd_validate;
    case kExplain: return cmd_explain;
    case kDecode: return cmd_decode;
    case kPolicyCheck: return cmd_policy_check;
    case kPolicyConvert: return cmd_policy_convert;
    case kToken: return cmd_token;
    case kServe: return cmd_serve;
    case kVersion: return cmd_version;
    case kCompletion: return cmd_completion;
    default: return nullptr;  // help and the policy group: main answers them
  }
}

bool is_help(const std::string& a) { return a == "-h" || a == "--help"; }

// usage_error prints |message| and the hint where to read more, and gives
// the exit code of a usage error. Arguments quoted in |message| are
// escaped already (args.cpp); terminal_text keeps anything else out too.
int usage_error(const CommandSpec* cmd, const std::string& message) {
  std::cerr << "jwtgate" << (cmd ? " " + std::string(cmd->name) : "") << ": " << terminal_text(message) << "\n"
            << hint(cmd) << "\n";
  return kExitUsage;
}

std::vector<std::string> names_under(const char* parent) {
  std::vector<std::string> out;
  for (const CommandSpec& c : commands())
    if (parent ? c.parent && std::string_view(c.parent) == parent : !c.parent)
      out.push_back(parent ? std::string(c.name).substr(std::string_view(parent).size() + 1) : c.name);
  return out;
}

// unknown_command: "unknown command "x"; did you mean validate?".
int unknown_command(const CommandSpec* group, const std::string& word) {
  const std::vector<std::string> names = names_under(group ? group->name : nullptr);
  const std::string near = closest(word, names);
  return usage_error(group, std::string("unknown ") + (group ? "subcommand " : "command ") + quoted(word, 64) +
                                (near.empty() ? "" : "; did you mean " + near + "?"));
}

// resolve finds the command that |words| name from |at| on (a group takes
// the next word as its subcommand) and moves |at| past it. nullptr after
// printing the usage error; |group_only| is set for a group with no
// subcommand word, which the caller answers.
const CommandSpec* resolve(const std::vector<std::string>& words, size_t& at, int& exit_code) {
  const CommandSpec* cmd = find_command(words[at]);
  if (!cmd || cmd->parent) {
    exit_code = unknown_command(nullptr, words[at]);
    return nullptr;
  }
  ++at;
  if (subcommands(cmd->name).empty()) return cmd;
  if (at >= words.size()) return cmd;  // the group alone
  if (is_help(words[at])) return cmd;
  if (words[at].size() > 1 && words[at][0] == '-') {
    exit_code = usage_error(cmd, "give a subcommand before the options: " + std::string(cmd->name) + " " +
                                     names_under(cmd->name).front() + " ...");
    return nullptr;
  }
  const CommandSpec* sub = find_command(std::string(cmd->name) + " " + words[at]);
  if (!sub) {
    exit_code = unknown_command(cmd, words[at]);
    return nullptr;
  }
  ++at;
  return sub;
}

int help_command(const std::vector<std::string>& words) {
  // words: what follows "help".
  if (words.empty()) {
    std::cout << usage_text();
    return kExitValid;
  }
  if (is_help(words[0])) {  // jwtgate help --help
    std::cout << help_text(*find_command("help"));
    return kExitValid;
  }
  size_t at = 0;
  int code = kExitUsage;
  const CommandSpec* cmd = resolve(words, at, code);
  if (!cmd) return code;
  if (at < words.size() && !is_help(words[at]))
    return usage_error(find_command("help"), "unexpected " + quoted(words[at], 64));
  std::cout << help_text(*cmd);
  return kExitValid;
}

int run(const std::vector<std::string>& words) {
  if (words.empty()) {
    std::cerr << usage_text();
    return kExitUsage;
  }
  const std::string& first = words[0];
  if (is_help(first)) {
    std::cout << usage_text();
    return kExitValid;
  }
  if (first == "-V" || first == "--version") {
    if (words.size() > 1) return usage_error(nullptr, first + " takes nothing after it");
    Args none(*find_command("version"), {});
    return cmd_version(none);
  }
  if (first.size() > 1 && first[0] == '-') return usage_error(nullptr, "unknown option " + quoted(first, 64));
  if (first == "help") return help_command({words.begin() + 1, words.end()});

  size_t at = 0;
  int code = kExitUsage;
  const CommandSpec* cmd = resolve(words, at, code);
  if (!cmd) return code;
  if (cmd->id == kPolicy) {
    // The group takes a subcommand: alone it is a usage error, with -h help.
    if (at < words.size() && is_help(words[at])) {
      std::cout << help_text(*cmd);
      return kExitValid;
    }
    std::cerr << "jwtgate policy: give a subcommand\n\n" << help_text(*cmd);
    return kExitUsage;
  }
  Args args(*cmd, {words.begin() + static_cast<std::ptrdiff_t>(at), words.end()});
  if (args.help()) {
    std::cout << help_text(*cmd);
    return kExitValid;
  }
  if (args.problem()) return usage_error(cmd, args.problem()->message);
  try {
    return runner(cmd->id)(args);
  } catch (const UsageError& e) {
    return usage_error(cmd, e.message);
  } catch (const ConfigError&) {
    return kExitUsage;  // the problems are printed already
  }
}

}  // namespace

}  // namespace cli

int main(int argc, char** argv) {
  try {
    return cli::run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    std::cerr << "jwtgate: " << cli::terminal_text(e.what()) << "\n";
    return cli::kExitUsage;
  }
}
