// The C face of network key fetching (net/remote_keys.h) and of the
// client-credentials grant (net/client_credentials.h).
#include <openssl/crypto.h>

#include <cstring>
#include <memory>

#include "capi/capi_types.h"
#include "net/client_credentials.h"
#include "net/http_client.h"

using namespace jwtgate;

struct jwtgate_token_request {
  std::string endpoint;
  std::string tenant;
  ClientCredentialsRequest req;  // client_id, secret (wiped), scope, resource, auth, limits
};

struct jwtgate_token_response {
  TokenResponse r;
};

namespace {

constexpr uint64_t kMaxDurationMs = 30ULL * 24 * 3600 * 1000;

bool duration_ok(uint64_t v) { return v >= 1 && v <= kMaxDurationMs; }

// duration_setting: the field a duration setting (milliseconds, from 1 to
// kMaxDurationMs) sets, or null for a setting of another kind.
int64_t* duration_setting(RemoteKeyOptions& r, jwtgate_key_setting setting) {
  switch (setting) {
    case JWTGATE_KEYS_REFRESH_INTERVAL_MS: return &r.schedule.refresh_interval_ms;
    case JWTGATE_KEYS_MIN_REFRESH_INTERVAL_MS: return &r.schedule.min_refresh_interval_ms;
    case JWTGATE_KEYS_MIN_REFETCH_INTERVAL_MS: return &r.schedule.min_refetch_interval_ms;
    case JWTGATE_KEYS_MAX_STALENESS_MS: return &r.schedule.max_staleness_ms;
    case JWTGATE_KEYS_FIRST_LOAD_TIMEOUT_MS: return &r.first_load_timeout_ms;
    case JWTGATE_KEYS_FETCH_TIMEOUT_MS: return &r.http.timeout_ms;
    case JWTGATE_KEYS_MAX_RESPONSE_BYTES:
    case JWTGATE_KEYS_MAX_REDIRECTS:
    case JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK:
      break;
  }
  return nullptr;
}

// errors_out: JWTGATE_ERR_NETWORK with |messages| in *err, or JWTGATE_OK
// when there are none.
jwtgate_status errors_out(jwtgate_error** err, const std::vector<std::string>& messages) {
  if (messages.empty()) return JWTGATE_OK;
  Diagnostics diag;
  for (const std::string& m : messages) diag.error(m);
  return fail(err, JWTGATE_ERR_NETWORK, std::move(diag));
}

}  // namespace

extern "C" {

jwtgate_status jwtgate_validator_options_set_key_setting(jwtgate_validator_options* o,
                                                        jwtgate_key_setting setting,
                                                        uint64_t value) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  RemoteKeyOptions& r = o->opts.remote;
  if (int64_t* duration = duration_setting(r, setting)) {
    if (!duration_ok(value)) return JWTGATE_ERR_INVALID_ARGUMENT;
    *duration = static_cast<int64_t>(value);
    return JWTGATE_OK;
  }
  switch (setting) {  // the others (duration_setting lists every setting)
    case JWTGATE_KEYS_MAX_RESPONSE_BYTES:
      if (value < 1024 || value > 64ULL * 1024 * 1024) return JWTGATE_ERR_INVALID_ARGUMENT;
      r.http.max_response_bytes = static_cast<size_t>(value);
      return JWTGATE_OK;
    case JWTGATE_KEYS_MAX_REDIRECTS:
      if (value > 10) return JWTGATE_ERR_INVALID_ARGUMENT;
      r.http.max_redirects = static_cast<int>(value);
      return JWTGATE_OK;
    case JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK:
      if (value > 1) return JWTGATE_ERR_INVALID_ARGUMENT;
      r.http.allow_http_loopback = value == 1;
      return JWTGATE_OK;
    default:
      break;
  }
  return JWTGATE_ERR_INVALID_ARGUMENT;
}

jwtgate_status jwtgate_validator_refresh_keys(jwtgate_validator* v, jwtgate_error** err, int force) {
  clear_error(err);
  if (!v) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the validator is NULL");
  return guard(err, __func__, [&] {
    RemoteKeys* remote = v->v.remote_keys();
    if (!remote) return JWTGATE_OK;
    if (remote->options().host_fetches)
      return fail(err, JWTGATE_ERR_UNSUPPORTED, __func__,
                  "the host fetches this validator's keys (JWTGATE_KEY_SOURCE_HOST)");
    if (!network_available())
      return fail(err, JWTGATE_ERR_UNSUPPORTED, __func__,
                  "this build of jwtgate has no network (-Dnetwork=disabled)");
    std::vector<std::string> errors;
    remote->refresh(force != 0, &errors);
    return errors_out(err, errors);
  });
}

jwtgate_status jwtgate_validator_start_refresh_thread(jwtgate_validator* v) {
  if (!v) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    RemoteKeys* remote = v->v.remote_keys();
    if (!remote) return JWTGATE_OK;
    // Host fetch mode, a build without network, and a child forked while
    // the thread ran (the thread stayed in the parent) or another thread
    // refreshed cannot start one.
    if (remote->options().host_fetches || !network_available() || remote->forked_while_busy())
      return JWTGATE_ERR_UNSUPPORTED;
    return remote->start_thread(nullptr) ? JWTGATE_OK : JWTGATE_ERR_INTERNAL;
  });
}

jwtgate_status jwtgate_validator_stop_refresh_thread(jwtgate_validator* v) {
  if (!v) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    if (RemoteKeys* remote = v->v.remote_keys()) remote->stop_thread();
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_validator_get_key_counters(const jwtgate_validator* v,
                                                  jwtgate_key_counters* out) {
  if (!v || !out || out->struct_size < sizeof(out->struct_size)) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    jwtgate_key_counters c;
    std::memset(&c, 0, sizeof c);
    if (const RemoteKeys* remote = v->v.remote_keys()) {
      const KeyCounters k = remote->counters();
      c.fetches = k.fetches;
      c.failures = k.failures;
      c.kid_misses = k.kid_misses;
      c.keys_loaded = k.keys_loaded;
      c.sources = k.sources;
      c.sources_usable = k.sources_usable;
      c.last_success = k.last_success_unix_ms / 1000;
      c.last_failure = k.last_failure_unix_ms / 1000;
      c.next_fetch = k.next_fetch_unix_ms / 1000;
    }
    // A caller built against an older header passes a smaller struct.
    const size_t n = out->struct_size < sizeof c ? out->struct_size : sizeof c;
    c.struct_size = out->struct_size;
    std::memcpy(out, &c, n);
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_validator_key_errors(const jwtgate_validator* v, jwtgate_error** out) {
  clear_error(out);  // |out| is freed on entry, like an err (jwtgate.h)
  if (!v || !out) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    const RemoteKeys* remote = v->v.remote_keys();
    if (!remote) return JWTGATE_OK;
    Diagnostics diag;
    for (const std::string& m : remote->last_errors()) diag.error(m);
    for (const std::string& m : remote->key_warnings()) diag.warn(m);
    if (!diag.empty()) *out = std::make_unique<jwtgate_error>(std::move(diag)).release();
    return JWTGATE_OK;
  });
}

jwtgate_token_request* jwtgate_token_request_new(void) { return new_handle<jwtgate_token_request>(); }

void jwtgate_token_request_free(jwtgate_token_request* t) { delete t; }

jwtgate_status jwtgate_token_request_set(jwtgate_token_request* t, jwtgate_token_field field,
                                         const char* value, size_t value_len) {
  if (!t || (!value && value_len)) return JWTGATE_ERR_INVALID_ARGUMENT;
  const std::string_view v(value ? value : "", value_len);
  if (v.find('\0') != std::string_view::npos) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    switch (field) {
      case JWTGATE_TOKEN_ENDPOINT: t->endpoint.assign(v); return JWTGATE_OK;
      case JWTGATE_TOKEN_TENANT: t->tenant.assign(v); return JWTGATE_OK;
      case JWTGATE_TOKEN_CLIENT_ID: t->req.client_id.assign(v); return JWTGATE_OK;
      case JWTGATE_TOKEN_CLIENT_SECRET: {
        // Assigning in place could leave the old secret in a freed buffer.
        std::string fresh(v);
        std::swap(fresh, t->req.client_secret);
        if (!fresh.empty()) OPENSSL_cleanse(fresh.data(), fresh.size());
        return JWTGATE_OK;
      }
      case JWTGATE_TOKEN_SCOPE: t->req.scope.assign(v); return JWTGATE_OK;
      case JWTGATE_TOKEN_RESOURCE: t->req.resource.assign(v); return JWTGATE_OK;
    }
    return JWTGATE_ERR_INVALID_ARGUMENT;
  });
}

jwtgate_status jwtgate_token_request_set_option(jwtgate_token_request* t,
                                                jwtgate_token_option option, uint64_t value) {
  if (!t) return JWTGATE_ERR_INVALID_ARGUMENT;
  switch (option) {
    case JWTGATE_TOKEN_TIMEOUT_MS:
      if (!duration_ok(value) || value > 600'000) return JWTGATE_ERR_INVALID_ARGUMENT;
      t->req.limits.timeout_ms = static_cast<int64_t>(value);
      return JWTGATE_OK;
    case JWTGATE_TOKEN_ALLOW_HTTP_LOOPBACK:
      if (value > 1) return JWTGATE_ERR_INVALID_ARGUMENT;
      t->req.limits.allow_http_loopback = value == 1;
      return JWTGATE_OK;
  }
  return JWTGATE_ERR_INVALID_ARGUMENT;
}

jwtgate_status jwtgate_token_request_set_client_auth(jwtgate_token_request* t,
                                                     jwtgate_client_auth auth) {
  if (!t) return JWTGATE_ERR_INVALID_ARGUMENT;
  switch (auth) {
    case JWTGATE_CLIENT_SECRET_POST: t->req.auth = ClientAuth::SecretPost; return JWTGATE_OK;
    case JWTGATE_CLIENT_SECRET_BASIC: t->req.auth = ClientAuth::SecretBasic; return JWTGATE_OK;
  }
  return JWTGATE_ERR_INVALID_ARGUMENT;
}

jwtgate_status jwtgate_client_credentials(jwtgate_token_response** out, jwtgate_error** err,
                                          const jwtgate_token_request* t) {
  if (jwtgate_status s = start_out(err, out, __func__)) return s;
  if (!t) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the request is NULL");
  if (!network_available())
    return fail(err, JWTGATE_ERR_UNSUPPORTED, __func__,
                "this build of jwtgate has no network (-Dnetwork=disabled)");
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::string endpoint = t->endpoint;
    if (!t->endpoint.empty() && !t->tenant.empty()) {
      diag.error("give either a token endpoint or a tenant, not both");
    } else if (!t->tenant.empty()) {
      std::string why;
      endpoint = entra_token_endpoint(t->tenant, why);
      if (endpoint.empty()) diag.error(why);
    } else if (endpoint.empty()) {
      diag.error("no token endpoint and no tenant given");
    }
    if (t->req.client_id.empty()) diag.error("no client ID given");
    if (t->req.client_secret.empty()) diag.error("no client secret given");
    if (diag.has_errors()) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, std::move(diag));
    // The request object is const to the caller; the endpoint is resolved
    // into a private copy of the settings that wipes its secret.
    ClientCredentialsRequest req;
    req.token_endpoint = endpoint;
    req.client_id = t->req.client_id;
    req.client_secret = t->req.client_secret;
    req.scope = t->req.scope;
    req.resource = t->req.resource;
    req.auth = t->req.auth;
    req.limits = t->req.limits;
    auto resp = std::make_unique<jwtgate_token_response>();
    std::string error;
    if (!request_client_credentials(req, resp->r, error)) {
      diag.error(error);
      return fail(err, JWTGATE_ERR_NETWORK, std::move(diag));
    }
    *out = resp.release();
    return JWTGATE_OK;
  });
}

const char* jwtgate_token_response_access_token(const jwtgate_token_response* r) {
  return r ? r->r.access_token.c_str() : nullptr;
}

const char* jwtgate_token_response_json(const jwtgate_token_response* r) {
  return r ? r->r.json.c_str() : nullptr;
}

int64_t jwtgate_token_response_expires_in(const jwtgate_token_response* r) {
  return r ? r->r.expires_in : -1;
}

void jwtgate_token_response_free(jwtgate_token_response* r) {
  if (!r) return;
  // The access token is a credential too.
  if (!r->r.access_token.empty()) OPENSSL_cleanse(r->r.access_token.data(), r->r.access_token.size());
  if (!r->r.json.empty()) OPENSSL_cleanse(r->r.json.data(), r->r.json.size());
  delete r;
}

}  // extern "C"
