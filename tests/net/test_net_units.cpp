// The pure parts of network key fetching, table-driven: which URLs may be
// fetched, Cache-Control freshness (RFC 9111), the refresh schedule (APIM's
// 1 h / 5 min, Entra's 24 h), and the AADSTS explanations.
#include <catch2/catch.hpp>

#include "net/aadsts.h"
#include "net/cache_control.h"
#include "net/client_credentials.h"
#include "net/refresh_schedule.h"
#include "net/url_policy.h"

using namespace jwtgate;

TEST_CASE("url policy: https only; plain http to loopback only when allowed", "[net]") {
  struct Row {
    const char* url;
    bool allow_loopback;
    bool ok;
    const char* why;  // a fragment of the refusal
  };
  const Row rows[] = {
      {"https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration", false, true, ""},
      {"https://127.0.0.1:8443/keys", false, true, ""},
      {"http://login.microsoftonline.com/keys", true, false, "only to a loopback host"},
      {"http://127.0.0.1:8080/keys", false, false, "needs allow-http-loopback"},
      {"http://127.0.0.1:8080/keys", true, true, ""},
      {"http://127.9.9.9/keys", true, true, ""},
      {"http://[::1]:8080/keys", true, true, ""},
      {"http://localhost:8080/keys", true, true, ""},
      {"http://128.0.0.1/keys", true, false, "only to a loopback host"},
      {"http://127.0.0.1.evil.example/keys", true, false, "only to a loopback host"},
      {"http://localhost.evil.example/keys", true, false, "only to a loopback host"},
      {"ftp://127.0.0.1/keys", true, false, "only https is fetched"},
      {"file:///etc/passwd", true, false, "only https is fetched"},
      {"https://user:pw@idp.example/keys", false, false, "user name or password"},
      {"/relative/keys", true, false, "not an absolute http(s) URL"},
      {"", true, false, "not an absolute http(s) URL"},
  };
  for (const Row& r : rows) {
    INFO(r.url);
    const UrlCheck c = check_fetch_url(r.url, r.allow_loopback);
    CHECK(c.ok == r.ok);
    if (!r.ok) CHECK_THAT(c.why, Catch::Contains(r.why));
  }
  CHECK(is_loopback_host("[::ffff:127.0.0.1]"));
  CHECK_FALSE(is_loopback_host("::ffff:10.0.0.1"));
  CHECK_FALSE(is_loopback_host("0.0.0.0"));
}

TEST_CASE("cache control: RFC 9111 max-age, Age, no-store, no-cache", "[net]") {
  struct Row {
    const char* cc;
    const char* age;
    int64_t ms;
  };
  const Row rows[] = {
      {"", "", -1},
      {"public", "", -1},
      {"max-age=600", "", 600'000},
      {"public, max-age=86400", "", 86'400'000},
      {"Max-Age=60", "", 60'000},
      {"max-age=\"120\"", "", 120'000},   // quoted form tolerated
      {"max-age=600", "100", 500'000},    // 4.2.3: already 100 s old
      {"max-age=600", "900", 0},
      {"max-age=600, max-age=5", "", 600'000},  // 4.2.1: the first wins
      {"max-age=abc", "", -1},
      {"max-age=", "", -1},
      {"max-age=-5", "", -1},
      {"no-store", "", 0},
      {"private, no-cache", "", 0},
      {"max-age=99999999999999999999", "", 2147483648LL * 1000},  // 1.2.2: capped at 2^31
  };
  for (const Row& r : rows) {
    INFO(r.cc << " / Age " << r.age);
    CHECK(freshness_ms(r.cc, r.age) == r.ms);
  }
}

TEST_CASE("refresh schedule: hourly, sooner by max-age within bounds, 5 min after failure", "[net]") {
  ScheduleSettings s;  // the defaults: 1 h, floor 5 min, window 5 min, 24 h
  RefreshSchedule r(s);
  CHECK(r.due(0));  // the first load is due at once
  CHECK_FALSE(r.loaded());
  r.on_success(1'000, -1);
  CHECK(r.next_due_ms() == 1'000 + 3'600'000);
  r.on_success(2'000, 600'000);  // max-age=600: sooner
  CHECK(r.next_due_ms() == 2'000 + 600'000);
  r.on_success(3'000, 86'400'000);  // max-age beyond the interval: not later
  CHECK(r.next_due_ms() == 3'000 + 3'600'000);
  r.on_success(4'000, 0);  // no-store: not sooner than the floor
  CHECK(r.next_due_ms() == 4'000 + 300'000);
  CHECK(r.usable_until_ms() == 4'000 + 86'400'000);

  r.on_failure(10'000);
  CHECK(r.next_due_ms() == 10'000 + 300'000);
  CHECK(r.usable_until_ms() == 4'000 + 86'400'000);  // a failure does not shorten the keys' life
  // The failure also closes the early-request window.
  CHECK_FALSE(r.request_early(10'001));
  CHECK(r.request_early(310'000));
  CHECK(r.due(310'000));
}

TEST_CASE("refresh schedule: unknown kids get one early fetch per window", "[net]") {
  ScheduleSettings s;
  RefreshSchedule r(s);
  r.on_success(0, -1);
  CHECK(r.request_early(1'000));  // the first is granted at once (IdentityModel)
  CHECK(r.request_early(1'001));  // already pending: the same fetch answers it
  r.on_success(1'500, -1);
  int granted = 0;
  for (int64_t t = 1'600; t < 301'000; t += 7) granted += r.request_early(t);
  CHECK(granted == 0);
  CHECK(r.request_early(301'000));
}

TEST_CASE("refresh schedule: a floor above the interval is lowered to it", "[net]") {
  ScheduleSettings s;
  s.refresh_interval_ms = 60'000;
  s.min_refresh_interval_ms = 300'000;
  RefreshSchedule r(s);
  r.on_success(0, 1'000);
  CHECK(r.next_due_ms() == 60'000);
}

TEST_CASE("aadsts: every code of docs/apim-semantics.md is explained", "[net]") {
  for (int64_t code : {501051, 70011, 7000215, 700016, 500011, 7000222}) {
    INFO(code);
    const std::string e = explain_aadsts(code);
    CHECK_THAT(e, Catch::StartsWith("AADSTS" + std::to_string(code) + " ("));
    CHECK_THAT(e, Catch::Contains("Fix: "));
  }
  CHECK(explain_aadsts(12345).empty());
  CHECK(aadsts_code("AADSTS70011: The provided request must include a 'scope' input parameter.") == 70011);
  CHECK(aadsts_code("no code here") == 0);
  CHECK(aadsts_code("AADSTS") == 0);
  CHECK_THAT(explain_aadsts(70011), Catch::Contains("/.default"));
  CHECK_THAT(explain_aadsts(7000215), Catch::Contains("Value"));
  CHECK_THAT(explain_aadsts(501051), Catch::Contains("Assignment required"));
}

TEST_CASE("client credentials: form encoding and Entra token endpoints", "[net]") {
  CHECK(form_urlencode("api://x/.default") == "api%3A%2F%2Fx%2F.default");
  CHECK(form_urlencode("a b~*-._") == "a+b%7E*-._");
  std::string why;
  CHECK(entra_token_endpoint("contoso.onmicrosoft.com", why) ==
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
  CHECK(entra_token_endpoint("0da700fe-a3a7-4aaa-a43f-48a79eefc326", why) ==
        "https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/oauth2/v2.0/token");
  CHECK(entra_token_endpoint("common", why).empty());
  CHECK_THAT(why, Catch::Contains("cannot issue app-only tokens"));
  CHECK(entra_token_endpoint("evil.example/x?", why).empty());
  CHECK_THAT(why, Catch::Contains("is not a tenant ID"));
}
