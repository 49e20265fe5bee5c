#include "policy/policy_xml_positions.h"

#include <algorithm>

namespace jwtgate {

bool is_xml_blank(std::string_view s) { return std::all_of(s.begin(), s.end(), is_xml_space); }

std::string snippet(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_xml_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 40) out = out.substr(0, 40) + "...";
  return out;
}

TextPositions::TextPositions(std::string_view text, const char* buffer)
    : text_(text), buffer_(buffer) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      line_starts_.push_back(i + 1);
  }
}

Pos TextPositions::at(size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<unsigned>(it - line_starts_.begin());
  size_t start = *(it - 1);
  // A UTF-8 byte order mark is not a column an editor shows.
  if (start == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3) start = 3;
  unsigned column = 1;
  for (size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  return {line, column};
}

Pos TextPositions::of(pugi::xml_node n) const {
  const ptrdiff_t off = n.offset_debug();
  if (off < 0) return {};
  if (n.type() == pugi::node_element) return at(off > 0 ? static_cast<size_t>(off - 1) : 0);
  size_t o = static_cast<size_t>(off);
  size_t skip = o;
  while (skip < text_.size() && is_xml_space(text_[skip])) ++skip;
  // All blank: point at the text itself.
  return at(skip < text_.size() && text_[skip] != '<' ? skip : o);
}

Pos TextPositions::doctype(pugi::xml_node n) const {
  const ptrdiff_t off = n.offset_debug();
  if (off < 0) return {};
  const size_t open = text_.rfind("<!", static_cast<size_t>(off));
  return at(open == std::string_view::npos ? static_cast<size_t>(off) : open);
}

Pos TextPositions::from_pointer(const char* p) const {
  if (p < buffer_ || p >= buffer_ + text_.size()) return {};
  return at(static_cast<size_t>(p - buffer_));
}

}  // namespace jwtgate
