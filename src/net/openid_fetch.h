// Fetching one openid-config: the discovery document (OpenID Connect
// Discovery 1.0 section 4), then the JWK Set at its jwks_uri (RFC 7517 5).
// Everything a response could get wrong is checked here, before anything
// reaches a validator: a response that fails any check is reported and
// dropped whole, so the keys in use stay as they were (last known good).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "keys/key_set.h"
#include "net/http_client.h"

namespace jwtgate {

struct FetchedKeys {
  std::string issuer;        // the discovery document's issuer (may be Entra's {tenantid} template)
  std::string jwks_uri;
  std::string jwks_text;     // the JWK Set as served, to tell an unchanged set from a new one
  KeySetPtr keys;            // at least one usable signing key
  // One sentence per key of the set that was skipped (index, kid, why) and
  // other warnings of the parser, each naming the jwks_uri.
  std::vector<std::string> warnings;
  int64_t freshness_ms = -1; // the shorter of the two responses' freshness; -1 if neither said
};

// fetch_openid_keys GETs |discovery_url| and then its jwks_uri within
// |limits| (one deadline for both). Returns true with |out| filled, or false
// with |error| naming the URL and the problem: a status other than 200, a
// body that is not a discovery document or JWK Set, a set without usable
// signing keys, or one that holds symmetric secrets (parse_published_jwks).
// A key of the set that cannot be used is skipped: out.warnings names it.
// |cancel| (may be null) abandons the fetch when it turns true.
bool fetch_openid_keys(const std::string& discovery_url, const HttpLimits& limits, FetchedKeys& out,
                       std::string& error, const std::atomic<bool>* cancel = nullptr);

// The checks of each response, shared by the library's own fetches (above)
// and documents a host fetched itself (RemoteKeys::supply): one set of rules
// whoever does the transfer.
//
// accept_discovery_response checks the response for |discovery_url| (status
// 200, within |limits|' size, a discovery document) and fills |out|'s
// issuer, jwks_uri and freshness.
bool accept_discovery_response(const std::string& discovery_url, const HttpResponse& resp,
                               const HttpLimits& limits, FetchedKeys& out, std::string& error);
// accept_jwks_response checks the response for |out|.jwks_uri (status 200,
// size, a JWK Set with at least one usable signing key and no symmetric
// key) and completes |out|: keys, jwks_text, the shorter freshness.
bool accept_jwks_response(const std::string& discovery_url, HttpResponse&& resp,
                          const HttpLimits& limits, FetchedKeys& out, std::string& error);

}  // namespace jwtgate
