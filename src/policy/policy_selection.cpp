#include "policy/policy_selection.h"

#include <charconv>

namespace jwtgate {

std::optional<size_t> select_policy(const std::vector<std::string>& ids, const std::string& select) {
  if (ids.empty()) return std::nullopt;
  if (select.empty()) return 0;
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == select) return i;
  size_t n = 0;
  auto [ptr, ec] = std::from_chars(select.data(), select.data() + select.size(), n);
  if (ec == std::errc() && ptr == select.data() + select.size() && n >= 1 && n <= ids.size())
    return n - 1;
  return std::nullopt;
}

}  // namespace jwtgate
