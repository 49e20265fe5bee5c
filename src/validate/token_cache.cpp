#include "validate/token_cache.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace jwtgate {

TokenCache::TokenCache(size_t entries) {
  // A fresh random key per cache: slot positions are unpredictable.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&key_), sizeof key_) != 1)
    throw std::runtime_error("no randomness for the token cache key");
  const size_t per_shard = (entries + kShards - 1) / kShards;
  sets_per_shard_ = (per_shard + kWays - 1) / kWays;
  if (sets_per_shard_ == 0) sets_per_shard_ = 1;
  shards_.reserve(kShards);
  for (size_t i = 0; i < kShards; ++i) {
    auto s = std::make_unique<Shard>();
    s->slots.resize(sets_per_shard_ * kWays);
    s->next.assign(sets_per_shard_, 0);
    shards_.push_back(std::move(s));
  }
}

bool TokenCache::lookup(std::string_view token, uint64_t generation) {
  const uint64_t h = siphash24(key_, token.data(), token.size());
  Shard& s = *shards_[h % kShards];
  const size_t set = (h / kShards) % sets_per_shard_;
  std::lock_guard<std::mutex> lock(s.mu);
  for (size_t w = 0; w < kWays; ++w) {
    const Slot& slot = s.slots[set * kWays + w];
    // The full comparison makes a hash collision harmless.
    if (slot.used && slot.hash == h && slot.generation == generation && slot.token == token)
      return true;
  }
  return false;
}

void TokenCache::insert(std::string_view token, uint64_t generation) {
  const uint64_t h = siphash24(key_, token.data(), token.size());
  Shard& s = *shards_[h % kShards];
  const size_t set = (h / kShards) % sets_per_shard_;
  std::lock_guard<std::mutex> lock(s.mu);
  size_t victim = kWays;
  for (size_t w = 0; w < kWays; ++w) {
    Slot& slot = s.slots[set * kWays + w];
    if (slot.used && slot.hash == h && slot.token == token) {
      slot.generation = generation;
      return;
    }
    if (victim == kWays && (!slot.used || slot.generation != generation)) victim = w;
  }
  if (victim == kWays) victim = s.next[set]++ % kWays;
  Slot& slot = s.slots[set * kWays + victim];
  slot.hash = h;
  slot.generation = generation;
  slot.used = true;
  slot.token.assign(token);  // keeps the buffer's capacity when it is large enough
}

void TokenCache::clear() {
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> lock(s->mu);
    for (Slot& slot : s->slots) slot.used = false;
  }
}

size_t TokenCache::bytes_used() const {
  size_t n = sizeof(*this);
  for (const auto& s : shards_) {
    n += sizeof(Shard) + s->slots.capacity() * sizeof(Slot) + s->next.capacity();
    for (const Slot& slot : s->slots)
      if (slot.token.capacity() > 15) n += slot.token.capacity() + 1;  // beyond SSO
  }
  return n;
}

}  // namespace jwtgate
