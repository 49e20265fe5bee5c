// Duplicate member names in parsed JSON.
//
// simdjson keeps every member of an object, repeats included, so a lookup
// returns the first "alg" while another parser would return the last. RFC
// 7515 section 4 and RFC 7519 section 4 let a JWS parser either reject
// duplicate names or use the lexically last one; jwtgate rejects them so
// that every reader of a token sees the same header and claims.
#pragma once

#include <cstdint>
#include <string_view>

#include <simdjson.h>

namespace jwtgate {

// json_find_duplicate_member returns true if any object in |v|, at any depth,
// repeats a member name, and then stores the repeated name in *name (a view
// into |v|'s document, compared after unescaping, so "alg" and "a\u006cg"
// are the same name). Allocates only for objects of more than 256 members.
bool json_find_duplicate_member(simdjson::dom::element v, std::string_view* name);

// json_member_name_hash is the hash json_find_duplicate_member files member
// names under (a table slot is its low bits). Exposed so that tests can build
// names that all land in one slot and so exercise the sorting fallback.
uint32_t json_member_name_hash(std::string_view name);

}  // namespace jwtgate
