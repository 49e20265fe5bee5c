// http_fetch of a build without libcurl (meson -Dnetwork=disabled): for
// hosts that fetch keys themselves (JWTGATE_KEY_SOURCE_HOST) and do not want
// libcurl and its dependencies in their process. Every request is refused
// with a sentence that says why; the C API returns JWTGATE_ERR_UNSUPPORTED
// before it gets here.
#include "net/http_client.h"

namespace jwtgate {

bool network_available() { return false; }

bool http_fetch(const HttpRequest& req, const HttpLimits&, HttpResponse& resp, std::string& error) {
  resp = HttpResponse{};
  error = (req.form_body ? "POST " : "GET ") + req.url +
          ": this build of jwtgate has no network support (-Dnetwork=disabled)";
  return false;
}

}  // namespace jwtgate
