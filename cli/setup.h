// Turning command-line options into jwtgate handles: load options (named
// values, expressions, certificates, offline documents), the policy, the key
// sets and the validator. Shared by every subcommand that validates.
#pragma once

#include <memory>
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

// read_setup consumes --policy, --keys and the load options (the "Policy
// and keys" rows of command_table.cpp); on a configuration error prints
// every problem to stderr and throws ConfigError.
Setup read_setup(Args& args, bool need_policy = true);
// read_load_options consumes only the load options.
jwtgate_cpp::LoadOptions read_load_options(Args& args);

struct ConfigError {};
// PolicyLoadError: the policy did not load; |errors| lists every problem
// (|list|, for jwtgate_error_explain, as text).
struct PolicyLoadError : ConfigError {
  std::string errors;
  std::shared_ptr<jwtgate_error> list;
};

// parse_now reads --now (Unix seconds); JWTGATE_NOW when absent.
int64_t parse_now(Args& args);

}  // namespace cli
