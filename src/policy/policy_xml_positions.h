// Source positions in a policy's XML text: pugixml gives byte offsets, a
// diagnostic gives the 1-based line and column a person sees in an editor.
// Also the few XML text helpers the reader, the document checks and the
// messages share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace jwtgate {

struct Pos {
  unsigned line = 0;
  unsigned column = 0;
};

// XML 1.0 section 2.3: the white space characters.
inline bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_xml_blank(std::string_view s);

// snippet: text as a message shows it, on one line and at most 40 characters.
std::string snippet(std::string_view text);

// TextPositions turns pugixml's byte offsets into 1-based line and column.
// The document is parsed in place from a copy of the text, so a name or value
// pointer minus the buffer start is its offset in the original text (pugixml
// only ever shortens strings from their end when it unescapes). Columns count
// characters (UTF-8 code points), as editors do; a tab counts as one. Line
// breaks are LF, CRLF or a lone CR (XML 1.0 section 2.11).
class TextPositions {
 public:
  // |buffer| is the copy pugixml parsed in place (nullptr before parsing).
  TextPositions(std::string_view text, const char* buffer);

  Pos at(size_t offset) const;

  // of(element) is its '<'; of(text node) its first non-blank character.
  Pos of(pugi::xml_node n) const;
  // of(attribute) is its name.
  Pos of(pugi::xml_attribute a) const { return from_pointer(a.name()); }
  // doctype: the "<!" that opens it (pugixml points at its value).
  Pos doctype(pugi::xml_node n) const;

 private:
  Pos from_pointer(const char* p) const;

  std::string_view text_;
  const char* buffer_;
  std::vector<size_t> line_starts_;
};

}  // namespace jwtgate
