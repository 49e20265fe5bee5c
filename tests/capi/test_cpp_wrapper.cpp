// test_cpp_wrapper.cpp - exercises include/jwtgate.hpp (the header-only RAII
// wrapper) against the shared library: every handle type is owned and freed
// by its unique_ptr alias, and the helpers give the same answers as the C
// calls. Runs under ASan in scripts/test.sh, so a leak or double free fails.
#include <cstdio>
#include <cstring>
#include <string>

#include "jwtgate.hpp"

namespace {

int failures = 0;
int checks = 0;

#define CHECK(cond)                                                                \
  do {                                                                             \
    ++checks;                                                                      \
    if (!(cond)) {                                                                 \
      ++failures;                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                              \
  } while (0)

// The HS256 token and key of test_capi.c (capi_token.h).
const char* const kKeyB64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
#include "capi_token.h"  // kToken

std::string policy_text() {
  return std::string(
             "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
             " \"audiences\": [\"api://demo\"],"
             " \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"") +
         kKeyB64 + "\"}]}}";
}

void test_policy_and_validation() {
  using namespace jwtgate_cpp;
  Error err;
  const std::string text = policy_text();
  Policy p = load_policy(text, nullptr, &err);
  CHECK(p != nullptr);
  CHECK(!err);
  CHECK(error_text(err).empty());

  KeySet none;  // the policy carries its key
  Validator v = make_validator(p, none);
  CHECK(v != nullptr);
  Result r = make_result();
  CHECK(validate(v, r, kToken, 1900000000));
  CHECK(claim_string(r, "sub") == "alice");
  CHECK(claim_string(r, "kid", JWTGATE_PART_HEADER) == "k1");
  CHECK(claim_string(r, "absent").empty());

  // After exp (2000000000): refused with the reason the C API gives.
  CHECK(!validate(v, r, kToken, 2000000001));
  CHECK(jwtgate_result_reason(r.get()) == JWTGATE_REASON_EXPIRED);

  // A broken policy: nullptr and an error list that says why.
  Error bad_err;
  Policy bad = load_policy("{\"validate-jwt\": 7}", nullptr, &bad_err);
  CHECK(bad == nullptr);
  CHECK(!error_text(bad_err).empty());
  // Without an error out-parameter, the list is freed inside.
  CHECK(load_policy("<nope", nullptr, nullptr) == nullptr);
}

void test_options_and_cache() {
  using namespace jwtgate_cpp;
  const std::string text = policy_text();
  Policy p = load_policy(text, nullptr, nullptr);
  ValidatorOptions o(jwtgate_validator_options_new());
  CHECK(o != nullptr);
  CHECK(jwtgate_validator_options_set_cache_entries(o.get(), 16) == JWTGATE_OK);
  jwtgate_validator* raw = nullptr;
  CHECK(jwtgate_validator_new_with_options(&raw, nullptr, p.get(), nullptr, o.get()) == JWTGATE_OK);
  Validator v(raw);
  Result r = make_result();
  for (int i = 0; i < 3; ++i) CHECK(validate(v, r, kToken, 1900000000));  // hits after the first
  CHECK(!validate(v, r, kToken, 2000000001));  // the cache honours exp
}

void test_key_set_builder() {
  using namespace jwtgate_cpp;
  KeySetBuilder b(jwtgate_keyset_builder_new());
  Error err;
  jwtgate_error* e = nullptr;
  CHECK(jwtgate_keyset_builder_add(b.get(), &e, JWTGATE_KEY_SYMMETRIC_BASE64, kKeyB64,
                                   std::strlen(kKeyB64), "k1") == JWTGATE_OK);
  err.reset(e);
  jwtgate_keyset* ks = nullptr;
  CHECK(jwtgate_keyset_builder_build(b.get(), &ks) == JWTGATE_OK);
  KeySet keys(ks);
  CHECK(jwtgate_keyset_count(keys.get()) == 1);
}

void test_token_request_handles() {
  using namespace jwtgate_cpp;
  TokenRequest t(jwtgate_token_request_new());
  CHECK(t != nullptr);
  const char secret[] = "not-a-real-secret";
  CHECK(jwtgate_token_request_set(t.get(), JWTGATE_TOKEN_CLIENT_SECRET, secret,
                                  sizeof secret - 1) == JWTGATE_OK);
  // Incomplete (no endpoint, client or scope): refused before any network use,
  // with no response to free.
  jwtgate_token_response* resp = nullptr;
  Error err;
  jwtgate_error* e = nullptr;
  CHECK(jwtgate_client_credentials(&resp, &e, t.get()) == JWTGATE_ERR_INVALID_ARGUMENT);
  err.reset(e);
  TokenResponse owned(resp);
  CHECK(owned == nullptr);
  CHECK(error_text(err).find(secret) == std::string::npos);  // never echoes the secret
  Request req = make_request();
  CHECK(req != nullptr);
}

}  // namespace

int main() {
  test_policy_and_validation();
  test_options_and_cache();
  test_key_set_builder();
  test_token_request_handles();
  std::printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
