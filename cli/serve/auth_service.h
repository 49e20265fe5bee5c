// AuthService: the answer to one forwarded request. A request that carries
// X-Original-URI is always an authorization check of that URI (nginx's
// auth_request); otherwise /healthz and /metrics are the service's own, and
// any other path is checked as it stands (a direct caller).
#pragma once

#include "http_types.h"
#include "live_routes.h"
#include "service_counters.h"

namespace cli::serve {

class AuthService {
 public:
  AuthService(LiveRoutes& routes, ServiceCounters& counters) : routes_(routes), counters_(counters) {}

  // handle decides |req|. Thread-safe: each thread uses its own result and
  // request objects.
  Reply handle(const IncomingRequest& req);

 private:
  Reply check(const RouteTable& table, const IncomingRequest& req);

  LiveRoutes& routes_;
  ServiceCounters& counters_;
};

}  // namespace cli::serve
