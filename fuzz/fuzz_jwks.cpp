// A JWK Set (RFC 7517 5), as fetched from a jwks_uri, through the public
// loader, and the diagnostics rendered as text; then the set's invariants
// through the parsers themselves (src/keys/key_parsers.h), because the C API
// does not say which entry a loaded key came from:
//  - a set that loads holds only keys that load alone, as the same key
//    (parse_jwk of that entry: same type, kid, curve and size): a key that
//    failed to parse never slips into a set beside good ones;
//  - every entry of a set that loads is either loaded or named by a warning
//    ("JWKS key #N ... skipped: why"), so a skipped key is never silent;
//  - a set that loads holds at least one key; a published set that loads
//    holds no symmetric key.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "crypto/key_material.h"
#include "fuzz_support.h"
#include "keys/key_parsers.h"

namespace {

// entry_index: N of a key whose origin is "JWKS key #N..." (0 if none).
size_t entry_index(std::string_view origin) {
  constexpr std::string_view kPrefix = "JWKS key #";
  if (origin.substr(0, kPrefix.size()) != kPrefix) return 0;
  size_t n = 0;
  for (size_t i = kPrefix.size(); i < origin.size() && origin[i] >= '0' && origin[i] <= '9'; ++i)
    n = n * 10 + static_cast<size_t>(origin[i] - '0');
  return n;
}

void check_invariants(std::string_view text) {
  std::vector<jwtgate::Key> keys;
  jwtgate::Diagnostics diag;
  if (!jwtgate::parse_jwks(text, keys, diag)) return;
  if (keys.empty()) std::abort();
  simdjson::dom::parser parser;
  simdjson::dom::array entries;
  if (parser.parse(text.data(), text.size()).get_object()["keys"].get_array().get(entries)) std::abort();
  std::vector<bool> loaded(entries.size(), false);
  for (const jwtgate::Key& k : keys) {
    const size_t n = entry_index(k.origin);
    if (n == 0 || n > entries.size() || loaded[n - 1]) std::abort();
    loaded[n - 1] = true;
    std::vector<jwtgate::Key> alone;
    jwtgate::Diagnostics alone_diag;
    if (!jwtgate::parse_jwk(simdjson::minify(entries.at(n - 1).value_unsafe()), alone, alone_diag)) std::abort();
    const jwtgate::Key& a = alone.at(0);
    if (a.type != k.type || a.kid != k.kid || a.has_kid != k.has_kid || a.kid_bound != k.kid_bound ||
        a.curve_nid != k.curve_nid || a.bits != k.bits)
      std::abort();
  }
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (loaded[i]) continue;
    const std::string label = "JWKS key #" + std::to_string(i + 1);
    bool named = false;
    for (const jwtgate::Diagnostic& d : diag.items())
      named = named || (d.warning && d.message.compare(0, label.size(), label) == 0 &&
                        (d.message.size() == label.size() || d.message[label.size()] == ' ') &&
                        d.message.find(" skipped: ") != std::string::npos);
    if (!named) std::abort();
  }
  std::vector<jwtgate::Key> published;
  jwtgate::Diagnostics published_diag;
  if (jwtgate::parse_published_jwks(text, published, published_diag)) {
    if (published.size() != keys.size()) std::abort();
    for (const jwtgate::Key& k : published)
      if (k.type == jwtgate::KeyType::Oct) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_keyset* ks = nullptr;
  jwtgate_error* err = nullptr;
  const jwtgate_status s = jwtgate_keyset_from_data(&ks, &err, JWTGATE_KEY_JWKS,
                                                    reinterpret_cast<const char*>(data), size);
  jwtgate_fuzz::check_status(s);
  // A set that loads holds keys; one that is refused says why.
  if (s == JWTGATE_OK && jwtgate_keyset_count(ks) == 0) std::abort();
  if (s == JWTGATE_ERR_KEY && jwtgate_error_count(err) == 0) std::abort();
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_keyset_free(ks);
  check_invariants(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
