#include "net/openid_fetch.h"

#include <algorithm>
#include <chrono>

#include "discovery/discovery_document.h"
#include "keys/key_parsers.h"
#include "net/cache_control.h"

namespace jwtgate {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// joined: the errors of |diag| (and its warnings after them, when
// |warnings|), each without |prefix| (the parsers name their input; our
// message names it with its URL already).
std::string joined(const Diagnostics& diag, std::string_view prefix, bool warnings = false) {
  std::string out;
  for (int pass = 0; pass < (warnings ? 2 : 1); ++pass) {
    for (const Diagnostic& d : diag.items()) {
      if (d.warning != (pass == 1)) continue;
      std::string_view m = d.message;
      if (m.substr(0, prefix.size()) == prefix) m.remove_prefix(prefix.size());
      if (!out.empty()) out += "; ";
      out += m;
    }
  }
  return out;
}

// fetched refuses a response that is not a 200 or is over the size cap: a
// 404 page or a 500 error body must not be parsed as if it were the
// document. The cap is enforced while a body streams in by http_fetch; a
// host's document is checked here.
bool fetched(const std::string& url, const HttpResponse& resp, const HttpLimits& limits,
             const char* what, std::string& error) {
  if (resp.status != 200) {
    error = std::string(what) + ": GET " + url + " answered HTTP " + std::to_string(resp.status) +
            " (expected 200)";
    return false;
  }
  if (resp.body.size() > limits.max_response_bytes) {
    error = std::string(what) + ": GET " + url + ": the response is larger than the " +
            std::to_string(limits.max_response_bytes) + "-byte limit";
    return false;
  }
  return true;
}

bool get(const std::string& url, const HttpLimits& limits, const char* what, HttpResponse& resp,
         std::string& error, const std::atomic<bool>* cancel) {
  if (!http_fetch(HttpRequest{url, nullptr, {}, cancel}, limits, resp, error)) {
    error = std::string(what) + ": " + error;
    return false;
  }
  return true;
}

int64_t shorter(int64_t a, int64_t b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return std::min(a, b);
}

}  // namespace

bool accept_discovery_response(const std::string& discovery_url, const HttpResponse& resp,
                               const HttpLimits& limits, FetchedKeys& out, std::string& error) {
  if (!fetched(discovery_url, resp, limits, "discovery document", error)) return false;
  DiscoveryDocument doc;
  Diagnostics diag;
  if (!parse_discovery_document(resp.body, discovery_url, doc, diag)) {
    error = "discovery document at " + discovery_url + " " + joined(diag, "discovery document ");
    return false;
  }
  out = FetchedKeys{};
  out.issuer = doc.issuer;
  out.jwks_uri = doc.jwks_uri;
  out.freshness_ms = freshness_ms(resp.cache_control, resp.age);
  return true;
}

bool accept_jwks_response(const std::string& discovery_url, HttpResponse&& resp,
                          const HttpLimits& limits, FetchedKeys& out, std::string& error) {
  if (!fetched(out.jwks_uri, resp, limits, "JWK Set", error)) {
    error += " (jwks_uri of " + discovery_url + ")";
    return false;
  }
  // The rules of a published set (keys/key_parsers.h), shared with offline
  // copies: a bad key is skipped and named, a set without a usable key or
  // with a symmetric (oct) key is refused whole, so the keys in use stay.
  // A refused set's error names the keys it skipped too.
  std::vector<Key> keys;
  Diagnostics jwks_diag;
  if (!parse_published_jwks(resp.body, keys, jwks_diag)) {
    error = "JWK Set at " + out.jwks_uri + ": " + joined(jwks_diag, "JWK Set: ", true);
    return false;
  }
  for (const Diagnostic& d : jwks_diag.items())
    if (d.warning) out.warnings.push_back("JWK Set at " + out.jwks_uri + ": " + d.message);
  for (Key& k : keys) k.origin = out.jwks_uri + " " + k.origin;
  out.freshness_ms = shorter(out.freshness_ms, freshness_ms(resp.cache_control, resp.age));
  out.jwks_text = std::move(resp.body);
  out.keys = std::make_shared<const KeySet>(std::move(keys));
  return true;
}

bool fetch_openid_keys(const std::string& discovery_url, const HttpLimits& limits, FetchedKeys& out,
                       std::string& error, const std::atomic<bool>* cancel) {
  const int64_t deadline = steady_ms() + limits.timeout_ms;
  HttpResponse resp;
  if (!get(discovery_url, limits, "discovery document", resp, error, cancel)) return false;
  FetchedKeys got;
  if (!accept_discovery_response(discovery_url, resp, limits, got, error)) return false;

  HttpLimits rest = limits;
  rest.timeout_ms = deadline - steady_ms();
  if (rest.timeout_ms <= 0) {
    error = "JWK Set at " + got.jwks_uri + ": no time left of the " +
            std::to_string(limits.timeout_ms) + " ms allowed after the discovery document";
    return false;
  }
  if (!get(got.jwks_uri, rest, "JWK Set", resp, error, cancel)) {
    error += " (jwks_uri of " + discovery_url + ")";
    return false;
  }
  if (!accept_jwks_response(discovery_url, std::move(resp), limits, got, error)) return false;
  out = std::move(got);
  return true;
}

}  // namespace jwtgate
