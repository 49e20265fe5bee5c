#include "text.h"

#include <new>

namespace cli {

std::string escape(std::string_view s, jwtgate_escape_style style, size_t max) {
  // Most text fits the first buffer; longer text is asked for again with
  // the length the first call reported.
  std::string out(s.size() + 16, '\0');
  size_t len = 0;
  jwtgate_status st = jwtgate_text_escape(s.data(), s.size(), style, max, out.data(), out.size() + 1, &len);
  if (st == JWTGATE_ERR_RANGE) {
    out.assign(len, '\0');
    st = jwtgate_text_escape(s.data(), s.size(), style, max, out.data(), out.size() + 1, &len);
  }
  if (st == JWTGATE_ERR_OUT_OF_MEMORY) throw std::bad_alloc();
  // Nothing unescaped is ever printed: any other failure prints nothing.
  if (st != JWTGATE_OK) return {};
  out.resize(len);
  return out;
}

}  // namespace cli
