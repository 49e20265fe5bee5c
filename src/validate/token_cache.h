// TokenCache: tokens this validator has already verified, so a repeated
// token skips the signature (the expensive part) and the claim rules.
//
// Safety rules, each tested:
//  - only fully valid tokens are stored, and the whole token is compared on a
//    hit (the keyed hash only picks the slot), so no other token can match;
//  - every time-dependent check (exp, nbf, iat) runs again on each hit, with
//    the caller's clock, so a hit never outlives the token;
//  - the cache is tied to one key-set generation: replacing the keys empties
//    it, so a token verified by a key that was removed is verified again;
//  - it is bounded: a fixed number of slots, set-associative with 4 ways and
//    round-robin replacement; a slot's buffer is reused, so a warm cache does
//    not allocate.
// Thread-safe: 64 shards, each behind its own mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/siphash.h"

namespace jwtgate {

class TokenCache {
 public:
  // entries is rounded up to a multiple of the shard and way counts.
  explicit TokenCache(size_t entries);

  // lookup returns true if |token| was stored under key-set |generation|.
  bool lookup(std::string_view token, uint64_t generation);
  // insert stores a token that was just validated under |generation|.
  void insert(std::string_view token, uint64_t generation);
  void clear();

  size_t capacity() const { return shards_.size() * sets_per_shard_ * kWays; }
  // bytes_used: slot buffers plus the tables (for the memory bound).
  size_t bytes_used() const;

 private:
  static constexpr size_t kShards = 64;
  static constexpr size_t kWays = 4;
  struct Slot {
    uint64_t hash = 0;
    uint64_t generation = 0;
    bool used = false;
    std::string token;
  };
  struct Shard {
    std::mutex mu;
    std::vector<Slot> slots;       // sets_per_shard_ * kWays
    std::vector<uint8_t> next;     // round-robin victim per set
  };
  SipKey key_;
  size_t sets_per_shard_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace jwtgate
