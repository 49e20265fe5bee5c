// The man page (roff) and the command reference of docs/cli.md, made from
// the option table (command_table.h) at build time by cli_docs, so neither
// can drift from what --help prints.
#pragma once

#include <string>
#include <string_view>

namespace cli {

// man_page: jwtgate(1) for |version|.
std::string man_page(std::string_view version);

// markdown_reference: the usage and every command's --help, verbatim, for
// docs/cli.md.
std::string markdown_reference();

}  // namespace cli
