#include "request_target.h"

#include <optional>

namespace cli::serve {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// escape_at: the byte %XX at s[i] encodes, or -1 for a broken escape.
int escape_at(std::string_view s, size_t i) {
  if (i + 2 >= s.size()) return -1;
  const int h = hex(s[i + 1]), l = hex(s[i + 2]);
  return h < 0 || l < 0 ? -1 : h * 16 + l;
}

// RFC 3986 2.3.
bool unreserved(int c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// percent_decode decodes %XX; |plus_is_space| applies the form encoding of
// query strings (application/x-www-form-urlencoded), not of paths. A broken
// escape or an encoded NUL: nullopt.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      const int b = escape_at(s, i);
      if (b < 0) return std::nullopt;
      c = static_cast<char>(b);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

// path_problem: why the raw |path| is not in normal form, or nullptr.
// Each rule is a way some server behind nginx reads a path otherwise than
// jwtgate would after decoding it once:
//  - "." and ".." segments: resolved by most servers (RFC 3986 5.2.4), by
//    some only after decoding, hence also their encoded forms;
//  - "//": merged by nginx and many frameworks, kept by others;
//  - "\": a "/" to Windows servers and to some URL parsers;
//  - ";": starts path parameters, which servlet containers strip from each
//    segment before routing ("/public/..;/admin/" is "/admin/" to Tomcat);
//  - an encoded "/": a separator to servers that decode before splitting;
//  - an encoded "%": decoded twice by some, which brings back all of the
//    above ("%252e%252e");
//  - any other encoded unreserved character: the same URI as the decoded
//    one (RFC 3986 6.2.2.2), routed as such by some servers and literally
//    by others.
// The same list as Spring Security's StrictHttpFirewall, plus the last.
const char* path_problem(std::string_view path) {
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '\\') return "a backslash";
    if (c == ';') return "a \";\" (path parameters)";
    if (c != '%') continue;
    const int b = escape_at(path, i);
    if (b == '/') return "an encoded \"/\" (%2F)";
    if (b == '.') return "an encoded \".\" (%2E)";
    if (b == '\\') return "an encoded backslash (%5C)";
    if (b == ';') return "an encoded \";\" (%3B)";
    if (b == '%') return "an encoded \"%\" (%25)";
    if (unreserved(b)) return "an encoded unreserved character (RFC 3986 2.3)";
  }
  // Segments: between one "/" and the next; the last may be empty ("/a/").
  size_t pos = 1;
  for (;;) {
    const size_t end = path.find('/', pos);
    const std::string_view seg =
        path.substr(pos, (end == std::string_view::npos ? path.size() : end) - pos);
    if (seg == "." || seg == "..") return "a \".\" or \"..\" segment";
    if (end == std::string_view::npos) break;
    if (seg.empty()) return "an empty segment (\"//\")";
    pos = end + 1;
  }
  return nullptr;
}

}  // namespace

const char* prefix_problem(std::string_view prefix) {
  if (prefix.empty() || prefix[0] != '/') return "it does not start with \"/\"";
  if (prefix.find('%') != std::string_view::npos)
    return "it holds a \"%\" (prefixes compare with the decoded path: write it decoded)";
  return path_problem(prefix);
}

TargetProblem parse_request_target(std::string_view uri, RequestTarget& out, std::string& why) {
  out.path.clear();
  out.query.clear();
  const size_t q = uri.find('?');
  const std::string_view raw_path = uri.substr(0, q);
  if (raw_path.empty() || raw_path[0] != '/') {
    why = "the path does not start with \"/\"";
    return TargetProblem::malformed;
  }
  auto path = percent_decode(raw_path, false);
  if (!path) {
    why = "a broken %-escape or an encoded NUL in the path";
    return TargetProblem::malformed;
  }
  if (const char* p = path_problem(raw_path)) {
    why = std::string("the path is not in normal form: ") + p;
    return TargetProblem::not_normal;
  }
  out.path = std::move(*path);
  if (q == std::string_view::npos) return TargetProblem::none;
  std::string_view query = uri.substr(q + 1);
  query = query.substr(0, query.find('#'));
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t sep = query.find_first_of("&;", pos);
    if (sep == std::string_view::npos) sep = query.size();
    const std::string_view pair = query.substr(pos, sep - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view name = pair.substr(0, eq);
      auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                : percent_decode(pair.substr(eq + 1), true);
      if (!value || !percent_decode(name, true)) {
        why = "a broken %-escape or an encoded NUL in the query";
        return TargetProblem::malformed;
      }
      out.query.emplace_back(std::string(name), std::move(*value));
    }
    pos = sep + 1;
  }
  return TargetProblem::none;
}

}  // namespace cli::serve
