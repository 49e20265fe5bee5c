// The simdjson DOM types the library's JSON readers name, brought into
// namespace jwtgate once instead of by every reader (RFC 8259 values as
// simdjson's parsed tree holds them).
#pragma once

#include <simdjson.h>

namespace jwtgate {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::key_value_pair;
using simdjson::dom::object;

}  // namespace jwtgate
