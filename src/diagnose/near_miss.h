// Near misses: a value that failed an exact comparison compared again under
// each relaxation people get wrong, to say which one would have matched and
// quote the exact difference ("differs only by a trailing '/'"). APIM (and
// jwtgate) compare issuers, audiences and claim values exactly and
// case-sensitively; these relaxations never make a token valid, they only
// explain why it is not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jwtgate {

enum Relaxation : uint16_t {
  kRelaxWhitespace = 1 << 0,     // surrounding whitespace
  kRelaxTrailingSlash = 1 << 1,  // a trailing "/" on one side only
  kRelaxCase = 1 << 2,           // ASCII letter case
  kRelaxScheme = 1 << 3,         // http:// against https://
  kRelaxAppIdUri = 1 << 4,       // the App ID URI api://GUID against the GUID
  kRelaxEntraVersion = 1 << 5,   // Entra's v1.0 and v2.0 issuer forms of one tenant
  kRelaxEntraHost = 1 << 6,      // login.microsoftonline.com against sts.windows.net, same path
  kRelaxCloud = 1 << 7,          // an Entra host of another cloud, same tenant
  kRelaxSeparator = 1 << 8,      // "-" against "_" (names only)
  kRelaxTypo = 1 << 9,           // one or two letters apart (names only)
};

// near_miss returns the smallest set of relaxations (Relaxation bits) under
// which |token| equals |policy|, or 0 when they are equal or none makes them
// equal. The cheap, literal relaxations (whitespace, slash, case, scheme)
// are tried first, then the forms of one identifier (App ID URI, Entra
// issuer forms and hosts). Different Entra tenants are never a near miss.
uint16_t near_miss(std::string_view token, std::string_view policy);

// name_near_miss compares names (a header, query parameter or claim name):
// the literal relaxations, "-" against "_", and for names of five or more
// characters a typo of at most two edits (letters inserted, removed,
// replaced or swapped). Header names compare case-insensitively anyway:
// pass |case_matters| false for them.
uint16_t name_near_miss(std::string_view found, std::string_view expected, bool case_matters);

// describe_difference: "only by a trailing '/'", "only by case and
// surrounding whitespace", ... for a near_miss result (not 0).
std::string describe_difference(uint16_t relaxations);

// guid_equal: two GUIDs (or other strings) equal, GUID hex digits
// compared without case (RFC 9562 section 4).
bool guid_equal(std::string_view a, std::string_view b);

}  // namespace jwtgate
