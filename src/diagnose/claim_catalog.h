// What the claims of Entra ID, OpenID Connect and RFC 7519 tokens mean, and
// which kind of token and issuer a token is, for decode and explain.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

namespace jwtgate {

// claim_meaning returns a short description of a known claim or header
// member, or "" for an unknown one.
std::string_view claim_meaning(std::string_view name, bool header);

// token_version: "Entra ID v1.0" / "Entra ID v2.0" from ver and iss, or "".
std::string token_version(simdjson::dom::object claims);

// issuer_type names the kind of issuer from iss: Entra ID public cloud, US
// Government, China (21Vianet), Azure AD B2C, Entra External ID (CIAM), or
// "other (HOST)" with the host escaped (core/quote.h append_escaped).
std::string issuer_type(std::string_view iss);

// is_time_claim: exp, nbf, iat, auth_time and the like (NumericDate).
bool is_time_claim(std::string_view name);

}  // namespace jwtgate
