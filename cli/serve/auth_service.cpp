#include "auth_service.h"

#include <algorithm>
#include <memory>

#include "claim_header.h"
#include "metrics_text.h"
#include "request_target.h"

namespace cli::serve {

namespace {

// One result and one request per server thread, reused: a validation then
// allocates nothing of its own (jwtgate.h: "reuse it to avoid allocation").
struct ThreadScratch {
  jwtgate_cpp::Result result{jwtgate_result_new()};
  jwtgate_cpp::Request request{jwtgate_request_new()};
};

ThreadScratch& scratch() {
  thread_local ThreadScratch s;
  return s;
}

Reply text(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// header_text makes |s| safe as a header value: a policy's message is free
// text and must not be able to split the response.
std::string header_text(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

}  // namespace

Reply AuthService::handle(const IncomingRequest& req) {
  auto table = routes_.get();
  Reply reply;
  if (!req.original_uri && req.url == "/healthz") {
    reply = text(200, "ok\n");
  } else if (!req.original_uri && req.url == "/metrics") {
    reply = text(200, metrics_text(*table, counters_));
    reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  } else if (req.method != "GET" && req.method != "HEAD" && req.method != "POST" &&
             req.method != "PUT" && req.method != "DELETE" && req.method != "PATCH" &&
             req.method != "OPTIONS") {
    // auth_request keeps the client's method; anything stranger is refused.
    reply = text(405, "Method not allowed.\n");
  } else {
    reply = check(*table, req);
    // Every refusal carries its text in the message header too, for nginx.
    const std::string& mh = table->config.message_header;
    if (reply.status >= 400 && !mh.empty() &&
        std::none_of(reply.headers.begin(), reply.headers.end(),
                     [&](const auto& h) { return h.first == mh; }))
      reply.headers.emplace_back(mh, header_text(reply.body));
  }
  counters_.count_reply(reply.status);
  return reply;
}

Reply AuthService::check(const RouteTable& table, const IncomingRequest& req) {
  const ServeConfig& cfg = table.config;
  RequestTarget target;
  if (req.original_uri) {
    auto t = parse_request_target(*req.original_uri);
    if (!t) return text(400, "Bad X-Original-URI.\n");
    target = std::move(*t);
  } else {
    auto p = normalize_path(req.url);
    if (!p) return text(400, "Bad request path.\n");
    target.path = std::move(*p);
    for (auto [k, v] : req.args) target.query.emplace_back(std::string(k), std::string(v));
  }
  const Route* route = table.match(target.path);
  // Fail closed: a path no policy covers is refused, with a status nginx's
  // auth_request passes on (it turns anything but 2xx/401/403 into 500).
  if (!route) return text(403, "No policy covers this path.\n");

  ThreadScratch& s = scratch();
  jwtgate_request_clear(s.request.get());
  for (auto [name, value] : req.headers)
    (void)jwtgate_request_add_header(s.request.get(), std::string(name).c_str(), value.data(),
                                     value.size());
  for (const auto& [name, value] : target.query)
    (void)jwtgate_request_add_query(s.request.get(), name.c_str(), value.data(), value.size());
  jwtgate_result* r = s.result.get();
  jwtgate_status st = jwtgate_validate_request(route->validator.get(), r, s.request.get(), cfg.now);

  if (st == JWTGATE_OK) {
    Reply ok;
    ok.status = cfg.success_status;
    for (const auto& [claim, header] : route->claim_headers)
      if (auto v = claim_header_value(r, claim.c_str())) ok.headers.emplace_back(header, std::move(*v));
    return ok;
  }
  if (st != JWTGATE_INVALID_TOKEN) return text(500, "Internal error.\n");

  // APIM's answer: the policy's status and message (failed-validation-*).
  Reply no = text(jwtgate_result_http_status(r), jwtgate_result_message(r));
  const jwtgate_reason reason = jwtgate_result_reason(r);
  // nginx discards an auth subrequest's body; these headers are how its
  // auth_request_set hands the message and reason to the error page.
  no.headers.emplace_back("X-Jwtgate-Reason", jwtgate_reason_apim(reason));
  if (cfg.www_authenticate && no.status == 401) {
    // RFC 6750 3.1: a request with no credentials gets a bare challenge, one
    // with a bad token gets error="invalid_token".
    const bool absent = reason == JWTGATE_REASON_TOKEN_NOT_PRESENT;
    no.headers.emplace_back("WWW-Authenticate", absent ? "Bearer" : "Bearer error=\"invalid_token\"");
  }
  return no;
}

}  // namespace cli::serve
