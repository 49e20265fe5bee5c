// Validator: an immutable policy plus key sets, safe to call from any number
// of threads. The extra key set (from the caller, later from the network
// fetcher) is swapped atomically: a validation holds one snapshot throughout.
#pragma once

#include <atomic>
#include <memory>
#include <string_view>
#include <vector>

#include "keys/key_set.h"
#include "policy/policy.h"
#include "validate/request.h"
#include "validate/result.h"
#include "validate/token_cache.h"

namespace jwtgate {

struct ValidatorOptions {
  // Verified-token cache size; 0 (the default) turns it off. Off by default
  // because an embedding host may create many validators and the cache holds
  // a copy of each token (about 1.2 KB for an Entra token): 10,000 entries
  // cost about 13 MB. jwtgate serve turns it on.
  size_t cache_entries = 0;
};

class Validator {
 public:
  Validator(std::shared_ptr<const Policy> policy, KeySetPtr extra_keys,
            const ValidatorOptions& options = {});

  const Policy& policy() const { return *policy_; }
  std::shared_ptr<const Policy> policy_ptr() const { return policy_; }

  // set_keys replaces the extra key set atomically; tokens verified under the
  // old set leave the cache.
  void set_keys(KeySetPtr keys);
  KeySetPtr keys() const { return key_state_.load()->keys; }
  const TokenCache* cache() const { return cache_.get(); }

  // validate_token / validate_request return true if the token is valid;
  // |r| holds the outcome either way. |now| is Unix seconds.
  bool validate_token(std::string_view token, int64_t now, Result& r) const;
  bool validate_request(const Request& req, int64_t now, Result& r) const;

 private:
  bool run(std::string_view token, int64_t now, Result& r) const;
  bool finish(Result& r, int64_t now) const;

  // The key set and its generation change together, in one atomic swap, so
  // a validation and the cache always agree on which keys were used.
  struct KeyState {
    KeySetPtr keys;
    uint64_t generation;
  };
  std::shared_ptr<const Policy> policy_;
  std::atomic<std::shared_ptr<const KeyState>> key_state_;
  std::atomic<uint64_t> next_generation_{1};
  std::unique_ptr<TokenCache> cache_;
  std::vector<std::string> issuers_;  // policy issuers + discovered, fixed at construction
};

}  // namespace jwtgate
