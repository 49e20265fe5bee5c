// Differential: jwtgate's verify_signature (crypto/key_material.h) against
// OpenSSL's EVP interface called directly, on the same public key, signing
// input and signature; any disagreement aborts. The reference below spells
// out the JWS rules itself rather than borrowing jwtgate's helpers: HMAC with
// the full tag (RFC 7518 3.2), RSASSA-PKCS1-v1_5 (3.3) and RSASSA-PSS with
// MGF1 of the same hash and a salt as long as the hash (3.5), both taking a
// signature of exactly k bytes (RFC 8017 8.1.2 and 8.2.2 step 1), ECDSA as
// R || S of exactly the curve's coordinate size re-encoded as DER (3.4), and
// pure EdDSA (RFC 8037 3.1).
//
// Input: KEY (1 byte: an entry of kPool, modulo its size), SIGLEN (2 bytes,
// big-endian), SIGNATURE (SIGLEN bytes), SIGNING INPUT (the rest). The seed
// corpus holds valid signatures for every entry, so mutations start on the
// accept path.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/key_material.h"
#include "fuzz_support.h"
#include "keys/key_parsers.h"

namespace {

using jwtgate::Alg;
using jwtgate::AlgFamily;
using namespace jwtgate_fuzz;

struct PoolEntry {
  Alg alg;
  const char* pem;  // nullptr: the HMAC secret
  const EVP_MD* (*md)();
};

// The pool: every JWS algorithm with a real key from tests/data/keys.
const PoolEntry kPool[] = {
    {Alg::HS256, nullptr, EVP_sha256},     {Alg::HS384, nullptr, EVP_sha384},
    {Alg::HS512, nullptr, EVP_sha512},     {Alg::RS256, kRsa2048Pem, EVP_sha256},
    {Alg::RS384, kRsa2048Pem, EVP_sha384}, {Alg::RS512, kRsa2048Pem, EVP_sha512},
    {Alg::PS256, kRsa2048Pem, EVP_sha256}, {Alg::PS384, kRsa2048Pem, EVP_sha384},
    {Alg::PS512, kRsa2048Pem, EVP_sha512}, {Alg::ES256, kEc256Pem, EVP_sha256},
    {Alg::ES384, kEc384Pem, EVP_sha384},   {Alg::ES512, kEc521Pem, EVP_sha512},
    {Alg::EdDSA, kEd25519Pem, nullptr},    {Alg::EdDSA, kEd448Pem, nullptr},
};
constexpr size_t kPoolSize = sizeof kPool / sizeof kPool[0];

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

struct LoadedKey {
  jwtgate::Key key;                          // jwtgate's view, through its PEM parser
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey;  // OpenSSL's own parse of the same PEM
};

const std::vector<LoadedKey>& keys() {
  static const std::vector<LoadedKey> loaded = [] {
    std::vector<LoadedKey> out(kPoolSize);
    jwtgate::KeyRules rules;
    rules.min_hmac_bits = 128;  // the 256-bit secret may also sign HS384/HS512
    for (size_t i = 0; i < kPoolSize; ++i) {
      const PoolEntry& e = kPool[i];
      if (e.pem == nullptr) {
        if (!jwtgate::make_secret_key(kHmacSecret, sizeof kHmacSecret, out[i].key)) std::abort();
      } else {
        std::vector<jwtgate::Key> parsed;
        jwtgate::Diagnostics diag;
        if (!jwtgate::parse_pem(e.pem, parsed, diag) || parsed.size() != 1) std::abort();
        out[i].key = parsed[0];
        BIO* bio = BIO_new_mem_buf(e.pem, -1);
        out[i].pkey.reset(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
        BIO_free(bio);
        if (out[i].pkey == nullptr) std::abort();
      }
      // verify_signature's precondition; a broken pool is a broken target.
      if (!jwtgate::key_compatible(out[i].key, e.alg, rules, nullptr)) std::abort();
    }
    return out;
  }();
  return loaded;
}

bool openssl_verify(const PoolEntry& e, EVP_PKEY* pkey, std::string_view input,
                    const uint8_t* sig, size_t sig_len) {
  const auto* tbs = reinterpret_cast<const unsigned char*>(input.data());
  const AlgFamily family = jwtgate::alg_family(e.alg);
  if (family == AlgFamily::HMAC) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    if (HMAC(e.md(), kHmacSecret, sizeof kHmacSecret, tbs, input.size(), mac, &mac_len) == nullptr)
      return false;
    return sig_len == mac_len && CRYPTO_memcmp(mac, sig, mac_len) == 0;
  }

  std::vector<unsigned char> der;  // ECDSA: the DER form of R || S
  if (family == AlgFamily::RSA_PKCS1 || family == AlgFamily::RSA_PSS) {
    if (sig_len != static_cast<size_t>(EVP_PKEY_get_size(pkey))) return false;
  } else if (family == AlgFamily::ECDSA) {
    const size_t coord = (static_cast<size_t>(EVP_PKEY_get_bits(pkey)) + 7) / 8;
    if (sig_len != 2 * coord) return false;
    ECDSA_SIG* es = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(sig, static_cast<int>(coord), nullptr);
    BIGNUM* s = BN_bin2bn(sig + coord, static_cast<int>(coord), nullptr);
    if (es == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(es, r, s) != 1) std::abort();
    const int len = i2d_ECDSA_SIG(es, nullptr);
    if (len <= 0) std::abort();
    der.resize(static_cast<size_t>(len));
    unsigned char* p = der.data();
    if (i2d_ECDSA_SIG(es, &p) != len) std::abort();
    ECDSA_SIG_free(es);
    sig = der.data();
    sig_len = der.size();
  }

  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx != nullptr &&
            EVP_DigestVerifyInit(ctx, &pctx, e.md ? e.md() : nullptr, nullptr, pkey) == 1;
  if (ok && family == AlgFamily::RSA_PSS)
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, e.md()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, EVP_MD_get_size(e.md())) == 1;
  if (!ok) std::abort();  // setting up the reference cannot fail
  ok = EVP_DigestVerify(ctx, sig, sig_len, tbs, input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  const size_t which = in.byte() % kPoolSize;
  const std::string_view sig = in.bytes(in.u16());
  const std::string_view signing_input = in.rest();

  const PoolEntry& e = kPool[which];
  const LoadedKey& k = keys()[which];
  const auto* s = reinterpret_cast<const uint8_t*>(sig.data());
  const bool theirs = openssl_verify(e, k.pkey.get(), signing_input, s, sig.size());
  ERR_clear_error();
  const bool ours = jwtgate::verify_signature(k.key, e.alg, signing_input, s, sig.size());
  if (ours != theirs) std::abort();
  return 0;
}
