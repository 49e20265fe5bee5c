// RequestTarget: the original request's path and query, as nginx forwards
// them in X-Original-URI ($request_uri: raw, still percent-encoded).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli::serve {

struct RequestTarget {
  std::string path;  // decoded, slashes merged, dot segments resolved
  std::vector<std::pair<std::string, std::string>> query;  // decoded
};

// parse_request_target splits "PATH?QUERY" and normalises the path the way
// nginx does before it picks a location: percent-decoding, merging "//" and
// resolving "." and "..". Routing on the raw text would let
// "/public/../admin" pass as "/public/". Returns nullopt for what nginx
// itself refuses: a bad %-escape, a NUL, ".." above the root, or a path that
// does not start with "/".
std::optional<RequestTarget> parse_request_target(std::string_view uri);

// normalize_path does the same on an already decoded path (libmicrohttpd
// decodes the URL of a direct request itself).
std::optional<std::string> normalize_path(std::string_view decoded);

}  // namespace cli::serve
