#include "core/time_format.h"

#include <ctime>

namespace jwtgate {

std::string format_utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return std::to_string(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string format_duration(int64_t s) {
  if (s < 0) s = -s;
  // Two units at most: "3 min 20 s", "2 h 5 min", "4 days 3 h". Built with
  // append() (GCC 12 at -O3 warns, wrongly, on chained operator+ here).
  std::string out;
  auto part = [&](int64_t n, const char* unit) {
    if (!out.empty()) out += ' ';
    out += std::to_string(n);
    out += ' ';
    out += unit;
  };
  if (s < 60) {
    part(s, "s");
  } else if (s < 3600) {
    part(s / 60, "min");
    if (s % 60) part(s % 60, "s");
  } else if (s < 86400) {
    part(s / 3600, "h");
    if (s % 3600 / 60) part(s % 3600 / 60, "min");
  } else {
    part(s / 86400, s / 86400 == 1 ? "day" : "days");
    if (s % 86400 / 3600) part(s % 86400 / 3600, "h");
  }
  return out;
}

}  // namespace jwtgate
