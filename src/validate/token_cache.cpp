#include "validate/token_cache.h"

#include <openssl/rand.h>

#include <bit>
#include <cstring>
#include <stdexcept>

namespace jwtgate {

namespace {

// The slot hash is a polynomial evaluated at a secret random point r of
// GF(p), p = 2^61 - 1: Carter and Wegman's universal hashing (J. Comput.
// Syst. Sci. 18, 1979). The token is cut into 7-byte limbs (each below p),
// followed by its length, so different tokens give different polynomials;
// two of them share a hash only if r is a root of their difference: a
// chance of at most (limbs + 1) / p, about 2^-53 for a 1.4 KB token, for
// any pair chosen without knowing r. So nobody can aim tokens at one set,
// which is what the key is for (a collision would only cost a miss: a hit
// compares the whole token). It replaced SipHash-2-4 because it is what a
// cache hit spends most on after parsing, and it is several times faster
// for the same guarantee against slot targeting (docs/performance.md).
constexpr uint64_t kP = (uint64_t{1} << 61) - 1;
constexpr uint64_t kLimbMask = (uint64_t{1} << 56) - 1;

// a * b mod p, partially reduced: the result is below 2^62 and congruent.
// (2^61 = 1 mod p, so the bits above 61 fold back in by addition.)
inline uint64_t mul_mod(uint64_t a, uint64_t b) {
  const unsigned __int128 t = static_cast<unsigned __int128>(a) * b;
  const uint64_t s = (static_cast<uint64_t>(t) & kP) + static_cast<uint64_t>(t >> 61);
  return (s & kP) + (s >> 61);
}

inline uint64_t reduce(uint64_t x) {
  x = (x & kP) + (x >> 61);
  return x >= kP ? x - kP : x;
}

// Little-endian limb loads, so the hash is the same on every host.
inline uint64_t load_le(const unsigned char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v) >> (64 - 8 * n);
  return v;
}

uint64_t random_below_p() {
  for (;;) {
    uint64_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1)
      throw std::runtime_error("no randomness for the token cache key");
    v &= kP;
    if (v != 0 && v != kP) return v;
  }
}

}  // namespace

uint64_t TokenCache::hash(std::string_view token) const {
  const auto* p = reinterpret_cast<const unsigned char*>(token.data());
  const size_t n = token.size();
  const uint64_t r1 = r_powers_[0], r2 = r_powers_[1], r3 = r_powers_[2], r4 = r_powers_[3];
  // Four limbs (28 bytes) per step, each lane stepping by r^4, so that the
  // four multiplications overlap; recombined below, this is exactly Horner's
  // rule over all the limbs. The 8-byte loads read one byte past the 28, so
  // the loop stops while a byte remains.
  uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  size_t i = 0;
  for (; i + 29 <= n; i += 28) {
    a0 = mul_mod(a0, r4) + (load_le(p + i, 8) & kLimbMask);
    a1 = mul_mod(a1, r4) + (load_le(p + i + 7, 8) & kLimbMask);
    a2 = mul_mod(a2, r4) + (load_le(p + i + 14, 8) & kLimbMask);
    a3 = mul_mod(a3, r4) + (load_le(p + i + 21, 8) & kLimbMask);
  }
  uint64_t h = mul_mod(a0, r3) + mul_mod(a1, r2) + mul_mod(a2, r1) + a3;
  for (; i < n; i += 7) h = mul_mod(reduce(h), r1) + load_le(p + i, n - i < 7 ? n - i : 7);
  h = reduce(mul_mod(reduce(h), r1) + n);
  // The set index is taken from the low bits: MurmurHash3's finaliser,
  // keyed, spreads every bit of h over them.
  h ^= mix_key_;
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdULL;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

TokenCache::TokenCache(size_t entries) {
  // A fresh random key per cache: slot positions are unpredictable.
  const uint64_t r = random_below_p();
  r_powers_[0] = r;
  for (size_t k = 1; k < r_powers_.size(); ++k) r_powers_[k] = reduce(mul_mod(r_powers_[k - 1], r));
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&mix_key_), sizeof mix_key_) != 1)
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

TokenCache::Found TokenCache::find(std::string_view token, uint64_t h, uint64_t generation) {
  Shard& s = *shards_[h % kShards];
  const size_t set = (h / kShards) % sets_per_shard_;
  Found f{std::unique_lock<std::mutex>(s.mu), nullptr};
  for (size_t w = 0; w < kWays; ++w) {
    const Slot& slot = s.slots[set * kWays + w];
    // The full comparison makes a hash collision harmless.
    if (slot.used && slot.hash == h && slot.generation == generation && slot.token == token) {
      f.slot = &slot;
      break;
    }
  }
  return f;
}

void TokenCache::insert(std::string_view token, uint64_t h, uint64_t generation,
                        std::string_view header_json, std::string_view payload_json) {
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
  // assign keeps a buffer's capacity when it is large enough.
  slot.token.assign(token);
  slot.json.assign(header_json).append(payload_json);
  slot.header_len = header_json.size();
}

void TokenCache::clear() {
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> lock(s->mu);
    for (Slot& slot : s->slots) slot.used = false;
  }
}

void TokenCache::lock_all(void* self) {
  for (auto& s : static_cast<TokenCache*>(self)->shards_) s->mu.lock();
}

void TokenCache::unlock_all(void* self) {
  for (auto& s : static_cast<TokenCache*>(self)->shards_) s->mu.unlock();
}

size_t TokenCache::bytes_used() const {
  size_t n = sizeof(*this);
  for (const auto& s : shards_) {
    n += sizeof(Shard) + s->slots.capacity() * sizeof(Slot) + s->next.capacity();
    for (const Slot& slot : s->slots)
      for (const std::string* b : {&slot.token, &slot.json})
        if (b->capacity() > 15) n += b->capacity() + 1;  // beyond SSO
  }
  return n;
}

}  // namespace jwtgate
