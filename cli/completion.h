// The bash completion script, generated from the option table
// (command_table.h): `jwtgate completion bash` prints it and meson installs
// it as share/bash-completion/completions/jwtgate, so completion offers
// exactly the commands and options the parser takes.
#pragma once

#include <string>

namespace cli {

std::string bash_completion();

}  // namespace cli
