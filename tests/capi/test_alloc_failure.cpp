// test_alloc_failure: every C entry point that makes an object survives an
// allocation failure at any point: it returns JWTGATE_ERR_OUT_OF_MEMORY (a
// _new function: NULL), hands out nothing, and leaks nothing.
//
// A program of its own, because it replaces operator new (every form) for
// the whole process, the shared library included: allocation number k of a
// call throws std::bad_alloc (the nothrow forms return NULL), for k = 1, 2,
// ... until the call no longer fails. Around each call it counts the
// operator-new allocations still alive: after a failed call the count is
// back where it was, so an object held by a raw pointer across a throwing
// step (the pattern src/capi/capi_types.h forbids) fails the test even
// without a sanitizer; under AddressSanitizer (scripts/test.sh), LeakSanitizer
// checks the C allocations too. Against the shared library, public API only.
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>

#include "jwtgate_experimental.h"
#include "check.h"

namespace {

std::atomic<long> g_until_failure{0};  // >0: the allocation that makes it 0 fails
std::atomic<long> g_live{0};           // operator-new allocations not yet deleted
std::atomic<bool> g_failed{false};     // an allocation was failed during the call

bool fail_this_one() {
  long n = g_until_failure.load(std::memory_order_relaxed);
  while (n > 0) {
    if (g_until_failure.compare_exchange_weak(n, n - 1, std::memory_order_relaxed)) {
      if (n == 1) {
        g_failed.store(true, std::memory_order_relaxed);
        return true;
      }
      return false;
    }
  }
  return false;
}

void* allocate(std::size_t n, std::size_t align) noexcept {
  if (fail_this_one()) return nullptr;
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(n ? n : 1);
  } else if (posix_memalign(&p, align, n ? n : 1) != 0) {
    p = nullptr;
  }
  if (p) g_live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  g_live.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = allocate(n, 0)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = allocate(n, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) {
  if (void* p = allocate(n, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

namespace {

#include "capi_token.h"  // kKeyB64
const char* const kJwksWithSkip =
    "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k1\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"},"
    "{\"kty\":\"oct\",\"kid\":\"k2\",\"use\":\"enc\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}]}";
// JSON and XML, the second with a warning (its list is made too).
const std::string kJsonPolicy = std::string(
    "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
    " \"audiences\": [\"api://demo\"], \"required-claims\": [{\"name\": \"roles\", \"match\": \"any\","
    " \"values\": [\"Data.Read\"]}], \"issuer-signing-keys\": [{\"id\": \"k1\", \"value\": \"") + kKeyB64 + "\"}]}}";
const std::string kXmlPolicy = std::string(
    "<validate-jwt header-name=\"Authorization\"><audiences><audience> api://demo</audience></audiences>"
    "<issuer-signing-keys><key id=\"k1\">") + kKeyB64 + "</key></issuer-signing-keys></validate-jwt>";

// sweep calls |op| with allocation k failing, k = 1, 2, ..., until it
// succeeds. |op| returns the status and whether it handed an object out;
// |cleanup| frees what a successful call made. Every failed call must say
// JWTGATE_ERR_OUT_OF_MEMORY, hand out nothing, and leave the live count as
// it found it.
void sweep(const char* what, const std::function<jwtgate_status(bool* made)>& op,
           const std::function<void()>& cleanup) {
  // Warm-up: first-use statics (defaults, clocks) are made once, outside the count.
  bool made = false;
  CHECK(op(&made) == JWTGATE_OK);
  cleanup();
  long k = 1;
  for (;; ++k) {
    const long before = g_live.load();
    g_failed.store(false);
    g_until_failure.store(k);
    made = false;
    const jwtgate_status s = op(&made);
    g_until_failure.store(0);
    if (!g_failed.load()) {  // the call made fewer than k allocations: done
      CHECK(s == JWTGATE_OK);
      cleanup();
      break;
    }
    if (s == JWTGATE_OK) {
      // A failure absorbed without harm (a cache that is not filled, say)
      // is allowed; the result must still be right, which op checked.
      cleanup();
    } else {
      if (s != JWTGATE_ERR_OUT_OF_MEMORY || made)
        std::fprintf(stderr, "%s: allocation %ld failed: status %d (%s), object %s\n", what, k, int(s),
                     jwtgate_status_str(s), made ? "handed out" : "none");
      CHECK(s == JWTGATE_ERR_OUT_OF_MEMORY);
      CHECK(!made);
    }
    const long after = g_live.load();
    if (after != before)
      std::fprintf(stderr, "%s: allocation %ld failed: %ld allocations leaked\n", what, k, after - before);
    CHECK(after == before);
  }
  std::printf("%s: %ld allocations, each failure handled\n", what, k - 1);
}

}  // namespace

int main() {
  jwtgate_policy* policy = nullptr;
  if (jwtgate_policy_load(&policy, nullptr, kJsonPolicy.data(), kJsonPolicy.size(), nullptr) != JWTGATE_OK) {
    std::fprintf(stderr, "the test policy does not load\n");
    return 2;
  }

  jwtgate_policy* p = nullptr;
  sweep("jwtgate_policy_load (JSON)",
        [&](bool* made) {
          jwtgate_error* err = nullptr;
          jwtgate_status s = jwtgate_policy_load(&p, &err, kJsonPolicy.data(), kJsonPolicy.size(), nullptr);
          *made = p != nullptr;
          jwtgate_error_free(err);
          return s;
        },
        [&] { jwtgate_policy_free(p); p = nullptr; });
  sweep("jwtgate_policy_load (XML, with a warning)",
        [&](bool* made) {
          jwtgate_status s = jwtgate_policy_load(&p, nullptr, kXmlPolicy.data(), kXmlPolicy.size(), nullptr);
          *made = p != nullptr;
          if (s == JWTGATE_OK && jwtgate_error_count(jwtgate_policy_warnings(p)) != 1) return JWTGATE_ERR_INTERNAL;
          return s;
        },
        [&] { jwtgate_policy_free(p); p = nullptr; });

  sweep("jwtgate_policy_with_clock_skew (experimental)",
        [&](bool* made) {
          jwtgate_status s = jwtgate_policy_with_clock_skew(&p, policy, 30);
          *made = p != nullptr;
          if (s == JWTGATE_OK && !std::strstr(jwtgate_policy_to_json(p), "\"clock-skew\":30,"))
            return JWTGATE_ERR_INTERNAL;
          return s;
        },
        [&] { jwtgate_policy_free(p); p = nullptr; });

  jwtgate_validator* v = nullptr;
  sweep("jwtgate_validator_new",
        [&](bool* made) {
          jwtgate_error* err = nullptr;
          jwtgate_status s = jwtgate_validator_new(&v, &err, policy, nullptr);
          *made = v != nullptr;
          jwtgate_error_free(err);
          return s;
        },
        [&] { jwtgate_validator_free(v); v = nullptr; });

  jwtgate_keyset* ks = nullptr;
  sweep("jwtgate_keyset_from_data (a JWK Set with a warning)",
        [&](bool* made) {
          jwtgate_status s = jwtgate_keyset_from_data(&ks, nullptr, JWTGATE_KEY_JWKS, kJwksWithSkip,
                                                      std::strlen(kJwksWithSkip));
          *made = ks != nullptr;
          if (s == JWTGATE_OK && (jwtgate_keyset_count(ks) != 1 || !jwtgate_keyset_warnings(ks)))
            return JWTGATE_ERR_INTERNAL;
          return s;
        },
        [&] { jwtgate_keyset_free(ks); ks = nullptr; });

  jwtgate_keyset_builder* b = jwtgate_keyset_builder_new();
  sweep("jwtgate_keyset_builder_add + _build",
        [&](bool* made) {
          // A failed add adds nothing: the count before the build says so.
          jwtgate_keyset_builder* fresh = jwtgate_keyset_builder_new();
          if (!fresh) return JWTGATE_ERR_OUT_OF_MEMORY;
          jwtgate_status s = jwtgate_keyset_builder_add(fresh, nullptr, JWTGATE_KEY_SYMMETRIC_BASE64, kKeyB64,
                                                        std::strlen(kKeyB64), "k1");
          if (s == JWTGATE_OK) s = jwtgate_keyset_builder_build(fresh, &ks);
          jwtgate_keyset_builder_free(fresh);
          *made = ks != nullptr;
          if (s == JWTGATE_OK && jwtgate_keyset_count(ks) != 1) return JWTGATE_ERR_INTERNAL;
          return s;
        },
        [&] { jwtgate_keyset_free(ks); ks = nullptr; });
  jwtgate_keyset_builder_free(b);

  // A decryption key (experimental) and a policy that names it: a failed
  // add registers nothing, so the policy does not load without it.
  static const char kDecryptionJwk[] = "{\"kty\":\"oct\",\"k\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"}";
  static const std::string kJwePolicy =
      "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuers\": [\"https://issuer.example\"],"
      " \"issuer-signing-keys\": [{\"value\": \"" + std::string(kKeyB64) + "\"}],"
      " \"decryption-keys\": [{\"certificate-id\": \"enc\"}]}}";
  sweep("jwtgate_load_options_add_decryption_key (experimental) + jwtgate_policy_load",
        [&](bool* made) {
          jwtgate_load_options* o = jwtgate_load_options_new();
          if (!o) return JWTGATE_ERR_OUT_OF_MEMORY;
          jwtgate_error* err = nullptr;
          jwtgate_status s = jwtgate_load_options_add_decryption_key(o, &err, "enc", kDecryptionJwk,
                                                                     std::strlen(kDecryptionJwk), nullptr);
          if (s == JWTGATE_OK) s = jwtgate_policy_load(&p, &err, kJwePolicy.data(), kJwePolicy.size(), o);
          jwtgate_error_free(err);
          jwtgate_load_options_free(o);
          *made = p != nullptr;
          return s;
        },
        [&] { jwtgate_policy_free(p); p = nullptr; });

  // The _new functions: NULL, never an exception.
  auto handle = [&](const char* what, auto make, auto destroy) {
    sweep(what,
          [&](bool* made) {
            auto* h = make();
            *made = h != nullptr;
            destroy(h);
            *made = false;  // freed at once: nothing is handed out past the call
            return h ? JWTGATE_OK : JWTGATE_ERR_OUT_OF_MEMORY;
          },
          [] {});
  };
  handle("jwtgate_result_new", jwtgate_result_new, jwtgate_result_free);
  handle("jwtgate_request_new", jwtgate_request_new, jwtgate_request_free);
  handle("jwtgate_load_options_new", jwtgate_load_options_new, jwtgate_load_options_free);
  handle("jwtgate_keyset_builder_new", jwtgate_keyset_builder_new, jwtgate_keyset_builder_free);
  handle("jwtgate_validator_options_new", jwtgate_validator_options_new, jwtgate_validator_options_free);
  handle("jwtgate_jws_options_new (experimental)", jwtgate_jws_options_new, jwtgate_jws_options_free);

  jwtgate_policy_free(policy);
  std::printf("%d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
