#include "validate/decryption_stage.h"

#include "core/ascii.h"
#include "core/quote.h"
#include "jwe/jwe_decrypt.h"

namespace jwtgate {
namespace {

// RFC 7519 5.2: a nested JWT's cty is "JWT"; RFC 7515 4.1.10 lets the
// "application/" prefix go and media types compare without case.
bool cty_is_jwt(std::string_view cty) {
  if (ascii_istarts_with(cty, "application/")) cty.remove_prefix(12);
  return ascii_iequals(cty, "JWT");
}

}  // namespace

bool parse_token(const Policy& p, std::string_view token, Result& r, ParseFailure& pf) {
  const TokenLimits& limits = p.ext.limits;
  // With decryption keys, a token of five segments goes to the JWE parse
  // directly (the JWS parse would refuse it with a sentence, which costs an
  // allocation per token); without, the JWS parse refuses it, and the
  // refusal is rewritten below.
  const bool jwe = p.decryption_key_set && is_compact_jwe(token);
  if (!jwe) {
    if (r.parser.parse(token, limits, r.token, pf)) {
      if (p.ext.encryption == kEncryptionRequired)
        return fail_with(pf, JWTGATE_REASON_ENCRYPTION_REQUIRED, "",
                         "the token is a plain JWS; the policy accepts only encrypted tokens (JWE "
                         "holding a signed JWT; jwtgate encryption=\"required\")");
      return true;
    }
    if (pf.reason != JWTGATE_REASON_JWE_NOT_SUPPORTED) return false;
  }
  r.encrypted = true;
  // Until the nested token is parsed, nothing is: the last token's header
  // and claims must not be read as this one's.
  r.parser.forget();
  r.token = ParsedToken{};
  if (p.ext.encryption == kEncryptionForbidden)
    return fail_with(pf, JWTGATE_REASON_ENCRYPTION_FORBIDDEN, "",
                     "the token is an encrypted JWE (5 segments); the policy refuses encrypted "
                     "tokens (jwtgate encryption=\"forbidden\")");
  if (!p.decryption_key_set || p.decryption_key_set->empty())
    return fail_with(pf, JWTGATE_REASON_JWE_NOT_SUPPORTED, "",
                     "the token has 5 segments: an encrypted JWE (RFC 7516), and the policy has "
                     "no decryption-keys");
  if (!r.jwe.parse_compact(token, limits, p.jwe.header, pf)) return false;
  const JweHeader& h = r.jwe.header();
  if (!h.has_cty || !cty_is_jwt(h.cty))
    return fail_with(pf, JWTGATE_REASON_HEADER_INVALID, "cty",
                     "the JWE's cty is " + (h.has_cty ? quoted(h.cty, 64) : std::string("absent")) +
                         ": jwtgate accepts only a signed JWT inside a JWE (a nested JWT, RFC "
                         "7519 section 5.2: cty \"JWT\")");
  if (!r.jwe.decrypt_parsed(*p.decryption_key_set, p.jwe, pf)) return false;
  // The content is a JWS like any other: its header rules refuse "none",
  // embedded keys and the rest, and the signature and claims follow.
  if (r.parser.parse(r.jwe.plaintext(), limits, r.token, pf)) return true;
  if (pf.reason == JWTGATE_REASON_JWE_NOT_SUPPORTED)
    return fail_with(pf, JWTGATE_REASON_MALFORMED, "",
                     "the decrypted content is itself a JWE; jwtgate takes one level of "
                     "encryption around a signed JWT");
  pf.detail = "in the decrypted (nested) token: " + pf.detail;
  return false;
}

}  // namespace jwtgate
