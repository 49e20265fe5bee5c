// Where else a request carries a token. Looked for only after a validation
// found no usable token where the policy looks (a valid request never pays
// for it), so that an explanation can say "the token is in header
// X-Access-Token; set header-name" instead of "no token".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "validate/request.h"

namespace jwtgate {

enum class TokenPlace : uint8_t { Header, QueryParameter, Cookie };

struct TokenCandidate {
  TokenPlace place = TokenPlace::Header;
  std::string name;      // as the request spelt it (untrusted text: quote it)
  std::string scheme;    // the word before the token ("Bearer", "JWT"); "" when bare
  uint8_t segments = 0;  // 3: a compact JWS; 5: a compact JWE
  bool read_by_policy = false;  // the entry the policy's token source reads
};

// token_segments: 3 when |v| is a compact JWS (RFC 7515 7.1), 5 when a
// compact JWE (RFC 7516 7.1): base64url segments separated by dots whose
// first decodes to a JSON object. 0 for anything else. No allocation.
int token_segments(std::string_view v);

// find_token_candidates fills |out| (reusing its elements) with every header,
// query parameter and cookie (the pairs of each Cookie header, RFC 6265
// 4.2.1) of |req| whose value is a token, bare or after one scheme word, and
// returns how many it found. The entry the policy reads is included, marked
// read_by_policy. At most |max| are recorded.
size_t find_token_candidates(const Policy& p, const Request& req, std::vector<TokenCandidate>& out,
                             size_t max = 8);

}  // namespace jwtgate
