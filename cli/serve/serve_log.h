// log_line: the service's log, one timestamped line on stderr each, written
// whole so lines from several threads do not interleave.
#pragma once

#include <string>

namespace cli::serve {

void log_line(const std::string& message);

}  // namespace cli::serve
