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
  auto part = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit; };
  if (s < 60) return part(s, "s");
  if (s < 3600) return part(s / 60, "min") + (s % 60 ? " " + part(s % 60, "s") : "");
  if (s < 86400) return part(s / 3600, "h") + (s % 3600 / 60 ? " " + part(s % 3600 / 60, "min") : "");
  return part(s / 86400, s / 86400 == 1 ? "day" : "days") +
         (s % 86400 / 3600 ? " " + part(s % 86400 / 3600, "h") : "");
}

}  // namespace jwtgate
