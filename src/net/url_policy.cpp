#include "net/url_policy.h"
#include "core/ascii.h"

#include <arpa/inet.h>
#if JWTGATE_HAVE_CURL
#include <curl/curl.h>
#endif

#include <cstring>
#include <memory>

namespace jwtgate {

namespace {

// UrlParts: what check_fetch_url judges.
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // as written ([::1] keeps its brackets off)
  bool has_user = false;
};

#if JWTGATE_HAVE_CURL

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

CurlString url_part(CURLU* u, CURLUPart part) {
  char* s = nullptr;
  if (curl_url_get(u, part, &s, 0) != CURLUE_OK) return nullptr;
  return CurlString(s);
}

// split_url parses with libcurl's own URL parser, so the URL we judge is the
// URL curl fetches.
bool split_url(const std::string& s, UrlParts& out) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) throw std::bad_alloc();
  if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) return false;
  CurlString scheme = url_part(u.get(), CURLUPART_SCHEME);
  if (!scheme) return false;
  out.scheme = scheme.get();
  CurlString host = url_part(u.get(), CURLUPART_HOST);
  if (host) out.host = host.get();
  out.has_user = url_part(u.get(), CURLUPART_USER) || url_part(u.get(), CURLUPART_PASSWORD);
  return true;
}
#else
// Without libcurl (-Dnetwork=disabled) the host fetches: RFC 3986's
// generic syntax, strictly. scheme "://" authority, where the authority
// ends at the first "/", "?" or "#"; any "@" in it is userinfo.
bool split_url(const std::string& s, UrlParts& out) {
  const size_t colon = s.find("://");
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    // RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    const bool ok =
        is_ascii_alpha(c) || (i > 0 && (is_ascii_digit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
    out.scheme += ascii_lower(c);
  }
  const size_t start = colon + 3;
  const size_t end = s.find_first_of("/?#", start);
  std::string authority = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    out.has_user = true;
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return false;
    out.host = authority.substr(1, close - 1);
    authority = authority.substr(close + 1);
    if (!authority.empty() && authority.front() != ':') return false;
  } else {
    const size_t port = authority.find(':');
    out.host = authority.substr(0, port);
    authority = port == std::string::npos ? std::string() : authority.substr(port);
  }
  if (!authority.empty()) {  // ":" port
    if (authority.size() < 2 || authority.size() > 6) return false;
    for (size_t i = 1; i < authority.size(); ++i)
      if (authority[i] < '0' || authority[i] > '9') return false;
  }
  return true;
}
#endif

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (ascii_iequals(host, "localhost") || ascii_iequals(host, "localhost.")) return true;
  const std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

UrlCheck check_fetch_url(std::string_view url, bool allow_http_loopback) {
  UrlCheck c;
  const std::string quoted = "\"" + std::string(url) + "\"";
  const std::string s(url);
  UrlParts parts;
  if (s.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos || !split_url(s, parts)) {
    c.why = quoted + " is not an absolute http(s) URL";
    return c;
  }
  if (parts.scheme != "https" && parts.scheme != "http") {
    c.why = "refusing " + quoted + ": only https is fetched";
    return c;
  }
  if (parts.host.empty()) {
    c.why = quoted + " has no host";
    return c;
  }
  if (parts.has_user) {
    c.why = "refusing " + quoted + ": it carries a user name or password";
    return c;
  }
  c.loopback = is_loopback_host(parts.host);
  if (parts.scheme == "https") {
    c.https = true;
    c.ok = true;
    return c;
  }
  if (!c.loopback) {
    c.why = "refusing " + quoted +
            ": plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost); "
            "keys and tokens must travel over https";
    return c;
  }
  if (!allow_http_loopback) {
    c.why = "refusing " + quoted +
            ": plain http to a loopback host needs allow-http-loopback (meant for tests)";
    return c;
  }
  c.ok = true;
  return c;
}

}  // namespace jwtgate
