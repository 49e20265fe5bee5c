// Duplicate member detection over a simdjson DOM (RFC 7515 section 4, RFC
// 7519 section 4: duplicate names are rejected, never resolved).
//
// This runs on every header and payload, so it is built for the common case
// (a handful to a few dozen short member names) without giving an attacker a
// quadratic worst case: objects of up to 32 members compare name
// fingerprints pairwise (names sharing a fingerprint are compared in full:
// at most 31 comparisons per name, whatever the names), larger ones go
// through a small open-addressing hash table, and if crafted names make the
// table probe too much the keys are sorted instead (O(n log n) whatever the
// names). Nothing is allocated for objects of up to kOnStack members.
#include "encoding/json_members.h"
#include "encoding/json_dom.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>


namespace jwtgate {
namespace {

// Up to kPairwise members, comparing fingerprints of every pair is cheapest
// (an Entra access token's payload has 18 members). Beyond, a hash table.
constexpr size_t kPairwise = 32;
// Up to kOnStack members the key list and the hash table live on the stack.
constexpr size_t kOnStack = 256;

// load_upto8 reads the first min(n, 8) bytes of |p| without a call to
// memcpy (a variable-length memcpy is a library call; fixed sizes inline).
// Bytes it cannot read exactly are mixed in from overlapping loads: the
// result identifies short names well, which is all its callers need (they
// compare the names themselves whenever two results agree).
inline uint64_t load_upto8(const unsigned char* p, size_t n) {
  if (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return a | (uint64_t{b} << 32);
  }
  if (n == 0) return 0;
  return p[0] | (uint64_t{p[n / 2]} << 8) | (uint64_t{p[n - 1]} << 16);
}

struct Slot {
  uint32_t hash;
  uint32_t index_plus_one;  // 0: empty
};

// json_member_name_hash (key_hash) mixes every byte of a name, eight at a time. Names that merely
// share a table slot cost one integer comparison per probe; only a full hash
// match leads to a byte comparison. It is not keyed: the probe budget below
// is what bounds the cost of names crafted to collide.
inline uint32_t key_hash(std::string_view k) {
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
  const auto* p = reinterpret_cast<const unsigned char*>(k.data());
  size_t n = k.size();
  uint64_t h = n * kMul;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    h = (h ^ chunk) * kMul;
    h ^= h >> 29;
  }
  if (n > 0) {
    h = (h ^ load_upto8(p, n)) * kMul;
    h ^= h >> 29;
  }
  return static_cast<uint32_t>(h >> 32);
}

bool repeat_sorted(std::string_view* keys, size_t n, std::string_view* name) {
  std::sort(keys, keys + n);
  const auto it = std::adjacent_find(keys, keys + n);
  if (it == keys + n) return false;
  *name = *it;
  return true;
}

// repeat_hashed stores each name of |obj| in |keys| (room for all of them)
// and finds a repeat through |slots| (a power of two, at least twice the
// member count).
bool repeat_hashed(object obj, std::string_view* keys, Slot* slots, size_t table_size,
                   std::string_view* name) {
  std::memset(slots, 0, table_size * sizeof(Slot));
  const size_t mask = table_size - 1;
  // A table at most half full averages under two probes per name; a budget
  // of at least four per name runs out only if the names were chosen to
  // collide.
  size_t budget = 2 * table_size;
  uint32_t count = 0;
  bool sort_instead = false;
  for (const key_value_pair field : obj) {
    const std::string_view k = field.key;
    keys[count] = k;
    if (!sort_instead) {
      const uint32_t h = key_hash(k);
      size_t pos = h & mask;
      while (slots[pos].index_plus_one != 0) {
        if (slots[pos].hash == h && keys[slots[pos].index_plus_one - 1] == k) {
          *name = k;
          return true;
        }
        pos = (pos + 1) & mask;
        if (--budget == 0) {
          sort_instead = true;
          break;
        }
      }
      if (!sort_instead) slots[pos] = {h, count + 1};
    }
    ++count;
  }
  return sort_instead && repeat_sorted(keys, count, name);
}

constexpr size_t table_size_for(size_t n) {
  size_t size = 16;
  while (size < 2 * n) size *= 2;
  return size;
}

// object_repeats_key checks the member names of one object. It is kept out of
// line so that its stack arrays are not part of every frame of the recursive
// walk below (which may run as deep as simdjson's depth limit).
[[gnu::noinline]] bool object_repeats_key(object obj, std::string_view* name,
                                          MemberIndex* index = nullptr) {
  const size_t n = obj.size();  // saturates at 0xffffff: then n > kOnStack
  if (index) {
    index->count = 0;
    index->complete = n <= MemberIndex::kMaxMembers;
  }
  if (n <= kPairwise) {
    // Each name's fingerprint is compared with all earlier ones without a
    // branch per pair; only a fingerprint match, rare for distinct names,
    // leads to comparing the names. Up to 32 names the pairs are few;
    // crafted names that share fingerprints cost at most 31 comparisons of
    // each name.
    // Plain arrays, left uninitialised: a std::array of string_view would
    // be zeroed on every call (512 bytes, a tenth of this function's time).
    uint64_t prints[kPairwise];
    const char* key_data[kPairwise];
    size_t key_size[kPairwise];
    size_t count = 0;
    for (const key_value_pair field : obj) {
      const std::string_view k = field.key;
      const uint64_t f = member_fingerprint(k);
      uint64_t hit = 0;
      for (size_t j = 0; j < count; ++j) hit |= static_cast<uint64_t>(prints[j] == f);
      if (hit) {
        for (size_t j = 0; j < count; ++j) {
          if (prints[j] == f && std::string_view(key_data[j], key_size[j]) == k) {
            *name = k;
            return true;
          }
        }
      }
      prints[count] = f;
      key_data[count] = k.data();
      key_size[count] = k.size();
      if (index && index->complete) {
        index->prints[count] = f;
        index->names[count] = k;
        index->values[count] = field.value;
      }
      if (++count == kPairwise) break;  // obj.size() said at most kPairwise
    }
    if (index && index->complete) index->count = count;
    return false;
  }
  if (n <= kOnStack) {
    std::array<std::string_view, kOnStack> keys;
    std::array<Slot, table_size_for(kOnStack)> slots;
    return repeat_hashed(obj, keys.data(), slots.data(), table_size_for(n), name);
  }
  // Only a hostile or unusual document has this many members in one object.
  size_t count = 0;
  for (auto it = obj.begin(); it != obj.end(); ++it) ++count;
  std::vector<std::string_view> keys(count);
  std::vector<Slot> slots(table_size_for(count));
  return repeat_hashed(obj, keys.data(), slots.data(), slots.size(), name);
}

bool find_duplicate(element v, std::string_view* name) {
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT: {
      const object obj = v.get_object().value_unsafe();
      if (object_repeats_key(obj, name)) return true;
      for (const key_value_pair field : obj)
        if (find_duplicate(field.value, name)) return true;
      return false;
    }
    case simdjson::dom::element_type::ARRAY: {
      // A named copy: value_unsafe() on a temporary result would leave the
      // range-for iterating a dangling reference.
      const simdjson::dom::array arr = v.get_array().value_unsafe();
      for (const element item : arr)
        if (find_duplicate(item, name)) return true;
      return false;
    }
    default:
      return false;
  }
}

}  // namespace

bool json_find_duplicate_member(element v, std::string_view* name) {
  return find_duplicate(v, name);
}

bool json_find_duplicate_member_indexed(object obj, std::string_view* name, MemberIndex* index) {
  static_assert(MemberIndex::kMaxMembers <= kPairwise, "the pairwise pass fills the index");
  if (object_repeats_key(obj, name, index)) return true;
  for (const key_value_pair field : obj)
    if (find_duplicate(field.value, name)) return true;
  return false;
}

bool json_object_repeats_member(object obj, std::string_view* name) {
  return object_repeats_key(obj, name);
}

uint32_t json_member_name_hash(std::string_view name) { return key_hash(name); }

}  // namespace jwtgate
