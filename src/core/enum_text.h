// The words for the values of an enum, as one table per enum: a row names a
// value, its stable code (for JSON and machine readers) and its words for a
// sentence. One table instead of a switch per use, so that a value's code
// and its words are written side by side, once.
#pragma once

#include <cstddef>
#include <cstdint>
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

// EnumWords<Enum>::table: the rows of an enum defined with its words by
// core/enum_with_words.inc; code_of and words_of read them.
template <typename Enum>
struct EnumWords;

template <typename Enum>
constexpr std::string_view code_of(Enum value) {
  return enum_text(EnumWords<Enum>::table, value).code;
}
template <typename Enum>
constexpr std::string_view words_of(Enum value) {
  return enum_text(EnumWords<Enum>::table, value).name;
}

}  // namespace jwtgate
