// Turning command-line options into jwtgate handles: load options (named
// values, expressions, certificates, offline documents), the policy, the key
// sets and the validator. Shared by every subcommand that validates.
#pragma once

#include <string>

#include "args.h"
#include "jwtgate.hpp"

namespace cli {

struct Setup {
  jwtgate_cpp::LoadOptions opts;
  jwtgate_cpp::Policy policy;
  jwtgate_cpp::KeySet keys;
  jwtgate_cpp::Validator validator;
};

// The help text for the options read_setup understands.
extern const char* const kSetupHelp;

// read_setup consumes --policy and the options above; on a configuration
// error prints every problem to stderr and throws ConfigError.
Setup read_setup(Args& args, bool need_policy = true);
// read_load_options consumes only the load options.
jwtgate_cpp::LoadOptions read_load_options(Args& args);

struct ConfigError {};
// PolicyLoadError: the policy did not load; |errors| lists every problem.
struct PolicyLoadError : ConfigError {
  std::string errors;
};

// want_color: ANSI colours for standard output, unless --no-color was given,
// NO_COLOR is set to anything but "" (https://no-color.org), or standard
// output is not a terminal.
bool want_color(bool no_color_flag);

// parse_now reads --now (Unix seconds); JWTGATE_NOW when absent.
int64_t parse_now(Args& args);

}  // namespace cli
