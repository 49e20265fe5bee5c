// UTC time text for messages: "2026-11-29T16:45:19Z".
#pragma once

#include <cstdint>
#include <string>

namespace jwtgate {

std::string format_utc(int64_t unix_seconds);
// format_duration: "3 min 20 s", "2 h 5 min", "4 days 3 h" (for |seconds| >= 0).
std::string format_duration(int64_t seconds);

}  // namespace jwtgate
