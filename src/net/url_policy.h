// Which URLs jwtgate fetches keys and tokens from. Keys decide who may call
// an API, so they travel over TLS with the certificate verified; the only
// exception is plain http to this machine's loopback interface, and only
// when the host asked for it (tests, a local identity provider), because a
// loopback connection never leaves the machine.
#pragma once

#include <string>
#include <string_view>

namespace jwtgate {

struct UrlCheck {
  bool ok = false;
  bool loopback = false;  // the host is 127.0.0.0/8, ::1 or localhost
  bool https = false;
  std::string why;        // when !ok: one sentence naming the URL
};

// check_fetch_url parses |url| with libcurl's own URL parser (so the URL we
// judge is the URL curl fetches) and accepts https://, and http:// to a
// loopback host when |allow_http_loopback|. URLs carrying user:password are
// refused: credentials in a URL end up in logs.
UrlCheck check_fetch_url(std::string_view url, bool allow_http_loopback);

// is_loopback_host: 127.0.0.0/8, ::1 (bracketed or not), IPv4-mapped
// ::ffff:127.x.y.z, and the name localhost. Any other name is not, whatever
// it resolves to: DNS is not ours to trust.
bool is_loopback_host(std::string_view host);

}  // namespace jwtgate
