// find_by_name: the enum value whose entry in |table| is called |name|, for
// the constexpr tables indexed by an enum (entry i describes value i) that
// name algorithms and encodings; |unknown| when none is. Names compare
// exactly: JOSE names ("alg", "enc") are case-sensitive strings (RFC 7515
// 4.1.1, RFC 7516 4.1.2).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace jwtgate {

template <typename E, typename Entry, size_t N>
constexpr E find_by_name(const std::array<Entry, N>& table, std::string_view name, E unknown) {
  for (size_t i = 0; i < N; ++i)
    if (table[i].name == name) return static_cast<E>(i);
  return unknown;
}

}  // namespace jwtgate
