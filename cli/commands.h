// The commands of the jwtgate CLI (command_table.h describes them). Each
// returns the process exit code.
#pragma once

#include "args.h"

namespace cli {

int cmd_validate(Args& args);
int cmd_explain(Args& args);
int cmd_decode(Args& args);
int cmd_policy_check(Args& args);    // cmd_policy.cpp
int cmd_policy_convert(Args& args);  // cmd_policy.cpp
int cmd_token(Args& args);
int cmd_serve(Args& args);  // cmd_serve.cpp and cli/serve/, or serve/serve_unavailable.cpp
int cmd_version(Args& args);
int cmd_completion(Args& args);  // completion.cpp

// serve_library: the HTTP library jwtgate serve runs on ("libmicrohttpd/0.9.75"),
// or "" when this build has no jwtgate serve.
const char* serve_library();

// The exit codes (kExitStatus in command_table.cpp says what each means).
constexpr int kExitValid = 0;    // valid, or success
constexpr int kExitInvalid = 1;  // invalid token, a policy with errors, a failed request
constexpr int kExitUsage = 2;    // usage or configuration error

}  // namespace cli
