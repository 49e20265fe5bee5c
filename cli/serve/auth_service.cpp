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

bool is_original_uri(std::string_view name) {
  constexpr std::string_view kName = "x-original-uri";
  if (name.size() != kName.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kName[i]) return false;
  }
  return true;
}

}  // namespace

Reply AuthService::handle(const IncomingRequest& req) {
  auto table = routes_.get();
  size_t original_uris = 0;
  for (const auto& h : req.headers) original_uris += is_original_uri(h.first);
  Reply reply;
  if (!original_uris && req.url == "/healthz") {
    reply = text(200, "ok\n");
  } else if (!original_uris && req.url == "/metrics") {
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
  // The request to judge: the one in X-Original-URI (nginx), else this one.
  // Two X-Original-URI headers would leave it to chance which one is
  // judged.
  std::string_view uri = req.target;
  size_t original_uris = 0;
  for (const auto& [name, value] : req.headers)
    if (is_original_uri(name)) uri = value, ++original_uris;
  if (original_uris > 1) return text(400, "More than one X-Original-URI.\n");
  const char* what = original_uris ? "X-Original-URI" : "request target";
  RequestTarget target;
  std::string why;
  // A path not in normal form is refused rather than normalised: the
  // upstream gets the raw text and may read it otherwise (docs/serving.md,
  // "Routing").
  if (parse_request_target(uri, target, why) != TargetProblem::none)
    return text(400, std::string("Bad ") + what + ": " + why + ".\n");
  const RouteChoice choice = table.choose(target.path);
  // Fail closed: a path no policy covers is refused, with a status nginx's
  // auth_request passes on (it turns anything but 2xx/401/403 into 500).
  if (choice.kind == RouteChoice::none) return text(403, "No policy covers this path.\n");
  if (choice.kind == RouteChoice::case_split)
    return text(400, std::string("Bad ") + what + ": in another letter case the path is under the route " +
                         table.routes[choice.index].prefix + ".\n");
  const Route* route = &table.routes[choice.index];

  // Every header line and every query entry, repeated names included: the
  // library refuses a token that comes twice.
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
    // A token sent twice is section 3.1's invalid_request ("repeats the same
    // parameter, uses more than one method for including an access token").
    const bool absent = reason == JWTGATE_REASON_TOKEN_NOT_PRESENT;
    const bool twice = reason == JWTGATE_REASON_DUPLICATE_TOKEN;
    no.headers.emplace_back("WWW-Authenticate", absent  ? "Bearer"
                                                : twice ? "Bearer error=\"invalid_request\""
                                                        : "Bearer error=\"invalid_token\"");
  }
  return no;
}

}  // namespace cli::serve
