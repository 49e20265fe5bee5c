// RequestTarget: the original request's path and query, read from the
// request target as the client sent it: X-Original-URI from nginx
// ($request_uri: raw, still percent-encoded) or the request line of a
// direct request.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli::serve {

struct RequestTarget {
  std::string path;  // percent-decoded; the raw form was in normal form
  // Every entry of the query, in order, repeated names included (the
  // library refuses a token that comes twice). The name as the URI spells
  // it: the library percent-decodes names when it compares them, so
  // decoding here too would decode twice. The value percent-decoded, "+" as
  // a space (application/x-www-form-urlencoded).
  std::vector<std::pair<std::string, std::string>> query;
};

enum class TargetProblem {
  none,
  malformed,   // not "/...", a bad %-escape, an encoded NUL
  not_normal,  // a path the upstream may read otherwise (see below)
};

// parse_request_target splits "PATH?QUERY" and decodes both. A path not in
// normal form is refused, not normalised: the upstream receives the raw
// text, and an upstream that resolves "/admin/..%2Fpublic/" differently
// from jwtgate would serve one route under another's policy. Not in normal
// form (docs/serving.md, "Routing"): an empty segment ("//"), a "." or ".."
// segment, a "\" or ";" (raw or encoded), an encoded "/", "." or "%", and
// any other encoded unreserved character (RFC 3986 2.3: such URIs are
// equivalent to the decoded ones, and producers should not make them).
// |why| says which, for the reply. The query is split at "&" and at ";",
// which some servers also take as a separator.
TargetProblem parse_request_target(std::string_view uri, RequestTarget& out, std::string& why);

// prefix_problem says why a route prefix could never match a path that
// parse_request_target accepts (a "%": prefixes compare with the decoded
// path; a "//", a dot segment, a "\" or a ";"), or returns nullptr.
const char* prefix_problem(std::string_view prefix);

}  // namespace cli::serve
