// Help text made from the option table (command_table.h): jwtgate --help,
// jwtgate COMMAND --help and jwtgate help COMMAND print these, so what the
// help says is what the parser takes.
#pragma once

#include <string>
#include <string_view>

#include "command_table.h"

namespace cli {

// usage_text: the top-level usage: the commands and where to read more.
std::string usage_text();
// help_text: a command's (or the policy group's) whole help.
std::string help_text(const CommandSpec& cmd);
// hint: "try 'jwtgate help validate'" for |cmd| (nullptr: jwtgate's own).
std::string hint(const CommandSpec* cmd);

// wrap: |text| as lines of at most |width| columns, the first after
// |first_indent| columns already used, the others indented by |indent|;
// "\n" in |text| starts a new line.
std::string wrap(std::string_view text, size_t indent, size_t width = 79, size_t first_indent = 0);
// option_label: "-p, --policy FILE" (or "    --select ID" when it has no
// short form).
std::string option_label(const OptionSpec& o);

}  // namespace cli
