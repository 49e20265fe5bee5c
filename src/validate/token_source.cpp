#include "validate/token_source.h"

namespace jwtgate {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  // Optional whitespace around a field value (RFC 9110 5.5).
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// split_scheme: "Bearer abc" -> ("Bearer", "abc"); no space -> ("", value).
std::pair<std::string_view, std::string_view> split_scheme(std::string_view v) {
  size_t sp = v.find_first_of(" \t");
  if (sp == std::string_view::npos) return {{}, v};
  return {v.substr(0, sp), trim(v.substr(sp))};
}

}  // namespace

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

void Request::add_header(std::string_view name, std::string_view value) {
  if (header_count == headers.size()) headers.emplace_back();
  auto& h = headers[header_count++];
  h.first.assign(name);
  h.second.assign(value);
}

void Request::add_query(std::string_view name, std::string_view value) {
  if (query_count == query.size()) query.emplace_back();
  auto& q = query[query_count++];
  q.first.assign(name);
  q.second.assign(value);
}

bool extract_token(const Policy& p, const Request& req, std::string_view& token,
                   std::string& source, FailureList& failures) {
  switch (p.source) {
    case TokenSourceKind::Value:
      source.assign("token-value");
      token = trim(p.token_value);
      break;
    case TokenSourceKind::Query: {
      source.assign("query parameter ").append(p.query_parameter_name);  // reuses capacity
      token = {};
      for (size_t i = 0; i < req.query_count; ++i)
        if (req.query[i].first == p.query_parameter_name) {
          token = trim(req.query[i].second);
          break;
        }
      break;
    }
    case TokenSourceKind::Header: {
      source.assign("header ").append(p.header_name);
      const std::string* value = nullptr;
      for (size_t i = 0; i < req.header_count; ++i)
        if (ascii_iequal(req.headers[i].first, p.header_name)) {
          value = &req.headers[i].second;
          break;
        }
      token = value ? trim(*value) : std::string_view{};
      if (token.empty()) break;
      // require-scheme applies to Authorization only; with a custom header
      // APIM ignores it (apim-semantics 1.2).
      if (ascii_iequal(p.header_name, "Authorization")) {
        auto [scheme, rest] = split_scheme(token);
        if (!p.require_scheme.empty()) {
          if (ascii_iequal(token, p.require_scheme)) {  // "Bearer" and nothing after it
            token = {};
            break;
          }
          if (!ascii_iequal(scheme, p.require_scheme) || rest.empty()) {
            failures.add(JWTGATE_REASON_SCHEME_MISMATCH, "Authorization") =
                "the Authorization header does not use the \"" + p.require_scheme +
                "\" scheme that require-scheme asks for (it starts with \"" +
                std::string(token.substr(0, std::min<size_t>(token.size(), 12))) + "\")";
            return false;
          }
          token = rest;
        } else if (ascii_iequal(scheme, "Bearer")) {
          // No scheme required: both "Bearer <jwt>" and a bare "<jwt>" are
          // accepted (apim-semantics 1.2, the safe reading).
          token = rest;
        }
      }
      break;
    }
  }
  if (token.empty()) {
    failures.add(JWTGATE_REASON_TOKEN_NOT_PRESENT, source) =
        "no token in " + source;
    return false;
  }
  return true;
}

}  // namespace jwtgate
