// DecryptionKey: the material, the key-type binding of each algorithm, and
// turning an OpenSSL private key into a prepared key.
#include "jwe/decryption_key.h"

#include <atomic>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "crypto/curve.h"
#include "crypto/openssl_refusal.h"

namespace jwtgate {
namespace {

std::atomic<uint64_t> g_next_id{1};

EVP_PKEY_CTX* prepare_oaep(EVP_PKEY* pkey, const char* digest) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  EVP_MD* md = EVP_MD_fetch(nullptr, digest, nullptr);
  // RFC 7518 4.3: OAEP with MGF1 of the same hash and an empty label.
  const bool ok = ctx && md && EVP_PKEY_decrypt_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
                  EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) == 1 &&
                  EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1;
  EVP_MD_free(md);
  if (!ok) {
    EVP_PKEY_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

}  // namespace

DecryptionKeyMaterial::DecryptionKeyMaterial() : id(g_next_id.fetch_add(1)) {}

DecryptionKeyMaterial::~DecryptionKeyMaterial() {
  for (EVP_PKEY_CTX* c : oaep) EVP_PKEY_CTX_free(c);
  EVP_PKEY_CTX_free(derive);
  EVP_PKEY_free(pkey);
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
}

bool make_private_decryption_key(EVP_PKEY* pkey, DecryptionKey& key, std::string* why) {
  auto m = std::make_shared<DecryptionKeyMaterial>();
  m->pkey = pkey;  // freed with |m| on every path
  if (pkey == nullptr) return fail(why, "no private key");
  const int base = EVP_PKEY_get_base_id(pkey);
  if (base == EVP_PKEY_RSA) {
    key.type = KeyType::RSA;
    key.bits = EVP_PKEY_get_bits(pkey);
    m->rsa_modulus_bytes = static_cast<size_t>((key.bits + 7) / 8);
    static const char* const kDigests[] = {"SHA1", "SHA256", "SHA384", "SHA512"};
    for (int i = 0; i < 4; ++i) {
      m->oaep[i] = prepare_oaep(pkey, kDigests[i]);
      if (m->oaep[i] == nullptr) return fail(why, "OpenSSL could not prepare RSA-OAEP decryption");
    }
  } else if (base == EVP_PKEY_EC || base == EVP_PKEY_X25519) {
    key.type = base == EVP_PKEY_EC ? KeyType::EC : KeyType::OKP;
    if (base == EVP_PKEY_EC) {
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &len) != 1)
        return fail(why, "the EC key has no named curve");
      key.curve_nid = OBJ_txt2nid(group);
      if (key.curve_nid == NID_undef) key.curve_nid = EC_curve_nist2nid(group);
    } else {
      key.curve_nid = NID_X25519;
    }
    const Curve* curve = curve_by_nid(key.curve_nid);
    if (curve == nullptr || !curve->key_agreement)
      return fail(why, "the key is on a curve ECDH-ES does not use here (P-256, P-384, P-521 "
                       "and X25519 are supported)");
    m->ec_coordinate_bytes = curve->bytes;
    key.bits = curve->bits;
    m->derive = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
    if (m->derive == nullptr || EVP_PKEY_derive_init(m->derive) != 1)
      return fail(why, "OpenSSL could not prepare key agreement with the key");
  } else {
    return fail(why, "the private key is neither RSA, EC (P-256/384/521) nor X25519; JWE "
                     "decryption has no use for it");
  }
  // The private and public halves must agree (a key whose public part was
  // swapped would decrypt nothing, or worse, give a wrong shared secret).
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  const bool consistent = check && EVP_PKEY_pairwise_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!consistent) return fail(why, "the private key is inconsistent (its public part does not "
                                    "match its private part)");
  key.material = std::move(m);
  ERR_clear_error();
  return true;
}

bool decryption_key_fits(const DecryptionKey& key, KeyAlg alg, ContentEnc enc,
                         const KeyRules& rules, std::string* why) {
  // The sentences are built only when asked for: the validator calls this
  // with why == nullptr for every key of every token, and must not allocate.
  const auto no = [&](auto&& sentence) {
    if (why) *why = sentence();
    return false;
  };
  if (!key.material) return no([] { return std::string("the key has no material"); });
  const std::string_view name = key_alg_name(alg);
  uint8_t op = kOpUnwrapKey;
  switch (key_alg_family(alg)) {
    case KeyAlgFamily::RsaOaep:
      if (key.type != KeyType::RSA)
        return no([&] { return std::string(name) + " needs an RSA key, not " + key_type_text(key.type, key.bits, key.curve_nid); });
      if (key.bits < rules.min_rsa_bits)
        return no([&] {
          return "the RSA key has " + std::to_string(key.bits) + " bits, fewer than " +
                 std::to_string(rules.min_rsa_bits);
        });
      break;
    case KeyAlgFamily::AesKw:
    case KeyAlgFamily::AesGcmKw:
      if (key.type != KeyType::Oct || key.material->secret.size() != key_alg_kek_bytes(alg))
        return no([&] {
          return std::string(name) + " needs a " + std::to_string(key_alg_kek_bytes(alg) * 8) +
                 "-bit symmetric key, not " + key_type_text(key.type, key.bits, key.curve_nid);
        });
      break;
    case KeyAlgFamily::Direct:
      op = kOpDecrypt;
      if (key.type != KeyType::Oct || key.material->secret.size() != enc_cek_bytes(enc))
        return no([&] {
          return "dir with " + std::string(enc_name(enc)) + " needs a " +
                 std::to_string(enc_cek_bytes(enc) * 8) + "-bit symmetric key, not " +
                 key_type_text(key.type, key.bits, key.curve_nid);
        });
      break;
    case KeyAlgFamily::EcdhEs:
    case KeyAlgFamily::EcdhEsKw:
      op = kOpDeriveKey;
      if (key.type != KeyType::EC && key.type != KeyType::OKP)
        return no([&] {
          return std::string(name) + " needs an EC or X25519 key, not " + key_type_text(key.type, key.bits, key.curve_nid);
        });
      break;
  }
  if (!key.use.empty() && key.use != "enc")
    return no([&] { return "the key's use is \"" + key.use + "\", not \"enc\""; });
  // RFC 7517 4.3: deriveKey and deriveBits both serve ECDH-ES.
  const uint8_t allowed = op == kOpDeriveKey ? (kOpDeriveKey | kOpDeriveBits) : op;
  if (key.has_key_ops && (key.key_ops & allowed) == 0)
    return no([&] {
      return std::string("the key's key_ops do not list ") +
             (op == kOpDecrypt     ? "\"decrypt\""
              : op == kOpUnwrapKey ? "\"unwrapKey\""
                                   : "\"deriveKey\" or \"deriveBits\"");
    });
  if (!key.alg.empty() && key.alg != name && !(alg == KeyAlg::Dir && key.alg == enc_name(enc)))
    return no([&] { return "the key is for alg \"" + key.alg + "\", not " + std::string(name); });
  return true;
}

}  // namespace jwtgate
