// ServeConfig: what `jwtgate serve` runs, read from a JSON file (--config) or
// from command-line options. Reading it loads nothing: building the routes
// (route_table.h) does, so a reload can read, build, and only then swap.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cli::serve {

// Limits handed to libmicrohttpd. They bound what one hostile client can
// hold: sockets, sockets per address, idle time, and request memory (headers
// included, so it is also the largest header block accepted).
struct Limits {
  unsigned connections = 1024;
  // 0 means no per-address limit. Behind nginx on loopback every connection
  // comes from 127.0.0.1, so the limit must stay above nginx's pool.
  unsigned connections_per_ip = 0;
  unsigned idle_timeout_s = 15;
  size_t connection_memory_bytes = 32 * 1024;
  unsigned threads = 2;
};

// RouteSpec: one policy and the requests it guards. |setup_args| are the
// options of `jwtgate validate` (--policy, --keys, --named-value, ...), so a
// route loads exactly as the CLI would load it.
struct RouteSpec {
  std::string prefix = "/";
  std::vector<std::string> setup_args;
  size_t cache_entries = 0;
  bool allow_http_loopback = false;
  uint64_t first_load_timeout_ms = 0;  // 0: the library's default
  std::vector<std::pair<std::string, std::string>> claim_headers;  // claim -> header
};

struct ServeConfig {
  std::string listen = "127.0.0.1:8080";
  Limits limits;
  int success_status = 200;           // 200 or 204; nginx accepts any 2xx
  bool www_authenticate = true;       // RFC 6750 section 3 challenge on 401
  std::string message_header = "X-Jwtgate-Message";  // carries the message for nginx
  int64_t now = INT64_MIN;            // fixed clock for tests; JWTGATE_NOW otherwise
  std::vector<RouteSpec> routes;
};

// ConfigFileError: the file is unreadable or not the documented format.
struct ConfigFileError {
  std::string message;
};

// read_config_file parses |path| (docs/serving.md). Relative file names in it
// are resolved against the file's directory. Throws ConfigFileError.
ServeConfig read_config_file(const std::string& path);

// is_header_name: RFC 9110 5.1 field names are tokens; anything else would be
// refused by libmicrohttpd when the reply is built, silently.
bool is_header_name(const std::string& name);

// parse_listen splits "HOST:PORT" or "[V6]:PORT"; throws ConfigFileError.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
  bool ipv6 = false;
};
ListenAddress parse_listen(const std::string& text);

}  // namespace cli::serve
