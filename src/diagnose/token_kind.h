// What kind of token was presented, from what it says about itself: an
// access token, an OpenID Connect ID token, a refresh token, a token for
// Microsoft Graph or another Microsoft API, a JWE, a SAML assertion, an
// opaque reference token, or a placeholder for a variable a client never
// set. Explain-time only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "claims/claim_text.h"
#include "core/enum_text.h"
#include "diagnose/issuer_family.h"

namespace jwtgate {

#define JWTGATE_ENUM TokenKind
#define JWTGATE_ENUM_LIST "diagnose/token_kinds.def"
#include "core/enum_with_words.inc"

struct TokenKindEvidence {
  TokenKind kind = TokenKind::Unknown;
  // The signs, each a phrase for an evidence line ("claim \"nonce\"").
  std::vector<std::string> signs;
  // At least one sign only that kind carries (a nonce claim, at_hash,
  // token_use "id"); weak signs alone (no scp, aud equal to azp) never
  // make a finding.
  bool strong = false;
  // Which one: the Microsoft API ("Microsoft Graph"), the opaque token's
  // issuer ("a Google OAuth access token"), the JWE header ("alg \"dir\",
  // enc \"A256GCM\", iss \"https://x.auth0.com/\"").
  std::string what;
  IssuerFamily issuer = IssuerFamily::Unknown;  // Encrypted: the family its header's iss names
  bool graph = false;  // MicrosoftApi: Microsoft Graph (its signature only Graph can check)
};

// kind_of_text: a token that is not a parsed JWS, from its text alone.
TokenKindEvidence kind_of_text(std::string_view presented);

// kind_of_jws: a parsed JWS from its header and claims (|mask|ed claims are
// not read), knowing its issuer's family.
TokenKindEvidence kind_of_jws(simdjson::dom::object header, simdjson::dom::object claims,
                              const ClaimMask* mask, IssuerFamily family);

// A kind's code and words: code_of(k) ("access", "id", ...), words_of(k)
// ("an access token", "an ID token", ...).

// microsoft_api: the name of the Microsoft first-party API an aud value
// stands for ("Microsoft Graph", "Azure Resource Manager"), or "".
std::string_view microsoft_api(std::string_view aud);

}  // namespace jwtgate
