// Duplicate member names in parsed JSON.
//
// simdjson keeps every member of an object, repeats included, so a lookup
// returns the first "alg" while another parser would return the last. RFC
// 7515 section 4 and RFC 7519 section 4 let a JWS parser either reject
// duplicate names or use the lexically last one; jwtgate rejects them so
// that every reader of a token sees the same header and claims.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <simdjson.h>

namespace jwtgate {

// json_find_duplicate_member returns true if any object in |v|, at any depth,
// repeats a member name, and then stores the repeated name in *name (a view
// into |v|'s document, compared after unescaping, so "alg" and "a\u006cg"
// are the same name). Allocates only for objects of more than 256 members.
bool json_find_duplicate_member(simdjson::dom::element v, std::string_view* name);

// json_object_repeats_member is the same check for the members of |obj|
// alone, not of the objects within it.
bool json_object_repeats_member(simdjson::dom::object obj, std::string_view* name);

// member_fingerprint: equal names have equal fingerprints; different names
// usually differ in length or in their first or last eight bytes. A match is
// only a hint: users compare the names themselves.
inline uint64_t member_fingerprint(std::string_view k) {
  const auto* p = reinterpret_cast<const unsigned char*>(k.data());
  const size_t n = k.size();
  uint64_t f;
  // The first min(n, 8) bytes, read with fixed-size loads (a variable-length
  // memcpy is a library call): two overlapping words from 4 bytes on, the
  // first, middle and last byte below (all of them up to 3).
  if (n >= 8) {
    std::memcpy(&f, p, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    f = a | (uint64_t{b} << 32);
  } else {
    f = n == 0 ? 0 : p[0] | (uint64_t{p[n / 2]} << 8) | (uint64_t{p[n - 1]} << 16);
  }
  f ^= uint64_t{n} * 0x9e3779b97f4a7c15ull;
  if (n > 8) {
    uint64_t last;
    std::memcpy(&last, p + n - 8, 8);
    f ^= (last << 29) | (last >> 35);
  }
  return f;
}

// MemberIndex: the members of one object (the claims), with their names'
// fingerprints, so that looking a claim up compares a few integers instead
// of scanning the object and comparing names. Built by
// json_find_duplicate_member_indexed for objects of up to kMaxMembers
// members (complete is false for larger ones: look them up in the object).
struct MemberIndex {
  static constexpr size_t kMaxMembers = 32;
  bool complete = false;
  size_t count = 0;
  std::array<uint64_t, kMaxMembers> prints;
  std::array<std::string_view, kMaxMembers> names;
  std::array<simdjson::dom::element, kMaxMembers> values;

  // find returns the member called |name|, or nullptr. Only for a complete
  // index.
  const simdjson::dom::element* find(std::string_view name) const {
    const uint64_t f = member_fingerprint(name);
    for (size_t i = 0; i < count; ++i)
      if (prints[i] == f && names[i] == name) return &values[i];
    return nullptr;
  }
};

// json_find_duplicate_member_indexed is json_find_duplicate_member for an
// object that is then read by name (the claims): it also fills |index| with
// the object's own members (index->complete tells whether it could). The
// index is meaningful only when no duplicate was found.
bool json_find_duplicate_member_indexed(simdjson::dom::object obj, std::string_view* name,
                                        MemberIndex* index);

// json_member_name_hash is the hash json_find_duplicate_member files member
// names under (a table slot is its low bits). Exposed so that tests can build
// names that all land in one slot and so exercise the sorting fallback.
uint32_t json_member_name_hash(std::string_view name);

}  // namespace jwtgate
