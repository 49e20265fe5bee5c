// LoopbackServer: a small HTTP/1.1 server on 127.0.0.1 that answers each
// path the way a test says, including the faults a key fetcher must
// survive: slow answers, error statuses, bodies cut short, endless bodies,
// and no server at all (stop() closes the listener, so connections are
// refused). One request per connection (Connection: close), served one at a
// time on its own thread. Every loop is bounded; the server stops by itself
// after |lifetime_ms| and on destruction.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace jwtgate_test {

struct Reply {
  int status = 200;
  std::string body;
  std::vector<std::string> headers;  // extra "Name: value" lines
  int delay_ms = 0;                  // wait before answering
  // Truncate: announce Content-Length |declared_length| but send |body| only,
  // then close.
  bool truncate = false;
  size_t declared_length = 0;
  // Stream |stream_bytes| of filler ('[' repeated) after |body|, with a
  // Content-Length (or chunked when |chunked|), until the client hangs up.
  size_t stream_bytes = 0;
  bool chunked = false;
};

struct SeenRequest {
  std::string method;
  std::string target;
  std::vector<std::string> headers;  // as received, "Name: value"
  std::string body;
};

class LoopbackServer {
 public:
  explicit LoopbackServer(int64_t lifetime_ms = 180'000);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  // url("/x") is "http://127.0.0.1:PORT/x".
  std::string url(std::string_view path) const;

  // set makes |target| (path and query, exactly as requested) answer |r|.
  void set(const std::string& target, Reply r);
  // ok: 200 with a JSON body.
  void set_json(const std::string& target, std::string json, std::vector<std::string> headers = {});

  size_t hits(const std::string& target) const;
  // bytes_sent: body bytes written for |target| by the last request to it.
  size_t bytes_sent(const std::string& target) const;
  SeenRequest last_request() const;

  // stop closes the listening socket and ends the thread: later connections
  // to port() are refused.
  void stop();

 private:
  void run();
  void serve(int fd);
  bool sleep_unless_stopped(int ms) const;

  int listen_fd_ = -1;
  int port_ = 0;
  int64_t lifetime_ms_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::map<std::string, Reply> replies_;
  std::map<std::string, size_t> hits_;
  std::map<std::string, size_t> sent_;
  SeenRequest last_;
};

}  // namespace jwtgate_test
