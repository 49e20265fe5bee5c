// RouteTable: the validators of one configuration, chosen by the longest
// path prefix of the original request. Immutable once built; a reload builds
// a new table and swaps it in whole (live_routes.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jwtgate.hpp"
#include "route_match.h"
#include "serve_config.h"

namespace cli::serve {

struct Route {
  std::string prefix;
  jwtgate_cpp::Validator validator;
  std::vector<std::pair<std::string, std::string>> claim_headers;  // claim -> header
};

struct RouteTable {
  ServeConfig config;
  std::vector<Route> routes;         // longest prefix first
  std::vector<std::string> prefixes;  // routes[i].prefix

  // choose picks the route of |path| (route_match.h); routes[index] when
  // found.
  RouteChoice choose(std::string_view path) const { return choose_route(prefixes, path); }
};

// RouteBuildError: a policy, key or document of the configuration did not
// load; |message| says which route and why (the loaders' own lines went to
// stderr before it).
struct RouteBuildError {
  std::string message;
};

// build_route_table loads every route's policy and keys and makes its
// validator (starting its key-refresh thread when the policy fetches keys).
// All or nothing: throws RouteBuildError and nothing is kept.
std::shared_ptr<const RouteTable> build_route_table(const ServeConfig& config);

}  // namespace cli::serve
