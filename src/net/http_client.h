// One HTTP exchange over libcurl's easy API, with the limits a key fetcher
// needs so that a hostile or broken server cannot hurt the host: https only
// (plain http only to loopback, when allowed), certificates verified, a
// total deadline, a response size cap enforced while the body streams in,
// a small number of redirects each checked like the first URL, and proxies
// taken from the environment as libcurl does (http_proxy, https_proxy,
// no_proxy), except that loopback URLs never go through a proxy.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jwtgate {

struct HttpLimits {
  int64_t timeout_ms = 10'000;             // the whole exchange, redirects included
  size_t max_response_bytes = 1024 * 1024; // a JWK Set of Entra is about 10 KB
  int max_redirects = 3;
  bool allow_http_loopback = false;
};

struct HttpRequest {
  std::string url;
  // When set, the request is a POST of this application/x-www-form-urlencoded
  // body (an OAuth token request). Not copied: it may hold a secret, which
  // the caller wipes afterwards. A POST never follows redirects: credentials
  // are not resent to wherever a server points.
  const std::string* form_body = nullptr;
  // Extra "Name: value" header lines.
  std::vector<std::string> headers;
  // When set and true, the exchange is abandoned within about a second (so
  // freeing a validator does not wait for a slow server).
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string cache_control;  // every Cache-Control line of the final response, joined by ", "
  std::string age;            // its Age field
  std::string content_type;
  std::string url;            // the URL that answered, after redirects
};

// http_fetch returns true when a complete response arrived, whatever its
// status; false with |error| set to one sentence that names the URL and what
// went wrong (refused URL, connection, TLS, timeout, size cap, redirects).
// Never puts request bodies or header values in |error|. Thread-safe.
// network_available: false in a build without libcurl (-Dnetwork=disabled),
// whose http_fetch (http_client_none.cpp) refuses every request.
bool network_available();

bool http_fetch(const HttpRequest& req, const HttpLimits& limits, HttpResponse& resp,
                std::string& error);

}  // namespace jwtgate
