#include "net/cache_control.h"
#include "core/ascii.h"

#include <string>

namespace jwtgate {

namespace {

// RFC 9111 1.2.2: a delta-seconds too large to represent is taken as
// 2147483648 (2^31).
constexpr int64_t kMaxDeltaSeconds = 2147483648LL;

// delta_seconds parses 1*DIGIT; -1 if malformed.
int64_t delta_seconds(std::string_view s) {
  s = trim_ows(s);
  // The token form is what senders must use; the quoted form is tolerated
  // (RFC 9111 5.2: "recipients ... SHOULD accept both forms").
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (s.empty()) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
    if (v > kMaxDeltaSeconds) v = kMaxDeltaSeconds;
  }
  return v;
}

}  // namespace

int64_t freshness_ms(std::string_view cache_control, std::string_view age) {
  int64_t max_age = -1;
  bool seen_max_age = false;
  size_t pos = 0;
  while (pos <= cache_control.size()) {
    size_t comma = cache_control.find(',', pos);
    if (comma == std::string_view::npos) comma = cache_control.size();
    std::string_view directive = trim_ows(cache_control.substr(pos, comma - pos));
    pos = comma + 1;
    if (directive.empty()) continue;
    const size_t eq = directive.find('=');
    const std::string_view name = trim_ows(directive.substr(0, eq));
    if (ascii_iequals(name, "no-store") || ascii_iequals(name, "no-cache")) return 0;
    // The first max-age wins when a response repeats it (RFC 9111 4.2.1).
    if (ascii_iequals(name, "max-age") && !seen_max_age) {
      seen_max_age = true;
      max_age = eq == std::string_view::npos ? -1 : delta_seconds(directive.substr(eq + 1));
    }
  }
  if (max_age < 0) return -1;
  const int64_t already = age.empty() ? 0 : delta_seconds(age);
  const int64_t left = max_age - (already > 0 ? already : 0);
  return (left > 0 ? left : 0) * 1000;
}

}  // namespace jwtgate
