// Result: the outcome of one validation plus the parsed token it was made
// from. Reused across validations by one thread: the parser, the failure list
// and the strings keep their capacity, so a warm result does not allocate.
#pragma once

#include <memory>
#include <string>

#include "claims/claim_text.h"
#include "core/failures.h"
#include "jwe/jwe_decrypt.h"
#include "policy/policy.h"
#include "token/token.h"

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
  std::string token_source;  // where the token came from, e.g. "header Authorization"
  // token.compact and token.signing_input view the caller's buffer, which may
  // be gone when a refused token's result is explained: own_token_text copies
  // the token here and points both views at the copy (refusals only, so a
  // valid token costs nothing).
  std::string owned_token;
  void own_token_text() {
    const std::string_view c = token.compact;
    if (c.empty() || c.data() == owned_token.data()) return;
    const size_t signed_len = token.signing_input.data() == c.data() ? token.signing_input.size() : 0;
    owned_token.assign(c.data(), c.size());
    token.compact = owned_token;
    token.signing_input = std::string_view(owned_token.data(), signed_len);
  }
  const Key* key = nullptr;  // the key that verified the signature
  bool cache_hit = false;    // verified earlier; only the clock checks ran
  std::shared_ptr<const Policy> policy;  // the policy applied (keeps it alive)
  std::shared_ptr<const void> keys_alive;  // keeps the key set behind |key| alive
  // The claims whose values the result's text never shows (the validator's
  // masked claims; null for none). Every writer of a claim value in
  // details, the message, to_json, explanations and trace events asks it.
  std::shared_ptr<const ClaimMask> mask;

  // Scratch for getters and serialisation.
  std::string scratch;
  std::string json;

  void reset() {
    valid = false;
    reason = JWTGATE_REASON_NONE;
    http_status = 200;
    message.clear();
    failures.clear();
    header_available = claims_available = false;
    token_source.clear();
    key = nullptr;
    cache_hit = false;
    if (encrypted) {
      jwe.wipe();  // the last token's decrypted content
      encrypted = false;
    }
  }

  // to_json serialises valid, status, reason, message, failures, header and
  // claims into |json| and returns it: valid JSON on one line whatever the
  // token holds, masked claims' values written as "***".
  const std::string& to_json();
};

}  // namespace jwtgate
