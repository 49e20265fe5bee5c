// The C face of host fetching and of the never-wait mode (the experimental
// block at the end of jwtgate.h): what an event-loop host needs so that no
// validation and no call of its own ever blocks on the network. The work is
// RemoteKeys's (net/remote_keys.h); this file only translates.
#include <cstring>
#include <memory>

#include "capi/capi_types.h"
#include "core/quote.h"
#include "net/http_client.h"
#include "policy/policy_json.h"
#include "policy/policy_xml.h"

using namespace jwtgate;

struct jwtgate_fetch {
  HostFetch f;
};

extern "C" {

jwtgate_status jwtgate_validator_options_set_never_wait(jwtgate_validator_options* o,
                                                        int never_wait) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->opts.remote.never_wait = never_wait != 0;  // jwtgate.h's booleans: non-zero is yes
  return JWTGATE_OK;
}

jwtgate_status jwtgate_validator_options_set_key_source(jwtgate_validator_options* o,
                                                        jwtgate_key_source source) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  switch (source) {
    case JWTGATE_KEY_SOURCE_LIBRARY: o->opts.remote.host_fetches = false; return JWTGATE_OK;
    case JWTGATE_KEY_SOURCE_HOST: o->opts.remote.host_fetches = true; return JWTGATE_OK;
  }
  return JWTGATE_ERR_INVALID_ARGUMENT;
}

jwtgate_status jwtgate_validator_next_fetch(jwtgate_validator* v, jwtgate_fetch** out,
                                            int64_t* wait_ms) {
  if (out) *out = nullptr;
  if (wait_ms) *wait_ms = -1;
  if (!v || !out) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    RemoteKeys* remote = v->v.remote_keys();
    if (!remote) return JWTGATE_ERR_NOT_FOUND;  // nothing to fetch, ever
    if (!remote->options().host_fetches) return JWTGATE_ERR_UNSUPPORTED;
    auto f = std::make_unique<jwtgate_fetch>();
    int64_t wait = -1;
    if (!remote->next_host_fetch(f->f, wait)) {
      if (wait_ms) *wait_ms = wait;
      return JWTGATE_ERR_NOT_FOUND;
    }
    *out = f.release();
    if (wait_ms) *wait_ms = 0;
    return JWTGATE_OK;
  });
}

const char* jwtgate_fetch_url(const jwtgate_fetch* f) { return f ? f->f.url.c_str() : nullptr; }

jwtgate_document_kind jwtgate_fetch_kind(const jwtgate_fetch* f) {
  return f && f->f.jwks ? JWTGATE_DOCUMENT_JWKS : JWTGATE_DOCUMENT_OPENID_CONFIGURATION;
}

const char* jwtgate_fetch_openid_config_url(const jwtgate_fetch* f) {
  return f ? f->f.discovery_url.c_str() : nullptr;
}

int64_t jwtgate_fetch_timeout_ms(const jwtgate_fetch* f) { return f ? f->f.timeout_ms : 0; }

size_t jwtgate_fetch_max_bytes(const jwtgate_fetch* f) {
  return f ? f->f.limits.max_response_bytes : 0;
}

int jwtgate_fetch_max_redirects(const jwtgate_fetch* f) { return f ? f->f.limits.max_redirects : 0; }

void jwtgate_fetch_free(jwtgate_fetch* f) { delete f; }

jwtgate_status jwtgate_validator_supply_document(jwtgate_validator* v, jwtgate_error** err,
                                                 const jwtgate_fetch* f, int http_status,
                                                 const char* body, size_t body_len,
                                                 const char* cache_control, const char* age) {
  clear_error(err);
  if (!v) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the validator is NULL");
  if (!f) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the fetch is NULL");
  if (!body && body_len)
    return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "body is NULL and body_len is not 0");
  return guard(err, __func__, [&] {
    RemoteKeys* remote = v->v.remote_keys();
    if (!remote || !remote->options().host_fetches)
      return fail(err, JWTGATE_ERR_NOT_FOUND, __func__,
                  "this validator does not let the host fetch (JWTGATE_KEY_SOURCE_HOST)");
    std::string error;
    RemoteKeys::Supplied got;
    // The size cap is checked on the length, before anything is copied.
    if (body_len > f->f.limits.max_response_bytes) {
      got = remote->fail(f->f.id,
                         "the response is larger than the " +
                             std::to_string(f->f.limits.max_response_bytes) + "-byte limit",
                         error);
    } else {
      HttpResponse resp;
      resp.status = http_status;
      resp.body.assign(body ? body : "", body_len);
      if (cache_control) resp.cache_control = cache_control;
      if (age) resp.age = age;
      resp.url = f->f.url;
      got = remote->supply(f->f.id, f->f.jwks, std::move(resp), error);
    }
    if (got == RemoteKeys::Supplied::accepted) return JWTGATE_OK;
    Diagnostics diag;
    diag.error(!error.empty() ? error
                              : "the fetch of " + jwtgate::quoted(f->f.url) +
                                    " is not in flight (answered already, or past its deadline)");
    return fail(err,
                got == RemoteKeys::Supplied::unknown ? JWTGATE_ERR_NOT_FOUND : JWTGATE_ERR_NETWORK,
                std::move(diag));
  });
}

jwtgate_status jwtgate_validator_fetch_failed(jwtgate_validator* v, const jwtgate_fetch* f,
                                              const char* why) {
  if (!v || !f) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    RemoteKeys* remote = v->v.remote_keys();
    if (!remote || !remote->options().host_fetches) return JWTGATE_ERR_NOT_FOUND;
    // The host's text reaches key errors and logs: one line, escaped.
    const std::string reason = why ? controls_escaped(why) : std::string("no reason given");
    std::string error;
    return remote->fail(f->f.id, reason, error) == RemoteKeys::Supplied::unknown
               ? JWTGATE_ERR_NOT_FOUND
               : JWTGATE_OK;
  });
}

jwtgate_status jwtgate_validator_wait_keys(const jwtgate_validator* v, uint64_t timeout_ms,
                                           jwtgate_keys_state* state) {
  if (state) *state = JWTGATE_KEYS_STATE_NONE_NEEDED;
  if (!v || !state) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    const RemoteKeys* remote = v->v.remote_keys();
    if (!remote) return JWTGATE_OK;
    constexpr uint64_t kMax = 30ULL * 24 * 3600 * 1000;
    switch (remote->wait_state(static_cast<int64_t>(timeout_ms < kMax ? timeout_ms : kMax))) {
      case KeysState::none_needed: *state = JWTGATE_KEYS_STATE_NONE_NEEDED; break;
      case KeysState::loading: *state = JWTGATE_KEYS_STATE_LOADING; break;
      case KeysState::ready: *state = JWTGATE_KEYS_STATE_READY; break;
      case KeysState::unavailable: *state = JWTGATE_KEYS_STATE_UNAVAILABLE; break;
    }
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_policy_with_clock_skew(jwtgate_policy** out, const jwtgate_policy* p,
                                              int64_t seconds) {
  if (out) *out = nullptr;
  if (!out || !p || !p->policy || seconds < 0 || seconds > 86400) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    auto copy = std::make_shared<Policy>(*p->policy);
    copy->clock_skew = seconds;
    auto h = std::make_unique<jwtgate_policy>();
    h->json = policy_to_json(*copy);
    h->xml = policy_to_xml(*copy);
    h->policy = std::move(copy);
    *out = h.release();
    return JWTGATE_OK;
  });
}

int jwtgate_network_available(void) { return network_available() ? 1 : 0; }

}  // extern "C"
