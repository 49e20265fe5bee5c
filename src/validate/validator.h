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

namespace jwtgate {

class Validator {
 public:
  Validator(std::shared_ptr<const Policy> policy, KeySetPtr extra_keys);

  const Policy& policy() const { return *policy_; }
  std::shared_ptr<const Policy> policy_ptr() const { return policy_; }

  // set_keys replaces the extra key set atomically.
  void set_keys(KeySetPtr keys) { extra_keys_.store(std::move(keys)); }
  KeySetPtr keys() const { return extra_keys_.load(); }

  // validate_token / validate_request return true if the token is valid;
  // |r| holds the outcome either way. |now| is Unix seconds.
  bool validate_token(std::string_view token, int64_t now, Result& r) const;
  bool validate_request(const Request& req, int64_t now, Result& r) const;

 private:
  bool run(std::string_view token, int64_t now, Result& r) const;
  bool finish(Result& r, int64_t now) const;

  std::shared_ptr<const Policy> policy_;
  std::atomic<KeySetPtr> extra_keys_;
  std::vector<std::string> issuers_;  // policy issuers + discovered, fixed at construction
};

}  // namespace jwtgate
