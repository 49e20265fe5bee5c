// core/snapshot_cell.h: a reader gets a whole version, and a process forked
// while other threads load and store a cell can use it in the child (the
// slot mutexes are registered with core/fork_guard.h).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/snapshot_cell.h"
#include "wait_child.h"

using namespace jwtgate;

namespace {

// A version whose two halves must always agree: a torn read would not.
struct Version {
  explicit Version(int n) : a(n), b(n) {}
  int a;
  int b;
};


}  // namespace

TEST_CASE("SnapshotCell: readers see whole versions while a writer replaces them", "[core]") {
  SnapshotCell<Version> cell(std::make_shared<const Version>(0));
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0}, seen_last{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i)
    readers.emplace_back([&] {
      int last = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::shared_ptr<const Version> v = cell.load();
        if (!v || v->a != v->b || v->a < last) torn.fetch_add(1);
        if (v) last = v->a;
      }
    });
  for (int n = 1; n <= 20000; ++n) cell.store(std::make_shared<const Version>(n));
  stop = true;
  for (std::thread& t : readers) t.join();
  CHECK(torn.load() == 0);
  // Once store returns, every thread sees it.
  std::thread([&] { seen_last = cell.load()->a; }).join();
  CHECK(seen_last.load() == 20000);
}

// Before the fork guard, a child whose fork() found a slot mutex held by the
// writer (in store) or by a reader (in load) waited forever on it: in most
// runs within the first few dozen forks.
TEST_CASE("SnapshotCell: a child forked while threads load and store can load and store",
          "[core][fork]") {
  SnapshotCell<Version> cell(std::make_shared<const Version>(0));
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        const std::shared_ptr<const Version> v = cell.load();
        if (!v || v->a != v->b) std::abort();
      }
    });
  threads.emplace_back([&] {
    for (int n = 1; !stop.load(std::memory_order_relaxed); ++n)
      cell.store(std::make_shared<const Version>(n));
  });

  constexpr int kForks = 200;
  int done = 0, hung = 0, failed = 0;
  std::string first_failure;
  for (int i = 0; i < kForks; ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      // The child: only this thread exists. load() takes this thread's slot,
      // store() every slot in turn.
      const std::shared_ptr<const Version> before = cell.load();
      if (!before || before->a != before->b) _exit(2);
      cell.store(std::make_shared<const Version>(-1));
      const std::shared_ptr<const Version> after = cell.load();
      _exit(after && after->a == -1 ? 0 : 3);
    }
    REQUIRE(pid > 0);
    const int status = jwtgate_test::wait_child(pid, 5000);
    ++done;
    if (status == 0) continue;
    if (status == -1)
      ++hung;
    else
      ++failed;
    if (first_failure.empty())
      first_failure = "fork " + std::to_string(i) + ": child status " + std::to_string(status);
    break;  // a hang costs the whole timeout: one is enough
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  INFO(first_failure);
  CHECK(hung == 0);
  CHECK(failed == 0);
  CHECK(done == kForks);
}
