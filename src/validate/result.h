// Result: the outcome of one validation plus the parsed token it was made
// from. Reused across validations by one thread: the parser, the failure list
// and the strings keep their capacity, so a warm result does not allocate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <memory>
#include <string>
#include <vector>

#include "claims/claim_text.h"
#include "core/failures.h"
#include "jwe/jwe_decrypt.h"
#include "policy/policy.h"
#include "token/token.h"
#include "validate/signature_stage.h"
#include "validate/token_candidates.h"

namespace jwtgate {

struct Key;

class Result {
 public:
  // Validation outcome.
  bool valid = false;
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  int http_status = 200;
  std::string message;   // APIM's response message
  FailureList failures;  // every failed check, deciding one first

  // The token, as far as it parsed. For an encrypted token (JWE) |token| is
  // the signed JWT inside it, read from |jwe|'s decrypted content.
  TokenParser parser;
  ParsedToken token;
  JweDecryptor jwe;
  bool encrypted = false;  // the token was a JWE (five segments)
  bool header_available = false;
  bool claims_available = false;
  // The payload bytes of a plain JWS (jwtgate_verify_jws); a JWT's payload is
  // available whenever its claims are.
  bool payload_available = false;
  std::string token_source;  // where the token came from, e.g. "header Authorization"
  const Key* key = nullptr;  // the key that verified the signature
  bool cache_hit = false;    // verified earlier; only the clock checks ran
  std::shared_ptr<const Policy> policy;  // the policy applied (keeps it alive)
  std::shared_ptr<const void> keys_alive;  // keeps the key set behind |key| alive
  // The claims whose values the result's text never shows (the validator's
  // masked claims; null for none). Every writer of a claim value in
  // details, the message, to_json, explanations and trace events asks it.
  std::shared_ptr<const ClaimMask> mask;

  // Evidence for an explanation (diagnose/), beyond the failures' own.
  int64_t now = 0;       // the time the validation used (Unix seconds)
  KeySearch key_search;  // what the key search did (signature_stage.h)
  // Recorded only when the token is refused, so a valid token never pays
  // for them (the strings and elements keep their capacity):
  // |presented| is the token as given (cut at the policy's size limit,
  // own_token_text), so that an explanation can read it after the request
  // it came from is gone; |candidates| are the tokens the request carries
  // elsewhere when none was usable where the policy looks
  // (token_candidates.h).
  std::string presented;
  std::vector<TokenCandidate> candidates;
  size_t candidate_count = 0;

  // Scratch for getters and serialisation.
  std::string scratch;
  std::string json;

  void reset() {
    valid = false;
    reason = JWTGATE_REASON_NONE;
    http_status = 200;
    message.clear();
    failures.clear();
    header_available = claims_available = payload_available = false;
    token_source.clear();
    key = nullptr;
    cache_hit = false;
    now = 0;
    key_search = KeySearch{};
    presented.clear();
    candidate_count = 0;
    if (encrypted) {
      jwe.wipe();  // the last token's decrypted content
      encrypted = false;
    }
  }

  // own_token_text keeps a refused token's text: token.compact and
  // token.signing_input view the caller's buffer, which may be gone when the
  // result is explained or read. It copies |given| (the token this
  // validation was given, at most |limit| bytes: an oversized token is
  // refused before parsing and need not be kept whole) into |presented| and
  // points both views at the copy: the one copy of the token a result makes,
  // in a string whose capacity is reused, so a warm refusal allocates
  // nothing. A view that is not within |given| is left from an earlier
  // validation (this one stopped before parsing) and is emptied, never read.
  void own_token_text(std::string_view given, size_t limit) {
    const auto at = reinterpret_cast<uintptr_t>(given.data());
    const size_t kept = std::min(given.size(), limit);
    const auto rebased = [&](std::string_view v) -> std::string_view {
      const auto p = reinterpret_cast<uintptr_t>(v.data());
      if (v.empty() || given.empty() || p < at || p - at >= kept) return {};
      const size_t off = p - at;
      return std::string_view(presented.data() + off, std::min(v.size(), kept - off));
    };
    const std::string_view compact = token.compact, signing_input = token.signing_input;
    presented.assign(given.data(), kept);
    // An encrypted token's views point into |jwe|'s decrypted content (owned
    // by this result, wiped at the next reset), or are empty: they stay.
    // |presented| is the JWE as sent, which holds nothing secret.
    if (encrypted) return;
    token.compact = rebased(compact);
    token.signing_input = rebased(signing_input);
  }

  // to_json serialises valid, status, reason, message, failures, header and
  // claims into |json| and returns it: valid JSON on one line whatever the
  // token holds, masked claims' values written as "***".
  const std::string& to_json();
};

}  // namespace jwtgate
