// ForkGuard: keeps an object's mutexes usable in a child process forked
// while another thread of the parent held one of them.
//
// fork() copies only the calling thread (POSIX fork(), "Application
// Usage"): a mutex another thread held at that moment stays locked in the
// child, with no thread left to unlock it, and the child's first lock of it
// waits forever. The remedy POSIX describes under pthread_atfork(), and the
// one glibc's malloc uses for its arenas, is applied here: a ForkGuard
// registers its owner's mutexes; just before fork() the forking thread takes
// every registered mutex (waiting for the threads that hold one to let go),
// and releases them all in the parent and in the child right after. The
// child so starts with every registered mutex free and every object they
// guard in a consistent state.
//
// Lock order (what keeps the prepare step itself from deadlocking): the
// forking thread takes the registry's own mutex, then every Rank::outer
// mutex, then every Rank::leaf mutex. So a thread that holds a leaf mutex
// must never wait for another registered mutex, and one that holds an outer
// mutex may wait only for leaf mutexes. (The validator's publish mutex is
// outer: it is held while a new key snapshot is stored and the token cache
// cleared; the snapshot slots, the token cache shards and the key fetcher's
// state mutex are leaves.) Nor may fork() be called while holding a
// registered mutex; none is held across a call out of the library.
//
// Costs: nothing on the paths that lock the mutexes; a registration at
// construction and destruction; and each fork() waits for every registered
// mutex in turn (the validator has 82: a few microseconds).
#pragma once

#include <mutex>

namespace jwtgate {

class ForkGuard {
 public:
  enum class Rank { outer = 0, leaf = 1 };
  using Action = void (*)(void* owner);

  // Registers |lock| and |unlock|, which take and release every mutex of
  // |owner| that the guard covers. Declare the guard after those mutexes, so
  // that it is registered once they exist and unregistered before they go.
  ForkGuard(Rank rank, void* owner, Action lock, Action unlock);
  // A guard for one mutex.
  ForkGuard(Rank rank, std::mutex& mu);
  ~ForkGuard();
  ForkGuard(const ForkGuard&) = delete;
  ForkGuard& operator=(const ForkGuard&) = delete;

 private:
  friend struct ForkGuardRegistry;
  Rank rank_;
  void* owner_;
  Action lock_;
  Action unlock_;
  ForkGuard* prev_ = nullptr;  // the registry's list of its rank
  ForkGuard* next_ = nullptr;
};

}  // namespace jwtgate
