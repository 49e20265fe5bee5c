// Request: the parts of an HTTP request a token can come from.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jwtgate {

struct Request {
  // Every entry, in order, repeated names included: the token source refuses
  // a token that comes twice. Header names compare case-insensitively; query
  // names after percent-decoding (request_names.h), so they may be given raw.
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> query;
  size_t header_count = 0;  // live entries (the vectors keep capacity across reuse)
  size_t query_count = 0;
  void clear() { header_count = query_count = 0; }
  void add_header(std::string_view name, std::string_view value);
  void add_query(std::string_view name, std::string_view value);
};

}  // namespace jwtgate
