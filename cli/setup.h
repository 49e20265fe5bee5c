// Turning command-line options into jwtgate handles: load options (named
// values, expressions, certificates, offline documents), the policy, the key
// sets and the validator. Shared by every subcommand that validates.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "args.h"
#include "jwtgate_experimental.h"
#include "jwtgate.hpp"

namespace cli {

struct Setup {
  jwtgate::load_options opts;
  jwtgate::policy policy;
  jwtgate::keyset keys;
  jwtgate::validator validator;
};

// read_setup consumes --policy, --keys and the load options (the "Policy
// and keys" rows of command_table.cpp); on a configuration error prints
// every problem to stderr and throws ConfigError.
Setup read_setup(Args& args, bool need_policy = true);
// read_load_options consumes only the load options.
jwtgate::load_options read_load_options(Args& args);
// load_policy loads |text| (XML or JSON); NULL when it does not load, with
// every problem in |err| (which is reset: NULL when the policy loads; its
// warnings are then jwtgate_policy_warnings'). Throws std::bad_alloc.
jwtgate::policy load_policy(std::string_view text, const jwtgate_load_options* opts,
                            jwtgate::error_list& err);

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
