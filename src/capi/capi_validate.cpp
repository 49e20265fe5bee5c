// Validators, requests and the validate calls.
#include <chrono>

#include "capi/capi_types.h"
#include "capi/result_handle.h"
#include "net/http_client.h"

using namespace jwtgate;

namespace {

// observed runs one validation with the validator's metrics and trace: a
// clock read on each side (LatencyClock: the TSC where it is sound) and a
// few relaxed increments when metrics are on; the trace (off by default)
// pays for its own text.
template <typename Fn>
jwtgate_status observed(const jwtgate_validator* v, jwtgate_result* r, Fn&& validate) {
  if (v->clock == nullptr) return validate() ? JWTGATE_OK : JWTGATE_INVALID_TOKEN;
  const uint64_t t0 = v->clock->now();
  const bool ok = validate();
  const uint64_t ns = v->clock->to_nanoseconds(v->clock->now() - t0);
  if (v->metrics) v->metrics->record(r->r.reason, ns);
  if (v->observe.trace) emit_trace(v->observe, r->r, ns);
  return ok ? JWTGATE_OK : JWTGATE_INVALID_TOKEN;
}

int64_t resolve_now(int64_t now) {
  if (now != JWTGATE_NOW) return now;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// check_new_validator: the argument checks of both validator constructors
// (start_out, then a policy); the messages name |function|.
jwtgate_status check_new_validator(jwtgate_error** err, jwtgate_validator** out,
                                   const jwtgate_policy* policy, const char* function) {
  if (jwtgate_status s = start_out(err, out, function)) return s;
  if (!policy || !policy->policy)
    return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, function, "no policy given");
  return JWTGATE_OK;
}

// add_pair adds a header or a query parameter (|add|) to a request: a
// NULL value is the empty value when |value_len| is 0.
jwtgate_status add_pair(jwtgate_request* req, void (Request::*add)(std::string_view, std::string_view),
                        const char* name, const char* value, size_t value_len) {
  if (!req || !name || (!value && value_len)) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    (req->req.*add)(name, std::string_view(value ? value : "", value_len));
    return JWTGATE_OK;
  });
}

}  // namespace

extern "C" {

jwtgate_validator_options* jwtgate_validator_options_new(void) {
  return new_handle<jwtgate_validator_options>();
}

void jwtgate_validator_options_free(jwtgate_validator_options* o) { delete o; }

jwtgate_status jwtgate_validator_options_set_cache_entries(jwtgate_validator_options* o,
                                                           size_t entries) {
  if (!o || entries > 10 * 1000 * 1000) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->opts.cache_entries = entries;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_new_with_options(jwtgate_validator** out, jwtgate_error** err,
                                                  const jwtgate_policy* policy,
                                                  const jwtgate_keyset* keys,
                                                  const jwtgate_validator_options* opts) {
  if (jwtgate_status s = check_new_validator(err, out, policy, __func__)) return s;
  return guard(err, __func__, [&] {
    static const ValidatorOptions kDefaults;
    auto v = std::make_unique<jwtgate_validator>(policy->policy, keys ? keys->set : nullptr,
                                                 opts ? opts->opts : kDefaults);
    if (const RemoteKeys* remote = v->v.remote_keys();
        remote && !remote->options().host_fetches && !network_available()) {
      Diagnostics diag;
      diag.error("the policy's openid-config must be fetched, and this build of jwtgate has no "
                 "network (-Dnetwork=disabled): supply the documents offline "
                 "(jwtgate_load_options_set_document) or let the host fetch them "
                 "(JWTGATE_KEY_SOURCE_HOST)");
      return fail(err, JWTGATE_ERR_UNSUPPORTED, std::move(diag));
    }
    if (opts) v->observe = opts->observe;
    if (v->observe.metrics) v->metrics = std::make_unique<Metrics>();
    if (v->metrics || v->observe.trace) v->clock = &LatencyClock::instance();
    *out = v.release();
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_validator_new(jwtgate_validator** out, jwtgate_error** err,
                                     const jwtgate_policy* policy, const jwtgate_keyset* keys) {
  if (jwtgate_status s = check_new_validator(err, out, policy, __func__)) return s;
  return jwtgate_validator_new_with_options(out, err, policy, keys, nullptr);
}

jwtgate_status jwtgate_validator_set_keys(jwtgate_validator* v, const jwtgate_keyset* keys) {
  if (!v) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    v->v.set_keys(keys ? keys->set : nullptr);
    return JWTGATE_OK;
  });
}

void jwtgate_validator_free(jwtgate_validator* v) { delete v; }

jwtgate_request* jwtgate_request_new(void) { return new_handle<jwtgate_request>(); }
void jwtgate_request_free(jwtgate_request* req) { delete req; }
void jwtgate_request_clear(jwtgate_request* req) {
  if (req) req->req.clear();
}

jwtgate_status jwtgate_request_add_header(jwtgate_request* req, const char* name,
                                          const char* value, size_t value_len) {
  return add_pair(req, &Request::add_header, name, value, value_len);
}

jwtgate_status jwtgate_request_add_query(jwtgate_request* req, const char* name,
                                         const char* value, size_t value_len) {
  return add_pair(req, &Request::add_query, name, value, value_len);
}

jwtgate_status jwtgate_validate_token(const jwtgate_validator* v, jwtgate_result* r,
                                      const char* token, size_t token_len, int64_t now) {
  if (!v || !r || (!token && token_len)) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    return observed(v, r, [&] {
      return v->v.validate_token(std::string_view(token ? token : "", token_len), resolve_now(now), r->r);
    });
  });
}

jwtgate_status jwtgate_validate_request(const jwtgate_validator* v, jwtgate_result* r,
                                        const jwtgate_request* req, int64_t now) {
  if (!v || !r || !req) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    return observed(v, r, [&] { return v->v.validate_request(req->req, resolve_now(now), r->r); });
  });
}

}  // extern "C"

extern "C" jwtgate_status jwtgate_decode(jwtgate_result* r, const char* token, size_t token_len) {
  if (!r || (!token && token_len)) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    Result& res = r->r;
    res.reset();
    res.mask.reset();  // no validator, no masked claims
    res.token_source = "token";
    // Decoding is for people reading a token: the widest limits we ever
    // validate with, and no verdict.
    TokenLimits limits;
    limits.max_token_bytes = 1024 * 1024;
    limits.max_json_depth = 64;
    ParseFailure pf;
    bool ok = res.parser.parse(std::string_view(token ? token : "", token_len), limits, res.token, pf);
    res.header_available = res.parser.header_parsed();
    res.claims_available = res.parser.payload_parsed();
    if (!ok) res.failures.add(pf.reason, pf.subject) = std::move(pf.detail);
    res.reason = ok ? JWTGATE_REASON_NONE : pf.reason;
    res.http_status = 401;
    return ok ? JWTGATE_OK : JWTGATE_INVALID_TOKEN;
  });
}
