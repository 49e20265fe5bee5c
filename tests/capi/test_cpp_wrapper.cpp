// test_cpp_wrapper.cpp - exercises include/jwtgate.hpp (the header-only C++
// wrapper) against the shared library: every handle type is owned and freed
// by its unique_ptr alias, the factories throw jwtgate::error (status and
// the error list) or std::bad_alloc instead of returning an empty handle,
// warnings stay with their object, and the helpers give the same answers as
// the C calls. Runs under ASan in scripts/test.sh, so a leak or double free
// fails.
#include <cstdio>
#include <cstring>
#include <string>
#include <type_traits>

#include "jwtgate_experimental.h"  // before jwtgate.hpp: its experimental part too
#include "jwtgate.hpp"
#include "check.h"

namespace {

// CHECK_THROWS_STATUS runs |expr| and checks it throws jwtgate::error with
// status |want| and a list that contains |text|.
#define CHECK_THROWS_STATUS(expr, want, text)                                                        \
  do {                                                                                                 \
    bool thrown_ = false;                                                                              \
    try {                                                                                              \
      (void)(expr);                                                                                    \
    } catch (const jwtgate::error& e_) {                                                               \
      thrown_ = true;                                                                                  \
      CHECK(e_.status() == (want));                                                                    \
      CHECK(e_.list() != nullptr);                                                                     \
      CHECK(jwtgate::error_text(e_.list()).find(text) != std::string::npos);                           \
      CHECK(std::string(e_.what()).find(text) != std::string::npos);                                   \
    }                                                                                                  \
    CHECK(thrown_);                                                                                    \
  } while (0)

// Every handle type of both headers has its owner, whose deleter is the
// matching _free.
template <typename Owner, typename T, void (*Free)(T*)>
constexpr bool owns = std::is_same_v<Owner, std::unique_ptr<T, jwtgate::deleter<Free>>>;
static_assert(owns<jwtgate::error_list, jwtgate_error, jwtgate_error_free>);
static_assert(owns<jwtgate::keyset, jwtgate_keyset, jwtgate_keyset_free>);
static_assert(owns<jwtgate::keyset_builder, jwtgate_keyset_builder, jwtgate_keyset_builder_free>);
static_assert(owns<jwtgate::load_options, jwtgate_load_options, jwtgate_load_options_free>);
static_assert(owns<jwtgate::policy, jwtgate_policy, jwtgate_policy_free>);
static_assert(owns<jwtgate::validator_options, jwtgate_validator_options, jwtgate_validator_options_free>);
static_assert(owns<jwtgate::validator, jwtgate_validator, jwtgate_validator_free>);
static_assert(owns<jwtgate::request, jwtgate_request, jwtgate_request_free>);
static_assert(owns<jwtgate::result, jwtgate_result, jwtgate_result_free>);
static_assert(owns<jwtgate::token_request, jwtgate_token_request, jwtgate_token_request_free>);
static_assert(owns<jwtgate::token_response, jwtgate_token_response, jwtgate_token_response_free>);
// An owner is no bigger than the pointer: the deleter is stateless.
static_assert(sizeof(jwtgate::policy) == sizeof(jwtgate_policy*));

// The HS256 token and key of test_capi.c.
#include "capi_token.h"  // kKeyB64, kToken

std::string policy_text() {
  return std::string(
             "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
             " \"audiences\": [\"api://demo\"],"
             " \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"") +
         kKeyB64 + "\"}]}}";
}

void test_policy_and_validation() {
  jwtgate::policy p = jwtgate::load_policy(policy_text());
  CHECK(p != nullptr);
  CHECK(jwtgate::warnings(p) == nullptr);

  jwtgate::validator v = jwtgate::make_validator(p);  // the policy carries its key
  CHECK(v != nullptr);
  jwtgate::result r = jwtgate::make_result();
  CHECK(jwtgate::validate(v, r, kToken, 1900000000));
  CHECK(jwtgate::claim_string(r, "sub") == "alice");
  CHECK(jwtgate::claim_string(r, "kid", JWTGATE_PART_HEADER) == "k1");
  CHECK(jwtgate::claim_string(r, "absent").empty());

  // After exp (2000000000): false, with the reason the C API gives.
  CHECK(!jwtgate::validate(v, r, kToken, 2000000001));
  CHECK(jwtgate_result_reason(r.get()) == JWTGATE_REASON_EXPIRED);

  // From a request.
  jwtgate::request req = jwtgate::make_request();
  const std::string bearer = std::string("Bearer ") + kToken;
  CHECK(jwtgate_request_add_header(req.get(), "Authorization", bearer.data(), bearer.size()) == JWTGATE_OK);
  CHECK(jwtgate::validate(v, r, req, 1900000000));
  jwtgate_request_clear(req.get());
  CHECK(!jwtgate::validate(v, r, req, 1900000000));
  CHECK(jwtgate_result_reason(r.get()) == JWTGATE_REASON_TOKEN_NOT_PRESENT);

  // A bad argument is an exception (with no list: the C call has no err),
  // not a verdict.
  jwtgate::result none;
  try {
    (void)jwtgate::validate(v, none, kToken);
    CHECK(false);
  } catch (const jwtgate::error& e) {
    CHECK(e.status() == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(e.list() == nullptr);
    CHECK(std::string(e.what()) == "jwtgate_validate_token: invalid argument");
  }
}

void test_failures_throw() {
  // A broken policy: jwtgate::error with the status and every problem.
  CHECK_THROWS_STATUS(jwtgate::load_policy("{\"validate-jwt\": {\"header-name\": \"Authorization\","
                                           " \"clock-skew\": \"soon\"}}"),
                      JWTGATE_ERR_POLICY, "clock-skew");
  CHECK_THROWS_STATUS(jwtgate::load_policy_file("/nonexistent/policy.xml"), JWTGATE_ERR_IO, "cannot open");
  // make_validator no longer drops the error: no policy is refused.
  CHECK_THROWS_STATUS(jwtgate::make_validator(jwtgate::policy()), JWTGATE_ERR_INVALID_ARGUMENT,
                      "no policy given");
  CHECK_THROWS_STATUS(jwtgate::load_keyset("{\"keys\": [{\"kty\": \"RSA\", \"n\": \"!!\", \"e\": \"AQAB\"}]}"),
                      JWTGATE_ERR_KEY, "JWKS key #1");
  jwtgate::load_options o = jwtgate::make_load_options();
  CHECK_THROWS_STATUS(jwtgate::add_certificate(o, "c1", "junk"), JWTGATE_ERR_KEY, "");
  // The exception can be copied (the list is shared) and still read.
  try {
    jwtgate::load_policy("<nope");
    CHECK(false);
  } catch (const jwtgate::error& e) {
    const jwtgate::error copy = e;
    CHECK(copy.list() == e.list());
    CHECK(jwtgate_error_count(copy.list()) >= 1);
  }
}

void test_warnings_stay_with_their_object() {
  // An audience with a leading space: loaded, with one warning on the policy.
  const std::string xml = std::string(
      "<validate-jwt header-name=\"Authorization\"><audiences><audience> api://demo</audience></audiences>"
      "<issuer-signing-keys><key id=\"k1\">") + kKeyB64 + "</key></issuer-signing-keys></validate-jwt>";
  jwtgate::policy p = jwtgate::load_policy(xml);
  CHECK(jwtgate_error_count(jwtgate::warnings(p)) == 1);
  CHECK(jwtgate::error_text(jwtgate::warnings(p)).find("whitespace") != std::string::npos);

  // A JWK Set with a skipped key: the builder, then the set, keep the warning.
  const char* jwks =
      "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"},"
      "{\"kty\":\"oct\",\"kid\":\"k2\",\"use\":\"enc\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}";
  jwtgate::keyset_builder b = jwtgate::make_keyset_builder();
  jwtgate::add_keys(b, jwks, JWTGATE_KEY_JWKS);
  CHECK(jwtgate_error_count(jwtgate::warnings(b)) == 1);
  jwtgate::add_keys(b, kKeyB64, JWTGATE_KEY_SYMMETRIC_BASE64, "k3");
  jwtgate::keyset ks = jwtgate::build(b);
  CHECK(jwtgate_keyset_count(ks.get()) == 2);
  CHECK(jwtgate_error_count(jwtgate::warnings(ks)) == 1);
  jwtgate::keyset one = jwtgate::load_keyset(jwks, JWTGATE_KEY_JWKS);
  CHECK(jwtgate_error_count(jwtgate::warnings(one)) == 1);
}

void test_options_and_cache() {
  jwtgate::policy p = jwtgate::load_policy(policy_text());
  jwtgate::validator_options o = jwtgate::make_validator_options();
  CHECK(jwtgate_validator_options_set_cache_entries(o.get(), 16) == JWTGATE_OK);
  jwtgate::validator v = jwtgate::make_validator(p, jwtgate::keyset(), o);
  jwtgate::result r = jwtgate::make_result();
  for (int i = 0; i < 3; ++i) CHECK(jwtgate::validate(v, r, kToken, 1900000000));  // hits after the first
  CHECK(!jwtgate::validate(v, r, kToken, 2000000001));  // the cache honours exp
}

void test_experimental_part() {
  jwtgate::token_request t = jwtgate::make_token_request();
  const char secret[] = "not-a-real-secret";
  CHECK(jwtgate_token_request_set(t.get(), JWTGATE_TOKEN_CLIENT_SECRET, secret, sizeof secret - 1) ==
        JWTGATE_OK);
  // Incomplete (no endpoint, client or scope): refused before any network
  // use, never echoing the secret.
  try {
    jwtgate::token_response resp = jwtgate::client_credentials(t);
    CHECK(false);
  } catch (const jwtgate::error& e) {
    CHECK(e.status() == JWTGATE_ERR_INVALID_ARGUMENT);
    CHECK(jwtgate::error_text(e.list()).find("no client ID given") != std::string::npos);
    CHECK(std::string(e.what()).find(secret) == std::string::npos);
  }
  jwtgate::policy p = jwtgate::load_policy(policy_text());
  jwtgate::validator v = jwtgate::make_validator(p);
  CHECK(jwtgate::key_errors(v) == nullptr);  // nothing fetched, nothing failed
}

void test_deprecated_names() {
  // namespace jwtgate_cpp still builds old code: same types, old helpers.
  static_assert(std::is_same_v<jwtgate_cpp::Policy, jwtgate::policy>);
  static_assert(std::is_same_v<jwtgate_cpp::Error, jwtgate::error_list>);
  jwtgate_cpp::Error err;
  jwtgate_cpp::Policy p = jwtgate_cpp::load_policy("{\"validate-jwt\": 7}", nullptr, &err);
  CHECK(p == nullptr);
  CHECK(!jwtgate_cpp::error_text(err).empty());
  CHECK(jwtgate_cpp::load_policy("<nope", nullptr, nullptr) == nullptr);
  CHECK(jwtgate_cpp::make_result() != nullptr);
  CHECK(jwtgate_cpp::make_request() != nullptr);
}

}  // namespace

int main() {
  test_policy_and_validation();
  test_failures_throw();
  test_warnings_stay_with_their_object();
  test_options_and_cache();
  test_experimental_part();
  test_deprecated_names();
  std::printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
