// Validator: an immutable policy plus key sets, safe to call from any number
// of threads. The extra key set (from the caller) and the keys fetched for
// the policy's openid-config elements (net/remote_keys.h) are swapped
// atomically: a validation holds one snapshot throughout.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "keys/key_set.h"
#include "net/remote_keys.h"
#include "core/fork_guard.h"
#include "core/snapshot_cell.h"
#include "policy/policy.h"
#include "validate/request.h"
#include "validate/token_cache.h"

namespace jwtgate {

class ClaimMask;     // claims/claim_text.h
class Result;        // validate/result.h
struct ParsedToken;  // token/token.h

struct ValidatorOptions {
  // Verified-token cache size; 0 (the default) turns it off. Off by default
  // because an embedding host may create many validators and the cache holds
  // each token and its decoded JSON (about slots x (1.75 x token length +
  // 100) bytes; slots are the entries rounded up to 64 shards x 4 ways): for
  // 1.4 KB Entra tokens, 10,000 entries cost about 25 MiB (measured 24.8 MiB
  // by tests/perf/test_cache_safety.cpp, which asserts the 28 MiB bound for
  // the cache plus 100 RSA keys). jwtgate serve turns it on.
  size_t cache_entries = 0;
  // How openid-config elements without offline documents are fetched,
  // cached and refreshed (net/remote_keys.h): APIM's 1 h refresh and 5 min
  // refetch window, Entra's 24 h maximum staleness, a 5 s first-load wait.
  RemoteKeyOptions remote;
  // Claims whose values never appear in the text of a result: details,
  // messages, the result JSON, explanations, trace events
  // (claims/claim_text.h).
  std::vector<std::string> masked_claims;
};

class Validator {
 public:
  Validator(std::shared_ptr<const Policy> policy, KeySetPtr extra_keys,
            const ValidatorOptions& options = {});
  ~Validator();

  const Policy& policy() const { return *policy_; }
  std::shared_ptr<const Policy> policy_ptr() const { return policy_; }

  // set_keys replaces the extra key set atomically; tokens verified under the
  // old set leave the cache.
  void set_keys(KeySetPtr keys);
  KeySetPtr keys() const { return key_state_.load()->keys; }
  const TokenCache* cache() const { return cache_.get(); }
  // key_sets: the key sets a validation that produced |r| searched (the
  // policy's keys, the caller's, each fetched set), from the key snapshot the
  // result holds; empty when the validation ended before taking one. For
  // explanations, which may try other keys than the kid named.
  static std::vector<const KeySet*> key_sets(const Result& r);
  // remote_keys: the fetcher of the policy's openid-config elements, or
  // nullptr when there is nothing to fetch (no openid-config, or offline
  // documents for them, which win over fetching).
  RemoteKeys* remote_keys() const { return remote_.get(); }

  // validate_token / validate_request return true if the token is valid;
  // |r| holds the outcome either way. |now| is Unix seconds.
  bool validate_token(std::string_view token, int64_t now, Result& r) const;
  bool validate_request(const Request& req, int64_t now, Result& r) const;

 private:
  bool run(std::string_view token, int64_t now, Result& r) const;
  // finish sets the outcome from the failures; |token| is what was
  // presented, kept in the result when refused (Result::own_token_text).
  bool finish(Result& r, int64_t now, std::string_view token = {}) const;

  // Everything a validation takes from keys changes together, in one atomic
  // swap: the caller's key set, the fetched keys and the issuers discovered
  // with them, and the generation the cache is tied to. A validation holds
  // one snapshot throughout, so it never mixes an old key with a new issuer.
  struct KeyState {
    KeySetPtr keys;                                // set_keys
    std::shared_ptr<const RemoteSnapshot> remote;  // null without remote sources
    std::vector<const KeySet*> sets;               // policy keys, |keys|, each remote source's
    std::vector<std::string> issuers;              // <issuers> + discovered issuers
    int64_t remote_usable_until = INT64_MAX;       // steady ms: every remote set usable before it
    bool awaiting_first_load = false;
    uint64_t generation = 0;
  };
  std::shared_ptr<const KeyState> make_state(KeySetPtr keys,
                                             std::shared_ptr<const RemoteSnapshot> remote,
                                             bool awaiting_first_load, uint64_t generation) const;
  // publish_remote installs a new snapshot from the fetcher; set_keys and it
  // serialise on publish_mu_ so neither loses the other's update.
  void publish_remote(std::shared_ptr<const RemoteSnapshot> remote);
  // publish installs |state| in key_state_ and current_ (under publish_mu_,
  // or from the constructor).
  void publish(std::shared_ptr<const KeyState> state);
  void keys_missing(const ParsedToken& t, const KeyState& state, bool all_usable, int64_t now_ms,
                    Result& r) const;

  std::shared_ptr<const Policy> policy_;
  std::shared_ptr<const ClaimMask> mask_;  // null when no claim is masked
  SnapshotCell<KeyState> key_state_;
  // The snapshot key_state_ holds, for comparison only (never dereferenced
  // through this pointer): a validation whose result already holds it takes
  // no new reference (see run()).
  std::atomic<const KeyState*> current_{nullptr};
  std::atomic<uint64_t> next_generation_{1};
  std::mutex publish_mu_;
  // Held while key_state_'s slots and cache_'s shards are locked: an outer
  // lock of core/fork_guard.h, so set_keys works in a child forked while the
  // refresh thread published.
  ForkGuard publish_fork_guard_{ForkGuard::Rank::outer, publish_mu_};
  std::unique_ptr<TokenCache> cache_;
  // Last member: destroyed first, so its thread has stopped before anything
  // it publishes into goes away.
  std::unique_ptr<RemoteKeys> remote_;
};

}  // namespace jwtgate
