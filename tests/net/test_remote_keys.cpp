// Remote keys end to end: a validator whose policy names an openid-config
// served by a loopback server, and every fault that server can inject. Each
// fault asserts two things: validation with the keys already known keeps
// working (last known good), and the failure is reported (counters, the
// error of the source). Then the behaviours of docs/keys-and-network.md: shared first-load
// wait, max-age, staleness, kid-miss refetch, pooled configs, issuers that
// flow from discovery, offline documents winning over fetching.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "net_fixtures.h"
#include "policy/policy_loader.h"
#include "test_support.h"

using namespace jwtgate;
using namespace jwtgate_test;

namespace {

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since)
      .count();
}

// Loaded: a provider with key "a" (RSA), a validator that has loaded it, and
// a token signed by it.
struct Loaded {
  Provider idp;
  std::unique_ptr<Validator> v;
  std::string token_a;
  explicit Loaded(ValidatorOptions o = loopback_options()) {
    idp.publish_keys({public_jwk(rsa_a(), "a")});
    v = std::make_unique<Validator>(policy_fetching({idp.discovery_url()}), nullptr, o);
    token_a = signed_token(rsa_a(), "RS256", "a", idp.issuer);
    const Outcome first = validate(*v, token_a);
    INFO(first.detail);
    REQUIRE(first.valid);
    REQUIRE(v->remote_keys()->counters().fetches == 1);
  }
  RemoteKeys& remote() { return *v->remote_keys(); }
};

// fault_case: the refresh fails with |expect| in its error, and the keys
// loaded before keep validating.
void fault_case(Loaded& l, const std::string& expect) {
  const KeyCounters before = l.remote().counters();
  std::vector<std::string> errors;
  CHECK_FALSE(l.remote().refresh(true, &errors));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::Contains(expect));
  const KeyCounters after = l.remote().counters();
  CHECK(after.fetches == before.fetches + 1);
  CHECK(after.failures == before.failures + 1);
  CHECK(after.last_failure_unix_ms > 0);
  CHECK(after.keys_loaded == before.keys_loaded);
  REQUIRE(l.remote().last_errors().size() == 1);
  CHECK(l.remote().last_errors()[0] == errors[0]);
  const Outcome still = validate(*l.v, l.token_a);
  INFO(still.detail);
  CHECK(still.valid);
}

}  // namespace

TEST_CASE("remote keys: discovery, then the JWK Set; the discovered issuer is accepted", "[net]") {
  Loaded l;
  CHECK(l.idp.server.hits("/.well-known/openid-configuration") == 1);
  CHECK(l.idp.key_fetches() == 1);
  const KeyCounters c = l.remote().counters();
  CHECK(c.keys_loaded == 1);
  CHECK(c.sources == 1);
  CHECK(c.sources_usable == 1);
  CHECK(c.failures == 0);
  CHECK(c.last_success_unix_ms > 0);
  // Only the discovered issuer is accepted (the policy lists none).
  const Outcome other = validate(*l.v, signed_token(rsa_a(), "RS256", "a", "https://other.test/"));
  CHECK(other.reason == JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  // APIM's IDX10205 names the issuers it compared with: here the fetched one.
  INFO(other.message);
  CHECK(other.message.find("ValidIssuers: 'https://issuer.net.test/'") != std::string::npos);
  // A later validation does not fetch again.
  CHECK(validate(*l.v, l.token_a).valid);
  CHECK(l.idp.key_fetches() == 1);
}

TEST_CASE("remote keys fault: connection refused", "[net]") {
  Loaded l;
  l.idp.server.stop();
  fault_case(l, "Couldn't connect to server");
}

TEST_CASE("remote keys fault: a response slower than the timeout", "[net]") {
  ValidatorOptions o = loopback_options();
  o.remote.http.timeout_ms = 300;
  Loaded l(o);
  Reply slow;
  slow.body = discovery_json(l.idp.issuer, l.idp.server.url("/keys"));
  slow.delay_ms = 5'000;
  l.idp.server.set("/.well-known/openid-configuration", slow);
  const auto t0 = std::chrono::steady_clock::now();
  fault_case(l, "no complete response within 300 ms");
  CHECK(elapsed_ms(t0) < 2'000);
}

TEST_CASE("remote keys fault: HTTP 500", "[net]") {
  Loaded l;
  l.idp.server.set("/keys", Reply{500, "{\"error\":\"internal\"}", {}});
  fault_case(l, "JWK Set: GET " + l.idp.server.url("/keys") + " answered HTTP 500 (expected 200)");
}

TEST_CASE("remote keys fault: a truncated JWK Set", "[net]") {
  Loaded l;
  Reply cut;
  cut.body = jwk_set({public_jwk(rsa_b(), "b")}).substr(0, 40);
  cut.truncate = true;
  cut.declared_length = 4'000;
  l.idp.server.set("/keys", cut);
  fault_case(l, "Transferred a partial file");
}

TEST_CASE("remote keys fault: invalid JSON, and JSON that is not a key set", "[net]") {
  Loaded l;
  l.idp.server.set_json("/keys", "{\"keys\": [");
  fault_case(l, "JWK Set at " + l.idp.server.url("/keys") + ": not valid JSON");
  l.idp.server.set_json("/keys", "{\"keys\": []}");
  fault_case(l, "no usable signing key");
  l.idp.server.set_json("/keys", "{\"keys\": [{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw\"}]}");
  fault_case(l, "holds a symmetric (oct) key");
  l.idp.server.set_json("/.well-known/openid-configuration", "<html>maintenance</html>");
  fault_case(l, "discovery document at " + l.idp.discovery_url() + " is not valid JSON");
  l.idp.server.set_json("/.well-known/openid-configuration", jwk_set({public_jwk(rsa_a(), "a")}));
  fault_case(l, "this looks like a JWK Set, not a discovery document");
}

TEST_CASE("remote keys fault: a 50 MB body", "[net]") {
  Loaded l;
  for (bool chunked : {false, true}) {
    Reply big;
    big.stream_bytes = 50u * 1024 * 1024;
    big.chunked = chunked;
    l.idp.server.set("/keys", big);
    const auto t0 = std::chrono::steady_clock::now();
    fault_case(l, "the response is larger than the 1048576-byte limit");
    CHECK(elapsed_ms(t0) < 3'000);
    // The client hung up long before 50 MB.
    CHECK(l.idp.server.bytes_sent("/keys") < 16u * 1024 * 1024);
  }
}

TEST_CASE("remote keys fault: a discovery document whose jwks_uri points elsewhere", "[net]") {
  Loaded l;
  // Plain http to a public host: refused without connecting.
  l.idp.publish_discovery(l.idp.issuer, "http://keys.example.com/jwks");
  fault_case(l, "refusing \"http://keys.example.com/jwks\": plain http is allowed only to a loopback host");
  // A loopback port where nothing listens.
  LoopbackServer gone;
  const std::string dead = gone.url("/keys");
  gone.stop();
  l.idp.publish_discovery(l.idp.issuer, dead);
  fault_case(l, "JWK Set: GET " + dead + ": Couldn't connect to server");
  // Another server that answers with a web page.
  LoopbackServer other;
  other.set("/keys", Reply{404, "not here", {}});
  l.idp.publish_discovery(l.idp.issuer, other.url("/keys"));
  fault_case(l, "answered HTTP 404");
}

TEST_CASE("remote keys: keys that change during the test; one refetch on an unknown kid", "[net]") {
  Loaded l;  // caller-driven: no refresh thread
  l.idp.publish_keys({public_jwk(rsa_b(), "b")});  // rotation: "a" withdrawn, "b" new
  const std::string token_b = signed_token(rsa_b(), "RS256", "b", l.idp.issuer);
  // Validation never fetches: the new kid fails now and asks for a refetch.
  const Outcome miss = validate(*l.v, token_b);
  CHECK(miss.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(l.idp.key_fetches() == 1);
  CHECK(l.remote().counters().kid_misses == 1);
  CHECK(validate(*l.v, l.token_a).valid);  // the old key still works until the refetch
  // The host's refresh call runs the granted refetch; nothing else is due.
  CHECK(l.remote().refresh(false, nullptr));
  CHECK(l.idp.key_fetches() == 2);
  CHECK(validate(*l.v, token_b).valid);
  // The withdrawn key is gone at once (the set was replaced whole), and its
  // kid miss finds the window closed: no further fetch.
  CHECK(validate(*l.v, l.token_a).reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(l.remote().refresh(false, nullptr));
  CHECK(l.idp.key_fetches() == 2);
  CHECK(l.remote().counters().kid_misses == 2);
}

TEST_CASE("remote keys: the refresh thread refetches on an unknown kid by itself", "[net]") {
  Loaded l;
  REQUIRE(l.remote().start_thread(nullptr));
  l.idp.publish_keys({public_jwk(rsa_a(), "a"), public_jwk(ec_a(), "e")});
  const std::string token_e = signed_token(ec_a(), "ES256", "e", l.idp.issuer);
  CHECK(validate(*l.v, token_e).reason == JWTGATE_REASON_KEY_NOT_FOUND);
  bool valid = false;
  for (int i = 0; i < 200 && !valid; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    valid = validate(*l.v, token_e).valid;
  }
  CHECK(valid);
  CHECK(l.idp.key_fetches() == 2);
  l.remote().stop_thread();
  CHECK_FALSE(l.remote().thread_running());
}

TEST_CASE("remote keys: the first load is one fetch, shared by concurrent validations", "[net]") {
  Provider idp;
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  Reply slow;
  slow.body = discovery_json(idp.issuer, idp.server.url("/keys"));
  slow.delay_ms = 400;
  idp.server.set("/.well-known/openid-configuration", slow);
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options());
  const std::string token = signed_token(rsa_a(), "RS256", "a", idp.issuer);
  std::vector<std::thread> threads;
  std::atomic<int> valid{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] { valid += validate(v, token).valid ? 1 : 0; });
  for (auto& t : threads) t.join();
  CHECK(valid == 6);
  CHECK(idp.server.hits("/.well-known/openid-configuration") == 1);
  CHECK(v.remote_keys()->counters().fetches == 1);
}

TEST_CASE("remote keys: the first-load wait is bounded", "[net]") {
  Provider idp;
  Reply slow;
  slow.body = discovery_json(idp.issuer, idp.server.url("/keys"));
  slow.delay_ms = 10'000;
  idp.server.set("/.well-known/openid-configuration", slow);
  ValidatorOptions o = loopback_options();
  o.remote.first_load_timeout_ms = 300;
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, o);
  const std::string token = signed_token(rsa_a(), "RS256", "a", idp.issuer);
  std::vector<std::thread> threads;
  std::atomic<int> unavailable{0};
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      unavailable += validate(v, token).reason == JWTGATE_REASON_KEYS_UNAVAILABLE ? 1 : 0;
    });
  for (auto& t : threads) t.join();
  CHECK(elapsed_ms(t0) < 2'000);
  CHECK(unavailable == 4);
  const Outcome later = validate(v, token);  // no wait once the first load is over
  CHECK(later.reason == JWTGATE_REASON_KEYS_UNAVAILABLE);
  CHECK_THAT(later.detail, Catch::Contains("keys of openid-config " + idp.discovery_url() +
                                           " are unavailable: no keys were ever loaded"));
  CHECK_THAT(later.detail, Catch::Contains("no complete response within"));
  CHECK(v.remote_keys()->counters().failures == 1);
  idp.server.stop();
}

TEST_CASE("remote keys: Cache-Control max-age shortens the refresh, within bounds", "[net]") {
  auto clock = std::make_shared<FakeClock>();
  Provider idp;
  idp.publish_keys({public_jwk(rsa_a(), "a")}, {"Cache-Control: public, max-age=600"});
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options(clock));
  REQUIRE(validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer)).valid);
  KeyCounters c = v.remote_keys()->counters();
  CHECK(c.next_fetch_unix_ms - clock->unix_ms() == 600'000);
  clock->advance_ms(599'000);
  CHECK(v.remote_keys()->refresh(false, nullptr));
  CHECK(idp.key_fetches() == 1);  // not due yet
  clock->advance_ms(1'000);
  idp.publish_keys({public_jwk(rsa_a(), "a")}, {"Cache-Control: max-age=0"});
  CHECK(v.remote_keys()->refresh(false, nullptr));
  CHECK(idp.key_fetches() == 2);
  c = v.remote_keys()->counters();
  CHECK(c.next_fetch_unix_ms - clock->unix_ms() == 300'000);  // the floor
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  clock->advance_ms(300'000);
  CHECK(v.remote_keys()->refresh(false, nullptr));
  c = v.remote_keys()->counters();
  CHECK(c.next_fetch_unix_ms - clock->unix_ms() == 3'600'000);  // the hourly default
}

TEST_CASE("remote keys: last known good until the maximum staleness, then keys_unavailable", "[net]") {
  auto clock = std::make_shared<FakeClock>();
  Loaded l(loopback_options(clock));
  l.idp.server.set("/keys", Reply{503, "", {}});
  clock->advance_ms(3'600'000);
  CHECK_FALSE(l.remote().refresh(false, nullptr));  // the hourly refresh fails
  CHECK(validate(*l.v, l.token_a).valid);
  // Retries every 5 minutes, not every call.
  CHECK(l.remote().refresh(false, nullptr));
  CHECK(l.remote().counters().fetches == 2);
  clock->advance_ms(300'000);
  CHECK_FALSE(l.remote().refresh(false, nullptr));
  CHECK(l.remote().counters().fetches == 3);
  // 24 h after the last success the keys are no longer used.
  clock->advance_ms(86'400'000 - 3'600'000 - 300'000 - 1);
  CHECK(validate(*l.v, l.token_a).valid);
  clock->advance_ms(1);
  const Outcome stale = validate(*l.v, l.token_a);
  CHECK(stale.reason == JWTGATE_REASON_KEYS_UNAVAILABLE);
  CHECK_THAT(stale.detail, Catch::Contains("its keys were last loaded 24 h ago, beyond the maximum "
                                           "staleness of 24 h (last attempt: JWK Set: GET"));
  CHECK(l.remote().counters().keys_loaded == 0);
  CHECK(l.remote().counters().sources_usable == 0);
  // The provider recovers: the next retry brings the keys back.
  l.idp.publish_keys({public_jwk(rsa_a(), "a")});
  clock->advance_ms(300'000);
  CHECK(l.remote().refresh(false, nullptr));
  CHECK(validate(*l.v, l.token_a).valid);
}

TEST_CASE("remote keys: several openid-config elements pool keys and issuers", "[net]") {
  Provider one, two;
  two.issuer = "https://second.net.test/";
  two.publish_discovery(two.issuer, two.server.url("/keys"));
  one.publish_keys({public_jwk(rsa_a(), "a")});
  two.publish_keys({public_jwk(ec_a(), "e")});
  Validator v(policy_fetching({one.discovery_url(), two.discovery_url()}), nullptr, loopback_options());
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", one.issuer)).valid);
  CHECK(validate(v, signed_token(ec_a(), "ES256", "e", two.issuer)).valid);
  CHECK(v.remote_keys()->counters().keys_loaded == 2);
  CHECK(v.remote_keys()->counters().sources == 2);
  // One source down: the other's keys work; a token for the down one's keys
  // still verifies from its last known good set.
  two.server.stop();
  CHECK_FALSE(v.remote_keys()->refresh(true, nullptr));
  CHECK(v.remote_keys()->counters().failures == 1);
  CHECK(validate(v, signed_token(ec_a(), "ES256", "e", two.issuer)).valid);
}

TEST_CASE("remote keys: Entra's {tenantid} issuer and per-key issuer flow from discovery", "[net]") {
  Provider idp;
  const std::string tmpl = "https://login.microsoftonline.com/{tenantid}/v2.0";
  idp.publish_discovery(tmpl, idp.server.url("/keys"));
  idp.publish_keys({public_jwk(rsa_a(), "a", "\"issuer\":\"" + tmpl + "\"")});
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options());
  const std::string tid = "0da700fe-a3a7-4aaa-a43f-48a79eefc326";
  const std::string iss = "https://login.microsoftonline.com/" + tid + "/v2.0";
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", iss, "\"tid\":\"" + tid + "\"")).valid);
  // The tid must fill the template exactly (docs/apim-semantics.md).
  const std::string other = "f7740624-492c-4b76-a428-11a3b77edfdb";
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", iss, "\"tid\":\"" + other + "\"")).reason ==
        JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  // A new discovered issuer replaces the old one at the next refresh.
  idp.publish_discovery("https://sts.windows.net/" + tid + "/", idp.server.url("/keys"));
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  CHECK(v.remote_keys()->refresh(true, nullptr));
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", iss, "\"tid\":\"" + tid + "\"")).reason ==
        JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", "https://sts.windows.net/" + tid + "/")).valid);
}

TEST_CASE("remote keys: offline documents win over fetching", "[net]") {
  Provider idp;  // would answer, but must not be asked
  idp.publish_keys({public_jwk(rsa_b(), "b")});
  LoadOptions opts;
  opts.discovery_documents[idp.discovery_url()] =
      discovery_json("https://offline.test/", "https://offline.test/keys");
  opts.jwks_documents["https://offline.test/keys"] = jwk_set({public_jwk(rsa_a(), "a")});
  Diagnostics diag;
  auto p = load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": "
                       "[{\"url\": \"" + idp.discovery_url() + "\"}], \"audiences\": [\"api://net\"]}}",
                       opts, diag);
  INFO(diag.text());
  REQUIRE(p);
  Validator v(p, nullptr, loopback_options());
  CHECK(v.remote_keys() == nullptr);
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", "https://offline.test/")).valid);
  CHECK(idp.server.hits("/.well-known/openid-configuration") == 0);
}

TEST_CASE("remote keys: offline documents for some openid-config elements only are refused", "[net]") {
  LoadOptions opts;
  opts.discovery_documents["https://a.test/.well-known/openid-configuration"] =
      discovery_json("https://a.test/", "https://a.test/keys");
  opts.jwks_documents["https://a.test/keys"] = jwk_set({public_jwk(rsa_a(), "a")});
  Diagnostics diag;
  auto p = load_policy(
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": ["
      "{\"url\": \"https://a.test/.well-known/openid-configuration\"},"
      "{\"url\": \"https://b.test/.well-known/openid-configuration\"}]}}",
      opts, diag);
  CHECK_FALSE(p);
  CHECK_THAT(diag.text(), Catch::Contains("openid-config https://b.test/.well-known/openid-configuration: "
                                          "no discovery document was supplied for this URL, while other "
                                          "openid-config elements have one"));
}

TEST_CASE("remote keys: an openid-config without documents loads and is fetched", "[net]") {
  Diagnostics diag;
  auto p = load_policy("<validate-jwt header-name=\"Authorization\"><openid-config "
                       "url=\"https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/"
                       ".well-known/openid-configuration\"/></validate-jwt>",
                       LoadOptions{}, diag);
  INFO(diag.text());
  REQUIRE(p);
  Validator v(p, nullptr);
  REQUIRE(v.remote_keys());
  CHECK(v.remote_keys()->counters().sources == 1);
  CHECK(v.remote_keys()->counters().fetches == 0);  // nothing happens before a validation
}

TEST_CASE("remote keys: an unchanged key set keeps the verified-token cache", "[net]") {
  ValidatorOptions o = loopback_options();
  o.cache_entries = 64;
  Loaded l(o);
  REQUIRE(validate(*l.v, l.token_a).valid);
  jwtgate::Result r;
  REQUIRE(l.v->validate_token(l.token_a, kNow, r));
  CHECK(r.cache_hit);
  CHECK(l.remote().refresh(true, nullptr));  // same document: same KeySet object
  REQUIRE(l.v->validate_token(l.token_a, kNow, r));
  CHECK(r.cache_hit);
  l.idp.publish_keys({public_jwk(rsa_a(), "a"), public_jwk(rsa_b(), "b")});
  CHECK(l.remote().refresh(true, nullptr));  // new keys: new generation
  REQUIRE(l.v->validate_token(l.token_a, kNow, r));
  CHECK_FALSE(r.cache_hit);
}

TEST_CASE("remote keys: freeing a validator abandons a fetch in progress", "[net]") {
  ValidatorOptions o = loopback_options();
  o.remote.http.timeout_ms = 30'000;
  o.remote.schedule.refresh_interval_ms = 50;
  o.remote.schedule.min_refresh_interval_ms = 1;
  auto l = std::make_unique<Loaded>(o);
  Reply slow;
  slow.body = discovery_json(l->idp.issuer, l->idp.server.url("/keys"));
  slow.delay_ms = 20'000;
  l->idp.server.set("/.well-known/openid-configuration", slow);
  REQUIRE(l->remote().start_thread(nullptr));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the thread is now waiting on the server
  CHECK(l->idp.server.hits("/.well-known/openid-configuration") == 2);
  const auto t0 = std::chrono::steady_clock::now();
  l->v.reset();
  CHECK(elapsed_ms(t0) < 2'500);
}

TEST_CASE("remote keys: a fetched set with one bad key still validates tokens of the good key", "[net]") {
  Provider idp;
  // Key "bad" has no crv (a published set changed under us): skipped, named.
  idp.publish_keys({public_jwk(rsa_a(), "a"), "{\"kty\":\"EC\",\"kid\":\"bad\",\"x\":\"AAAA\",\"y\":\"AAAA\"}",
                    public_jwk(ec_a(), "e")});
  Validator v(policy_fetching({idp.discovery_url()}), nullptr, loopback_options());
  const Outcome a = validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer));
  INFO(a.detail);
  CHECK(a.valid);
  CHECK(validate(v, signed_token(ec_a(), "ES256", "e", idp.issuer)).valid);
  CHECK(v.remote_keys()->counters().keys_loaded == 2);
  CHECK(v.remote_keys()->counters().failures == 0);
  CHECK(v.remote_keys()->last_errors().empty());
  const std::vector<std::string> warnings = v.remote_keys()->key_warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "JWK Set at " + idp.server.url("/keys") +
                           ": JWKS key #2 (kid \"bad\") skipped: no \"crv\" member (RFC 7518 6.2.1.1, RFC 8037 2)");
  // A later set whose every key is bad is a failed fetch that names each
  // key; the keys in use stay, and so do their warnings.
  idp.publish_keys({"{\"kty\":\"EC\",\"kid\":\"x\"}", "{\"kty\":\"RSA\",\"kid\":\"y\",\"n\":\"+\",\"e\":\"AQAB\"}"});
  std::vector<std::string> errors;
  CHECK_FALSE(v.remote_keys()->refresh(true, &errors));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::Contains("no usable signing key: all 2 of its keys were skipped"));
  CHECK_THAT(errors[0], Catch::Contains("JWKS key #1 (kid \"x\") skipped: no \"crv\" member"));
  CHECK_THAT(errors[0], Catch::Contains("JWKS key #2 (kid \"y\") skipped: \"n\" is not base64url"));
  CHECK(validate(v, signed_token(rsa_a(), "RS256", "a", idp.issuer)).valid);
  CHECK(v.remote_keys()->key_warnings() == warnings);
}

TEST_CASE("remote keys: an unknown kid is key_not_found without a verification, and asks for a refetch",
          "[net]") {
  Loaded l;
  // Signed by the published key itself, under a kid the set does not have:
  // the fetched key is selected by its kid alone.
  const Outcome miss = validate(*l.v, signed_token(rsa_a(), "RS256", "unknown", l.idp.issuer));
  CHECK(miss.reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK_THAT(miss.detail, Catch::Contains("no key has kid \"unknown\""));
  CHECK(l.remote().counters().kid_misses == 1);
  CHECK(l.remote().refresh(false, nullptr));
  CHECK(l.idp.key_fetches() == 2);  // the early refetch the miss asked for
}

TEST_CASE("remote keys: an oct key in a fetched or an offline set is refused the same way", "[net]") {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  const std::string oct = oct_jwk(secret, "s");
  const std::string claims = "{\"iss\":\"https://issuer.net.test/\",\"aud\":\"api://net\",\"exp\":" +
                             std::to_string(kNow + 600) + "}";
  const std::string hs256 = make_token("{\"alg\":\"HS256\",\"kid\":\"s\"}", claims, "HS256", secret);
  // Fetched: the load fails, no key is used, the error says why.
  Provider idp;
  idp.publish_keys({oct});
  Validator fetched(policy_fetching({idp.discovery_url()}), nullptr, loopback_options());
  const Outcome online = validate(fetched, hs256);
  CHECK_FALSE(online.valid);
  CHECK(online.reason == JWTGATE_REASON_KEYS_UNAVAILABLE);
  REQUIRE(fetched.remote_keys()->last_errors().size() == 1);
  CHECK_THAT(fetched.remote_keys()->last_errors()[0],
             Catch::Contains("JWK Set at " + idp.server.url("/keys") +
                             ": holds a symmetric (oct) key (JWKS key #1 (kid \"s\")); a published key set "
                             "must not carry secrets, so it is refused"));
  // Offline, the same set: the policy does not load, with the same words.
  LoadOptions opts;
  opts.discovery_documents[idp.discovery_url()] = discovery_json(idp.issuer, "https://offline.test/keys");
  opts.jwks_documents["https://offline.test/keys"] = jwk_set({oct});
  Diagnostics diag;
  const std::string text = "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"openid-config\": "
                           "[{\"url\": \"" + idp.discovery_url() + "\"}], \"audiences\": [\"api://net\"]}}";
  auto p = load_policy(text, opts, diag);
  CHECK_FALSE(p);
  CHECK_THAT(diag.text(), Catch::Contains("https://offline.test/keys: JWK Set: holds a symmetric (oct) key "
                                          "(JWKS key #1 (kid \"s\")); a published key set must not carry "
                                          "secrets, so it is refused"));
  // Beside a public key, offline too: refused (a secret published with it).
  opts.jwks_documents["https://offline.test/keys"] = jwk_set({public_jwk(rsa_a(), "a"), oct});
  Diagnostics mixed;
  CHECK_FALSE(load_policy(text, opts, mixed));
  CHECK(mixed.has_errors());
  CHECK(idp.server.hits("/keys") == 1);  // offline never fetched
}
