// The subcommands of the jwtgate CLI. Each returns the process exit code:
// 0 valid / success, 1 invalid token, 2 usage or configuration error.
#pragma once

#include "args.h"

namespace cli {

int cmd_validate(Args& args);
int cmd_decode(Args& args);
int cmd_policy(Args& args);
int cmd_explain(Args& args);
int cmd_token(Args& args);  // cmd_token.cpp
int cmd_serve(Args& args);  // cmd_serve.cpp, cli/serve/

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

}  // namespace cli
