#include "core/fork_guard.h"

#include <pthread.h>

#include <system_error>

namespace jwtgate {

// The live guards, one intrusive list per rank, so registering allocates
// nothing. Constant-initialised (std::mutex has a constexpr constructor and,
// in libstdc++, a trivial destructor): usable from any static constructor
// or destructor, whatever the order.
struct ForkGuardRegistry {
  static std::mutex mu;
  static ForkGuard* head[2];

  static void prepare() {
    mu.lock();
    for (ForkGuard* list : head)
      for (ForkGuard* g = list; g; g = g->next_) g->lock_(g->owner_);
  }
  // In the parent and in the child alike: the forking thread took every
  // mutex in prepare(), and POSIX has the child's single thread hold what
  // the forking thread held (a std::mutex is a default-type mutex, which
  // any thread may unlock).
  static void release() {
    for (int r = 1; r >= 0; --r)
      for (ForkGuard* g = head[r]; g; g = g->next_) g->unlock_(g->owner_);
    mu.unlock();
  }
  static void install_handlers() {
    // Once per process (a retry after a failure): a shared library's
    // handlers are removed by glibc when it is unloaded.
    static const bool installed = [] {
      const int rc = pthread_atfork(&prepare, &release, &release);
      if (rc != 0) throw std::system_error(rc, std::generic_category(), "pthread_atfork");
      return true;
    }();
    (void)installed;
  }
};

std::mutex ForkGuardRegistry::mu;
ForkGuard* ForkGuardRegistry::head[2] = {nullptr, nullptr};

ForkGuard::ForkGuard(Rank rank, void* owner, Action lock, Action unlock)
    : rank_(rank), owner_(owner), lock_(lock), unlock_(unlock) {
  ForkGuardRegistry::install_handlers();
  std::lock_guard<std::mutex> lk(ForkGuardRegistry::mu);
  ForkGuard*& head = ForkGuardRegistry::head[static_cast<int>(rank_)];
  next_ = head;
  if (head) head->prev_ = this;
  head = this;
}

ForkGuard::ForkGuard(Rank rank, std::mutex& mu)
    : ForkGuard(
          rank, &mu, [](void* m) { static_cast<std::mutex*>(m)->lock(); },
          [](void* m) { static_cast<std::mutex*>(m)->unlock(); }) {}

ForkGuard::~ForkGuard() {
  // Waits for a fork in progress, which may hold the owner's mutexes: they
  // are released before this returns and the owner destroys them.
  std::lock_guard<std::mutex> lk(ForkGuardRegistry::mu);
  ForkGuard*& head = ForkGuardRegistry::head[static_cast<int>(rank_)];
  if (prev_)
    prev_->next_ = next_;
  else
    head = next_;
  if (next_) next_->prev_ = prev_;
}

}  // namespace jwtgate
