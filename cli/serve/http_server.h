// HttpServer: libmicrohttpd speaking HTTP/1.1 for the AuthService. epoll
// with a small thread pool: a slow or idle client holds a socket and some
// memory, never a thread, and the limits bound how many it may hold.
#pragma once

#include <cstdint>

#include "auth_service.h"
#include "serve_config.h"

struct MHD_Daemon;

namespace cli::serve {

class HttpServer {
 public:
  explicit HttpServer(AuthService& service) : service_(service) {}
  ~HttpServer() { stop(); }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // start binds |address| and serves until stop(). Returns false (and
  // logs why) when the address cannot be bound. Limits are fixed at start:
  // a reload does not rebind or change them.
  bool start(const ListenAddress& address, const Limits& limits);
  void stop();
  // port returns the bound port (the real one when 0 was asked for).
  uint16_t port() const;

 private:
  AuthService& service_;
  MHD_Daemon* daemon_ = nullptr;
};

}  // namespace cli::serve
