// The parts of an absolute URL as text, for reading URLs that are names
// rather than addresses to fetch: issuers, audiences, discovery URLs named in
// an explanation. RFC 3986 3: scheme "://" authority path ["?" query]
// ["#" fragment], where the authority is [userinfo "@"] host [":" port] and
// ends at the first "/", "?" or "#". Nothing is validated or decoded. A URL
// that jwtgate fetches is judged by net/url_policy.h instead, with libcurl's
// own parser, so that the URL judged is the URL fetched.
#pragma once

#include <string_view>
#include <vector>

namespace jwtgate {

// url_authority: the authority of |url| ("" when it has no "://").
constexpr std::string_view url_authority(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return {};
  std::string_view rest = url.substr(colon + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

// url_host: the host of |url| as written (letter case kept), without
// userinfo and port; an IPv6 literal keeps its brackets ("" when there is
// no "://").
constexpr std::string_view url_host(std::string_view url) {
  std::string_view a = url_authority(url);
  if (const size_t at = a.rfind('@'); at != std::string_view::npos) a.remove_prefix(at + 1);
  if (!a.empty() && a.front() == '[') {
    const size_t close = a.find(']');
    return close == std::string_view::npos ? a : a.substr(0, close + 1);
  }
  return a.substr(0, a.rfind(':'));
}

// url_path: the path of |url|, from the "/" after the authority up to the
// query or fragment ("" when there is none, or no "://").
constexpr std::string_view url_path(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return {};
  const size_t start = url.find_first_of("/?#", colon + 3);
  if (start == std::string_view::npos || url[start] != '/') return {};
  std::string_view path = url.substr(start);
  return path.substr(0, path.find_first_of("?#"));
}

// url_path_segments: the non-empty segments of url_path(|url|), in order.
inline std::vector<std::string_view> url_path_segments(std::string_view url) {
  std::vector<std::string_view> out;
  const std::string_view path = url_path(url);
  size_t pos = 0;
  while (pos < path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    if (next > pos) out.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

}  // namespace jwtgate
