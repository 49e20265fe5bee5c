// JWE decryption with a fixed key set: RSA 2048 and EC P-256 (the test
// keys), X25519, and symmetric keys of 16, 24, 32, 48 and 64 bytes, so
// every alg x enc has a key. The seed corpus holds tokens encrypted to these
// keys, so mutations start on the accept path. Checks: every failure after
// the header rules is JWE_DECRYPTION_FAILED with the one detail and no
// subject (no oracle); a success names the key and its content is no longer
// than the ciphertext allows.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "core/diagnostics.h"
#include "fuzz_jwe_keys.h"
#include "jwe/jwe_decrypt.h"

namespace {

const jwtgate::DecryptionKeySet& keys() {
  static const jwtgate::DecryptionKeySet set = [] {
    std::vector<jwtgate::DecryptionKey> k;
    jwtgate::Diagnostics diag;
    if (!jwtgate::load_decryption_private_key(jwtgate_fuzz::kRsa2048PrivatePem, "", k, diag) ||
        !jwtgate::load_decryption_private_key(jwtgate_fuzz::kEc256PrivatePem, "", k, diag))
      std::abort();
    jwtgate::DecryptionKey x;
    if (!jwtgate::make_private_decryption_key(
            EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, jwtgate_fuzz::kX25519Private, 32),
            x, nullptr))
      std::abort();
    k.push_back(std::move(x));
    for (size_t n : {16, 24, 32, 48, 64}) {
      std::vector<uint8_t> s(n);
      for (size_t i = 0; i < n; ++i) s[i] = static_cast<uint8_t>(i);
      if (!jwtgate::load_decryption_secret(s.data(), n, k, diag)) std::abort();
    }
    return k;
  }();
  return set;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static jwtgate::JweDecryptor d;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  jwtgate::TokenLimits limits;
  jwtgate::ParseFailure pf;
  jwtgate::JweDecryptOptions opts;
  if (d.decrypt_compact(in, limits, keys(), opts, pf)) {
    if (d.key() == nullptr || d.plaintext().size() > size) std::abort();
  } else if (pf.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED) {
    if (!pf.subject.empty() ||
        pf.detail != "the encrypted token (JWE) could not be decrypted with the policy's decryption keys")
      std::abort();
  }
  return 0;
}
