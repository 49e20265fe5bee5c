// KeySet: an immutable list of keys, shared by validators through
// shared_ptr<const KeySet>. Replacing keys means building a new set.
#pragma once

#include <memory>
#include <vector>

#include "crypto/key.h"

namespace jwtgate {

class KeySet {
 public:
  KeySet() = default;
  explicit KeySet(std::vector<Key> keys) : keys_(std::move(keys)) {}
  const std::vector<Key>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  std::vector<Key> keys_;
};

using KeySetPtr = std::shared_ptr<const KeySet>;

}  // namespace jwtgate
