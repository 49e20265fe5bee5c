// Indented JSON for people (decode, validate without --json).
#pragma once

#include <string>
#include <string_view>

namespace cli {

// pretty_json re-indents compact JSON text, strings escaped as
// core/json_writer.h escapes them; returns the input unchanged if it does
// not parse.
std::string pretty_json(std::string_view json, int indent = 2);

}  // namespace cli
