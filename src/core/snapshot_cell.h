// SnapshotCell<T>: the current version of an immutable T (the validator's
// key state), replaced whole by a writer and read by any number of threads.
// A reader gets the old version or the new one, never a mix, and keeps what
// it got alive for as long as it holds it.
//
// Why not std::atomic<std::shared_ptr<T>>: libstdc++ 12's load() releases its
// internal lock bit with a relaxed store, so its read of the pointer is not
// ordered before the next writer's swap. ThreadSanitizer reports it as the
// data race it formally is (on a weakly ordered CPU a reader could pair the
// new pointer with the old reference count). Here each slot is a plain
// mutex, which every tool and CPU understands; readers are spread over the
// slots by thread, so they rarely meet on one, and a writer (rare: a key
// refresh) updates every slot.
//
// fork(): a slot mutex that another thread held at the fork (a writer in
// store(), a reader in load()) would stay locked in the child forever, and
// the child's first load() or store() on it would hang. The slots are
// registered with a ForkGuard (core/fork_guard.h: pthread_atfork handlers
// take every slot of every cell before the fork and release them in both
// processes), so the child finds every slot free and the cell whole. load()
// and store() pay nothing for it; each holds one slot at a time, and nothing
// else while holding it, so they are leaves of the guard's lock order.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>

#include "core/fork_guard.h"

namespace jwtgate {

template <typename T>
class SnapshotCell {
 public:
  explicit SnapshotCell(std::shared_ptr<const T> value = nullptr) {
    for (Slot& s : slots_) s.value = value;
  }
  SnapshotCell(const SnapshotCell&) = delete;
  SnapshotCell& operator=(const SnapshotCell&) = delete;

  std::shared_ptr<const T> load() const {
    const Slot& s = slots_[slot_index()];
    std::lock_guard<std::mutex> lk(s.mu);
    return s.value;
  }

  // store publishes |value|. Once it returns, every load on any thread sees
  // it. Writers must be serialised by the caller.
  void store(const std::shared_ptr<const T>& value) {
    for (Slot& s : slots_) {
      std::shared_ptr<const T> old;
      {
        std::lock_guard<std::mutex> lk(s.mu);
        old = std::exchange(s.value, value);
      }
      // |old| may be the last reference: it is released outside the lock.
    }
  }

 private:
  static constexpr size_t kSlots = 16;
  struct alignas(64) Slot {  // one cache line each: no false sharing
    mutable std::mutex mu;
    std::shared_ptr<const T> value;
  };
  static size_t slot_index() {
    static std::atomic<size_t> next{0};
    thread_local const size_t index = next.fetch_add(1, std::memory_order_relaxed) % kSlots;
    return index;
  }
  static void lock_all(void* self) {
    for (Slot& s : static_cast<SnapshotCell*>(self)->slots_) s.mu.lock();
  }
  static void unlock_all(void* self) {
    for (Slot& s : static_cast<SnapshotCell*>(self)->slots_) s.mu.unlock();
  }
  std::array<Slot, kSlots> slots_;
  // After the slots: registered once they exist, unregistered first.
  ForkGuard fork_guard_{ForkGuard::Rank::leaf, this, &lock_all, &unlock_all};
};

}  // namespace jwtgate
