// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash. With a
// random key an attacker cannot aim tokens at one cache bucket, which a plain
// hash would let them do.
#pragma once

#include <cstddef>
#include <cstdint>

namespace jwtgate {

struct SipKey {
  uint64_t k0 = 0, k1 = 0;
};

uint64_t siphash24(const SipKey& key, const void* data, size_t len);

}  // namespace jwtgate
