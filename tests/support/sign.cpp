// Signing, for tests, examples and benchmarks only: validation never signs.
// Output is what goes (base64url-encoded) in the third JWS segment.
#include "sign.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"

namespace jwtgate {

namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct EcdsaSigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };

// Never prompt for a passphrase: an encrypted test key is an error.
int no_passphrase(char*, int, int, void*) { return 0; }

bool key_fits(EVP_PKEY* pkey, Alg alg) {
  switch (alg_family(alg)) {
    case AlgFamily::RSA_PKCS1:
    case AlgFamily::RSA_PSS:
      return EVP_PKEY_is_a(pkey, "RSA");
    case AlgFamily::ECDSA: {
      if (!EVP_PKEY_is_a(pkey, "EC")) return false;
      char group[64] = {0};
      size_t len = 0;
      return EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) == 1 &&
             ecdsa_alg_for_curve(OBJ_txt2nid(group)) == alg;
    }
    case AlgFamily::EDDSA:
      return EVP_PKEY_is_a(pkey, "ED25519") || EVP_PKEY_is_a(pkey, "ED448");
    case AlgFamily::HMAC:
      return false;
  }
  return false;
}

// RFC 7518 3.4: JWS carries R || S, each left-padded to the coordinate size,
// where OpenSSL produces a DER Ecdsa-Sig-Value.
bool der_to_raw(const std::string& der, Alg alg, std::string& out) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> es(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!es) return false;
  const int coord = alg_ecdsa_coordinate_bytes(alg);
  std::string raw(static_cast<size_t>(2 * coord), '\0');
  unsigned char* dst = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(es.get()), dst, coord) != coord ||
      BN_bn2binpad(ECDSA_SIG_get0_s(es.get()), dst + coord, coord) != coord)
    return false;
  out = std::move(raw);
  return true;
}

bool sign_pem(Alg alg, std::string_view private_pem, std::string_view in, std::string& sig_out) {
  if (static_cast<int>(alg) >= kAlgCount || alg_family(alg) == AlgFamily::HMAC) return false;
  BIO* bio = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  if (bio == nullptr) return false;
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey(PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr));
  BIO_free(bio);
  if (!pkey || !key_fits(pkey.get(), alg)) return false;

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  const bool eddsa = alg_family(alg) == AlgFamily::EDDSA;
  const EVP_MD* md = jws_digest(alg);
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (EVP_DigestSignInit_ex(ctx.get(), &pctx, eddsa ? nullptr : EVP_MD_get0_name(md), nullptr, nullptr,
                            pkey.get(), nullptr) != 1)
    return false;
  if (alg_family(alg) == AlgFamily::RSA_PSS) {
    // RFC 7518 3.5: MGF1 with the same hash, salt length = hash length.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, alg_hash_bytes(alg)) != 1)
      return false;
  } else if (alg_family(alg) == AlgFamily::RSA_PKCS1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
  }
  const auto* data = reinterpret_cast<const unsigned char*>(in.data());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, data, in.size()) != 1) return false;
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, in.size()) != 1)
    return false;
  sig.resize(len);
  if (alg_family(alg) == AlgFamily::ECDSA) return der_to_raw(sig, alg, sig_out);
  sig_out = std::move(sig);
  return true;
}

}  // namespace

bool sign_with_pem(Alg alg, std::string_view private_pem, std::string_view signing_input,
                   std::string& sig_out) {
  const bool ok = sign_pem(alg, private_pem, signing_input, sig_out);
  ERR_clear_error();
  return ok;
}

bool sign_with_secret(Alg alg, const uint8_t* secret, size_t len, std::string_view signing_input,
                      std::string& sig_out) {
  if (static_cast<int>(alg) >= kAlgCount || alg_family(alg) != AlgFamily::HMAC || secret == nullptr ||
      len == 0)
    return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  const EVP_MD* md = jws_digest(alg);
  const bool ok =
      md != nullptr &&
      EVP_Q_mac(nullptr, "HMAC", nullptr, EVP_MD_get0_name(md), nullptr, secret, len,
                reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
                sizeof mac, &mac_len) != nullptr;
  ERR_clear_error();
  if (!ok) return false;
  sig_out.assign(reinterpret_cast<const char*>(mac), mac_len);
  return true;
}

}  // namespace jwtgate
