// The request and reply as the service sees them, free of libmicrohttpd
// types, so the decision logic can be read (and tested) without a socket.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli::serve {

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

struct IncomingRequest {
  std::string_view method;
  std::string_view url;     // decoded path, as libmicrohttpd gives it
  std::string_view target;  // the request target as the client sent it (raw path?query)
  Pairs headers;            // every request header line, in order, repeated names included
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace cli::serve
