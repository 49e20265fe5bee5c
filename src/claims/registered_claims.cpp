#include "claims/registered_claims.h"

#include <cmath>

#include "core/ascii.h"
#include "core/quote.h"
#include "core/time_format.h"
#include "encoding/json_dom.h"

namespace jwtgate {

int read_numeric_date(ClaimsView claims, std::string_view name, double* out) {
  element v;
  if (claims[name].get(v)) return 0;
  double d;
  switch (v.type()) {
    case element_type::INT64: d = static_cast<double>(v.get_int64().value_unsafe()); break;
    case element_type::UINT64: return -1;  // beyond int64: absurd
    case element_type::DOUBLE: d = v.get_double().value_unsafe(); break;
    default: return -1;  // RFC 7519 2: a NumericDate is a JSON number
  }
  if (!std::isfinite(d) || d < 0 || d > kMaxNumericDate) return -1;
  *out = d;
  return 1;
}

namespace {

std::string describe_bad_date(ClaimsView claims, std::string_view name) {
  element v = claims[name].value_unsafe();
  return "claim " + jwtgate::quoted(name) + " is " + claims.value(name, v, 64) +
         ", not a NumericDate (a JSON number of seconds between 0 and 253402300799)";
}

// when: the time a NumericDate claim names, for a detail, or "***" when the
// claim is masked (its value never leaves, not even as a date).
std::string when(ClaimsView claims, std::string_view name, double t) {
  if (claims.masked(name)) return std::string(kMasked);
  return format_utc(static_cast<int64_t>(t));
}

}  // namespace

void check_lifetime(ClaimsView claims, const Policy& p, int64_t now,
                    FailureList& failures) {
  const double skew = static_cast<double>(p.clock_skew);
  const double t = static_cast<double>(now);
  double exp = 0, nbf = 0, iat = 0;
  const int has_exp = read_numeric_date(claims, "exp", &exp);
  const int has_nbf = read_numeric_date(claims, "nbf", &nbf);
  const int has_iat = read_numeric_date(claims, "iat", &iat);

  if (has_exp < 0) {
    failures.add(JWTGATE_REASON_TIME_CLAIM_INVALID, "exp") = describe_bad_date(claims, "exp");
  } else if (has_exp == 0) {
    if (p.require_expiration_time)
      failures.add(JWTGATE_REASON_EXP_MISSING, "exp") =
          "the token has no \"exp\" claim and the policy requires one "
          "(require-expiration-time defaults to true)";
  } else if (t >= exp + skew) {
    const int64_t ago = now - static_cast<int64_t>(std::floor(exp));
    // A masked exp is not given away by the distance to now either.
    failures.add(JWTGATE_REASON_EXPIRED, "exp") =
        "the token expired at " + when(claims, "exp", exp) + ", " +
        (claims.masked("exp") ? std::string() : format_duration(ago) + " ") + "before " +
        format_utc(now) + " (clock-skew " + std::to_string(p.clock_skew) + " s)";
  }
  if (has_nbf < 0) {
    failures.add(JWTGATE_REASON_TIME_CLAIM_INVALID, "nbf") = describe_bad_date(claims, "nbf");
  } else if (has_nbf > 0 && t + skew < nbf) {
    const int64_t ahead = static_cast<int64_t>(std::ceil(nbf)) - now;
    failures.add(JWTGATE_REASON_NOT_YET_VALID, "nbf") =
        "the token is not valid before " + when(claims, "nbf", nbf) + ", " +
        (claims.masked("nbf") ? std::string() : format_duration(ahead) + " ") + "after " +
        format_utc(now) + " (clock-skew " + std::to_string(p.clock_skew) + " s)";
  }
  if (has_exp > 0 && has_nbf > 0 && nbf > exp) {
    failures.add(JWTGATE_REASON_TIME_CLAIM_INVALID, "nbf") =
        "\"nbf\" (" + when(claims, "nbf", nbf) + ") is after \"exp\" (" + when(claims, "exp", exp) +
        ")";
  }
  if (has_iat < 0) {
    failures.add(JWTGATE_REASON_TIME_CLAIM_INVALID, "iat") = describe_bad_date(claims, "iat");
  } else if (has_iat > 0 && p.ext.reject_future_iat && iat > t + skew) {
    failures.add(JWTGATE_REASON_IAT_IN_FUTURE, "iat") =
        "the token claims to be issued at " + when(claims, "iat", iat) + ", in the future" +
        (claims.masked("iat") ? std::string()
                              : " by " + format_duration(static_cast<int64_t>(iat) - now));
  }
}

namespace {

bool in_list(std::string_view v, const std::vector<std::string>& list) {
  for (const auto& s : list)
    if (s == v) return true;
  return false;
}

bool is_string_array(element v) {
  if (v.type() != element_type::ARRAY) return false;
  for (element a : simdjson::dom::array(v.get_array().value_unsafe()))
    if (a.type() != element_type::STRING) return false;
  return true;
}

// listed_claim reads claim |name| into |v| for a comparison with |allowed|.
// False when there is nothing to compare: no list (no check), or no such
// claim in the token (then |reason| is added).
bool listed_claim(ClaimsView claims, std::string_view name, const std::vector<std::string>& allowed,
                  jwtgate_reason reason, Compared compared, FailureList& failures, element& v) {
  if (allowed.empty()) return false;
  if (!claims[name].get(v)) return true;
  failures.add(reason, name) =
      "the token has no " + quoted(name) + " claim; the policy allows " + quoted_list(allowed);
  failures.last().evidence = {compared, allowed.data(), allowed.size(), name};
  return false;
}

}  // namespace

void check_audience(ClaimsView claims, const std::vector<std::string>& audiences,
                    FailureList& failures) {
  element aud;
  if (!listed_claim(claims, "aud", audiences, JWTGATE_REASON_AUDIENCE_NOT_ALLOWED, Compared::Audience, failures,
                    aud))
    return;
  // RFC 7519 4.1.3: a string or an array of strings. Any other type is
  // refused, never converted.
  if (aud.type() == element_type::STRING) {
    if (in_list(aud.get_string().value_unsafe(), audiences)) return;
  } else if (is_string_array(aud)) {
    for (element a : simdjson::dom::array(aud.get_array().value_unsafe()))
      if (in_list(a.get_string().value_unsafe(), audiences)) return;
  }
  failures.add(JWTGATE_REASON_AUDIENCE_NOT_ALLOWED, "aud") =
      "token audience " + claims.value("aud", aud) + " is not among the allowed audiences " +
      quoted_list(audiences);
  failures.last().evidence = {Compared::Audience, audiences.data(), audiences.size(), "aud"};
}

bool issuer_matches(std::string_view configured, std::string_view iss, std::string_view tid) {
  static constexpr std::string_view kTemplate = "{tenantid}";
  const size_t at = configured.find(kTemplate);
  if (at == std::string_view::npos) return configured == iss;
  // Entra multi-tenant metadata: substitute the token's own tid, which must
  // be a GUID, and then require an exact match (Microsoft's pseudo-code).
  if (!is_guid(tid)) return false;
  const size_t tail = configured.size() - at - kTemplate.size();
  return iss.size() == at + tid.size() + tail && iss.substr(0, at) == configured.substr(0, at) &&
         iss.substr(at, tid.size()) == tid &&
         iss.substr(at + tid.size()) == configured.substr(at + kTemplate.size());
}

void check_issuer(ClaimsView claims, const std::vector<std::string>& issuers,
                  FailureList& failures) {
  element iss;
  if (!listed_claim(claims, "iss", issuers, JWTGATE_REASON_ISSUER_NOT_ALLOWED, Compared::Issuer, failures, iss))
    return;
  if (iss.type() == element_type::STRING) {
    std::string_view v = iss.get_string().value_unsafe();
    std::string_view tid;
    element t;
    if (!claims["tid"].get(t) && t.type() == element_type::STRING) tid = t.get_string().value_unsafe();
    for (const auto& c : issuers)
      if (issuer_matches(c, v, tid)) return;
  }
  failures.add(JWTGATE_REASON_ISSUER_NOT_ALLOWED, "iss") =
      "token issuer " + claims.value("iss", iss) + " is not among the allowed issuers " +
      quoted_list(issuers);
  failures.last().evidence = {Compared::Issuer, issuers.data(), issuers.size(), "iss"};
}

void check_claim_types(ClaimsView claims, FailureList& failures) {
  struct StringClaim {
    const char* name;
    const char* section;
  };
  static constexpr StringClaim kStrings[] = {
      {"iss", "4.1.1"}, {"sub", "4.1.2"}, {"jti", "4.1.7"}};
  element v;
  for (const StringClaim& c : kStrings) {
    if (claims[c.name].get(v) || v.type() == element_type::STRING) continue;
    failures.add(JWTGATE_REASON_CLAIM_TYPE_INVALID, c.name) =
        "claim " + jwtgate::quoted(c.name) + " is " + claims.value(c.name, v, 64) +
        ", not a string (RFC 7519 section " + c.section + ")";
  }
  if (!claims["aud"].get(v) && v.type() != element_type::STRING && !is_string_array(v))
    failures.add(JWTGATE_REASON_CLAIM_TYPE_INVALID, "aud") =
        "claim \"aud\" is " + claims.value("aud", v, 64) +
        ", not a string or an array of strings (RFC 7519 section 4.1.3)";
}

}  // namespace jwtgate
