// The token source (src/validate/token_source.h): a policy's header or query
// parameter name chosen by the fuzzer, and a request holding any number of
// headers and query parameters, repeated names included.
//
// Input: MODE(1) NAME \0 (ENTRY-NAME \0 VALUE \0)*
// MODE bit 0: a query-parameter-name policy (else header-name); bit 1:
// require-scheme "Bearer"; bit 2: token-value NAME instead. Every entry goes
// into both the headers and the query of the request, so a policy also
// meets entries of the other kind, which must not count.
//
// Oracle, against a reference written out here (allocating, decoding whole
// strings first, unlike the library's in-place comparison):
//  - a name that a backend may read as the policy's appears twice or more:
//    the result is never valid, and the reason is DUPLICATE_TOKEN;
//  - a valid result: the name appears exactly once, the token is a
//    non-empty part of that entry's value, and for a header it holds no
//    comma (RFC 9110 5.3 joins repeated header lines with commas);
//  - any other refusal is TOKEN_NOT_PRESENT, SCHEME_MISMATCH, or
//    DUPLICATE_TOKEN for a header holding a comma;
//  - a token-value policy never reports a duplicate.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "validate/token_source.h"

namespace {

using jwtgate::TokenSourceKind;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// form_decode: application/x-www-form-urlencoded, a broken escape kept.
std::string form_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string lower_case(std::string_view s) {
  std::string out;
  for (char c : s) out += lower(c);
  return out;
}

std::string header_key(std::string_view name) {
  std::string out;
  for (char c : name) out += c == '_' ? '-' : lower(c);
  return out;
}

std::string php_key(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  for (char& c : s) c = (c == ' ' || c == '.' || c == '[' || c == '_') ? '_' : lower(c);
  return s;
}

bool query_same(std::string_view request_name, std::string_view policy_name) {
  std::string r = form_decode(request_name), p = form_decode(policy_name);
  while (!r.empty() && r.front() == ' ') r.erase(0, 1);
  while (!p.empty() && p.front() == ' ') p.erase(0, 1);
  if (php_key(r) == php_key(p)) return true;
  return r.size() > p.size() && r[p.size()] == '[' && php_key(r.substr(0, p.size())) == php_key(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_fuzz::Input in(data, size);
  const uint8_t mode = in.byte();
  const std::string name(in.field());
  jwtgate::Policy p;
  if (mode & 4) {
    p.source = TokenSourceKind::Value;
    p.token_value = name;
  } else if (mode & 1) {
    p.source = TokenSourceKind::Query;
    p.query_parameter_name = name;
  } else {
    p.source = TokenSourceKind::Header;
    p.header_name = name;
  }
  if (mode & 2) p.require_scheme = "Bearer";
  jwtgate::Request req;
  for (int i = 0; i < 64; ++i) {
    const std::string_view entry = in.field();
    const std::string_view value = in.field();
    if (entry.empty() && value.empty()) break;
    req.add_header(entry, value);
    req.add_query(entry, value);
  }

  std::string_view token;
  std::string source;
  jwtgate::FailureList failures;
  const bool ok = jwtgate::extract_token(p, req, token, source, failures);
  const jwtgate_reason reason = failures.empty() ? JWTGATE_REASON_NONE : failures[0].reason;
  if (ok != failures.empty()) std::abort();

  if (p.source == TokenSourceKind::Value) {
    if (reason != JWTGATE_REASON_NONE && reason != JWTGATE_REASON_TOKEN_NOT_PRESENT) std::abort();
    return 0;
  }
  const bool header = p.source == TokenSourceKind::Header;
  const auto& entries = header ? req.headers : req.query;
  const size_t count = header ? req.header_count : req.query_count;
  size_t copies = 0;
  const std::string* value = nullptr;  // the entry the token must come from
  for (size_t i = 0; i < count; ++i) {
    const std::string& n = entries[i].first;
    const bool same = header ? header_key(n) == header_key(name) : query_same(n, name);
    const bool exact = header ? lower_case(n) == lower_case(name) : form_decode(n) == form_decode(name);
    copies += same;
    if (exact && !value) value = &entries[i].second;
  }

  if (copies >= 2 && (ok || reason != JWTGATE_REASON_DUPLICATE_TOKEN)) std::abort();
  if (ok) {
    if (copies != 1 || !value || token.empty()) std::abort();
    if (token.data() < value->data() || token.data() + token.size() > value->data() + value->size())
      std::abort();
    if (header && token.find(',') != std::string_view::npos) std::abort();
    return 0;
  }
  switch (reason) {
    case JWTGATE_REASON_TOKEN_NOT_PRESENT:
    case JWTGATE_REASON_SCHEME_MISMATCH:
      if (copies >= 2) std::abort();
      break;
    case JWTGATE_REASON_DUPLICATE_TOKEN:
      if (copies < 2 && !(header && value && value->find(',') != std::string::npos)) std::abort();
      break;
    default:
      std::abort();
  }
  return 0;
}
