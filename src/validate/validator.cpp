#include "validate/validator.h"

#include <algorithm>
#include <limits>

#include "claims/client_application.h"
#include "claims/registered_claims.h"
#include "claims/required_claims.h"
#include "core/ascii.h"
#include "core/quote.h"
#include "core/text_match.h"
#include "policy/azure_ad.h"
#include "validate/decryption_stage.h"
#include "validate/messages.h"
#include "validate/result.h"
#include "validate/signature_stage.h"
#include "validate/token_source.h"

namespace jwtgate {

namespace {

// remote_urls: the openid-config URLs this validator fetches. Offline
// documents win over fetching, and build_policy_keys accepts them for every
// openid-config of a policy or for none, so a policy with discovered issuers
// fetches nothing.
std::vector<std::string> remote_urls(const Policy& p) {
  std::vector<std::string> urls;
  if (!p.discovered_issuers.empty()) return urls;
  for (const OpenIdConfig& c : p.openid_configs) add_unique(urls, c.url);
  return urls;
}

}  // namespace

Validator::Validator(std::shared_ptr<const Policy> policy, KeySetPtr extra_keys,
                     const ValidatorOptions& options)
    : policy_(std::move(policy)) {
  if (!options.masked_claims.empty())
    mask_ = std::make_shared<const ClaimMask>(options.masked_claims);
  if (options.cache_entries) cache_ = std::make_unique<TokenCache>(options.cache_entries);
  std::shared_ptr<const RemoteSnapshot> remote;
  std::vector<std::string> urls = remote_urls(*policy_);
  if (!urls.empty()) {
    remote_ = std::make_unique<RemoteKeys>(
        std::move(urls), options.remote,
        [this](std::shared_ptr<const RemoteSnapshot> s) { publish_remote(std::move(s)); });
    remote = remote_->initial_snapshot();
  }
  publish(make_state(std::move(extra_keys), remote, remote != nullptr, 0));
}

void Validator::publish(std::shared_ptr<const KeyState> state) {
  key_state_.store(state);
  // After the store: a validation that sees the new pointer here finds the
  // new snapshot in key_state_ too.
  current_.store(state.get(), std::memory_order_release);
}

Validator::~Validator() {
  // In a child forked while the refresh thread ran or another thread
  // refreshed, the fetcher's mutexes and condition variables may be held or
  // waited on by a thread that does not exist here (glibc's
  // pthread_cond_destroy waits for such a waiter forever): the child leaves
  // them alone, kept reachable, and frees the rest.
  if (remote_ && remote_->forked_while_busy()) {
    static auto* const orphans = new std::vector<std::unique_ptr<RemoteKeys>>;
    orphans->push_back(std::move(remote_));
    return;
  }
  // First, while every member it publishes into is still alive: abandons a
  // fetch in progress and joins the refresh thread.
  remote_.reset();
}

std::shared_ptr<const Validator::KeyState> Validator::make_state(
    KeySetPtr keys, std::shared_ptr<const RemoteSnapshot> remote, bool awaiting_first_load,
    uint64_t generation) const {
  auto st = std::make_shared<KeyState>();
  st->keys = std::move(keys);
  st->remote = std::move(remote);
  st->awaiting_first_load = awaiting_first_load;
  st->generation = generation;
  st->sets = {policy_->signing_keys.get(), st->keys.get()};
  std::vector<std::string> discovered = policy_->discovered_issuers;
  if (st->remote) {
    for (const RemoteSource& s : *st->remote) {
      if (!s.keys) {
        st->remote_usable_until = std::numeric_limits<int64_t>::min();
        continue;
      }
      st->sets.push_back(s.keys.get());
      st->remote_usable_until = std::min(st->remote_usable_until, s.usable_until_ms);
      add_unique(discovered, s.issuer);
    }
  }
  // The union of <issuers> and the openid-config issuers
  // (docs/apim-reference.md, "Key refresh"), computed once per key change
  // rather than per validation. A validate-azure-ad-token policy for a
  // domain-name tenant is pinned to the tenant GUID its discovery document
  // names, as when loaded offline.
  st->issuers = policy_->issuers;
  if (st->remote && policy_->kind == PolicyKind::ValidateAzureAdToken && !discovered.empty()) {
    Policy pinned = *policy_;
    pinned.discovered_issuers = discovered;
    Diagnostics ignored;  // the load reported the tenant already
    pin_azure_ad_tenant(pinned, ignored);
    st->issuers = std::move(pinned.issuers);
  }
  for (const std::string& i : discovered) add_unique(st->issuers, i);
  return st;
}

void Validator::set_keys(KeySetPtr keys) {
  std::lock_guard<std::mutex> lk(publish_mu_);
  const std::shared_ptr<const KeyState> cur = key_state_.load();
  publish(make_state(std::move(keys), cur->remote, cur->awaiting_first_load,
                     next_generation_.fetch_add(1)));
  // Entries of older generations can no longer match; dropping them frees
  // their slots at once.
  if (cache_) cache_->clear();
}

void Validator::publish_remote(std::shared_ptr<const RemoteSnapshot> remote) {
  std::lock_guard<std::mutex> lk(publish_mu_);
  const std::shared_ptr<const KeyState> cur = key_state_.load();
  // A refresh that brought the same keys and issuers (the usual hourly case)
  // keeps the generation, and so the verified-token cache.
  bool same = cur->remote && cur->remote->size() == remote->size();
  for (size_t i = 0; same && i < remote->size(); ++i)
    same = (*cur->remote)[i].keys == (*remote)[i].keys &&
           (*cur->remote)[i].issuer == (*remote)[i].issuer;
  const uint64_t generation = same ? cur->generation : next_generation_.fetch_add(1);
  publish(make_state(cur->keys, std::move(remote), false, generation));
  if (!same && cache_) cache_->clear();
}

namespace {

// usable_token_missing: the request had no token where the policy looks, or
// what was there is not a token at all: the request may carry one elsewhere.
bool usable_token_missing(jwtgate_reason why) {
  switch (why) {
    case JWTGATE_REASON_TOKEN_NOT_PRESENT:
    case JWTGATE_REASON_SCHEME_MISMATCH:
    case JWTGATE_REASON_MALFORMED:
    case JWTGATE_REASON_BAD_BASE64URL:
    case JWTGATE_REASON_BAD_JSON:
    case JWTGATE_REASON_NOT_JSON_OBJECT:
      return true;
    default:
      return false;
  }
}

bool typ_matches(std::string_view want, std::string_view got) {
  // RFC 7515 4.1.9: typ is a media type whose "application/" prefix may be
  // omitted; media types compare case-insensitively (RFC 9068 2.1, at+jwt).
  auto strip = [](std::string_view s) {
    if (s.size() > 12 && ascii_iequals(s.substr(0, 12), "application/")) s.remove_prefix(12);
    return s;
  };
  return ascii_iequals(strip(want), strip(got));
}

}  // namespace

bool Validator::validate_request(const Request& req, int64_t now, Result& r) const {
  r.reset();
  r.now = now;
  if (r.policy != policy_) r.policy = policy_;  // no refcount traffic when unchanged
  if (r.mask != mask_) r.mask = mask_;
  std::string_view token;
  const bool valid = extract_token(*policy_, req, token, r.token_source, r.failures)
                         ? run(token, now, r)
                         : finish(r, now);
  if (!valid && usable_token_missing(r.failures[0].reason))
    r.candidate_count = find_token_candidates(*policy_, req, r.candidates);
  return valid;
}

bool Validator::validate_token(std::string_view token, int64_t now, Result& r) const {
  r.reset();
  r.now = now;
  if (r.policy != policy_) r.policy = policy_;  // no refcount traffic when unchanged
  if (r.mask != mask_) r.mask = mask_;
  r.token_source = "token";
  if (token.empty()) {
    r.failures.add(JWTGATE_REASON_TOKEN_NOT_PRESENT, "token") = "the token is empty";
    return finish(r, now, token);
  }
  return run(token, now, r);
}

bool Validator::run(std::string_view token, int64_t now, Result& r) const {
  const Policy& p = *policy_;
  // The key snapshot is held by the result, not by a local copy: copying a
  // shared_ptr increments and decrements one reference count that every
  // thread validating with this validator shares, a cache line that then
  // bounces between cores on each validation. current_ names the snapshot
  // being published; while the result already holds that very object (the
  // steady state), nothing is copied. The comparison is safe: the result's
  // reference keeps its snapshot alive, so no other snapshot can sit at its
  // address.
  if (r.keys_alive.get() != current_.load(std::memory_order_acquire))
    r.keys_alive = key_state_.load();
  const KeyState* state = static_cast<const KeyState*>(r.keys_alive.get());
  int64_t now_ms = 0;
  bool all_usable = true;  // every fetched key set is loaded and not too old
  const auto check_freshness = [&] {
    if (state->remote) {
      now_ms = remote_->now_ms();
      all_usable = now_ms < state->remote_usable_until;
    }
  };
  if (!state->awaiting_first_load) check_freshness();

  // A token this validator verified under the same keys: only the checks
  // that depend on the clock run again. Not while a fetched set is too old:
  // the token may have been verified by one of its keys. The lookup is by
  // the token's bytes, before parsing: a hit needs only the JSON trees a
  // result is read through, rebuilt from the JSON the cache kept
  // (reparse_accepted), not the checks that passed on these very bytes.
  // docs/performance.md has what this and the cache's hash saved. An
  // oversized token is not hashed: parse() refuses it at once.
  uint64_t cache_hash = 0;
  bool hashed = false;
  if (cache_ && !state->awaiting_first_load && token.size() <= p.ext.limits.max_token_bytes) {
    cache_hash = cache_->hash(token);
    hashed = true;
    const auto copy = [&](std::string_view header_json, std::string_view payload_json) {
      r.parser.load_decoded(token, p.ext.limits, header_json, payload_json);
    };
    if (all_usable && cache_->lookup(token, cache_hash, state->generation, copy) &&
        r.parser.reparse_accepted(token, p.ext.limits, r.token)) {
      r.header_available = r.claims_available = true;
      r.cache_hit = true;
      check_lifetime(ClaimsView(r.token.payload, nullptr, mask_.get()), p, now, r.failures);
      return finish(r, now, token);
    }
  }

  ParseFailure pf;
  if (!parse_token(p, token, r, pf)) {  // decrypts a JWE first (decryption_stage.h)
    r.failures.add(pf.reason, pf.subject) = std::move(pf.detail);
    r.header_available = r.parser.header_parsed();
    r.claims_available = r.parser.payload_parsed();
    return finish(r, now, token);
  }
  r.header_available = r.claims_available = true;
  const ParsedToken& t = r.token;
  if (state->awaiting_first_load) {
    // The one wait on the network a validation may do: the validator's first
    // key load, bounded and shared by every validation arriving meanwhile.
    remote_->wait_first_load();
    r.keys_alive = key_state_.load();
    state = static_cast<const KeyState*>(r.keys_alive.get());
    check_freshness();
  }

  // Signature first, then the claims (Microsoft.IdentityModel's order:
  // lifetime, audience, issuer), then required claims. Every check runs so the
  // result lists all failures; the first one decides the response.
  const KeySet* const* sets = state->sets.data();
  size_t set_count = state->sets.size();
  std::vector<const KeySet*> usable;
  if (!all_usable) {
    // Keys past the maximum staleness are not used (Entra: 24 h TTL).
    usable = {state->sets[0], state->sets[1]};
    for (const RemoteSource& s : *state->remote)
      if (s.keys && now_ms < s.usable_until_ms) usable.push_back(s.keys.get());
    sets = usable.data();
    set_count = usable.size();
  }
  SignatureInput in{sets, set_count, p.allowed_algs, &p.ext.key_rules, nullptr, &r.key_search};
  r.key = check_signature(t, in, r.failures);
  if (!r.key && state->remote) keys_missing(t, *state, all_usable, now_ms, r);
  // |key| points into the snapshot r.keys_alive holds: it stays valid even
  // if set_keys swaps the snapshot out meanwhile.
  // The claims, looked up through the index the parser built.
  const ClaimsView claims(t.payload, t.claims_index, mask_.get());
  if (r.key && !r.key->issuer.empty()) {
    // Entra v2 keys name the issuer they sign for; a key may only vouch for
    // tokens of that issuer (docs/apim-reference.md, multi-tenant issuers).
    simdjson::dom::element iss, tid;
    std::string_view iss_v, tid_v;
    if (!claims["iss"].get(iss) && iss.is_string()) iss_v = iss.get_string().value_unsafe();
    if (!claims["tid"].get(tid) && tid.is_string()) tid_v = tid.get_string().value_unsafe();
    if (!issuer_matches(r.key->issuer, iss_v, tid_v)) {
      r.failures.add(JWTGATE_REASON_ISSUER_NOT_ALLOWED, "iss") =
          "the signing key (" + r.key->origin + ") is bound to issuer " + jwtgate::quoted(r.key->issuer) +
          ", but the token's iss is " +
          (claims["iss"].error() ? std::string("absent") : claims.value("iss", iss));
      r.failures.last().evidence = {Compared::KeyIssuer, &r.key->issuer, 1, "iss"};
    }
  }
  if (!p.ext.typ.empty() && !(t.has_typ && typ_matches(p.ext.typ, t.typ))) {
    r.failures.add(JWTGATE_REASON_TYP_MISMATCH, "typ") =
        "header typ is " + (t.has_typ ? jwtgate::quoted(t.typ) : std::string("absent")) +
        "; the policy requires " + jwtgate::quoted(p.ext.typ);
    r.failures.last().evidence = {Compared::Typ, &p.ext.typ, 1, "typ"};
  }

  // The registered claims' types first: a claim of the wrong type is a
  // malformed token, whatever the policy compares.
  check_claim_types(claims, r.failures);
  check_lifetime(claims, p, now, r.failures);
  check_audience(claims, p.audiences, r.failures);
  check_issuer(claims, state->issuers, r.failures);
  check_required_claims(claims, p.required_claims, r.failures);
  check_client_application(claims, p, r.failures);  // validate-azure-ad-token only
  const bool valid = finish(r, now, token);
  if (valid && cache_) {
    if (!hashed) cache_hash = cache_->hash(token);
    cache_->insert(token, cache_hash, state->generation, t.header_json, t.payload_json);
  }
  return valid;
}

void Validator::keys_missing(const ParsedToken& t, const KeyState& state, bool all_usable,
                             int64_t now_ms, Result& r) const {
  // The signature stage is the first check of run(): its failure is the only
  // one so far.
  if (r.failures.size() != 1) return;
  const jwtgate_reason why = r.failures[0].reason;
  // A kid nobody has may be a key the provider published since the last
  // fetch: ask for an early refetch (rate-limited; never done here).
  if (why == JWTGATE_REASON_KEY_NOT_FOUND && t.has_kid) remote_->note_kid_miss();
  if (all_usable || (why != JWTGATE_REASON_KEY_NOT_FOUND && why != JWTGATE_REASON_NO_KEYS)) return;
  // No key verified the token and some fetched set is missing or too old:
  // say that, not "no such key", which would send people hunting for a kid.
  r.failures.clear();
  r.failures.add(JWTGATE_REASON_KEYS_UNAVAILABLE, "openid-config") =
      describe_unavailable(*state.remote, now_ms);
}

bool Validator::finish(Result& r, int64_t now, std::string_view token) const {
  r.valid = r.failures.empty();
  if (r.valid) {
    r.reason = JWTGATE_REASON_NONE;
    r.http_status = 200;
    r.message.clear();
    return true;
  }
  r.key = nullptr;  // an invalid token was verified by nothing
  r.own_token_text(token, policy_->ext.limits.max_token_bytes);
  r.reason = r.failures[0].reason;
  r.http_status = policy_->failed_status;
  // The issuers the token was checked against: <issuers> plus those of the
  // openid-config documents, fetched or supplied (none for a token that
  // failed before the key state was taken).
  const KeyState* state = static_cast<const KeyState*>(r.keys_alive.get());
  build_apim_message(r, *policy_, now, state ? &state->issuers : nullptr);
  return false;
}

std::vector<const KeySet*> Validator::key_sets(const Result& r) {
  const KeyState* state = static_cast<const KeyState*>(r.keys_alive.get());
  if (!state) return {};
  return state->sets;
}

}  // namespace jwtgate
