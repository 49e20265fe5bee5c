// verify_signature: the per-token hot path. Everything that can be decided
// once (key parsing, checks, algorithm fetches, padding parameters, HMAC
// pads, RSA Montgomery contexts) was done at load in key_material.cpp; here
// we only run the primitive on a per-thread copy of a prepared context (RSA:
// in the BN layer, rsa_verify.cpp). No shared mutable state: the
// KeyMaterial is read-only and the contexts are thread_local.
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "crypto/thread_ctx.h"

namespace jwtgate {

namespace {

// Per-thread EVP_MD_CTX, allocated on a thread's first verification and
// reused: EVP_MD_CTX_reset keeps the allocation.
using ThreadMdCtx = ThreadCtx<EVP_MD_CTX, EVP_MD_CTX_new, EVP_MD_CTX_free>;
thread_local ThreadMdCtx t_digest;
thread_local ThreadMdCtx t_eddsa;

constexpr size_t kMaxDigestBytes = 64;  // SHA-512
// DER of SEQUENCE { INTEGER r, INTEGER s } for P-521: each INTEGER is at most
// 2 + 1 + 66 bytes (tag, length, sign pad, value); the SEQUENCE header is at
// most 3 bytes. 141 in all.
constexpr size_t kMaxEcdsaDerBytes = 3 + 2 * (2 + 1 + kMaxEcCoordinateBytes);

bool digest(Alg alg, std::string_view in, uint8_t* out, size_t* out_len) {
  EVP_MD_CTX* c = t_digest.ctx;
  const EVP_MD* md = jws_digest(alg);
  if (c == nullptr || md == nullptr) return false;
  unsigned len = 0;
  const bool ok = EVP_DigestInit_ex2(c, md, nullptr) == 1 &&
                  EVP_DigestUpdate(c, in.data(), in.size()) == 1 &&
                  EVP_DigestFinal_ex(c, out, &len) == 1;
  *out_len = len;
  return ok && len == static_cast<unsigned>(alg_hash_bytes(alg));
}

// Per-thread verification contexts, for ECDSA (and for RSA keys loaded with
// FIPS properties on; other RSA keys verify in rsa_verify.cpp). OpenSSL 3
// lets one initialised EVP_PKEY_CTX verify any number of times (the
// padding, salt length and digest stay set), but not from two threads at
// once: so each thread keeps its own duplicate of a key's prepared context
// and reuses it, instead of duplicating the prepared context for every
// token (EVP_PKEY_CTX_dup allocates about 15 times for RSA and 25 for PSS;
// docs/performance.md has what reuse saved). A small direct-mapped table per
// thread, keyed by
// the key's unique id (never its address, which a later key may reuse) and
// the algorithm. A context whose verification failed is dropped, so a
// context is only reused after successes. A cached context holds its own
// reference to the key: a key dropped from every key set stays alive until
// its slot is reused or the thread ends (at most kVerifySlots keys per
// thread).
struct ThreadVerifyCtxs {
  static constexpr size_t kVerifySlots = 16;
  struct Slot {
    uint64_t key_id = 0;  // 0: empty (ids start at 1)
    int alg = -1;
    EVP_PKEY_CTX* ctx = nullptr;
  };
  Slot slots[kVerifySlots];
  ThreadVerifyCtxs() = default;
  ThreadVerifyCtxs(const ThreadVerifyCtxs&) = delete;
  ThreadVerifyCtxs& operator=(const ThreadVerifyCtxs&) = delete;
  ~ThreadVerifyCtxs() {
    for (Slot& s : slots) EVP_PKEY_CTX_free(s.ctx);
  }
  // slot_for returns this thread's context for (key, alg), duplicating the
  // prepared one on first use; nullptr if OpenSSL cannot.
  Slot* slot_for(const KeyMaterial& m, Alg alg, const EVP_PKEY_CTX* prepared) {
    const size_t i = (m.id * 0x9e3779b97f4a7c15ull + static_cast<uint64_t>(alg)) >> 60;
    Slot& s = slots[i % kVerifySlots];
    if (s.ctx != nullptr && s.key_id == m.id && s.alg == static_cast<int>(alg)) return &s;
    EVP_PKEY_CTX_free(s.ctx);
    s = Slot{};
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_dup(prepared);
    if (ctx == nullptr) return nullptr;
    s = Slot{m.id, static_cast<int>(alg), ctx};
    return &s;
  }
  void drop(Slot* s) {
    EVP_PKEY_CTX_free(s->ctx);
    *s = Slot{};
  }
};
thread_local ThreadVerifyCtxs t_verify;

// Verify |sig| (already in the encoding OpenSSL expects) over the digest of
// |in| with this thread's copy of the key's prepared context.
bool verify_prepared(const KeyMaterial& m, Alg alg, std::string_view in, const uint8_t* sig,
                     size_t sig_len) {
  const EVP_PKEY_CTX* prepared = m.verify_ctx[static_cast<int>(alg)];
  uint8_t md[kMaxDigestBytes];
  size_t md_len = 0;
  if (prepared == nullptr || !digest(alg, in, md, &md_len)) return false;
  ThreadVerifyCtxs::Slot* slot = t_verify.slot_for(m, alg, prepared);
  if (slot == nullptr) return false;
  const int r = EVP_PKEY_verify(slot->ctx, sig, sig_len, md, md_len);
  if (r != 1) t_verify.drop(slot);
  return r == 1;
}

// hmac_from_pads computes HMAC(K, in) = H(K0 ^ opad || H(K0 ^ ipad || in))
// (RFC 2104) from the prepared pad states, in this thread's digest context.
bool hmac_from_pads(const EVP_MD_CTX* inner, const EVP_MD_CTX* outer, std::string_view in,
                    uint8_t* mac, size_t* mac_len) {
  EVP_MD_CTX* c = t_digest.ctx;
  unsigned len = 0;
  const bool ok = c != nullptr && EVP_MD_CTX_copy_ex(c, inner) == 1 &&
                  EVP_DigestUpdate(c, in.data(), in.size()) == 1 &&
                  EVP_DigestFinal_ex(c, mac, &len) == 1 && EVP_MD_CTX_copy_ex(c, outer) == 1 &&
                  EVP_DigestUpdate(c, mac, len) == 1 && EVP_DigestFinal_ex(c, mac, &len) == 1;
  // The context's state now holds the tag for this input (a forgery if the
  // input is an attacker's): reset cleanses it. The next copy would free it
  // anyway, so this costs nothing more.
  if (c != nullptr) EVP_MD_CTX_reset(c);
  *mac_len = len;
  return ok;
}

bool verify_hmac(const KeyMaterial& m, Alg alg, std::string_view in, const uint8_t* sig,
                 size_t sig_len) {
  const int idx = static_cast<int>(alg) - static_cast<int>(Alg::HS256);
  const EVP_MD_CTX* inner = m.hmac_inner[idx];
  const EVP_MD_CTX* outer = m.hmac_outer[idx];
  // Only the full tag: RFC 7518 3.2 defines HS256/384/512 with the whole
  // HMAC output, and a truncated tag is a shorter (weaker) MAC.
  if (inner == nullptr || outer == nullptr || sig_len != static_cast<size_t>(alg_hash_bytes(alg)))
    return false;
  uint8_t mac[kMaxDigestBytes];
  size_t mac_len = 0;
  bool ok = hmac_from_pads(inner, outer, in, mac, &mac_len);
  // Constant time: a comparison that stops at the first differing byte
  // leaks, through timing, how much of a forged tag is right (RFC 7515 10.9
  // / RFC 7518 3.2).
  ok = ok && mac_len == sig_len && CRYPTO_memcmp(mac, sig, sig_len) == 0;
  // The correct tag for an attacker's input is a forgery; do not leave it on
  // the stack.
  OPENSSL_cleanse(mac, sizeof mac);
  return ok;
}

// Big-endian, equal-length comparison: is 0 < v < n?
bool in_scalar_range(const uint8_t* v, const uint8_t* n, size_t len) {
  bool zero = true;
  for (size_t i = 0; i < len; ++i) zero = zero && v[i] == 0;
  return !zero && std::memcmp(v, n, len) < 0;
}

// ECDSA signatures reach OpenSSL as DER, which JWS does not carry (RFC 7518
// 3.4: R || S): der_integer and ecdsa_der encode it here, on the stack,
// instead of ECDSA_SIG_set0 and i2d_ECDSA_SIG, which allocate per call.
// Their rule: OpenSSL's verdict is the specification, checked in every CI
// run by the Wycheproof ECDSA vectors in P1363 (R || S) form
// (tests/wycheproof), by tests/crypto/test_verify.cpp, and by the
// differential fuzz target (fuzz/fuzz_differential.cpp), whose reference
// builds the DER with i2d_ECDSA_SIG and verifies through EVP directly. A
// change here keeps all three green. (-Drsa_fast_path=false concerns RSA
// only: there is no EVP path for ECDSA that takes R || S.)

// der_integer writes the DER INTEGER of the unsigned big-endian |v| (|len|
// bytes, not zero) at |out| and returns its length.
size_t der_integer(const uint8_t* v, size_t len, uint8_t* out) {
  while (len > 1 && v[0] == 0) {
    ++v;
    --len;
  }
  const bool pad = (v[0] & 0x80) != 0;  // keep it non-negative
  const size_t body = len + (pad ? 1 : 0);
  out[0] = 0x02;
  out[1] = static_cast<uint8_t>(body);  // at most 67: short form
  out[2] = 0x00;
  std::memcpy(out + 2 + (pad ? 1 : 0), v, len);
  return 2 + body;
}

// ecdsa_der writes SEQUENCE { INTEGER r, INTEGER s } for r, s of |coord|
// bytes each (checked in [1, n-1] by the caller) into |out| (room for
// kMaxEcdsaDerBytes) and returns its length, or 0 if it does not fit.
size_t ecdsa_der(const uint8_t* r, const uint8_t* s, size_t coord, uint8_t* out) {
  if (coord == 0 || coord > kMaxEcCoordinateBytes) return 0;
  uint8_t ints[2 * (3 + kMaxEcCoordinateBytes)];
  const size_t r_len = der_integer(r, coord, ints);
  const size_t s_len = der_integer(s, coord, ints + r_len);
  const size_t body = r_len + s_len;  // at most 138
  size_t head = 0;
  out[head++] = 0x30;
  if (body >= 0x80) out[head++] = 0x81;  // long form, one length byte (P-521)
  out[head++] = static_cast<uint8_t>(body);
  if (head + body > kMaxEcdsaDerBytes) return 0;
  std::memcpy(out + head, ints, body);
  return head + body;
}

bool verify_ecdsa(const KeyMaterial& m, Alg alg, std::string_view in, const uint8_t* sig,
                  size_t sig_len) {
  const size_t coord = m.ec_coordinate_bytes;
  // RFC 7518 3.4: the JWS signature is R || S, each exactly the coordinate
  // size (32/48/66). Any other length, DER included, is not a JWS signature:
  // accepting DER would make signatures malleable (one signature, many
  // encodings) and would accept what no conforming signer emits.
  if (coord == 0 || coord != static_cast<size_t>(alg_ecdsa_coordinate_bytes(alg)) ||
      sig_len != 2 * coord)
    return false;
  const uint8_t* r = sig;
  const uint8_t* s = sig + coord;
  // SEC 1 4.1.4 step 1: r, s in [1, n-1]. r = s = 0 is the
  // "psychic signature" of CVE-2022-21449; r or s >= n is a reduction trick.
  if (!in_scalar_range(r, m.ec_order.data(), coord) || !in_scalar_range(s, m.ec_order.data(), coord))
    return false;

  // OpenSSL verifies DER (X9.62 Ecdsa-Sig-Value); we build it from the
  // checked integers, so the DER is always the one canonical encoding. It is
  // written directly (no BIGNUM, no ECDSA_SIG: those allocate five times per
  // call): SEQUENCE { INTEGER r, INTEGER s }, each
  // INTEGER minimal (leading zero bytes dropped) with a 0x00 in front when
  // its top bit is set, as i2d_ECDSA_SIG encodes it.
  uint8_t der[kMaxEcdsaDerBytes];
  const size_t der_len = ecdsa_der(r, s, coord, der);
  return der_len != 0 && verify_prepared(m, alg, in, der, der_len);
}

bool verify_rsa(const KeyMaterial& m, Alg alg, std::string_view in, const uint8_t* sig,
                size_t sig_len) {
  // RFC 8017 8.2.2 step 1 / 8.1.2 step 1: a signature is exactly k bytes.
  // OpenSSL would take a shorter one as a smaller integer; JWS signers never
  // emit one (RFC 7518 3.3 and 3.5 produce k-byte values).
  if (m.rsa_modulus_bytes == 0 || sig_len != m.rsa_modulus_bytes) return false;
  if (!m.rsa_numbers) return verify_prepared(m, alg, in, sig, sig_len);
  uint8_t md[kMaxDigestBytes];
  size_t md_len = 0;
  return digest(alg, in, md, &md_len) &&
         rsa_verify_digest(*m.rsa_numbers, alg, jws_digest(alg), md, md_len, sig, sig_len);
}

bool verify_eddsa(const KeyMaterial& m, std::string_view in, const uint8_t* sig, size_t sig_len) {
  // RFC 8032 5.1.7 / 5.2.7: Ed25519 signatures are 64 bytes, Ed448 114.
  if (m.pkey == nullptr || m.eddsa_signature_bytes == 0 || sig_len != m.eddsa_signature_bytes)
    return false;
  EVP_MD_CTX* c = t_eddsa.ctx;
  if (c == nullptr) return false;
  // RFC 8037 3.1: pure EdDSA over the signing input (no pre-hash), which
  // OpenSSL only offers through the one-shot EVP_DigestVerify.
  const bool ok = EVP_DigestVerifyInit(c, nullptr, nullptr, nullptr, m.pkey) == 1 &&
                  EVP_DigestVerify(c, sig, sig_len, reinterpret_cast<const unsigned char*>(in.data()),
                                   in.size()) == 1;
  EVP_MD_CTX_reset(c);
  return ok;
}

bool verify_dispatch(const Key& key, Alg alg, std::string_view in, const uint8_t* sig,
                     size_t sig_len) {
  if (static_cast<int>(alg) >= kAlgCount || !key.material) return false;
  if (sig == nullptr && sig_len != 0) return false;
  const KeyMaterial& m = *key.material;
  // The key type is checked again here although key_compatible is a
  // precondition: a caller that skipped it must fail closed, never verify
  // an HMAC with an RSA key's bytes.
  switch (alg_family(alg)) {
    case AlgFamily::HMAC:
      return key.type == KeyType::Oct && verify_hmac(m, alg, in, sig, sig_len);
    case AlgFamily::RSA_PKCS1:
    case AlgFamily::RSA_PSS:
      return key.type == KeyType::RSA && verify_rsa(m, alg, in, sig, sig_len);
    case AlgFamily::ECDSA:
      return key.type == KeyType::EC && verify_ecdsa(m, alg, in, sig, sig_len);
    case AlgFamily::EDDSA:
      return key.type == KeyType::OKP && verify_eddsa(m, in, sig, sig_len);
  }
  return false;
}

}  // namespace

bool verify_signature(const Key& key, Alg alg, std::string_view signing_input, const uint8_t* sig,
                      size_t sig_len) {
  const bool ok = verify_dispatch(key, alg, signing_input, sig, sig_len);
  // A failed verification queues errors in OpenSSL's per-thread queue; left
  // there they would be reported by the next, unrelated OpenSSL call on this
  // thread (in the host application, too). ERR_peek_error is 0 exactly when
  // the queue is empty; clearing an empty queue still walks all 16 of its
  // entries (docs/performance.md has the cost), so it is done only when
  // there is something to clear.
  if (ERR_peek_error() != 0) ERR_clear_error();
  return ok;
}

}  // namespace jwtgate
