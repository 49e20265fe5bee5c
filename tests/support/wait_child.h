// wait_child: the fork tests' parent side (tests/core/test_snapshot_cell.cpp,
// tests/perf/test_cache_safety.cpp). Header-only: the cache suite does not
// link the test-support library.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace jwtgate_test {

// wait_child waits up to |timeout_ms| for |pid| and returns its exit
// status; a child still running then is killed and -1 returned (a hang).
inline int wait_child(pid_t pid, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    const pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (got < 0) return -2;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace jwtgate_test
