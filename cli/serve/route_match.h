// Choosing a route by path prefix, the same way whatever the letter case.
// Apart from RouteTable so that it can be tested without validators.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cli::serve {

struct RouteChoice {
  enum Kind {
    found,      // |index| is the route
    none,       // no prefix covers the path
    case_split  // ignoring letter case would choose another route
  } kind = none;
  size_t index = 0;
};

// choose_route picks, among |prefixes| (longest first), the first that
// covers |path|: |path| starts with it, or it ends with "/" and |path| is
// it without that "/" (nginx and most frameworks serve "/admin" as the
// directory "/admin/" or redirect there). Some servers route ignoring
// letter case (ASP.NET Core, IIS, and any on a case-insensitive file
// system): when that would choose a route of another length, jwtgate cannot
// know which one the upstream will use, and says case_split.
RouteChoice choose_route(const std::vector<std::string>& prefixes, std::string_view path);

}  // namespace cli::serve
