// ECDH-ES key agreement (RFC 7518 4.6; RFC 8037 for X25519) and the Concat
// KDF. The ephemeral public key comes from the token, so it is checked
// before it meets the private key: an off-curve point would let a sender
// learn the private key a few bits at a time (the invalid-curve attack).
#include <cstring>
#include <memory>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include "crypto/curve.h"
#include "crypto/thread_ctx.h"
#include "jwe/key_management.h"

namespace jwtgate {
namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

// ec_peer builds the peer key from the affine coordinates. OpenSSL's
// EC_POINT_set_affine_coordinates (behind EVP_PKEY_fromdata) refuses a
// point off the curve; EVP_PKEY_public_check_quick below checks it again
// with the point at infinity and coordinates outside [0, p-1]. The quick
// check leaves out the order check (n * Q = O), which P-256, P-384 and
// P-521 do not need: their cofactor is 1, so every point of the curve other
// than infinity has order n (SEC 1 3.2.2.1 allows omitting it then).
EVP_PKEY* ec_peer(const EphemeralKey& epk) {
  // The header rules took the curve from the table (jwe_header.cpp).
  const Curve* curve = curve_by_nid(epk.curve_nid);
  if (curve == nullptr || curve->kty != KeyType::EC || !curve->key_agreement) return nullptr;
  uint8_t point[1 + 2 * 66];
  point[0] = 0x04;  // uncompressed (SEC 1 2.3.3)
  std::memcpy(point + 1, epk.x.data(), epk.len);
  std::memcpy(point + 1 + epk.len, epk.y.data(), epk.len);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(curve->openssl_name), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * epk.len),
      OSSL_PARAM_construct_end()};
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* peer = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &peer, EVP_PKEY_PUBLIC_KEY, params) != 1)
    return nullptr;
  CtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, peer, nullptr));
  if (!check || EVP_PKEY_public_check_quick(check.get()) != 1) {
    EVP_PKEY_free(peer);
    return nullptr;
  }
  return peer;
}

}  // namespace

bool x25519_public_on_curve(const uint8_t* u_le) {
  // RFC 7748 5: u is little-endian; a canonical encoding has the top bit
  // clear and u < p = 2^255 - 19. An honest X25519 public key is
  // X25519(k, 9), a point of the curve; u = 0 is the point of order 2 and
  // every other point of low order gives the all-zero secret, refused after
  // the agreement. Curve25519 is v^2 = u^3 + 486662 u^2 + u: u is on the
  // curve when the right-hand side is a square mod p (Legendre symbol 1), on
  // the twist when it is not (-1).
  if (u_le[31] & 0x80) return false;
  uint8_t be[32];
  for (int i = 0; i < 32; ++i) be[i] = u_le[31 - i];
  BN_CTX* ctx = BN_CTX_new();
  if (ctx == nullptr) return false;
  BN_CTX_start(ctx);
  BIGNUM* p = BN_CTX_get(ctx);
  BIGNUM* u = BN_CTX_get(ctx);
  BIGNUM* t = BN_CTX_get(ctx);
  BIGNUM* rhs = BN_CTX_get(ctx);
  bool ok = rhs && BN_set_bit(p, 255) && BN_sub_word(p, 19) && BN_bin2bn(be, 32, u) &&
            BN_cmp(u, p) < 0 && !BN_is_zero(u);
  // rhs = u * (u * (u + 486662) + 1) mod p
  ok = ok && BN_copy(t, u) && BN_add_word(t, 486662) && BN_mod_mul(t, t, u, p, ctx) &&
       BN_add_word(t, 1) && BN_mod_mul(rhs, t, u, p, ctx);
  ok = ok && !BN_is_zero(rhs) && BN_kronecker(rhs, p, ctx) == 1;
  BN_CTX_end(ctx);
  BN_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

bool ecdh_es_agree(const DecryptionKeyMaterial& m, int key_curve_nid, const EphemeralKey& epk,
                   uint8_t* z, size_t* z_len) {
  *z_len = 0;
  // The ephemeral key must be on the recipient key's own curve.
  if (m.derive == nullptr || epk.curve_nid != key_curve_nid || epk.len != m.ec_coordinate_bytes)
    return false;
  PkeyPtr peer;
  if (epk.curve_nid == NID_X25519) {
    if (!x25519_public_on_curve(epk.x.data())) return false;
    peer.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, epk.x.data(), 32));
  } else {
    peer.reset(ec_peer(epk));
  }
  CtxPtr ctx(peer ? EVP_PKEY_CTX_dup(m.derive) : nullptr);
  size_t n = 66;
  // The peer was validated above, so set_peer_ex need not do it again.
  bool ok = ctx && EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) == 1 &&
            EVP_PKEY_derive(ctx.get(), z, &n) == 1 && n == epk.len;
  // RFC 7748 6.1: an all-zero X25519 output means a low-order point. (On
  // the NIST curves Z is an x-coordinate, and 0 is the x-coordinate of
  // valid points: Wycheproof's EdgeCaseSharedSecret vectors.)
  if (ok && epk.curve_nid == NID_X25519) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; ++i) acc |= z[i];
    ok = acc != 0;
  }
  ERR_clear_error();
  if (!ok) {
    OPENSSL_cleanse(z, 66);
    return false;
  }
  *z_len = n;
  return true;
}

bool concat_kdf(const uint8_t* z, size_t z_len, std::string_view algorithm_id,
                const uint8_t* apu, size_t apu_len, const uint8_t* apv, size_t apv_len,
                uint8_t* out, size_t out_len) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local ThreadCtx<EVP_MD_CTX, EVP_MD_CTX_new, EVP_MD_CTX_free> t_md;
  EVP_MD_CTX* c = t_md.ctx;
  if (!sha256 || !c || out_len > kMaxCekBytes) return false;
  const auto be32 = [](uint32_t v, uint8_t* b) {
    b[0] = static_cast<uint8_t>(v >> 24);
    b[1] = static_cast<uint8_t>(v >> 16);
    b[2] = static_cast<uint8_t>(v >> 8);
    b[3] = static_cast<uint8_t>(v);
  };
  uint8_t alg_len[4], u_len[4], v_len[4], supp_pub[4];
  be32(static_cast<uint32_t>(algorithm_id.size()), alg_len);
  be32(static_cast<uint32_t>(apu_len), u_len);
  be32(static_cast<uint32_t>(apv_len), v_len);
  be32(static_cast<uint32_t>(out_len * 8), supp_pub);  // keydatalen in bits
  uint8_t block[32];
  size_t done = 0;
  bool ok = true;
  for (uint32_t counter = 1; ok && done < out_len; ++counter) {
    uint8_t round[4];
    be32(counter, round);
    unsigned n = 0;
    ok = EVP_DigestInit_ex2(c, sha256, nullptr) == 1 && EVP_DigestUpdate(c, round, 4) == 1 &&
         EVP_DigestUpdate(c, z, z_len) == 1 && EVP_DigestUpdate(c, alg_len, 4) == 1 &&
         EVP_DigestUpdate(c, algorithm_id.data(), algorithm_id.size()) == 1 &&
         EVP_DigestUpdate(c, u_len, 4) == 1 && (apu_len == 0 || EVP_DigestUpdate(c, apu, apu_len) == 1) &&
         EVP_DigestUpdate(c, v_len, 4) == 1 && (apv_len == 0 || EVP_DigestUpdate(c, apv, apv_len) == 1) &&
         EVP_DigestUpdate(c, supp_pub, 4) == 1 && EVP_DigestFinal_ex(c, block, &n) == 1 && n == 32;
    const size_t take = out_len - done < 32 ? out_len - done : 32;
    if (ok) std::memcpy(out + done, block, take);
    done += take;
  }
  OPENSSL_cleanse(block, sizeof block);
  if (!ok) OPENSSL_cleanse(out, out_len);
  return ok;
}

}  // namespace jwtgate
