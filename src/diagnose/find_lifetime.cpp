// Lifetime: expired, not yet valid, no exp. From the time claims and the
// time the validation used (Result::now).
#include "claims/registered_claims.h"
#include "diagnose/facts.h"

namespace jwtgate {

void find_lifetime(const Facts& f, Findings& out) {
  const int64_t skew = f.p.clock_skew;
  double exp = 0, nbf = 0;
  if (const Failure* x = f.failed(JWTGATE_REASON_EXPIRED); x && read_numeric_date(f.r.token.payload, "exp", &exp) > 0) {
    std::string fix = "Get a fresh token";
    if (f.entra()) fix += " (Entra access tokens live 60-90 minutes)";
    fix += ".";
    // Expired moments ago (within 5 minutes): clocks that drift apart, or a
    // token cached to its last second. A masked exp is not reasoned about.
    const double ago = static_cast<double>(f.r.now) - exp;
    if (!f.masked("exp") && ago >= 0 && ago < 300)
      fix += " It expired moments ago: if clocks drift, a small clock-skew (e.g. 60-300 s) helps; "
             "clock-skew is " + std::to_string(skew) + " s (APIM's default is 0).";
    out.add(10, "expired", "The token has expired", x->detail, fix);
  }
  if (const Failure* x = f.failed(JWTGATE_REASON_NOT_YET_VALID);
      x && read_numeric_date(f.r.token.payload, "nbf", &nbf) > 0)
    out.add(10, "not_yet_valid", "The token is not valid yet", x->detail,
            "The issuer's clock is ahead of this machine's: fix NTP on both, or set clock-skew to cover "
            "the difference (clock-skew is " + std::to_string(skew) + " s).");
  if (const Failure* x = f.failed(JWTGATE_REASON_EXP_MISSING))
    out.add(20, "exp_missing", "The token has no expiry", x->detail,
            "Issue tokens with exp, or set require-expiration-time=\"false\" (discouraged).");
}

}  // namespace jwtgate
