#include "net/url_policy.h"
#include "core/ascii.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <cstring>
#include <memory>

namespace jwtgate {

namespace {

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
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) {
    c.why = "out of memory while parsing the URL " + quoted;
    return c;
  }
  const std::string s(url);
  if (s.find_first_of(std::string_view("\0\r\n", 3)) != std::string::npos ||
      curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) {
    c.why = quoted + " is not an absolute http(s) URL";
    return c;
  }
  CurlString scheme = url_part(u.get(), CURLUPART_SCHEME);
  if (!scheme || (std::strcmp(scheme.get(), "https") != 0 && std::strcmp(scheme.get(), "http") != 0)) {
    c.why = "refusing " + quoted + ": only https is fetched";
    return c;
  }
  CurlString host = url_part(u.get(), CURLUPART_HOST);
  if (!host) {
    c.why = quoted + " has no host";
    return c;
  }
  if (url_part(u.get(), CURLUPART_USER) || url_part(u.get(), CURLUPART_PASSWORD)) {
    c.why = "refusing " + quoted + ": it carries a user name or password";
    return c;
  }
  c.loopback = is_loopback_host(host.get());
  if (std::strcmp(scheme.get(), "https") == 0) {
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
