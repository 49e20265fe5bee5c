// Token description: a token shown to a person the way jwt.ms shows one,
// every header member and claim with what it means, NumericDate claims in
// UTC and relative to now, the token's version and issuer type. It never
// judges the token: that is validation's job (diagnosis.h explains those
// judgements).
#pragma once

#include <cstdint>
#include <string>

#include "validate/result.h"

namespace jwtgate {

// describe_text: "token: VERSION, issuer TYPE" (when the claims show an Entra
// ID token or an issuer), then "header:" and "claims:", one member a line
// ("  name: JSON value", times followed by "  UTC, relative"), each known
// member's meaning on the next line. Names and values are escaped as every
// other text from a token (core/quote.h, claims/claim_text.h), masked claims
// are "***" and show no time; |color| adds ANSI colours, the only way an ESC
// enters the text.
std::string describe_text(const Result& r, int64_t now, bool color);

// describe_json: the same as one line of JSON:
// {"verified","token_version","issuer_type","header","claims","about":
//  {"header":{NAME:{"meaning"}},"claims":{NAME:{"meaning","utc","relative","state"}}}}
// where "header" and "claims" are the token's own objects (null when they did
// not parse) and "state" is "expired" or "not yet valid" when it applies.
std::string describe_json(const Result& r, int64_t now);

}  // namespace jwtgate
