#include "serve_log.h"

#include <unistd.h>

#include <ctime>

namespace cli::serve {

void log_line(const std::string& message) {
  char stamp[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::string line = std::string(stamp) + " jwtgate serve: " + message + "\n";
  // One write(2) per line: stdio buffers could split a line between threads.
  const char* p = line.data();
  size_t left = line.size();
  while (left) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;
    p += n;
    left -= size_t(n);
  }
}

}  // namespace cli::serve
