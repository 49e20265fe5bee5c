// Where validate and explain take the token from: the bare token (an
// operand or --token, "-" reading standard input) or a request's headers and
// query parameters, from which the policy takes it as APIM would.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "args.h"
#include "jwtgate.h"

namespace cli {

struct TokenInput {
  bool bare = false;
  std::string token;  // the bare token, when |bare|
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::vector<std::pair<std::string, std::string>> queries;
};

// read_token_input consumes --token, --header, --query and the operand,
// reading standard input for "-"; throws UsageError unless exactly one
// source is given.
TokenInput read_token_input(Args& args);

// validate_input validates |in| with |v| into |r| at |now| and returns
// JWTGATE_OK or JWTGATE_INVALID_TOKEN; any other status (the call itself
// failed) is printed ("jwtgate: <status>") and thrown as ConfigError.
jwtgate_status validate_input(const TokenInput& in, const jwtgate_validator* v, jwtgate_result* r,
                              int64_t now);

}  // namespace cli
