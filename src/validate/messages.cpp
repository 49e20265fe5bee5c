#include "validate/messages.h"

#include <cmath>

#include "claims/claim_text.h"
#include "claims/registered_claims.h"
#include "core/quote.h"
#include "core/time_format.h"
#include "validate/result.h"

namespace jwtgate {

namespace {

// APIM's messages print values between single quotes ('...') or bare; the
// values are escaped without adding double quotes (core/quote.h
// append_escaped, the single quote escaped too), so the message keeps
// APIM's shape and stays one line a token cannot extend or end.

// list_of: the policy's (or a discovery document's) values, comma-separated.
std::string list_of(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    append_escaped(out, s, 0, '\'');
  }
  return out.empty() ? "null" : out;
}

// claim_text: the value of claim |name| as APIM prints it ("***" when the
// claim is masked), or "" when the token has none.
std::string claim_text(const Result& r, std::string_view name, char delimiter) {
  if (!r.claims_available) return "";
  simdjson::dom::element v;
  if (r.token.payload[name].get(v)) return "";
  std::string out;
  append_claim_bare(out, r.mask.get(), name, v, delimiter);
  return out;
}

// when: a NumericDate claim as APIM prints it, "***" when masked.
std::string when(const Result& r, std::string_view name) {
  double t = 0;
  read_numeric_date(r.token.payload, name, &t);
  if (masked(r.mask.get(), name)) return std::string(kMasked);
  return format_utc(static_cast<int64_t>(t));
}

}  // namespace

void build_apim_message(Result& r, const Policy& p, int64_t now,
                        const std::vector<std::string>* checked_issuers) {
  if (r.valid) {
    r.message.clear();
    return;
  }
  if (p.failed_message) {
    r.message = *p.failed_message;
    return;
  }
  const Failure& f = r.failures[0];
  const std::string kid = r.token.has_kid ? escaped(r.token.kid, 0, '\'') : "";
  switch (f.reason) {
    case JWTGATE_REASON_TOKEN_NOT_PRESENT:
    case JWTGATE_REASON_SCHEME_MISMATCH:
      r.message = "JWT not present.";
      break;
    case JWTGATE_REASON_DUPLICATE_TOKEN:
      // A token is present (twice), so not "JWT not present."; APIM has no
      // such check of its own, and its reason is JwtInvalid, whose text for
      // a token it cannot use is "Invalid JWT.".
      r.message = "Invalid JWT.";
      break;
    case JWTGATE_REASON_CLAIM_NOT_FOUND: {
      // APIM names every missing claim in one message. Subjects are stored
      // escaped already (core/failures.h).
      std::string names;
      for (const Failure& g : r.failures)
        if (g.reason == JWTGATE_REASON_CLAIM_NOT_FOUND) names += (names.empty() ? "" : ", ") + g.subject;
      r.message = "JWT token is missing the following claims: " + names + ". Access denied.";
      break;
    }
    case JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED:
      // The subject is the policy's claim name (stored escaped); the value is
      // read by that name, which equals the subject unless it needed escapes.
      r.message = "Claim " + f.subject + " value of " + claim_text(r, f.subject, 0) +
                  " is not allowed. Access denied.";
      break;
    case JWTGATE_REASON_EXPIRED:
      r.message = "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '" +
                  when(r, "exp") + "', Current time (UTC): '" +
                  format_utc(now) + "'. Access denied.";
      break;
    case JWTGATE_REASON_NOT_YET_VALID:
      r.message = "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '" +
                  when(r, "nbf") + "', Current time (UTC): '" +
                  format_utc(now) + "'.";
      break;
    case JWTGATE_REASON_EXP_MISSING:
      r.message = "IDX10225: Lifetime validation failed. The token is missing an Expiration Time.";
      break;
    case JWTGATE_REASON_AUDIENCE_NOT_ALLOWED:
      r.message = "IDX10214: Audience validation failed. Audiences: '" + claim_text(r, "aud", '\'') +
                  "'. Did not match: validationParameters.ValidAudience: 'null' or "
                  "validationParameters.ValidAudiences: '" + list_of(p.audiences) +
                  "'. Access denied.";
      break;
    case JWTGATE_REASON_ISSUER_NOT_ALLOWED: {
      // Built only here: every other failure would pay for the copy.
      std::vector<std::string> issuers;
      if (checked_issuers) {
        issuers = *checked_issuers;
      } else {
        issuers = p.issuers;
        issuers.insert(issuers.end(), p.discovered_issuers.begin(), p.discovered_issuers.end());
      }
      r.message = "IDX10205: Issuer validation failed. Issuer: '" + claim_text(r, "iss", '\'') +
                  "'. Did not match: validationParameters.ValidIssuer: 'null' or "
                  "validationParameters.ValidIssuers: '" + list_of(issuers) + "'. Access denied.";
      break;
    }
    case JWTGATE_REASON_NO_KEYS:
      r.message = "IDX10500: Signature validation failed. No security keys were provided to "
                  "validate the signature. Access denied.";
      break;
    case JWTGATE_REASON_KEY_NOT_FOUND:
    case JWTGATE_REASON_KEYS_UNAVAILABLE:
      r.message = "IDX10503: Signature validation failed. The token's kid is: '" + kid +
                  "', but did not match any keys in TokenValidationParameters or Configuration. "
                  "Access denied.";
      break;
    case JWTGATE_REASON_SIGNATURE_MISSING:
    case JWTGATE_REASON_ALG_NONE:
      r.message = "IDX10504: Unable to validate signature, token does not have a signature. "
                  "Access denied.";
      break;
    case JWTGATE_REASON_ALG_UNKNOWN:
    case JWTGATE_REASON_ALG_NOT_ALLOWED:
      r.message = "IDX10634: Unable to create the SignatureProvider. Algorithm: '" +
                  escaped(r.token.alg_name, 0, '\'') + "' is not supported. Access denied.";
      break;
    case JWTGATE_REASON_SIGNATURE_INVALID:
      r.message = "IDX10511: Signature validation failed. kid: '" + kid + "'. Access denied.";
      break;
    case JWTGATE_REASON_JWE_DECRYPTION_FAILED:
      // IdentityModel's decryption failure, without the keys it tried.
      r.message = "IDX10603: Decryption failed. Access denied.";
      break;
    case JWTGATE_REASON_CLIENT_NOT_ALLOWED:
      r.message = "Client application is not allowed. Access denied.";
      break;
    default:
      // Format failures: APIM answers a tampered or malformed token with
      // "Invalid JWT." (observed response bodies: docs/apim-reference.md).
      r.message = "Invalid JWT.";
      break;
  }
}

}  // namespace jwtgate
