#include "token_input.h"

#include <iostream>

#include "jwtgate.hpp"
#include "setup.h"
#include "text.h"

namespace cli {

namespace {

// A token read from a file or a terminal ends with the newline that came
// with it, which is no part of it.
std::string trimmed(std::string token) {
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  return token;
}

}  // namespace

TokenInput read_token_input(Args& args) {
  TokenInput in;
  auto token_opt = args.value("token");
  for (const auto& h : args.values("header")) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0)
      throw UsageError{"--header takes 'NAME: VALUE', not " + quoted(h, 80)};
    in.headers.emplace_back(h.substr(0, colon), h.substr(colon + 1));
  }
  for (const auto& q : args.values("query")) {
    const size_t eq = q.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError{"--query takes NAME=VALUE, not " + quoted(q, 80)};
    in.queries.emplace_back(q.substr(0, eq), q.substr(eq + 1));
  }
  const auto& pos = args.operands();
  if (pos.size() > 1) throw UsageError{"give one token"};
  const int sources = (pos.empty() ? 0 : 1) + (token_opt ? 1 : 0) +
                      ((in.headers.empty() && in.queries.empty()) ? 0 : 1);
  if (sources != 1)
    throw UsageError{"give the token as an operand, with --token, or as --header/--query"};
  if (in.headers.empty() && in.queries.empty()) {
    const std::string& t = token_opt ? *token_opt : pos[0];
    in.bare = true;
    in.token = trimmed(t == "-" ? read_text("-") : t);
  }
  return in;
}

namespace {

jwtgate_status run_validation(const TokenInput& in, const jwtgate_validator* v, jwtgate_result* r,
                              int64_t now) {
  if (in.bare) return jwtgate_validate_token(v, r, in.token.data(), in.token.size(), now);
  jwtgate::request req = jwtgate::make_request();
  for (const auto& [name, value] : in.headers)
    if (jwtgate_status s = jwtgate_request_add_header(req.get(), name.c_str(), value.data(), value.size()))
      return s;
  for (const auto& [name, value] : in.queries)
    if (jwtgate_status s = jwtgate_request_add_query(req.get(), name.c_str(), value.data(), value.size()))
      return s;
  return jwtgate_validate_request(v, r, req.get(), now);
}

}  // namespace

jwtgate_status validate_input(const TokenInput& in, const jwtgate_validator* v, jwtgate_result* r,
                              int64_t now) {
  const jwtgate_status st = run_validation(in, v, r, now);
  if (st != JWTGATE_OK && st != JWTGATE_INVALID_TOKEN) {
    std::cerr << "jwtgate: " << jwtgate_status_str(st) << "\n";
    throw ConfigError{};
  }
  return st;
}

}  // namespace cli
