#include "route_match.h"

namespace cli::serve {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal(std::string_view a, std::string_view b, bool ignore_case) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ignore_case ? lower(a[i]) != lower(b[i]) : a[i] != b[i]) return false;
  return true;
}

bool covers(std::string_view prefix, std::string_view path, bool ignore_case) {
  if (path.size() >= prefix.size()) return equal(path.substr(0, prefix.size()), prefix, ignore_case);
  return prefix.size() > 1 && prefix.back() == '/' && path.size() == prefix.size() - 1 &&
         equal(path, prefix.substr(0, path.size()), ignore_case);
}

}  // namespace

RouteChoice choose_route(const std::vector<std::string>& prefixes, std::string_view path) {
  RouteChoice exact, folded;
  for (size_t i = 0; i < prefixes.size() && exact.kind == RouteChoice::none; ++i)
    if (covers(prefixes[i], path, false)) exact = {RouteChoice::found, i};
  for (size_t i = 0; i < prefixes.size() && folded.kind == RouteChoice::none; ++i)
    if (covers(prefixes[i], path, true)) folded = {RouteChoice::found, i};
  // Prefixes are longest first, so the case-insensitive choice is at least
  // as long as the exact one; of equal length, the exact one stands (two
  // prefixes that differ only in case).
  if (folded.kind == RouteChoice::found &&
      (exact.kind == RouteChoice::none || prefixes[folded.index].size() != prefixes[exact.index].size()))
    return {RouteChoice::case_split, folded.index};
  return exact;
}

}  // namespace cli::serve
