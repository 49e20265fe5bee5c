#include "core/siphash.h"

#include <cstring>

namespace jwtgate {

namespace {

inline uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

inline uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

#define SIPROUND                                   \
  do {                                             \
    v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
    v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;         \
    v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;         \
    v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
  } while (0)

}  // namespace

uint64_t siphash24(const SipKey& key, const void* data, size_t len) {
  const uint8_t* in = static_cast<const uint8_t*>(data);
  uint64_t v0 = 0x736f6d6570736575ULL ^ key.k0;
  uint64_t v1 = 0x646f72616e646f6dULL ^ key.k1;
  uint64_t v2 = 0x6c7967656e657261ULL ^ key.k0;
  uint64_t v3 = 0x7465646279746573ULL ^ key.k1;
  const uint8_t* end = in + (len - len % 8);
  for (; in != end; in += 8) {
    uint64_t m = load_le64(in);
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
  }
  uint64_t b = static_cast<uint64_t>(len) << 56;
  switch (len & 7) {
    case 7: b |= static_cast<uint64_t>(in[6]) << 48; [[fallthrough]];
    case 6: b |= static_cast<uint64_t>(in[5]) << 40; [[fallthrough]];
    case 5: b |= static_cast<uint64_t>(in[4]) << 32; [[fallthrough]];
    case 4: b |= static_cast<uint64_t>(in[3]) << 24; [[fallthrough]];
    case 3: b |= static_cast<uint64_t>(in[2]) << 16; [[fallthrough]];
    case 2: b |= static_cast<uint64_t>(in[1]) << 8; [[fallthrough]];
    case 1: b |= static_cast<uint64_t>(in[0]); break;
    case 0: break;
  }
  v3 ^= b;
  SIPROUND;
  SIPROUND;
  v0 ^= b;
  v2 ^= 0xff;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  SIPROUND;
  return v0 ^ v1 ^ v2 ^ v3;
}

}  // namespace jwtgate
