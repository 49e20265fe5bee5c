// Choosing one validation element among several (an APIM <inbound> section
// may hold more than one; the JSON form has a "policies" list), the same way
// in both forms.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace jwtgate {

// select_policy returns the index of the candidate |select| names: the first
// whose id equals it, else, when it is a decimal number from 1 to the number
// of candidates, the one at that 1-based position. An empty |select| is the
// first candidate. nullopt when nothing matches (or there is no candidate).
std::optional<size_t> select_policy(const std::vector<std::string>& ids, const std::string& select);

}  // namespace jwtgate
