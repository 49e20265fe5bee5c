// jwtgate completion bash: the completion script made from the option table.
#include <iostream>

#include "commands.h"
#include "completion.h"
#include "text.h"

namespace cli {

int cmd_completion(Args& args) {
  args.finish();
  const auto& pos = args.operands();
  if (pos.size() != 1) throw UsageError{"give the shell: jwtgate completion bash"};
  if (pos[0] != "bash") throw UsageError{"no completion for " + quoted(pos[0], 32) + " yet: bash is the only shell"};
  std::cout << bash_completion();
  return kExitValid;
}

}  // namespace cli
