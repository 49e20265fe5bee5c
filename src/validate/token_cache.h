// TokenCache: tokens this validator has already verified, so a repeated
// token skips the signature (the expensive part) and the claim rules.
//
// Safety rules, each tested (tests/perf/test_cache_safety.cpp):
//  - only fully valid tokens are stored, and the whole token is compared on a
//    hit (the keyed hash only picks the slot), so no other token can match;
//  - every time-dependent check (exp, nbf, iat) runs again on each hit, with
//    the caller's clock, so a hit never outlives the token;
//  - the cache is tied to one key-set generation: replacing the keys empties
//    it, so a token verified by a key that was removed is verified again;
//  - it is bounded: a fixed number of slots, set-associative with 4 ways and
//    round-robin replacement; a slot's buffers are reused, so a warm cache
//    does not allocate.
// A slot also keeps the token's decoded header and payload JSON, so that a
// hit does not decode base64url again: about 0.8 KB more per Entra token,
// for a faster hit (docs/performance.md has the numbers and the bound).
// Thread-safe: 64 shards, each behind its own mutex. A shard's mutex is held
// for one lookup or insert and nothing else is locked meanwhile; a ForkGuard
// (core/fork_guard.h) frees them all in a child process forked while another
// thread validated.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/fork_guard.h"

namespace jwtgate {

class TokenCache {
 public:
  // entries is rounded up to a multiple of the shard and way counts.
  explicit TokenCache(size_t entries);

  // hash returns the slot hash of |token| under this cache's secret key. A
  // validation computes it once and passes it to lookup and then insert.
  // A wrong hash can only cause a miss: a hit compares the whole token.
  uint64_t hash(std::string_view token) const;
  // lookup returns true if |token| was stored under key-set |generation|.
  // On a hit it first calls copy(header_json, payload_json) with what insert
  // stored, under the shard's lock: copy the bytes, do not keep the views.
  template <typename Copy>
  bool lookup(std::string_view token, uint64_t hash, uint64_t generation, Copy&& copy) {
    const Found f = find(token, hash, generation);
    if (!f.slot) return false;
    const std::string_view json = f.slot->json;
    copy(json.substr(0, f.slot->header_len), json.substr(f.slot->header_len));
    return true;
  }
  bool lookup(std::string_view token, uint64_t generation) {
    return find(token, hash(token), generation).slot != nullptr;
  }
  // insert stores a token that was just validated under |generation|, with
  // its decoded header and payload JSON.
  void insert(std::string_view token, uint64_t hash, uint64_t generation,
              std::string_view header_json, std::string_view payload_json);
  void insert(std::string_view token, uint64_t generation) {
    insert(token, hash(token), generation, {}, {});
  }
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
    size_t header_len = 0;  // json = header JSON followed by payload JSON
    std::string token;
    std::string json;
  };
  struct Shard {
    std::mutex mu;
    std::vector<Slot> slots;       // sets_per_shard_ * kWays
    std::vector<uint8_t> next;     // round-robin victim per set
  };
  // Found: the slot holding a token, if any, with its shard locked.
  struct Found {
    std::unique_lock<std::mutex> lock;
    const Slot* slot = nullptr;
  };
  Found find(std::string_view token, uint64_t hash, uint64_t generation);
  // The secret of the slot hash (token_cache.cpp): a point r of GF(2^61 - 1)
  // with its powers r^2..r^4, and a final mixing key.
  std::array<uint64_t, 4> r_powers_{};
  uint64_t mix_key_ = 0;
  size_t sets_per_shard_;
  std::vector<std::unique_ptr<Shard>> shards_;
  static void lock_all(void* self);
  static void unlock_all(void* self);
  // After the shards: registered once they exist, unregistered first.
  ForkGuard fork_guard_{ForkGuard::Rank::leaf, this, &lock_all, &unlock_all};
};

}  // namespace jwtgate
