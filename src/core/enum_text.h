// The words for the values of an enum, as one table per enum: a row names a
// value, its stable code (for JSON and machine readers) and its words for a
// sentence. One table instead of a switch per use, so that a value's code
// and its words are written side by side, once.
#pragma once

#include <cstddef>
#include <string_view>

namespace jwtgate {

template <typename Enum>
struct EnumText {
  Enum value;
  std::string_view code;  // snake_case, stable
  std::string_view name;  // for a sentence
};

// enum_text: the row of |table| for |value|; the first row for a value the
// table does not hold (a number outside the enum), so that the first row
// must be the enum's "unknown".
template <typename Enum, size_t N>
constexpr const EnumText<Enum>& enum_text(const EnumText<Enum> (&table)[N], Enum value) {
  for (const EnumText<Enum>& row : table)
    if (row.value == value) return row;
  return table[0];
}

// enum_table_complete: |table| holds the values 0 to N-1 in order (for a
// static_assert beside the table: a value added to the enum and not to the
// table fails to compile, as a switch without it would warn).
template <typename Enum, size_t N>
constexpr bool enum_table_complete(const EnumText<Enum> (&table)[N], size_t count) {
  if (N != count) return false;
  for (size_t i = 0; i < N; ++i)
    if (static_cast<size_t>(table[i].value) != i) return false;
  return true;
}

}  // namespace jwtgate
