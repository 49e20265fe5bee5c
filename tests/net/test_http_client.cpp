// http_fetch against a real loopback server: the limits that protect a host
// from a broken or hostile endpoint, each with its exact error.
#include <catch2/catch.hpp>

#include <chrono>

#include "loopback_server.h"
#include "net/http_client.h"

using namespace jwtgate;
using jwtgate_test::LoopbackServer;
using jwtgate_test::Reply;

namespace {

HttpLimits loopback_limits() {
  HttpLimits l;
  l.allow_http_loopback = true;
  l.timeout_ms = 2'000;
  return l;
}

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

TEST_CASE("http client: a plain GET with headers captured", "[net]") {
  LoopbackServer s;
  s.set_json("/doc", "{\"a\":1}", {"Cache-Control: public, max-age=60", "Age: 5"});
  HttpResponse resp;
  std::string error;
  REQUIRE(http_fetch(HttpRequest{s.url("/doc"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK(resp.status == 200);
  CHECK(resp.body == "{\"a\":1}");
  CHECK(resp.cache_control == "public, max-age=60");
  CHECK(resp.age == "5");
  CHECK(resp.content_type == "application/json");
  const auto seen = s.last_request();
  CHECK(seen.method == "GET");
  bool ua = false;
  for (const auto& h : seen.headers) ua = ua || h.rfind("User-Agent: jwtgate/", 0) == 0;
  CHECK(ua);
}

TEST_CASE("http client: plain http needs the loopback switch", "[net]") {
  LoopbackServer s;
  s.set_json("/doc", "{}");
  HttpResponse resp;
  std::string error;
  CHECK_FALSE(http_fetch(HttpRequest{s.url("/doc"), nullptr, {}}, HttpLimits{}, resp, error));
  CHECK_THAT(error, Catch::Contains("needs allow-http-loopback"));
  CHECK(s.hits("/doc") == 0);  // refused before connecting
}

TEST_CASE("http client: connection refused", "[net]") {
  LoopbackServer s;
  const std::string url = s.url("/doc");
  s.stop();
  HttpResponse resp;
  std::string error;
  CHECK_FALSE(http_fetch(HttpRequest{url, nullptr, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::StartsWith("GET " + url + ": Couldn't connect to server"));
}

TEST_CASE("http client: https verifies certificates (nothing speaks TLS here)", "[net]") {
  LoopbackServer s;  // plain http: a TLS handshake with it fails
  s.set_json("/doc", "{}");
  HttpResponse resp;
  std::string error;
  const std::string url = "https://127.0.0.1:" + std::to_string(s.port()) + "/doc";
  CHECK_FALSE(http_fetch(HttpRequest{url, nullptr, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::StartsWith("GET " + url + ": SSL"));
}

TEST_CASE("http client: a response slower than the timeout", "[net]") {
  LoopbackServer s;
  Reply r;
  r.body = "{}";
  r.delay_ms = 3'000;
  s.set("/slow", r);
  HttpLimits l = loopback_limits();
  l.timeout_ms = 300;
  HttpResponse resp;
  std::string error;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(http_fetch(HttpRequest{s.url("/slow"), nullptr, {}}, l, resp, error));
  CHECK(elapsed_ms(t0) < 1'500);
  CHECK_THAT(error, Catch::EndsWith("no complete response within 300 ms"));
}

TEST_CASE("http client: the size cap, with and without Content-Length", "[net]") {
  LoopbackServer s;
  Reply declared;
  declared.stream_bytes = 50u * 1024 * 1024;  // 50 MB announced in Content-Length
  s.set("/big", declared);
  Reply chunked = declared;
  chunked.chunked = true;  // no Content-Length: the cap is enforced while reading
  s.set("/big-chunked", chunked);
  for (const char* path : {"/big", "/big-chunked"}) {
    INFO(path);
    HttpResponse resp;
    std::string error;
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(http_fetch(HttpRequest{s.url(path), nullptr, {}}, loopback_limits(), resp, error));
    CHECK_THAT(error, Catch::EndsWith("the response is larger than the 1048576-byte limit"));
    CHECK(resp.body.size() <= 1024 * 1024);
    CHECK(elapsed_ms(t0) < 1'500);
  }
}

TEST_CASE("http client: a body cut short", "[net]") {
  LoopbackServer s;
  Reply r;
  r.body = "{\"keys\":[";
  r.truncate = true;
  r.declared_length = 5'000;
  s.set("/cut", r);
  HttpResponse resp;
  std::string error;
  CHECK_FALSE(http_fetch(HttpRequest{s.url("/cut"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::Contains("Transferred a partial file"));
}

TEST_CASE("http client: redirects are followed a few times, each hop checked", "[net]") {
  LoopbackServer s;
  s.set_json("/final", "{\"ok\":true}");
  s.set("/r1", Reply{302, "", {"Location: " + s.url("/final")}});
  s.set("/to-public-http", Reply{301, "", {"Location: http://example.com/keys"}});
  s.set("/loop", Reply{302, "", {"Location: " + s.url("/loop")}});
  HttpResponse resp;
  std::string error;
  REQUIRE(http_fetch(HttpRequest{s.url("/r1"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK(resp.body == "{\"ok\":true}");
  CHECK(resp.url == s.url("/final"));

  CHECK_FALSE(http_fetch(HttpRequest{s.url("/to-public-http"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::StartsWith("after a redirect from " + s.url("/to-public-http")));
  CHECK_THAT(error, Catch::Contains("plain http is allowed only to a loopback host"));

  CHECK_FALSE(http_fetch(HttpRequest{s.url("/loop"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::Contains("more than 3 redirects"));
  CHECK(s.hits("/loop") == 4);

  const std::string body = "grant_type=client_credentials";
  CHECK_FALSE(http_fetch(HttpRequest{s.url("/r1"), &body, {}}, loopback_limits(), resp, error));
  CHECK_THAT(error, Catch::Contains("a token request is not resent elsewhere"));
}

TEST_CASE("http client: an error status is a response, not a transport failure", "[net]") {
  LoopbackServer s;
  s.set("/err", Reply{500, "{\"error\":\"boom\"}", {}});
  HttpResponse resp;
  std::string error;
  REQUIRE(http_fetch(HttpRequest{s.url("/err"), nullptr, {}}, loopback_limits(), resp, error));
  CHECK(resp.status == 500);
}
