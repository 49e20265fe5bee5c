// ServiceCounters: what the server counts itself, beside the validators'
// own metrics: replies by status and configuration reloads.
#pragma once

#include <atomic>
#include <cstdint>

namespace cli::serve {

struct ServiceCounters {
  // The statuses the service answers with; anything else lands in "other".
  static constexpr int kCodes[] = {200, 204, 400, 401, 403, 404, 405, 413, 500};
  static constexpr int kCodeCount = sizeof(kCodes) / sizeof(kCodes[0]);
  std::atomic<uint64_t> replies[kCodeCount + 1] = {};
  std::atomic<uint64_t> reloads_ok{0};
  std::atomic<uint64_t> reloads_failed{0};
  std::atomic<int64_t> last_reload_ok_unix{0};

  void count_reply(int status) {
    int i = 0;
    while (i < kCodeCount && kCodes[i] != status) ++i;
    replies[i].fetch_add(1, std::memory_order_relaxed);
  }
};

}  // namespace cli::serve
