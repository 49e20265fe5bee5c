// How long a response may be reused, from its Cache-Control and Age header
// fields (RFC 9111). The key fetcher refreshes sooner than its hourly default
// when the identity provider says its document goes stale sooner; it never
// refreshes later than configured because of them.
#pragma once

#include <cstdint>
#include <string_view>

namespace jwtgate {

// freshness_ms returns the response's remaining freshness in milliseconds:
// max-age (RFC 9111 5.2.2.1) minus the Age the response already has (4.2.3),
// not below 0; 0 for no-store or no-cache (5.2.2.4, 5.2.2.5), which forbid
// reuse without revalidation. -1 when the fields say nothing, or when
// max-age is malformed (then the caller's default applies). |cache_control|
// is every Cache-Control field line joined with ", " (RFC 9110 5.3).
int64_t freshness_ms(std::string_view cache_control, std::string_view age);

}  // namespace jwtgate
