#include "http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>

#include <microhttpd.h>

#include "serve_log.h"

namespace cli::serve {

namespace {

MHD_Result collect(void* cls, MHD_ValueKind, const char* key, size_t key_size, const char* value,
                   size_t value_size) {
  static_cast<Pairs*>(cls)->emplace_back(std::string_view(key, key_size),
                                         std::string_view(value ? value : "", value ? value_size : 0));
  return MHD_YES;
}

MHD_Result send(MHD_Connection* conn, const Reply& reply) {
  MHD_Response* resp = MHD_create_response_from_buffer(
      reply.body.size(), const_cast<char*>(reply.body.data()), MHD_RESPMEM_MUST_COPY);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply.content_type.c_str());
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  for (const auto& [name, value] : reply.headers)
    MHD_add_response_header(resp, name.c_str(), value.c_str());
  MHD_Result ret = MHD_queue_response(conn, unsigned(reply.status), resp);
  MHD_destroy_response(resp);
  return ret;
}

// An authorization check has no body: nginx is told not to send one
// (proxy_pass_request_body off). One that comes anyway is refused at once,
// before it is read, so nobody can keep a thread busy uploading.
bool has_body(MHD_Connection* conn) {
  const char* te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
  if (te) return true;
  const char* cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  return cl && std::strcmp(cl, "0") != 0;
}

// RequestState: one per request, made by on_request_line and freed by
// on_completed. libmicrohttpd hands the handler the path already
// percent-decoded and the query already split and decoded; a path has to be
// judged in the form the upstream receives, and every query entry passed on
// as sent, so the request target is kept as it came.
struct RequestState {
  std::string target;
  bool headers_seen = false;
};

// on_request_line runs once per request, on the raw request target, before
// libmicrohttpd modifies it (MHD_OPTION_URI_LOG_CALLBACK); what it returns
// is the request's *con_cls.
void* on_request_line(void*, const char* uri, MHD_Connection*) {
  try {
    return new RequestState{uri ? uri : "", false};
  } catch (...) {
    return nullptr;  // on_request answers 500
  }
}

void on_completed(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<RequestState*>(*con_cls);
  *con_cls = nullptr;
}

MHD_Result on_request(void* cls, MHD_Connection* conn, const char* url, const char* method,
                      const char*, const char*, size_t* upload_data_size, void** con_cls) {
  auto* service = static_cast<AuthService*>(cls);
  auto* state = static_cast<RequestState*>(*con_cls);
  if (!state) {
    Reply r;
    r.status = 500;
    r.body = "Internal error.\n";
    return send(conn, r);
  }
  if (!state->headers_seen) {
    // First call: the headers are in. A response queued now would make
    // libmicrohttpd discard the rest of the request and close the
    // connection, so the answer waits for the second call, which keeps the
    // connection alive for nginx's keepalive pool. A body, though, is
    // refused at once, before it is read.
    state->headers_seen = true;
    if (has_body(conn)) {
      Reply r;
      r.status = 413;
      r.body = "jwtgate serve takes no request body.\n";
      return send(conn, r);
    }
    return MHD_YES;
  }
  if (*upload_data_size != 0) return MHD_NO;  // a body after all: drop the connection
  IncomingRequest req;
  req.method = method;
  req.url = url;
  req.target = state->target;
  // Every header line, repeated names included: libmicrohttpd keeps each
  // line as its own entry and merges none.
  MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect, &req.headers);
  return send(conn, service->handle(req));
}

void mhd_log(void*, const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  size_t n = std::strlen(buf);
  while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
  log_line(std::string("libmicrohttpd: ") + buf);
}

}  // namespace

bool HttpServer::start(const ListenAddress& address, const Limits& limits) {
  sockaddr_storage ss{};
  if (address.ipv6) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&ss);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(address.port);
    if (inet_pton(AF_INET6, address.host.c_str(), &a6->sin6_addr) != 1) {
      log_line("listen: \"" + address.host + "\" is not an IPv6 address");
      return false;
    }
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&ss);
    a4->sin_family = AF_INET;
    a4->sin_port = htons(address.port);
    const std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
    if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) != 1) {
      log_line("listen: \"" + address.host + "\" is not an IPv4 address");
      return false;
    }
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (address.ipv6) flags |= MHD_USE_IPv6;
  // Cast the variadic arguments to the exact types MHD reads (unsigned int,
  // size_t): a mismatch there is undefined behaviour.
  daemon_ = MHD_start_daemon(
      flags, address.port, nullptr, nullptr, &on_request, &service_,
      // The logger first, so that MHD reports problems with later options
      // through it.
      MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, nullptr,
      MHD_OPTION_URI_LOG_CALLBACK, &on_request_line, nullptr,
      MHD_OPTION_NOTIFY_COMPLETED, static_cast<MHD_RequestCompletedCallback>(&on_completed), nullptr,
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&ss),
      MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned int>(limits.threads),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(limits.connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned int>(limits.connections_per_ip),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(limits.idle_timeout_s),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(limits.connection_memory_bytes),
      // Strict parsing: an HTTP/1.1 request without Host, or with a space
      // before a header's colon, gets 400 instead of a guess.
      MHD_OPTION_STRICT_FOR_CLIENT, 1,
      MHD_OPTION_END);
  if (!daemon_) {
    log_line("cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " +
             std::strerror(errno));
    return false;
  }
  return true;
}

void HttpServer::stop() {
  if (daemon_) MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

uint16_t HttpServer::port() const {
  if (!daemon_) return 0;
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  return info ? info->port : 0;
}

}  // namespace cli::serve
