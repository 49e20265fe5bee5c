#include "validate/validator.h"

#include "claims/client_application.h"
#include "claims/registered_claims.h"
#include "claims/required_claims.h"
#include "validate/messages.h"
#include "validate/signature_stage.h"
#include "validate/token_source.h"

namespace jwtgate {

Validator::Validator(std::shared_ptr<const Policy> policy, KeySetPtr extra_keys,
                     const ValidatorOptions& options)
    : policy_(std::move(policy)),
      key_state_(std::make_shared<const KeyState>(KeyState{std::move(extra_keys), 0})) {
  if (options.cache_entries) cache_ = std::make_unique<TokenCache>(options.cache_entries);
  // The union of <issuers> and the openid-config issuers (apim-semantics
  // 1.3), computed once rather than per validation.
  issuers_ = policy_->issuers;
  for (const auto& i : policy_->discovered_issuers) {
    bool dup = false;
    for (const auto& j : issuers_) dup = dup || i == j;
    if (!dup) issuers_.push_back(i);
  }
}

void Validator::set_keys(KeySetPtr keys) {
  key_state_.store(std::make_shared<const KeyState>(
      KeyState{std::move(keys), next_generation_.fetch_add(1)}));
  // Entries of older generations can no longer match; dropping them frees
  // their slots at once.
  if (cache_) cache_->clear();
}

namespace {

bool typ_matches(std::string_view want, std::string_view got) {
  // RFC 7515 4.1.9: typ is a media type whose "application/" prefix may be
  // omitted; media types compare case-insensitively (RFC 9068 2.1, at+jwt).
  auto strip = [](std::string_view s) {
    if (s.size() > 12 && ascii_iequal(s.substr(0, 12), "application/")) s.remove_prefix(12);
    return s;
  };
  return ascii_iequal(strip(want), strip(got));
}

}  // namespace

bool Validator::validate_request(const Request& req, int64_t now, Result& r) const {
  r.reset();
  if (r.policy != policy_) r.policy = policy_;  // no refcount traffic when unchanged
  std::string_view token;
  if (!extract_token(*policy_, req, token, r.token_source, r.failures)) return finish(r, now);
  return run(token, now, r);
}

bool Validator::validate_token(std::string_view token, int64_t now, Result& r) const {
  r.reset();
  if (r.policy != policy_) r.policy = policy_;  // no refcount traffic when unchanged
  r.token_source = "token";
  if (token.empty()) {
    r.failures.add(JWTGATE_REASON_TOKEN_NOT_PRESENT, "token") = "the token is empty";
    return finish(r, now);
  }
  return run(token, now, r);
}

bool Validator::run(std::string_view token, int64_t now, Result& r) const {
  const Policy& p = *policy_;
  ParseFailure pf;
  if (!r.parser.parse(token, p.ext.limits, r.token, pf)) {
    r.failures.add(pf.reason, pf.subject) = std::move(pf.detail);
    r.header_available = r.parser.header_parsed();
    r.claims_available = r.parser.payload_parsed();
    return finish(r, now);
  }
  r.header_available = r.claims_available = true;
  const ParsedToken& t = r.token;
  const std::shared_ptr<const KeyState> state = key_state_.load();

  // A token this validator verified under the same keys: only the checks
  // that depend on the clock run again.
  if (cache_ && cache_->lookup(token, state->generation)) {
    r.cache_hit = true;
    check_lifetime(t.payload, p, now, r.failures);
    return finish(r, now);
  }

  // Signature first, then the claims (Microsoft.IdentityModel's order:
  // lifetime, audience, issuer), then required claims. Every check runs so the
  // result lists all failures; the first one decides the response.
  const KeySet* sets[2] = {p.signing_keys.get(), state->keys.get()};
  SignatureInput in{sets, 2, p.allowed_algs, &p.ext.key_rules};
  r.key = check_signature(t, in, r.failures);
  // |key| may point into this snapshot; the result keeps it alive even if
  // set_keys swaps it out meanwhile.
  if (r.key && r.keys_alive.get() != state.get()) r.keys_alive = state;
  if (r.key && !r.key->issuer.empty()) {
    // Entra v2 keys name the issuer they sign for; a key may only vouch for
    // tokens of that issuer (apim-semantics 3.3).
    simdjson::dom::element iss, tid;
    std::string_view iss_v, tid_v;
    if (!t.payload["iss"].get(iss) && iss.is_string()) iss_v = iss.get_string().value_unsafe();
    if (!t.payload["tid"].get(tid) && tid.is_string()) tid_v = tid.get_string().value_unsafe();
    if (!issuer_matches(r.key->issuer, iss_v, tid_v))
      r.failures.add(JWTGATE_REASON_ISSUER_NOT_ALLOWED, "iss") =
          "the signing key (" + r.key->origin + ") is bound to issuer \"" + r.key->issuer +
          "\", but the token's iss is \"" + std::string(iss_v) + "\"";
  }
  if (!p.ext.typ.empty() && !(t.has_typ && typ_matches(p.ext.typ, t.typ)))
    r.failures.add(JWTGATE_REASON_TYP_MISMATCH, "typ") =
        "header typ is " + (t.has_typ ? "\"" + std::string(t.typ) + "\"" : std::string("absent")) +
        "; the policy requires \"" + p.ext.typ + "\"";

  check_lifetime(t.payload, p, now, r.failures);
  check_audience(t.payload, p.audiences, r.failures);
  check_issuer(t.payload, issuers_, r.failures);
  check_required_claims(t.payload, p.required_claims, r.failures);
  check_client_application(t.payload, p, r.failures);  // validate-azure-ad-token only
  const bool valid = finish(r, now);
  if (valid && cache_) cache_->insert(token, state->generation);
  return valid;
}

bool Validator::finish(Result& r, int64_t now) const {
  r.valid = r.failures.empty();
  if (r.valid) {
    r.reason = JWTGATE_REASON_NONE;
    r.http_status = 200;
    r.message.clear();
    return true;
  }
  r.key = nullptr;  // an invalid token was verified by nothing
  r.reason = r.failures[0].reason;
  r.http_status = policy_->failed_status;
  build_apim_message(r, *policy_, now);
  return false;
}

}  // namespace jwtgate
