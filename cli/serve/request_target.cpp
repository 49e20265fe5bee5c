#include "request_target.h"

namespace cli::serve {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// percent_decode decodes %XX; |plus_is_space| applies the form encoding of
// query strings (application/x-www-form-urlencoded), not of paths.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      c = char(h * 16 + l);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<std::string> normalize_path(std::string_view decoded) {
  if (decoded.empty() || decoded[0] != '/') return std::nullopt;
  if (decoded.find('\0') != std::string_view::npos) return std::nullopt;
  std::vector<std::string_view> segments;
  std::string_view last;
  size_t pos = 1;
  for (;;) {
    size_t end = decoded.find('/', pos);
    last = decoded.substr(pos, (end == std::string_view::npos ? decoded.size() : end) - pos);
    if (last == "..") {
      if (segments.empty()) return std::nullopt;  // above the root
      segments.pop_back();
    } else if (!last.empty() && last != ".") {
      segments.push_back(last);
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  std::string out;
  for (auto seg : segments) {
    out += '/';
    out += seg;
  }
  // "/a/", "/a/." and "/a/b/.." all name the directory /a/.
  if (out.empty() || last.empty() || last == "." || last == "..") out += '/';
  return out;
}

std::optional<RequestTarget> parse_request_target(std::string_view uri) {
  RequestTarget t;
  const size_t q = uri.find('?');
  auto path = percent_decode(uri.substr(0, q), false);
  if (!path) return std::nullopt;
  auto norm = normalize_path(*path);
  if (!norm) return std::nullopt;
  t.path = std::move(*norm);
  if (q == std::string_view::npos) return t;
  std::string_view query = uri.substr(q + 1);
  size_t hash = query.find('#');
  if (hash != std::string_view::npos) query = query.substr(0, hash);
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      auto name = percent_decode(pair.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                : percent_decode(pair.substr(eq + 1), true);
      if (!name || !value) return std::nullopt;
      t.query.emplace_back(std::move(*name), std::move(*value));
    }
    pos = amp + 1;
  }
  return t;
}

}  // namespace cli::serve
