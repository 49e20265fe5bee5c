// Family 2: the token is there, just not where the policy looks. From the
// token source's failures and the tokens the request carried elsewhere
// (Result::candidates, recorded only for a request refused for want of a
// usable token).
#include "core/ascii.h"
#include "core/quote.h"
#include "diagnose/facts.h"
#include "diagnose/near_miss.h"

namespace jwtgate {

namespace {

std::string place_text(const TokenCandidate& c) {
  switch (c.place) {
    case TokenPlace::Header: return "header " + jwtgate::quoted(c.name, 64);
    case TokenPlace::QueryParameter: return "query parameter " + jwtgate::quoted(c.name, 64);
    case TokenPlace::Cookie: return "cookie " + jwtgate::quoted(c.name, 64);
  }
  return "";
}

std::string form_text(const TokenCandidate& c) {
  std::string out = c.segments == 5 ? "a compact JWE (five segments)" : "a compact JWS (three segments)";
  if (!c.scheme.empty()) out += " after the scheme word " + jwtgate::quoted(c.scheme, 24);
  return out;
}

// where_policy_looks: "header \"Authorization\"", for the policy's source.
std::string where_policy_looks(const Policy& p) {
  switch (p.source) {
    case TokenSourceKind::Header: return "header " + jwtgate::quoted(p.header_name, 64);
    case TokenSourceKind::Query: return "query parameter " + jwtgate::quoted(p.query_parameter_name, 64);
    case TokenSourceKind::Value: return "token-value";
  }
  return "";
}

bool is_authorization(const Policy& p) {
  return p.source == TokenSourceKind::Header && ascii_iequals(p.header_name, "Authorization");
}

const TokenCandidate* own_candidate(const Result& r) {
  for (size_t i = 0; i < r.candidate_count; ++i)
    if (r.candidates[i].read_by_policy) return &r.candidates[i];
  return nullptr;
}

// best_other: a candidate the policy does not read; headers and query
// parameters before cookies, a name near the policy's first.
const TokenCandidate* best_other(const Facts& f) {
  const TokenCandidate* best = nullptr;
  int best_score = -1;
  for (size_t i = 0; i < f.r.candidate_count; ++i) {
    const TokenCandidate& c = f.r.candidates[i];
    if (c.read_by_policy) continue;
    int score = c.place == TokenPlace::Cookie ? 0 : 2;
    if (f.p.source == TokenSourceKind::Header && c.place == TokenPlace::Header &&
        name_near_miss(c.name, f.p.header_name, false))
      score += 1;
    if (score > best_score) {
      best = &c;
      best_score = score;
    }
  }
  return best;
}

void elsewhere(const Facts& f, Findings& out, const TokenCandidate& c) {
  const Policy& p = f.p;
  std::string evidence = place_text(c) + " holds " + form_text(c) + "; the policy reads " + where_policy_looks(p);
  if (f.failed(JWTGATE_REASON_TOKEN_NOT_PRESENT)) evidence += ", which the request lacks or leaves empty";
  else if (const TokenCandidate* own = own_candidate(f.r); !own) evidence += ", which holds no token";
  if (c.place == TokenPlace::Header && p.source == TokenSourceKind::Header)
    if (const uint16_t near = name_near_miss(c.name, p.header_name, false))
      evidence += "; the header's name " + describe_difference(near) + " from header-name " +
                  jwtgate::quoted(p.header_name, 64);
  if (c.place == TokenPlace::Cookie) {
    out.add(1, "token_in_cookie", "The token is in " + place_text(c) + ", and the policy reads no cookie",
            evidence,
            "APIM's validate-jwt takes the token from a header or a query parameter, never from a cookie: have "
            "the client send it as \"Authorization: Bearer <token>\", or (APIM) read the cookie with a "
            "token-value expression and give jwtgate that value as token-value.");
    return;
  }
  std::string fix;
  if (c.place == TokenPlace::Header) {
    fix = "Send it where the policy looks (" + (is_authorization(p) ? std::string("\"Authorization: Bearer <token>\"")
                                                                    : where_policy_looks(p)) +
          "), or set header-name=" + jwtgate::quoted(c.name, 64) + " in the policy";
    if (!c.scheme.empty() && !ascii_iequals(c.name, "Authorization"))
      fix += "; a custom header must then carry the bare token (require-scheme applies to Authorization only, "
             "so the client drops \"" + escaped(c.scheme, 24) + " \")";
    fix += ".";
  } else {
    fix = "Set query-parameter-name=" + jwtgate::quoted(c.name, 64) +
          " in the policy (instead of header-name), or have the client send \"Authorization: Bearer <token>\". "
          "Browsers cannot set headers on WebSocket and EventSource requests, which is why such clients send "
          "access_token in the URL; tokens in URLs end up in access logs.";
  }
  out.add(1, "token_elsewhere", "The token is in " + place_text(c) + ", not where the policy looks",
          evidence, fix);
}

}  // namespace

void find_token_location(const Facts& f, Findings& out) {
  const Result& r = f.r;
  const Policy& p = f.p;
  if (const Failure* x = f.failed(JWTGATE_REASON_DUPLICATE_TOKEN))
    out.add(1, "duplicate_token", "The request carries the token more than once", x->detail,
            "Send the token once. The client, or a proxy in front of jwtgate, adds it twice: a repeated "
            "header, a header holding a comma-separated list (proxies join repeated headers that way), "
            "or a query parameter given twice or under a name a backend reads as the same one. It is "
            "refused because a backend reading another copy than the one validated would act on a "
            "token nobody checked.");

  const TokenCandidate* own = own_candidate(r);
  const TokenCandidate* other = best_other(f);
  const bool no_usable = r.candidate_count > 0 || f.failed(JWTGATE_REASON_TOKEN_NOT_PRESENT);
  if (other && no_usable && !(own && own->scheme.empty() && own->segments == 3)) elsewhere(f, out, *other);

  if (const Failure* x = f.failed(JWTGATE_REASON_SCHEME_MISMATCH)) {
    if (own && !own->scheme.empty())
      out.add(2, "wrong_scheme",
              "The Authorization header uses the scheme " + jwtgate::quoted(own->scheme, 24) + ", not " +
                  jwtgate::quoted(p.require_scheme, 24),
              "header \"Authorization\" holds " + form_text(*own) + "; require-scheme is " + jwtgate::quoted(p.require_scheme, 24),
              "Send \"Authorization: " + escaped(p.require_scheme, 24) + " <token>\" (RFC 6750 2.1); the client "
              "library or the code that builds the header writes " + jwtgate::quoted(own->scheme, 24) + ".");
    else
      out.add(2, "scheme_missing",
              "The Authorization header lacks the required " + jwtgate::quoted(p.require_scheme, 24) + " scheme",
              own ? "header \"Authorization\" holds " + form_text(*own) + " with no scheme word; require-scheme is " +
                        jwtgate::quoted(p.require_scheme, 24)
                  : x->detail,
              "Change one side: the client sends \"Authorization: " + escaped(p.require_scheme, 24) +
                  " <token>\", or the policy drops require-scheme (then a bare token is accepted in Authorization).");
  }

  // "Bearer <token>" where the bare token belongs: a custom header, a
  // query parameter or token-value (require-scheme applies to Authorization
  // only, and only there is the scheme stripped).
  std::string_view tok = f.presented();
  const size_t sp = tok.find(' ');
  if (sp != std::string_view::npos && sp > 0 && !is_authorization(p)) {
    const std::string_view word = tok.substr(0, sp);
    std::string_view rest = tok.substr(sp + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (ascii_iequals(word, "Bearer") || token_segments(rest)) {
      const std::string where = where_policy_looks(p);
      out.add(2, "scheme_in_token", "The token value starts with " + jwtgate::quoted(std::string(word) + " "),
              "the token taken from " + r.token_source + " is " + jwtgate::quoted(word, 24) + " followed by " +
                  (token_segments(rest) == 5 ? "a compact JWE" : token_segments(rest) ? "a compact JWS" : "text"),
              "A custom header, a query parameter or token-value must carry the bare token (APIM says the same: "
              "it cannot be prefixed with \"Bearer \"). Change one side: the client drops " +
                  jwtgate::quoted(std::string(word) + " ") +
                  ", or the policy reads header-name=\"Authorization\" with require-scheme=\"Bearer\", where the "
                  "scheme is expected and stripped.");
    }
  }

  if (const Failure* x = f.failed(JWTGATE_REASON_TOKEN_NOT_PRESENT); x && !other) {
    std::string evidence = x->detail;
    std::string next;
    if (p.source != TokenSourceKind::Value && r.token_source != "token")
      next = "The request carries nothing token-shaped in any header, query parameter or cookie: check that the "
             "client attaches the token at all (a proxy in between may drop Authorization).";
    std::string fix = p.source == TokenSourceKind::Header
                          ? "Send it as \"" + escaped(p.header_name, 64) + ": Bearer <token>\", or correct header-name in the policy."
                          : "Send the token where the policy looks for it, or correct the policy's token source.";
    out.add(10, "token_not_present", "No token was found in " + where_policy_looks(p), evidence, fix, next);
  }
}

}  // namespace jwtgate
