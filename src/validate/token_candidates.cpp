#include "validate/token_candidates.h"

#include "core/ascii.h"
#include "encoding/base64url.h"
#include "validate/request_names.h"

namespace jwtgate {

namespace {

bool base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// split: "Bearer abc" -> ("Bearer", "abc"); a value without a space is all token.
void split_scheme(std::string_view v, std::string_view& scheme, std::string_view& token) {
  v = trim_ows(v);
  const size_t sp = v.find_first_of(" \t");
  if (sp == std::string_view::npos) {
    scheme = {};
    token = v;
    return;
  }
  scheme = v.substr(0, sp);
  token = trim_ows(v.substr(sp));
}

}  // namespace

int token_segments(std::string_view v) {
  if (v.size() < 8) return 0;
  int dots = 0;
  size_t first_dot = std::string_view::npos;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '.') {
      if (first_dot == std::string_view::npos) first_dot = i;
      ++dots;
    } else if (!base64url_char(v[i])) {
      return 0;
    }
  }
  if (dots != 2 && dots != 4) return 0;
  // The protected header: a JSON object, so its first bytes decode to "{"
  // (after optional whitespace). Four characters decode to three bytes.
  if (first_dot < 4) return 0;
  uint8_t head[base64url_decoded_size(4)];
  size_t len = 0;
  if (!base64url_decode(v.substr(0, 4), head, &len) || len == 0) return 0;
  size_t i = 0;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i == len || head[i] != '{') return 0;
  // A JWS has a payload; a JWE's other parts may be empty (alg "dir").
  if (dots == 2 && v.find('.', first_dot + 1) == first_dot + 1) return 0;
  return dots + 1;
}

size_t find_token_candidates(const Policy& p, const Request& req, std::vector<TokenCandidate>& out,
                             size_t max) {
  size_t n = 0;
  const auto record = [&](TokenPlace place, std::string_view name, std::string_view value,
                          bool read_by_policy) {
    if (n == max) return;
    std::string_view scheme, token;
    split_scheme(value, scheme, token);
    const int segments = token_segments(token);
    if (segments == 0) return;
    if (n == out.size()) out.emplace_back();
    TokenCandidate& c = out[n++];
    c.place = place;
    c.name.assign(name);
    c.scheme.assign(scheme);
    c.segments = static_cast<uint8_t>(segments);
    c.read_by_policy = read_by_policy;
  };
  for (size_t i = 0; i < req.header_count; ++i) {
    const auto& [name, value] = req.headers[i];
    if (ascii_iequals(name, "Cookie")) {
      // cookie-string: cookie-pair *( ";" SP cookie-pair ) (RFC 6265 4.2.1).
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t semi = rest.find(';');
        std::string_view pair = trim_ows(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        const size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view cookie_value = trim_ows(pair.substr(eq + 1));
        if (cookie_value.size() >= 2 && cookie_value.front() == '"' && cookie_value.back() == '"')
          cookie_value = cookie_value.substr(1, cookie_value.size() - 2);
        record(TokenPlace::Cookie, trim_ows(pair.substr(0, eq)), cookie_value, false);
      }
      continue;
    }
    record(TokenPlace::Header, name, value,
           p.source == TokenSourceKind::Header && is_header(name, p.header_name));
  }
  for (size_t i = 0; i < req.query_count; ++i) {
    const auto& [name, value] = req.query[i];
    record(TokenPlace::QueryParameter, name, value,
           p.source == TokenSourceKind::Query && is_query_parameter(name, p.query_parameter_name));
  }
  return n;
}

}  // namespace jwtgate
