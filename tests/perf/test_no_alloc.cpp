// test_no_alloc: once warm, validating a valid token allocates nothing in
// jwtgate's own code (docs/performance.md, "Allocation on the hot path"),
// encrypted tokens (JWE) included.
//
// A test program of its own, because it replaces the process's allocators:
//  - operator new / new[] / delete, every form: what jwtgate's C++ code,
//    libstdc++ and simdjson's containers allocate with;
//  - malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign and
//    free (not under AddressSanitizer, whose allocator they would bypass):
//    C allocations by anything else in the process, simdjson's aligned
//    buffers included;
//  - OpenSSL's allocator, through CRYPTO_set_mem_functions, set before
//    OpenSSL allocates anything. What OpenSSL allocates inside EVP is
//    counted apart and NOT held against jwtgate: duplicating a prepared
//    context is how OpenSSL 3 verifies concurrently (the raw limit in
//    bench/ does exactly the same), and those allocations belong to
//    OpenSSL's design, not to ours. They are printed per call, as
//    information.
// The assertion: after warm-up, zero C++ allocations and zero other C
// allocations per validation, for each algorithm, with and without the
// verified-token cache (hits, and inserts that evict), and from two
// threads at once. The same Entra-shaped tokens and keys as the benchmark
// (bench/fixture.h).
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <openssl/crypto.h>

#include "fixture.h"
#include "jwtgate.h"

#if defined(__SANITIZE_ADDRESS__)
#define NO_ALLOC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_ALLOC_UNDER_ASAN 1
#endif
#endif
#ifndef NO_ALLOC_UNDER_ASAN
#define NO_ALLOC_UNDER_ASAN 0
#endif

// ------------------------------------------------------------ the counters

namespace {

std::atomic<bool> g_armed{false};
std::atomic<uint64_t> g_cxx{0};      // operator new
std::atomic<uint64_t> g_c{0};        // malloc family, outside OpenSSL
std::atomic<uint64_t> g_openssl{0};  // OpenSSL's CRYPTO_malloc / realloc

inline void count(std::atomic<uint64_t>& c) {
  if (g_armed.load(std::memory_order_relaxed)) c.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

// glibc's own entry points: the replacements below forward to them, so
// nothing is counted twice (operator new does not pass through our malloc).
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* __libc_memalign(size_t, size_t);
void __libc_free(void*);
}

namespace {

void* cxx_alloc(size_t n) {
  count(g_cxx);
  void* p = NO_ALLOC_UNDER_ASAN ? std::malloc(n ? n : 1) : __libc_malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

void* cxx_alloc_aligned(size_t n, std::align_val_t al) {
  count(g_cxx);
  const size_t a = static_cast<size_t>(al);
  void* p = nullptr;
#if NO_ALLOC_UNDER_ASAN
  if (posix_memalign(&p, a < sizeof(void*) ? sizeof(void*) : a, n ? n : 1) != 0) p = nullptr;
#else
  p = __libc_memalign(a, n ? n : 1);
#endif
  if (!p) throw std::bad_alloc();
  return p;
}

void cxx_free(void* p) {
#if NO_ALLOC_UNDER_ASAN
  std::free(p);
#else
  __libc_free(p);
#endif
}

}  // namespace

void* operator new(size_t n) { return cxx_alloc(n); }
void* operator new[](size_t n) { return cxx_alloc(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return cxx_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  try {
    return cxx_alloc(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(size_t n, std::align_val_t a) { return cxx_alloc_aligned(n, a); }
void* operator new[](size_t n, std::align_val_t a) { return cxx_alloc_aligned(n, a); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return cxx_alloc_aligned(n, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return cxx_alloc_aligned(n, a);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { cxx_free(p); }
void operator delete[](void* p) noexcept { cxx_free(p); }
void operator delete(void* p, size_t) noexcept { cxx_free(p); }
void operator delete[](void* p, size_t) noexcept { cxx_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { cxx_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { cxx_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { cxx_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { cxx_free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { cxx_free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { cxx_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { cxx_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { cxx_free(p); }

#if !NO_ALLOC_UNDER_ASAN
// The C allocator of the whole process (glibc lets a program replace it by
// defining these; see the glibc manual, "Replacing malloc").
extern "C" {
void* malloc(size_t n) {
  count(g_c);
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t size) {
  count(g_c);
  return __libc_calloc(n, size);
}
void* realloc(void* p, size_t n) {
  count(g_c);
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
int posix_memalign(void** out, size_t align, size_t n) {
  count(g_c);
  void* p = __libc_memalign(align, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
void* aligned_alloc(size_t align, size_t n) {
  count(g_c);
  return __libc_memalign(align, n);
}
void* memalign(size_t align, size_t n) {
  count(g_c);
  return __libc_memalign(align, n);
}
}
#endif

namespace {

void* openssl_malloc(size_t n, const char*, int) {
  count(g_openssl);
  return NO_ALLOC_UNDER_ASAN ? std::malloc(n) : __libc_malloc(n);
}
void* openssl_realloc(void* p, size_t n, const char*, int) {
  count(g_openssl);
  return NO_ALLOC_UNDER_ASAN ? std::realloc(p, n) : __libc_realloc(p, n);
}
void openssl_free(void* p, const char*, int) {
#if NO_ALLOC_UNDER_ASAN
  std::free(p);
#else
  __libc_free(p);
#endif
}

// ------------------------------------------------------------ the workload

struct Counts {
  uint64_t cxx = 0, c = 0, openssl = 0;
};

// measured runs |fn| with the counters armed and returns what it allocated.
template <typename Fn>
Counts measured(Fn&& fn) {
  g_cxx = 0;
  g_c = 0;
  g_openssl = 0;
  g_armed = true;
  fn();
  g_armed = false;
  return Counts{g_cxx.load(), g_c.load(), g_openssl.load()};
}

int failures = 0;

void report(const char* alg, const char* what, const Counts& n, uint64_t calls, bool openssl_split) {
  const bool ok = n.cxx == 0 && n.c == 0;
  if (!ok) ++failures;
  std::printf("%-7s %-34s %8.2f %8.2f %10.2f   %s\n", alg, what,
              static_cast<double>(n.cxx) / static_cast<double>(calls),
              static_cast<double>(n.c) / static_cast<double>(calls),
              openssl_split ? static_cast<double>(n.openssl) / static_cast<double>(calls) : -1.0,
              ok ? "ok" : "FAIL");
}

jwtgate_validator* make_validator(const jwtgate_policy* policy, const std::string& jwks,
                                  size_t cache_entries) {
  jwtgate_keyset* ks = nullptr;
  if (jwtgate_keyset_from_data(&ks, nullptr, JWTGATE_KEY_JWKS, jwks.data(), jwks.size()) !=
      JWTGATE_OK)
    return nullptr;
  jwtgate_validator_options* o = jwtgate_validator_options_new();
  jwtgate_validator* v = nullptr;
  if (o && jwtgate_validator_options_set_cache_entries(o, cache_entries) == JWTGATE_OK &&
      jwtgate_validator_new_with_options(&v, nullptr, policy, ks, o) != JWTGATE_OK)
    v = nullptr;
  jwtgate_validator_options_free(o);
  jwtgate_keyset_free(ks);
  return v;
}

// validate_all validates every token |passes| times and counts rejections
// (there must be none: every token is valid).
uint64_t validate_all(const jwtgate_validator* v, jwtgate_result* r,
                      const std::vector<std::string>& tokens, int passes) {
  uint64_t rejected = 0;
  for (int p = 0; p < passes; ++p)
    for (const std::string& t : tokens)
      rejected += jwtgate_validate_token(v, r, t.data(), t.size(), JWTGATE_NOW) != JWTGATE_OK;
  return rejected;
}

// validate_requests validates every token |passes| times from a request as
// a server builds it (jwtgate serve reuses one per thread): cleared, then
// filled with a few headers, the token's Authorization header among them,
// and a query. The token source looks at every entry (a token sent twice
// is refused), which must not cost an allocation either.
uint64_t validate_requests(const jwtgate_validator* v, jwtgate_result* r, jwtgate_request* req,
                           const std::vector<std::string>& bearer, int passes) {
  static const char* const kNames[] = {"Host", "User-Agent", "Accept", "X-Forwarded-For",
                                       "X-Request-Id"};
  uint64_t rejected = 0;
  for (int p = 0; p < passes; ++p)
    for (const std::string& b : bearer) {
      jwtgate_request_clear(req);
      for (const char* n : kNames) (void)jwtgate_request_add_header(req, n, "value", 5);
      (void)jwtgate_request_add_header(req, "authorization", b.data(), b.size());
      (void)jwtgate_request_add_query(req, "id", "7", 1);
      (void)jwtgate_request_add_query(req, "access%5Ftoken2", "x", 1);
      rejected += jwtgate_validate_request(v, r, req, JWTGATE_NOW) != JWTGATE_OK;
    }
  return rejected;
}

}  // namespace

int main() {
  // First of all: OpenSSL must not have allocated anything before this.
  const bool openssl_split = CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) == 1;
  if (!openssl_split)
    std::printf("note: OpenSSL had allocated before main; its allocations are counted as C "
                "allocations\n");
  if (NO_ALLOC_UNDER_ASAN)
    std::printf("note: AddressSanitizer build: the malloc family is not replaced; operator new "
                "and OpenSSL are still counted\n");

  // The counters must see what they are meant to see, or a zero below
  // would prove nothing.
  {
    const Counts probe = measured([] {
      std::string* s = new std::string(100, 'x');
      delete s;
      void* volatile p = std::malloc(64);
      std::free(p);
    });
    if (probe.cxx < 2 || (!NO_ALLOC_UNDER_ASAN && probe.c < 1)) {
      std::printf("FAIL: the counting allocator does not count (new %llu, malloc %llu)\n",
                  static_cast<unsigned long long>(probe.cxx), static_cast<unsigned long long>(probe.c));
      return 1;
    }
  }

  const bench::Keys keys = bench::generate_keys();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  jwtgate_policy* policy = nullptr;
  if (jwtgate_policy_load(&policy, nullptr, bench::kPolicyJson, std::strlen(bench::kPolicyJson),
                          nullptr) != JWTGATE_OK) {
    std::printf("FAIL: the benchmark policy does not load\n");
    return 1;
  }

  // The encrypted cases (an RS256 token inside RSA-OAEP-256 + A256GCM and
  // ECDH-ES + A256GCM) with the benchmark's JWE policy: decryption uses the
  // result's buffers, so it allocates nothing either once warm (OpenSSL's
  // private-key operations allocate inside EVP, counted apart as above).
  jwtgate_policy* jwe_policy = nullptr;
  {
    jwtgate_load_options* jo = bench::jwe_load_options(keys);
    if (jwtgate_policy_load(&jwe_policy, nullptr, bench::kJwePolicyJson,
                            std::strlen(bench::kJwePolicyJson), jo) != JWTGATE_OK) {
      std::printf("FAIL: the benchmark's JWE policy does not load\n");
      return 1;
    }
    jwtgate_load_options_free(jo);
  }

  std::printf("%-7s %-34s %8s %8s %10s\n", "alg", "path (per validation)", "C++ new", "malloc",
              "OpenSSL");
  constexpr size_t kTokens = 16;
  constexpr int kPasses = 4;
  constexpr uint64_t kCalls = kTokens * kPasses;
  uint64_t rejected = 0;
  std::vector<bench::Alg> all(std::begin(bench::kAlgs), std::end(bench::kAlgs));
  all.insert(all.end(), std::begin(bench::kJweAlgs), std::end(bench::kJweAlgs));
  for (bench::Alg a : all) {
    const bench::Scenario sc = bench::make_scenario(a, keys, kTokens, now);
    const char* name = bench::alg_name(a);
    const jwtgate_policy* pol = bench::is_jwe(a) ? jwe_policy : policy;
    jwtgate_validator* plain = make_validator(pol, sc.family->jwks, 0);
    jwtgate_validator* cached = make_validator(pol, sc.family->jwks, 1000);
    jwtgate_result* r = jwtgate_result_new();
    if (!plain || !cached || !r) {
      std::printf("FAIL: %s validators\n", name);
      return 1;
    }

    // Warm: the result's buffers, the parser's documents, this thread's
    // OpenSSL contexts and the cache's slots all reach their final size.
    rejected += validate_all(plain, r, sc.tokens, 2);
    report(name, "full validation", measured([&] { rejected += validate_all(plain, r, sc.tokens, kPasses); }),
           kCalls, openssl_split);

    rejected += validate_all(cached, r, sc.tokens, 2);
    report(name, "cache hit", measured([&] { rejected += validate_all(cached, r, sc.tokens, kPasses); }),
           kCalls, openssl_split);

    std::vector<std::string> bearer;
    for (const std::string& t : sc.tokens) bearer.push_back("Bearer " + t);
    jwtgate_request* req = jwtgate_request_new();
    rejected += validate_requests(plain, r, req, bearer, 2);
    report(name, "from a request, 6 headers, 2 query",
           measured([&] { rejected += validate_requests(plain, r, req, bearer, kPasses); }), kCalls,
           openssl_split);
    jwtgate_request_free(req);

    // Two threads at once, each with its own result, on one validator. The
    // second thread warms up (its OpenSSL thread state, its contexts) and
    // is started before the measured span: only what the two validations
    // allocate counts.
    jwtgate_result* r2 = jwtgate_result_new();
    std::atomic<uint64_t> rejected2{0};
    {
      std::atomic<int> stage{0};  // 1: warm, 2: go, 3: done
      std::thread other([&] {
        rejected2 += validate_all(plain, r2, sc.tokens, 2);
        stage = 1;
        while (stage.load() != 2) std::this_thread::yield();
        rejected2 += validate_all(plain, r2, sc.tokens, kPasses);
        stage = 3;
      });
      while (stage.load() != 1) std::this_thread::yield();
      report(name, "full validation, 2 threads", measured([&] {
               stage = 2;
               rejected += validate_all(plain, r, sc.tokens, kPasses);
               while (stage.load() != 3) std::this_thread::yield();
             }),
             2 * kCalls, openssl_split);
      other.join();
    }
    rejected += rejected2;
    jwtgate_result_free(r2);
    jwtgate_result_free(r);
    jwtgate_validator_free(plain);
    jwtgate_validator_free(cached);
  }

  // A full cache: more tokens than slots, so every validation misses,
  // verifies and evicts. A slot keeps its buffer, so once every slot has
  // held a token, inserting allocates nothing either.
  {
    const bench::Scenario sc = bench::make_scenario(bench::Alg::HS256, keys, 600, now);
    jwtgate_validator* small = make_validator(policy, sc.family->jwks, 1);  // 256 slots
    jwtgate_result* r = jwtgate_result_new();
    rejected += validate_all(small, r, sc.tokens, 3);
    report("HS256", "cache full: miss, verify, evict",
           measured([&] { rejected += validate_all(small, r, sc.tokens, 1); }), sc.tokens.size(),
           openssl_split);
    jwtgate_result_free(r);
    jwtgate_validator_free(small);
  }

  jwtgate_policy_free(policy);
  jwtgate_policy_free(jwe_policy);
  if (rejected) {
    std::printf("FAIL: %llu valid tokens were rejected\n", static_cast<unsigned long long>(rejected));
    ++failures;
  }
  std::printf("%s\n", failures ? "FAIL: jwtgate allocated on the hot path"
                               : "ok: no allocation by jwtgate on the hot path");
  return failures ? 1 : 0;
}
