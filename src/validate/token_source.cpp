#include "validate/token_source.h"

#include <algorithm>
#include <charconv>

#include "core/ascii.h"
#include "core/quote.h"
#include "validate/request_names.h"

namespace jwtgate {

namespace {

// split_scheme: "Bearer abc" -> ("Bearer", "abc"); no space -> ("", value).
std::pair<std::string_view, std::string_view> split_scheme(std::string_view v) {
  size_t sp = v.find_first_of(" \t");
  if (sp == std::string_view::npos) return {{}, v};
  return {v.substr(0, sp), trim_ows(v.substr(sp))};
}

void append_count(std::string& out, size_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  out.append(buf, end);
}

using Entries = std::vector<std::pair<std::string, std::string>>;
using MayBeReadAs = bool (*)(std::string_view, std::string_view);

// count_copies: how many of the first |n| entries a server may read as
// |name| (request_names.h).
size_t count_copies(const Entries& entries, size_t n, std::string_view name, MayBeReadAs same) {
  size_t copies = 0;
  for (size_t i = 0; i < n; ++i) copies += same(entries[i].first, name);
  return copies;
}

// refuse_duplicate records DUPLICATE_TOKEN for a name that came |copies|
// times, listing the names as the request spelt them (untrusted: quoted).
bool refuse_duplicate(FailureList& failures, std::string_view what, std::string_view name,
                      const Entries& entries, size_t n, size_t copies, MayBeReadAs same) {
  std::string& d = failures.add(JWTGATE_REASON_DUPLICATE_TOKEN, name);
  d.append("the ").append(what).append(" ");
  append_quoted(d, name);
  d.append(" appears ");
  append_count(d, copies);
  d.append(" times in the request (as ");
  size_t listed = 0;
  for (size_t i = 0; i < n && listed < 4; ++i) {
    if (!same(entries[i].first, name)) continue;
    if (listed++) d.append(", ");
    append_quoted(d, entries[i].first, 64);
  }
  if (copies > listed) d.append(", ...");
  d.append("); the token must come exactly once");
  return false;
}

}  // namespace

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
  // One token per request: a request that carries the token's header or
  // parameter twice is refused whatever the copies hold (one of them empty,
  // or not a JWT), because the gateway validates one copy and the backend
  // may read another (PHP's $_GET keeps the last, most header readers the
  // first or the last). Every entry is looked at, not just up to the first
  // match.
  switch (p.source) {
    case TokenSourceKind::Value:
      source.assign("token-value");
      token = trim_ows(p.token_value);
      break;
    case TokenSourceKind::Query: {
      source.assign("query parameter ").append(p.query_parameter_name);  // reuses capacity
      const std::string_view name = p.query_parameter_name;
      const size_t copies = count_copies(req.query, req.query_count, name, query_parameter_may_be_read_as);
      if (copies > 1)
        return refuse_duplicate(failures, "query parameter", name, req.query, req.query_count,
                                copies, query_parameter_may_be_read_as);
      token = {};
      for (size_t i = 0; i < req.query_count; ++i)
        if (is_query_parameter(req.query[i].first, name)) {
          token = trim_ows(req.query[i].second);
          break;
        }
      break;
    }
    case TokenSourceKind::Header: {
      source.assign("header ").append(p.header_name);
      const std::string_view name = p.header_name;
      const size_t copies = count_copies(req.headers, req.header_count, name, header_may_be_read_as);
      if (copies > 1)
        return refuse_duplicate(failures, "header", name, req.headers, req.header_count, copies,
                                header_may_be_read_as);
      const std::string* value = nullptr;
      for (size_t i = 0; i < req.header_count; ++i)
        if (is_header(req.headers[i].first, name)) {
          value = &req.headers[i].second;
          break;
        }
      token = value ? trim_ows(*value) : std::string_view{};
      if (token.empty()) break;
      // require-scheme applies to Authorization only; with a custom header
      // APIM ignores it.
      if (ascii_iequals(name, "Authorization")) {
        auto [scheme, rest] = split_scheme(token);
        if (!p.require_scheme.empty()) {
          if (ascii_iequals(token, p.require_scheme)) {  // "Bearer" and nothing after it
            token = {};
            break;
          }
          if (!ascii_iequals(scheme, p.require_scheme) || rest.empty()) {
            std::string& d = failures.add(JWTGATE_REASON_SCHEME_MISMATCH, "Authorization");
            d.append("the Authorization header does not use the ");
            append_quoted(d, p.require_scheme);
            d.append(" scheme that require-scheme asks for (it starts with ");
            append_quoted(d, token.substr(0, std::min<size_t>(token.size(), 12)));
            d.append(")");
            return false;
          }
          token = rest;
        } else if (ascii_iequals(scheme, "Bearer")) {
          // No scheme required: both "Bearer <jwt>" and a bare "<jwt>" are
          // accepted (the safe reading of APIM's documentation).
          token = rest;
        }
      }
      // A proxy may join repeated header lines into one, separated by
      // commas (RFC 9110 5.3), and a compact JWS or JWE never holds a comma
      // (RFC 7515 7.1: base64url parts and dots): a comma means several
      // values, of which a backend may take any.
      if (const size_t commas = std::count(token.begin(), token.end(), ','); commas > 0) {
        std::string& d = failures.add(JWTGATE_REASON_DUPLICATE_TOKEN, name);
        d.append("the header ");
        append_quoted(d, name);
        d.append(" holds a comma-separated list of ");
        append_count(d, commas + 1);
        d.append(" values (how repeated header lines are joined, RFC 9110 5.3); the token must "
                 "come exactly once");
        return false;
      }
      break;
    }
  }
  if (token.empty()) {
    failures.add(JWTGATE_REASON_TOKEN_NOT_PRESENT, source) = "no token in " + source;
    return false;
  }
  return true;
}

}  // namespace jwtgate
