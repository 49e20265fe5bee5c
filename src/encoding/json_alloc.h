// simdjson reports running out of memory as data, not as an exception: a
// parse answers the error code MEMALLOC, and a padded_string whose buffer
// could not be allocated holds no data (which a parse would then read). These
// helpers turn both into std::bad_alloc, so that a loader never mistakes a
// failed allocation for bad input: the C API then answers
// JWTGATE_ERR_OUT_OF_MEMORY instead of "not valid JSON"
// (tests/capi/test_alloc_failure.cpp).
#pragma once

#include <new>
#include <string_view>

#include <simdjson.h>

namespace jwtgate {

// json_parse_error passes |e| on, or throws std::bad_alloc for MEMALLOC.
inline simdjson::error_code json_parse_error(simdjson::error_code e) {
  if (e == simdjson::MEMALLOC) throw std::bad_alloc();
  return e;
}

// padded_copy copies |text| into a padded_string, or throws std::bad_alloc.
inline simdjson::padded_string padded_copy(std::string_view text) {
  simdjson::padded_string p(text.data(), text.size());
  if (p.data() == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace jwtgate
