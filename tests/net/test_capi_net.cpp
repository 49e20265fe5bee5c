// The C API of remote keys and of the client-credentials grant: settings and
// their ranges, caller-driven and thread-driven refreshes, counters with the
// size-first struct, fetch errors, token requests.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstring>

#include "jwtgate_experimental.h"
#include "net_fixtures.h"

using namespace jwtgate_test;

namespace {

struct Handles {
  jwtgate_policy* policy = nullptr;
  jwtgate_validator_options* opts = nullptr;
  jwtgate_validator* v = nullptr;
  ~Handles() {
    jwtgate_validator_free(v);
    jwtgate_validator_options_free(opts);
    jwtgate_policy_free(policy);
  }
};

void make(Handles& h, const std::string& url) {
  const std::string text = "<validate-jwt header-name=\"Authorization\"><openid-config url=\"" + url +
                           "\"/><audiences><audience>api://net</audience></audiences></validate-jwt>";
  REQUIRE(jwtgate_policy_load(&h.policy, nullptr, text.data(), text.size(), nullptr) == JWTGATE_OK);
  h.opts = jwtgate_validator_options_new();
  REQUIRE(jwtgate_validator_options_set_key_setting(h.opts, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1) ==
          JWTGATE_OK);
  REQUIRE(jwtgate_validator_options_set_key_setting(h.opts, JWTGATE_KEYS_FETCH_TIMEOUT_MS, 2000) ==
          JWTGATE_OK);
  REQUIRE(jwtgate_validator_new_with_options(&h.v, nullptr, h.policy, nullptr, h.opts) == JWTGATE_OK);
}

jwtgate_status check_token(const jwtgate_validator* v, const std::string& token, jwtgate_reason* reason) {
  jwtgate_result* r = jwtgate_result_new();
  const jwtgate_status st = jwtgate_validate_token(v, r, token.data(), token.size(), kNow);
  *reason = jwtgate_result_reason(r);
  jwtgate_result_free(r);
  return st;
}

jwtgate_key_counters counters(const jwtgate_validator* v) {
  jwtgate_key_counters c;
  std::memset(&c, 0xff, sizeof c);
  c.struct_size = sizeof c;
  REQUIRE(jwtgate_validator_get_key_counters(v, &c) == JWTGATE_OK);
  return c;
}

}  // namespace

TEST_CASE("capi net: key settings and their ranges", "[net]") {
  jwtgate_validator_options* o = jwtgate_validator_options_new();
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_REFRESH_INTERVAL_MS, 60000) == JWTGATE_OK);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_REFRESH_INTERVAL_MS, 0) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_MAX_STALENESS_MS,
                                                  31ULL * 24 * 3600 * 1000) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_MAX_RESPONSE_BYTES, 100) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_MAX_REDIRECTS, 11) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(o, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 2) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(o, static_cast<jwtgate_key_setting>(99), 1) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_validator_options_set_key_setting(nullptr, JWTGATE_KEYS_MAX_REDIRECTS, 1) ==
        JWTGATE_ERR_INVALID_ARGUMENT);
  jwtgate_validator_options_free(o);
}

TEST_CASE("capi net: caller-driven refresh, counters, errors, kid misses", "[net]") {
  Provider idp;
  idp.publish_keys({public_jwk(rsa_a(), "a")});
  Handles h;
  make(h, idp.discovery_url());
  jwtgate_key_counters c = counters(h.v);
  CHECK(c.struct_size == sizeof c);
  CHECK(c.sources == 1);
  CHECK(c.fetches == 0);
  CHECK(c.last_success == 0);

  jwtgate_reason reason;
  CHECK(check_token(h.v, signed_token(rsa_a(), "RS256", "a", idp.issuer), &reason) == JWTGATE_OK);
  c = counters(h.v);
  CHECK(c.fetches == 1);
  CHECK(c.keys_loaded == 1);
  CHECK(c.sources_usable == 1);
  CHECK(c.last_success > 1'600'000'000);
  CHECK(c.next_fetch >= c.last_success + 3599);

  jwtgate_error* err = nullptr;
  CHECK(jwtgate_validator_refresh_keys(h.v, &err, 0) == JWTGATE_OK);  // nothing due
  CHECK(err == nullptr);
  idp.server.set("/keys", Reply{500, "", {}});
  CHECK(jwtgate_validator_refresh_keys(h.v, &err, 1) == JWTGATE_ERR_NETWORK);
  REQUIRE(err);
  CHECK(jwtgate_error_count(err) == 1);
  CHECK_THAT(jwtgate_error_message(err, 0), Catch::Contains("answered HTTP 500"));
  // The next call frees the list left in |err| (jwtgate.h's rule).
  REQUIRE(jwtgate_validator_key_errors(h.v, &err) == JWTGATE_OK);
  REQUIRE(err);
  CHECK_THAT(jwtgate_error_message(err, 0), Catch::Contains("answered HTTP 500"));
  c = counters(h.v);
  CHECK(c.failures == 1);
  CHECK(c.last_failure >= c.last_success);
  CHECK(check_token(h.v, signed_token(rsa_a(), "RS256", "a", idp.issuer), &reason) == JWTGATE_OK);

  idp.publish_keys({public_jwk(rsa_b(), "b")});
  CHECK(jwtgate_validator_refresh_keys(h.v, &err, 1) == JWTGATE_OK);
  REQUIRE(jwtgate_validator_key_errors(h.v, &err) == JWTGATE_OK);
  CHECK(err == nullptr);  // the last fetch succeeded
  CHECK(check_token(h.v, signed_token(rsa_a(), "RS256", "a", idp.issuer), &reason) ==
        JWTGATE_INVALID_TOKEN);
  CHECK(reason == JWTGATE_REASON_KEY_NOT_FOUND);
  CHECK(counters(h.v).kid_misses == 1);

  // A caller built against an older, smaller struct gets only its fields.
  jwtgate_key_counters small;
  std::memset(&small, 0xab, sizeof small);
  small.struct_size = offsetof(jwtgate_key_counters, failures);
  REQUIRE(jwtgate_validator_get_key_counters(h.v, &small) == JWTGATE_OK);
  CHECK(small.fetches == 3);
  CHECK(small.failures == 0xababababababababULL);
  small.struct_size = 1;
  CHECK(jwtgate_validator_get_key_counters(h.v, &small) == JWTGATE_ERR_INVALID_ARGUMENT);
}

TEST_CASE("capi net: keys a fetched set skipped are warnings of jwtgate_validator_key_errors", "[net]") {
  Provider idp;
  idp.publish_keys({"{\"kty\":\"XYZ\",\"kid\":\"new-type\"}", public_jwk(rsa_a(), "a")});
  Handles h;
  make(h, idp.discovery_url());
  jwtgate_reason reason;
  CHECK(check_token(h.v, signed_token(rsa_a(), "RS256", "a", idp.issuer), &reason) == JWTGATE_OK);
  CHECK(counters(h.v).keys_loaded == 1);
  jwtgate_error* err = nullptr;
  REQUIRE(jwtgate_validator_key_errors(h.v, &err) == JWTGATE_OK);
  REQUIRE(err);
  REQUIRE(jwtgate_error_count(err) == 1);
  CHECK(jwtgate_error_is_warning(err, 0) == 1);
  CHECK(std::string(jwtgate_error_message(err, 0)) ==
        "JWK Set at " + idp.server.url("/keys") +
            ": JWKS key #1 (kid \"new-type\") skipped: kty \"XYZ\" is not a signature key type jwtgate "
            "supports (RSA, EC, OKP, oct)");
  // A failed fetch is an error beside it; the warning stays with the keys in
  // use. (Each call frees the list the previous one left in |err|.)
  idp.server.set("/keys", Reply{500, "", {}});
  CHECK(jwtgate_validator_refresh_keys(h.v, &err, 1) == JWTGATE_ERR_NETWORK);
  REQUIRE(jwtgate_validator_key_errors(h.v, &err) == JWTGATE_OK);
  REQUIRE(jwtgate_error_count(err) == 2);
  CHECK(jwtgate_error_is_warning(err, 0) == 0);
  CHECK_THAT(jwtgate_error_message(err, 0), Catch::Contains("answered HTTP 500"));
  CHECK(jwtgate_error_is_warning(err, 1) == 1);
  CHECK_THAT(jwtgate_error_message(err, 1), Catch::Contains("(kid \"new-type\") skipped"));
  jwtgate_error_free(err);
}

TEST_CASE("capi net: the refresh thread starts, loads, stops", "[net]") {
  Provider idp;
  idp.publish_keys({public_jwk(ec_a(), "e")});
  Handles h;
  make(h, idp.discovery_url());
  CHECK(jwtgate_validator_start_refresh_thread(h.v) == JWTGATE_OK);
  CHECK(jwtgate_validator_start_refresh_thread(h.v) == JWTGATE_OK);  // idempotent
  jwtgate_reason reason;
  CHECK(check_token(h.v, signed_token(ec_a(), "ES256", "e", idp.issuer), &reason) == JWTGATE_OK);
  CHECK(idp.key_fetches() == 1);
  CHECK(jwtgate_validator_stop_refresh_thread(h.v) == JWTGATE_OK);
  CHECK(jwtgate_validator_stop_refresh_thread(h.v) == JWTGATE_OK);
  CHECK(jwtgate_validator_start_refresh_thread(nullptr) == JWTGATE_ERR_INVALID_ARGUMENT);
  // freeing with the thread running stops it
  CHECK(jwtgate_validator_start_refresh_thread(h.v) == JWTGATE_OK);
}

TEST_CASE("capi net: validators without remote keys", "[net]") {
  const std::string text = "<validate-jwt header-name=\"Authorization\"><issuer-signing-keys><key>"
                           "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=</key></issuer-signing-keys>"
                           "</validate-jwt>";
  jwtgate_policy* p = nullptr;
  REQUIRE(jwtgate_policy_load(&p, nullptr, text.data(), text.size(), nullptr) == JWTGATE_OK);
  jwtgate_validator* v = nullptr;
  REQUIRE(jwtgate_validator_new(&v, nullptr, p, nullptr) == JWTGATE_OK);
  jwtgate_error* err = nullptr;
  CHECK(jwtgate_validator_refresh_keys(v, &err, 1) == JWTGATE_OK);
  CHECK(jwtgate_validator_start_refresh_thread(v) == JWTGATE_OK);
  jwtgate_key_counters c = counters(v);
  CHECK(c.sources == 0);
  CHECK(c.fetches == 0);
  jwtgate_validator_free(v);
  jwtgate_policy_free(p);
}

TEST_CASE("capi net: client credentials through the C API", "[net]") {
  LoopbackServer s;
  s.set_json("/token", "{\"token_type\":\"Bearer\",\"expires_in\":600,\"access_token\":\"abc.def.ghi\"}");
  jwtgate_token_request* t = jwtgate_token_request_new();
  const std::string url = s.url("/token");
  REQUIRE(jwtgate_token_request_set(t, JWTGATE_TOKEN_ENDPOINT, url.data(), url.size()) == JWTGATE_OK);
  REQUIRE(jwtgate_token_request_set(t, JWTGATE_TOKEN_CLIENT_ID, "cid", 3) == JWTGATE_OK);
  REQUIRE(jwtgate_token_request_set(t, JWTGATE_TOKEN_CLIENT_SECRET, "pw-1234", 7) == JWTGATE_OK);
  REQUIRE(jwtgate_token_request_set(t, JWTGATE_TOKEN_SCOPE, "api://x/.default", 16) == JWTGATE_OK);
  CHECK(jwtgate_token_request_set(t, JWTGATE_TOKEN_SCOPE, "a\0b", 3) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_token_request_set_client_auth(t, jwtgate_client_auth(7)) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_token_request_set_option(t, jwtgate_token_option(0), 1) == JWTGATE_ERR_INVALID_ARGUMENT);
  CHECK(jwtgate_token_request_set_client_auth(t, JWTGATE_CLIENT_SECRET_BASIC) == JWTGATE_OK);
  CHECK(jwtgate_token_request_set_client_auth(t, JWTGATE_CLIENT_SECRET_POST) == JWTGATE_OK);
  jwtgate_token_response* resp = nullptr;
  jwtgate_error* err = nullptr;
  // Without the loopback switch plain http is refused.
  CHECK(jwtgate_client_credentials(&resp, &err, t) == JWTGATE_ERR_NETWORK);
  CHECK(resp == nullptr);
  REQUIRE(err);
  CHECK_THAT(jwtgate_error_message(err, 0), Catch::Contains("needs allow-http-loopback"));
  REQUIRE(jwtgate_token_request_set_option(t, JWTGATE_TOKEN_ALLOW_HTTP_LOOPBACK, 1) == JWTGATE_OK);
  // Success frees the list the failure left in |err| and leaves it NULL
  // (jwtgate.h's rule; tests/capi/test_err_rule.c has the failures).
  REQUIRE(jwtgate_client_credentials(&resp, &err, t) == JWTGATE_OK);
  CHECK(err == nullptr);
  CHECK(std::string(jwtgate_token_response_access_token(resp)) == "abc.def.ghi");
  CHECK(jwtgate_token_response_expires_in(resp) == 600);
  CHECK_THAT(jwtgate_token_response_json(resp), Catch::Contains("\"token_type\":\"Bearer\""));
  jwtgate_token_response_free(resp);
  // Endpoint and tenant together are a usage error.
  REQUIRE(jwtgate_token_request_set(t, JWTGATE_TOKEN_TENANT, "contoso.onmicrosoft.com", 23) == JWTGATE_OK);
  CHECK(jwtgate_client_credentials(&resp, &err, t) == JWTGATE_ERR_INVALID_ARGUMENT);
  REQUIRE(err);
  CHECK_THAT(jwtgate_error_message(err, 0), Catch::Contains("not both"));
  jwtgate_error_free(err);
  jwtgate_token_request_free(t);
  jwtgate_token_request_free(nullptr);
  jwtgate_token_response_free(nullptr);
}
