#include "validate/messages.h"

#include <cmath>

#include "claims/registered_claims.h"
#include "core/time_format.h"

namespace jwtgate {

namespace {

std::string list_of(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "null" : out;
}

std::string claim_text(const Result& r, const std::string& name) {
  if (!r.claims_available) return "";
  simdjson::dom::element v;
  if (r.token.payload[name].get(v)) return "";
  if (v.type() == simdjson::dom::element_type::STRING)
    return std::string(v.get_string().value_unsafe());
  return simdjson::minify(v);
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
  const std::string kid = r.token.has_kid ? std::string(r.token.kid) : "";
  double exp = 0, nbf = 0;
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
      // APIM names every missing claim in one message.
      std::string names;
      for (const Failure& g : r.failures)
        if (g.reason == JWTGATE_REASON_CLAIM_NOT_FOUND) names += (names.empty() ? "" : ", ") + g.subject;
      r.message = "JWT token is missing the following claims: " + names + ". Access denied.";
      break;
    }
    case JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED:
      r.message = "Claim " + f.subject + " value of " + claim_text(r, f.subject) +
                  " is not allowed. Access denied.";
      break;
    case JWTGATE_REASON_EXPIRED:
      read_numeric_date(r.token.payload, "exp", &exp);
      r.message = "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '" +
                  format_utc(static_cast<int64_t>(exp)) + "', Current time (UTC): '" +
                  format_utc(now) + "'. Access denied.";
      break;
    case JWTGATE_REASON_NOT_YET_VALID:
      read_numeric_date(r.token.payload, "nbf", &nbf);
      r.message = "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '" +
                  format_utc(static_cast<int64_t>(nbf)) + "', Current time (UTC): '" +
                  format_utc(now) + "'.";
      break;
    case JWTGATE_REASON_EXP_MISSING:
      r.message = "IDX10225: Lifetime validation failed. The token is missing an Expiration Time.";
      break;
    case JWTGATE_REASON_AUDIENCE_NOT_ALLOWED:
      r.message = "IDX10214: Audience validation failed. Audiences: '" + claim_text(r, "aud") +
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
      r.message = "IDX10205: Issuer validation failed. Issuer: '" + claim_text(r, "iss") +
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
                  std::string(r.token.alg_name) + "' is not supported. Access denied.";
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
      // "Invalid JWT." (observed response bodies, apim-semantics 1.6).
      r.message = "Invalid JWT.";
      break;
  }
}

}  // namespace jwtgate
