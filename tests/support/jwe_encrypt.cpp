#include "jwe_encrypt.h"

#include <cstring>
#include <memory>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "core/json_writer.h"
#include "encoding/base64url.h"
#include "jwe/content_cipher.h"
#include "jwe/decryption_key.h"
#include "jwe/key_management.h"

namespace jwtgate {
namespace {

bool fail(std::string* why, const char* text) {
  if (why) *why = text;
  ERR_clear_error();
  return false;
}

std::string b64u(const std::vector<uint8_t>& v) { return base64url_encode(v.data(), v.size()); }

// ephemeral_agreement makes an ephemeral key on |recipient|'s curve, the
// shared secret Z, and the epk JSON.
bool ephemeral_agreement(EVP_PKEY* recipient, std::vector<uint8_t>& z, std::string& epk_json) {
  EVP_PKEY* eph = nullptr;
  EVP_PKEY_CTX* gen = EVP_PKEY_CTX_new_from_pkey(nullptr, recipient, nullptr);
  const bool x25519 = EVP_PKEY_get_base_id(recipient) == EVP_PKEY_X25519;
  bool ok = gen && EVP_PKEY_keygen_init(gen) == 1 && EVP_PKEY_generate(gen, &eph) == 1;
  EVP_PKEY_CTX_free(gen);
  EVP_PKEY_CTX* d = ok ? EVP_PKEY_CTX_new_from_pkey(nullptr, eph, nullptr) : nullptr;
  size_t n = 0;
  ok = ok && d && EVP_PKEY_derive_init(d) == 1 && EVP_PKEY_derive_set_peer(d, recipient) == 1 &&
       EVP_PKEY_derive(d, nullptr, &n) == 1;
  if (ok) {
    z.resize(n);
    ok = EVP_PKEY_derive(d, z.data(), &n) == 1;
  }
  EVP_PKEY_CTX_free(d);
  std::string json;
  JsonWriter w(json);
  if (ok && x25519) {
    uint8_t pub[32];
    size_t len = sizeof pub;
    ok = EVP_PKEY_get_raw_public_key(eph, pub, &len) == 1;
    w.begin_object().key("kty").value("OKP").key("crv").value("X25519").key("x").value(
        base64url_encode(pub, len));
    w.end_object();
  } else if (ok) {
    uint8_t point[1 + 2 * 66];
    size_t len = 0;
    char group[32] = {0};
    ok = EVP_PKEY_get_octet_string_param(eph, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point,
                                         &len) == 1 &&
         EVP_PKEY_get_utf8_string_param(eph, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        nullptr) == 1 &&
         len > 1 && point[0] == 0x04;
    const size_t c = (len - 1) / 2;
    const std::string g(group);
    const char* crv = g == "prime256v1" || g == "P-256"   ? "P-256"
                      : g == "secp384r1" || g == "P-384" ? "P-384"
                                                          : "P-521";
    w.begin_object().key("kty").value("EC").key("crv").value(crv).key("x").value(
        base64url_encode(point + 1, c));
    w.key("y").value(base64url_encode(point + 1 + c, c)).end_object();
  }
  EVP_PKEY_free(eph);
  epk_json = json;
  return ok;
}

}  // namespace

bool jwe_encrypt_compact(const JweEncryptParams& p, std::string_view plaintext, std::string& out,
                         std::string* why) {
  const size_t cek_len = enc_cek_bytes(p.enc);
  if (cek_len == 0 || key_alg_name(p.alg).empty()) return fail(why, "unknown alg or enc");
  std::vector<uint8_t> cek(cek_len), ek, z;
  std::vector<uint8_t> kw_iv(12), kw_tag(16);
  std::string epk;
  if (RAND_bytes(cek.data(), static_cast<int>(cek_len)) != 1) return fail(why, "RAND_bytes");
  const KeyAlgFamily family = key_alg_family(p.alg);
  switch (family) {
    case KeyAlgFamily::Direct:
      if (p.secret.size() != cek_len) return fail(why, "dir: the secret is not enc's CEK size");
      cek = p.secret;
      break;
    case KeyAlgFamily::RsaOaep:
      if (!p.recipient || !rsa_oaep_encrypt(p.recipient, p.alg, cek.data(), cek_len, ek))
        return fail(why, "RSA-OAEP encryption failed");
      break;
    case KeyAlgFamily::AesKw: {
      ek.resize(cek_len + 8);
      size_t n = 0;
      if (!aes_kw_wrap(p.secret.data(), p.secret.size(), cek.data(), cek_len, ek.data(), &n))
        return fail(why, "AES key wrap failed");
      break;
    }
    case KeyAlgFamily::AesGcmKw:
      ek.resize(cek_len);
      if (RAND_bytes(kw_iv.data(), 12) != 1 ||
          !aes_gcm_encrypt(p.secret.data(), p.secret.size(), kw_iv.data(), {}, cek.data(),
                           cek_len, ek.data(), kw_tag.data()))
        return fail(why, "AES-GCM key wrap failed");
      break;
    case KeyAlgFamily::EcdhEs:
    case KeyAlgFamily::EcdhEsKw: {
      if (!p.recipient || !ephemeral_agreement(p.recipient, z, epk))
        return fail(why, "ECDH-ES key agreement failed");
      const bool direct = family == KeyAlgFamily::EcdhEs;
      const size_t kek_len = direct ? cek_len : key_alg_kek_bytes(p.alg);
      std::vector<uint8_t> kek(kek_len);
      const auto* apu = reinterpret_cast<const uint8_t*>(p.apu.data());
      const auto* apv = reinterpret_cast<const uint8_t*>(p.apv.data());
      if (!concat_kdf(z.data(), z.size(), direct ? enc_name(p.enc) : key_alg_name(p.alg), apu,
                      p.apu.size(), apv, p.apv.size(), kek.data(), kek_len))
        return fail(why, "Concat KDF failed");
      if (direct) {
        cek = kek;
      } else {
        ek.resize(cek_len + 8);
        size_t n = 0;
        if (!aes_kw_wrap(kek.data(), kek_len, cek.data(), cek_len, ek.data(), &n))
          return fail(why, "AES key wrap failed");
      }
      OPENSSL_cleanse(kek.data(), kek.size());
      break;
    }
  }
  std::string header;
  JsonWriter w(header);
  w.begin_object().key("alg").value(key_alg_name(p.alg)).key("enc").value(enc_name(p.enc));
  if (!p.kid.empty()) w.key("kid").value(p.kid);
  if (!p.cty.empty()) w.key("cty").value(p.cty);
  if (!epk.empty()) w.key("epk").raw(epk);
  if (!p.apu.empty()) w.key("apu").value(base64url_encode(p.apu));
  if (!p.apv.empty()) w.key("apv").value(base64url_encode(p.apv));
  if (family == KeyAlgFamily::AesGcmKw)
    w.key("iv").value(b64u(kw_iv)).key("tag").value(b64u(kw_tag));
  w.end_object();
  if (!p.extra_header.empty()) {
    header.pop_back();
    header += "," + p.extra_header + "}";
  }
  const std::string protected_b64 = base64url_encode(header);
  std::vector<uint8_t> iv(enc_iv_bytes(p.enc)), ct, tag;
  if (RAND_bytes(iv.data(), static_cast<int>(iv.size())) != 1 ||
      !encrypt_content(p.enc, cek.data(), iv.data(), protected_b64,
                       reinterpret_cast<const uint8_t*>(plaintext.data()), plaintext.size(), ct,
                       tag))
    return fail(why, "content encryption failed");
  OPENSSL_cleanse(cek.data(), cek.size());
  out = protected_b64 + "." + b64u(ek) + "." + b64u(iv) + "." + b64u(ct) + "." + b64u(tag);
  return true;
}

}  // namespace jwtgate
