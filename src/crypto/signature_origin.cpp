#include "crypto/signature_origin.h"

#include <cstring>
#include <vector>

#include <openssl/evp.h>

#include "crypto/key_material_impl.h"
#include "crypto/rsa_verify.h"

namespace jwtgate {

namespace {

// RFC 8017 9.2 note 1: the DER of DigestInfo up to the digest octets.
struct DigestInfoPrefix {
  Alg alg;
  uint8_t bytes[19];
  size_t digest_len;
};
constexpr DigestInfoPrefix kPrefixes[] = {
    {Alg::RS256, {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}, 32},
    {Alg::RS384, {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}, 48},
    {Alg::RS512, {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}, 64},
};

// pkcs1_alg: the RS* algorithm whose EMSA-PKCS1-v1_5 encoding |em| is
// (RFC 8017 9.2: 0x00 0x01 0xff... 0x00 DigestInfo), or Unknown.
Alg pkcs1_alg(const std::vector<uint8_t>& em) {
  const size_t k = em.size();
  if (k < 11 || em[0] != 0x00 || em[1] != 0x01) return Alg::Unknown;
  size_t i = 2;
  while (i < k && em[i] == 0xff) ++i;
  if (i - 2 < 8 || i >= k || em[i] != 0x00) return Alg::Unknown;
  ++i;
  for (const DigestInfoPrefix& p : kPrefixes)
    if (k - i == sizeof p.bytes + p.digest_len && std::memcmp(em.data() + i, p.bytes, sizeof p.bytes) == 0)
      return p.alg;
  return Alg::Unknown;
}

bool digest(const EVP_MD* md, const uint8_t* in, size_t len, uint8_t* out) {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  unsigned n = 0;
  const bool ok = c && EVP_DigestInit_ex2(c, md, nullptr) == 1 && EVP_DigestUpdate(c, in, len) == 1 &&
                  EVP_DigestFinal_ex(c, out, &n) == 1;
  EVP_MD_CTX_free(c);
  return ok;
}

// pss_well_formed: |em_k| (RSAVP1's k octets) is an EMSA-PSS encoding (RFC
// 8017 9.1.2 steps 3 to 10) with MGF1 over |md| and sLen = hLen, whatever
// message it encodes.
bool pss_well_formed(const std::vector<uint8_t>& em_k, int mod_bits, const EVP_MD* md, size_t h_len) {
  const size_t k = em_k.size();
  const size_t em_bits = static_cast<size_t>(mod_bits) - 1;
  const size_t em_len = (em_bits + 7) / 8;
  const uint8_t* em = em_k.data();
  if (em_len + 1 == k) {
    if (em[0] != 0) return false;
    ++em;
  } else if (em_len != k) {
    return false;
  }
  const size_t s_len = h_len;
  if (em_len < h_len + s_len + 2 || em[em_len - 1] != 0xbc) return false;
  const size_t db_len = em_len - h_len - 1;
  const unsigned top_bits = static_cast<unsigned>(8 * em_len - em_bits);
  const uint8_t top_mask = static_cast<uint8_t>(0xff >> top_bits);
  if ((em[0] & static_cast<uint8_t>(~top_mask)) != 0) return false;
  std::vector<uint8_t> db(db_len), seed(h_len + 4), block(EVP_MAX_MD_SIZE);
  std::memcpy(seed.data(), em + db_len, h_len);
  for (uint32_t counter = 0, done = 0; done < db_len; ++counter) {
    seed[h_len] = static_cast<uint8_t>(counter >> 24);
    seed[h_len + 1] = static_cast<uint8_t>(counter >> 16);
    seed[h_len + 2] = static_cast<uint8_t>(counter >> 8);
    seed[h_len + 3] = static_cast<uint8_t>(counter);
    if (!digest(md, seed.data(), seed.size(), block.data())) return false;
    for (size_t i = 0; i < h_len && done < db_len; ++i, ++done) db[done] = em[done] ^ block[i];
  }
  db[0] &= top_mask;
  const size_t ps_len = db_len - s_len - 1;
  for (size_t i = 0; i < ps_len; ++i)
    if (db[i] != 0) return false;
  return db[ps_len] == 0x01;
}

}  // namespace

SignatureOriginResult signature_origin(const Key& key, Alg alg, const uint8_t* sig, size_t sig_len) {
  SignatureOriginResult out;
  if (key.type != KeyType::RSA || !key.material || !key.material->rsa_numbers) return out;
  const RsaPublicNumbers& n = *key.material->rsa_numbers;
  if (sig_len != n.bytes) {
    out.origin = SignatureOrigin::WrongLength;
    out.signature_bytes = sig_len;
    out.modulus_bytes = n.bytes;
    return out;
  }
  std::vector<uint8_t> em(n.bytes);
  if (!rsa_public_op(n, sig, sig_len, em.data())) {
    out.origin = SignatureOrigin::NotThisKey;  // not below n: no signature of this key
    return out;
  }
  if (const Alg made = pkcs1_alg(em); made != Alg::Unknown) {
    out.origin = made == alg ? SignatureOrigin::OtherBytes : SignatureOrigin::OtherAlg;
    out.signed_with = made;
    return out;
  }
  for (Alg pss : {Alg::PS256, Alg::PS384, Alg::PS512})
    if (pss_well_formed(em, n.bits, jws_digest(pss), static_cast<size_t>(alg_hash_bytes(pss)))) {
      out.origin = pss == alg ? SignatureOrigin::OtherBytes : SignatureOrigin::OtherAlg;
      out.signed_with = pss;
      return out;
    }
  out.origin = SignatureOrigin::NotThisKey;
  return out;
}

}  // namespace jwtgate
