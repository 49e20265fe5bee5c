#include "loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace jwtgate_test {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

// send_all writes everything unless the peer hangs up (MSG_NOSIGNAL: a
// client that went away must not kill the test with SIGPIPE).
bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

LoopbackServer::LoopbackServer(int64_t lifetime_ms) : lifetime_ms_(lifetime_ms) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1 only, never a public interface
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

LoopbackServer::~LoopbackServer() { stop(); }

std::string LoopbackServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void LoopbackServer::set(const std::string& target, Reply r) {
  std::lock_guard<std::mutex> lk(mu_);
  replies_[target] = std::move(r);
}

void LoopbackServer::set_json(const std::string& target, std::string json,
                              std::vector<std::string> headers) {
  Reply r;
  r.body = std::move(json);
  r.headers = std::move(headers);
  r.headers.push_back("Content-Type: application/json");
  set(target, std::move(r));
}

size_t LoopbackServer::hits(const std::string& target) const {
  std::lock_guard<std::mutex> lk(mu_);
  auto it = hits_.find(target);
  return it == hits_.end() ? 0 : it->second;
}

size_t LoopbackServer::bytes_sent(const std::string& target) const {
  std::lock_guard<std::mutex> lk(mu_);
  auto it = sent_.find(target);
  return it == sent_.end() ? 0 : it->second;
}

SeenRequest LoopbackServer::last_request() const {
  std::lock_guard<std::mutex> lk(mu_);
  return last_;
}

void LoopbackServer::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

bool LoopbackServer::sleep_unless_stopped(int ms) const {
  const int64_t end = now_ms() + ms;
  while (now_ms() < end) {
    if (stop_) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return !stop_;
}

void LoopbackServer::run() {
  const int64_t end = now_ms() + lifetime_ms_;
  while (!stop_ && now_ms() < end) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    serve(fd);
    ::close(fd);
  }
}

void LoopbackServer::serve(int fd) {
  // Read the request head (and a body of Content-Length bytes), bounded.
  std::string in;
  char buf[16384];
  size_t head_end = std::string::npos;
  const int64_t give_up = now_ms() + 5'000;
  while (head_end == std::string::npos && in.size() < 65536 && now_ms() < give_up && !stop_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, static_cast<size_t>(n));
    // A TLS ClientHello (record type 0x16) on this plain port: answer in
    // plain HTTP at once, as web servers do, so the client's handshake fails.
    if (static_cast<unsigned char>(in[0]) == 0x16) {
      send_all(fd, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return;
    }
    head_end = in.find("\r\n\r\n");
  }
  if (head_end == std::string::npos) return;
  SeenRequest req;
  const std::string head = in.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const size_t sp1 = request_line.find(' ');
  const size_t sp2 = request_line.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos) return;
  req.method = request_line.substr(0, sp1);
  req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t content_length = 0;
  while (line_end != std::string::npos && line_end < head.size()) {
    const size_t next = head.find("\r\n", line_end + 2);
    const std::string line =
        head.substr(line_end + 2, (next == std::string::npos ? head.size() : next) - line_end - 2);
    req.headers.push_back(line);
    if (line.size() > 15 && (line.compare(0, 15, "Content-Length:") == 0 ||
                             line.compare(0, 15, "content-length:") == 0))
      content_length = std::stoul(line.substr(15));
    line_end = next;
  }
  req.body = in.substr(head_end + 4);
  while (req.body.size() < content_length && req.body.size() < 65536 && now_ms() < give_up && !stop_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    req.body.append(buf, static_cast<size_t>(n));
  }

  Reply r;
  bool found;
  {
    std::lock_guard<std::mutex> lk(mu_);
    ++hits_[req.target];
    last_ = req;
    auto it = replies_.find(req.target);
    found = it != replies_.end();
    if (found) r = it->second;
  }
  if (!found) {
    r.status = 404;
    r.body = "{\"error\":\"no such path\"}";
  }
  if (r.delay_ms > 0 && !sleep_unless_stopped(r.delay_ms)) return;

  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
  for (const std::string& h : r.headers) out += h + "\r\n";
  out += "Connection: close\r\n";
  size_t sent = 0;
  if (r.stream_bytes && r.chunked) {
    out += "Transfer-Encoding: chunked\r\n\r\n";
    if (!send_all(fd, out)) return;
    const std::string filler(65536, '[');
    while (sent < r.stream_bytes && !stop_) {
      char size_line[32];
      std::snprintf(size_line, sizeof size_line, "%zx\r\n", filler.size());
      if (!send_all(fd, size_line) || !send_all(fd, filler) || !send_all(fd, "\r\n")) break;
      sent += filler.size();
    }
  } else if (r.stream_bytes) {
    out += "Content-Length: " + std::to_string(r.body.size() + r.stream_bytes) + "\r\n\r\n" + r.body;
    if (!send_all(fd, out)) return;
    const std::string filler(65536, '[');
    while (sent < r.stream_bytes && !stop_) {
      if (!send_all(fd, filler)) break;
      sent += filler.size();
    }
  } else {
    const size_t length = r.truncate ? r.declared_length : r.body.size();
    out += "Content-Length: " + std::to_string(length) + "\r\n\r\n" + r.body;
    send_all(fd, out);
    sent = r.body.size();
  }
  std::lock_guard<std::mutex> lk(mu_);
  sent_[req.target] = sent;
}

}  // namespace jwtgate_test
