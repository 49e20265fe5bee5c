// unwrap_cek: RFC 7516 5.2 steps 6-10 for each key management mode of RFC
// 7518 section 4.
#include <cstring>

#include <openssl/crypto.h>

#include "jwe/content_cipher.h"
#include "jwe/key_management.h"

namespace jwtgate {
namespace {

bool failed(DecryptStep* step, DecryptStep why, uint8_t* cek) {
  *step = why;
  OPENSSL_cleanse(cek, kMaxCekBytes);
  return false;
}

}  // namespace

const char* decrypt_step_text(DecryptStep s) {
  switch (s) {
    case DecryptStep::None: return "none";
    case DecryptStep::NoKey: return "no decryption key fits the token's alg and enc";
    case DecryptStep::Structure:
      return "the encrypted key, IV or tag has a length the token's algorithms exclude";
    case DecryptStep::KeyAgreement:
      return "ECDH-ES key agreement failed: the ephemeral public key is not a valid point of "
             "the key's curve, or the shared secret is zero";
    case DecryptStep::KeyUnwrap:
      return "the content encryption key could not be unwrapped (wrong key, or a modified "
             "encrypted key)";
    case DecryptStep::CekLength:
      return "the unwrapped content encryption key has the wrong length for enc";
    case DecryptStep::Tag:
      return "the authentication tag did not verify (wrong key, or a modified header, IV, "
             "ciphertext or tag)";
    case DecryptStep::Content: return "the decrypted content is not a signed JWT";
  }
  return "unknown";
}

bool unwrap_cek(const DecryptionKey& key, const JweHeader& h, const uint8_t* ek, size_t ek_len,
                uint8_t* cek, size_t* cek_len, DecryptStep* step) {
  *cek_len = 0;
  const size_t need = enc_cek_bytes(h.enc);
  if (!key.material || need == 0 || need > kMaxCekBytes)
    return failed(step, DecryptStep::NoKey, cek);
  const DecryptionKeyMaterial& m = *key.material;
  switch (key_alg_family(h.alg)) {
    case KeyAlgFamily::Direct:
      // RFC 7516 5.2 step 10: with direct encryption the encrypted key is empty.
      if (ek_len != 0 || m.secret.size() != need) return failed(step, DecryptStep::Structure, cek);
      std::memcpy(cek, m.secret.data(), need);
      break;
    case KeyAlgFamily::RsaOaep: {
      if (ek_len != m.rsa_modulus_bytes) return failed(step, DecryptStep::Structure, cek);
      uint8_t buf[kMaxRsaModulusBytes];
      size_t n = 0;
      const bool ok = rsa_oaep_decrypt(m, h.alg, ek, ek_len, buf, &n);
      const bool length_ok = ok && n == need;
      if (length_ok) std::memcpy(cek, buf, need);
      OPENSSL_cleanse(buf, sizeof buf);
      if (!ok) return failed(step, DecryptStep::KeyUnwrap, cek);
      if (!length_ok) return failed(step, DecryptStep::CekLength, cek);
      break;
    }
    case KeyAlgFamily::AesKw: {
      if (ek_len != need + 8) return failed(step, DecryptStep::Structure, cek);
      uint8_t buf[kMaxCekBytes + 16];
      size_t n = 0;
      const bool ok = aes_kw_unwrap(m.secret.data(), m.secret.size(), ek, ek_len, buf, &n) &&
                      n == need;
      if (ok) std::memcpy(cek, buf, need);
      OPENSSL_cleanse(buf, sizeof buf);
      if (!ok) return failed(step, DecryptStep::KeyUnwrap, cek);
      break;
    }
    case KeyAlgFamily::AesGcmKw:
      if (ek_len != need) return failed(step, DecryptStep::Structure, cek);
      // RFC 7518 4.7: AES-GCM over the CEK with the header's iv and tag, no AAD.
      if (!aes_gcm_decrypt(m.secret.data(), m.secret.size(), h.kw_iv.data(), {}, ek, ek_len,
                           h.kw_tag.data(), cek))
        return failed(step, DecryptStep::KeyUnwrap, cek);
      break;
    case KeyAlgFamily::EcdhEs:
    case KeyAlgFamily::EcdhEsKw: {
      const bool direct = key_alg_family(h.alg) == KeyAlgFamily::EcdhEs;
      if (direct ? ek_len != 0 : ek_len != need + 8)
        return failed(step, DecryptStep::Structure, cek);
      if (!h.has_epk) return failed(step, DecryptStep::Structure, cek);
      uint8_t z[66];
      size_t z_len = 0;
      if (!ecdh_es_agree(m, key.curve_nid, h.epk, z, &z_len))
        return failed(step, DecryptStep::KeyAgreement, cek);
      // RFC 7518 4.6.2: AlgorithmID is enc for direct agreement, alg with
      // key wrapping; keydatalen is the CEK's or the KEK's length.
      uint8_t kek[32];
      const size_t kek_len = direct ? need : key_alg_kek_bytes(h.alg);
      bool ok = concat_kdf(z, z_len, direct ? h.enc_name : h.alg_name, h.apu.data(), h.apu_len,
                           h.apv.data(), h.apv_len, direct ? cek : kek, kek_len);
      OPENSSL_cleanse(z, sizeof z);
      if (ok && !direct) {
        uint8_t buf[kMaxCekBytes + 16];
        size_t n = 0;
        ok = aes_kw_unwrap(kek, kek_len, ek, ek_len, buf, &n) && n == need;
        if (ok) std::memcpy(cek, buf, need);
        OPENSSL_cleanse(buf, sizeof buf);
      }
      OPENSSL_cleanse(kek, sizeof kek);
      if (!ok) return failed(step, DecryptStep::KeyUnwrap, cek);
      break;
    }
  }
  *cek_len = need;
  *step = DecryptStep::None;
  return true;
}

}  // namespace jwtgate
