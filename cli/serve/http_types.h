// The request and reply as the service sees them, free of libmicrohttpd
// types, so the decision logic can be read (and tested) without a socket.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli::serve {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

struct IncomingRequest {
  std::string_view method;
  std::string_view url;                  // decoded path, as libmicrohttpd gives it
  Pairs headers;                         // every request header
  Pairs args;                            // the URL's own query arguments, decoded
  std::optional<std::string_view> original_uri;  // X-Original-URI, when nginx sent it
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace cli::serve
