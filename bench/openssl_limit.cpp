#include "openssl_limit.h"

#include <cstring>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace bench {

namespace {

[[noreturn]] void die(const char* what) {
  ERR_print_errors_fp(stderr);
  throw std::runtime_error(std::string("openssl limit: ") + what);
}

EVP_PKEY* public_only(EVP_PKEY* priv) {
  // Verify with the public half, as a verifier holds it: private keys carry
  // CRT values that change nothing for verification but are not what a
  // relying party has.
  const std::string pem = public_pem(priv);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pub = bio ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (!pub) die("PEM_read_bio_PUBKEY");
  return pub;
}

std::vector<uint8_t> ecdsa_der(const std::vector<uint8_t>& rs) {
  ECDSA_SIG* es = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(rs.data(), static_cast<int>(rs.size() / 2), nullptr);
  BIGNUM* s = BN_bin2bn(rs.data() + rs.size() / 2, static_cast<int>(rs.size() / 2), nullptr);
  if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) die("ECDSA_SIG");
  unsigned char* der = nullptr;
  const int n = i2d_ECDSA_SIG(es, &der);
  ECDSA_SIG_free(es);
  if (n <= 0) die("i2d_ECDSA_SIG");
  std::vector<uint8_t> out(der, der + n);
  OPENSSL_free(der);
  return out;
}

}  // namespace

OpensslLimit::Scratch::~Scratch() {
  EVP_CIPHER_CTX_free(cipher);
  EVP_MD_CTX_free(md);
  EVP_MAC_CTX_free(mac);
  EVP_PKEY_CTX_free(pkey);
}

OpensslLimit::OpensslLimit(const Scenario& sc) : alg_(sc.alg) {
  sha256_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!sha256_) die("EVP_MD_fetch");
  const TestKey& key = sc.family->signer();
  if (alg_ == Alg::HS256) {
    hmac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    mac_ = hmac_ ? EVP_MAC_CTX_new(hmac_) : nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!mac_ || EVP_MAC_init(mac_, key.secret.data(), key.secret.size(), params) != 1)
      die("HMAC init");
  } else {
    pkey_ = public_only(key.pkey);
    if (alg_ != Alg::EdDSA) {
      prepared_ = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_, nullptr);
      if (!prepared_ || EVP_PKEY_verify_init(prepared_) != 1) die("verify_init");
      if ((alg_ == Alg::RS256 || is_jwe(alg_)) &&
          EVP_PKEY_CTX_set_rsa_padding(prepared_, RSA_PKCS1_PADDING) != 1)
        die("PKCS#1 padding");
      if (alg_ == Alg::PS256 &&
          EVP_PKEY_CTX_set_rsa_padding(prepared_, RSA_PKCS1_PSS_PADDING) != 1)
        die("PSS padding");
      if (EVP_PKEY_CTX_set_signature_md(prepared_, sha256_) != 1) die("signature md");
      if (alg_ == Alg::PS256 && (EVP_PKEY_CTX_set_rsa_mgf1_md(prepared_, sha256_) != 1 ||
                                 EVP_PKEY_CTX_set_rsa_pss_saltlen(prepared_, 32) != 1))
        die("PSS parameters");
    }
  }
  if (is_jwe(alg_)) {
    prepare_jwe(sc);
    return;
  }
  for (const std::string& t : sc.tokens) {
    const size_t dot = t.rfind('.');
    Item it{t.substr(0, dot), base64url_decode(t.substr(dot + 1)), {}, {}, {}, {}, {}, {}};
    if (alg_ == Alg::ES256) it.sig = ecdsa_der(it.sig);
    items_.push_back(std::move(it));
  }
}

void OpensslLimit::prepare_jwe(const Scenario& sc) {
  // RS256 for the nested token (the constructor prepared pkey_ and
  // prepared_ as for RS256), the decryption key's context, AES-256-GCM.
  gcm_ = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  if (!gcm_ || !sc.enc) die("JWE setup");
  if (alg_ == Alg::JweRsa) {
    oaep_ = EVP_PKEY_CTX_new_from_pkey(nullptr, sc.enc->keys[0].pkey, nullptr);
    if (!oaep_ || EVP_PKEY_decrypt_init(oaep_) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(oaep_, RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(oaep_, sha256_) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(oaep_, sha256_) != 1)
      die("RSA-OAEP-256 context");
  } else {
    derive_ = EVP_PKEY_CTX_new_from_pkey(nullptr, sc.enc->keys[1].pkey, nullptr);
    if (!derive_ || EVP_PKEY_derive_init(derive_) != 1) die("ECDH context");
  }
  auto scratch = new_scratch();
  for (const std::string& t : sc.tokens) {
    Item it;
    size_t d[4], at = 0;
    for (size_t& p : d) p = at = t.find('.', at) + 1;
    it.aad = t.substr(0, d[0] - 1);
    it.ek = base64url_decode(t.substr(d[0], d[1] - d[0] - 1));
    it.iv = base64url_decode(t.substr(d[1], d[2] - d[1] - 1));
    it.ct = base64url_decode(t.substr(d[2], d[3] - d[2] - 1));
    it.tag = base64url_decode(t.substr(d[3]));
    if (alg_ == Alg::JweEc) {
      const std::vector<uint8_t> h = base64url_decode(it.aad);
      const std::string header(h.begin(), h.end());
      auto coordinate = [&](const char* name) {
        const size_t s = header.find(name) + std::strlen(name);
        return base64url_decode(header.substr(s, header.find('"', s) - s));
      };
      const std::vector<uint8_t> x = coordinate("\"x\":\""), y = coordinate("\"y\":\"");
      it.epk.push_back(0x04);
      it.epk.insert(it.epk.end(), x.begin(), x.end());
      it.epk.insert(it.epk.end(), y.begin(), y.end());
    }
    // The nested token, decrypted once here: its signature, decoded.
    std::string_view inner;
    if (!jwe_decrypt(*scratch, it, &inner)) die("JWE does not decrypt");
    const std::string whole(reinterpret_cast<const char*>(scratch->plain.data()), scratch->plain.size());
    const size_t dot = whole.rfind('.');
    it.input = whole.substr(0, dot);
    it.sig = base64url_decode(whole.substr(dot + 1));
    items_.push_back(std::move(it));
  }
}

bool OpensslLimit::jwe_decrypt(Scratch& scratch, const Item& it, std::string_view* signing_input) const {
  uint8_t cek[32];
  if (alg_ == Alg::JweRsa) {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_dup(oaep_);
    uint8_t out[512];
    size_t n = sizeof out;
    const bool ok = c && EVP_PKEY_decrypt(c, out, &n, it.ek.data(), it.ek.size()) == 1 && n == 32;
    EVP_PKEY_CTX_free(c);
    if (!ok) return false;
    std::memcpy(cek, out, 32);
  } else {
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("P-256"), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(it.epk.data()),
                                          it.epk.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY_CTX* f = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
    EVP_PKEY* peer = nullptr;
    bool ok = f && EVP_PKEY_fromdata_init(f) == 1 && EVP_PKEY_fromdata(f, &peer, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(f);
    EVP_PKEY_CTX* check = ok ? EVP_PKEY_CTX_new_from_pkey(nullptr, peer, nullptr) : nullptr;
    ok = ok && check && EVP_PKEY_public_check_quick(check) == 1;
    EVP_PKEY_CTX_free(check);
    EVP_PKEY_CTX* c = ok ? EVP_PKEY_CTX_dup(derive_) : nullptr;
    uint8_t z[32];
    size_t zl = sizeof z;
    ok = ok && c && EVP_PKEY_derive_set_peer_ex(c, peer, 0) == 1 && EVP_PKEY_derive(c, z, &zl) == 1 && zl == 32;
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(peer);
    // Concat KDF: SHA-256(counter 1 || Z || len "A256GCM" || "A256GCM" || 0 || 0 || 256).
    static const uint8_t kOther[] = {0, 0, 0, 1};
    static const uint8_t kInfo[] = {0, 0, 0, 7, 'A', '2', '5', '6', 'G', 'C', 'M', 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 1, 0};
    unsigned hl = 0;
    ok = ok && EVP_DigestInit_ex2(scratch.md, sha256_, nullptr) == 1 &&
         EVP_DigestUpdate(scratch.md, kOther, 4) == 1 && EVP_DigestUpdate(scratch.md, z, zl) == 1 &&
         EVP_DigestUpdate(scratch.md, kInfo, sizeof kInfo) == 1 &&
         EVP_DigestFinal_ex(scratch.md, cek, &hl) == 1 && hl == 32;
    if (!ok) return false;
  }
  scratch.plain.resize(it.ct.size());
  int n = 0, fin = 0;
  const bool ok =
      EVP_DecryptInit_ex2(scratch.cipher, gcm_, cek, it.iv.data(), nullptr) == 1 &&
      EVP_DecryptUpdate(scratch.cipher, nullptr, &n, reinterpret_cast<const uint8_t*>(it.aad.data()),
                        static_cast<int>(it.aad.size())) == 1 &&
      EVP_DecryptUpdate(scratch.cipher, scratch.plain.data(), &n, it.ct.data(), static_cast<int>(it.ct.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(scratch.cipher, EVP_CTRL_GCM_SET_TAG, 16, const_cast<uint8_t*>(it.tag.data())) == 1 &&
      EVP_DecryptFinal_ex(scratch.cipher, scratch.plain.data() + n, &fin) == 1;
  if (!ok) return false;
  const std::string_view plain(reinterpret_cast<const char*>(scratch.plain.data()), scratch.plain.size());
  *signing_input = plain.substr(0, plain.rfind('.'));
  return true;
}

OpensslLimit::~OpensslLimit() {
  EVP_PKEY_CTX_free(oaep_);
  EVP_PKEY_CTX_free(derive_);
  EVP_CIPHER_free(gcm_);
  EVP_MAC_CTX_free(mac_);
  EVP_MAC_free(hmac_);
  EVP_PKEY_CTX_free(prepared_);
  EVP_PKEY_free(pkey_);
  EVP_MD_free(sha256_);
}

std::unique_ptr<OpensslLimit::Scratch> OpensslLimit::new_scratch() const {
  auto s = std::make_unique<Scratch>();
  s->md = EVP_MD_CTX_new();
  if (mac_) s->mac = EVP_MAC_CTX_dup(mac_);
  if (prepared_) s->pkey = EVP_PKEY_CTX_dup(prepared_);
  if (gcm_) s->cipher = EVP_CIPHER_CTX_new();
  if (!s->md || (mac_ && !s->mac) || (prepared_ && !s->pkey)) die("per-thread contexts");
  return s;
}

bool OpensslLimit::verify(Scratch& scratch, size_t i) const {
  const Item& it = items_[i % items_.size()];
  const auto* in = reinterpret_cast<const unsigned char*>(it.input.data());
  if (is_jwe(alg_)) {
    std::string_view signing_input;
    if (!jwe_decrypt(scratch, it, &signing_input)) return false;
    unsigned char md[32];
    unsigned md_len = 0;
    if (EVP_Digest(signing_input.data(), signing_input.size(), md, &md_len, sha256_, nullptr) != 1)
      return false;
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_dup(prepared_);
    const bool ok = c && EVP_PKEY_verify(c, it.sig.data(), it.sig.size(), md, md_len) == 1;
    EVP_PKEY_CTX_free(c);
    return ok;
  }
  switch (alg_) {
    case Alg::HS256: {
      EVP_MAC_CTX* c = EVP_MAC_CTX_dup(mac_);
      unsigned char mac[32];
      size_t len = 0;
      const bool ok = c && EVP_MAC_update(c, in, it.input.size()) == 1 &&
                      EVP_MAC_final(c, mac, &len, sizeof mac) == 1 && len == it.sig.size() &&
                      CRYPTO_memcmp(mac, it.sig.data(), len) == 0;
      EVP_MAC_CTX_free(c);
      return ok;
    }
    case Alg::EdDSA: {
      const bool ok = EVP_DigestVerifyInit(scratch.md, nullptr, nullptr, nullptr, pkey_) == 1 &&
                      EVP_DigestVerify(scratch.md, it.sig.data(), it.sig.size(), in,
                                       it.input.size()) == 1;
      EVP_MD_CTX_reset(scratch.md);
      return ok;
    }
    default: {
      unsigned char md[32];
      unsigned md_len = 0;
      if (EVP_Digest(in, it.input.size(), md, &md_len, sha256_, nullptr) != 1) return false;
      EVP_PKEY_CTX* c = EVP_PKEY_CTX_dup(prepared_);
      const bool ok = c && EVP_PKEY_verify(c, it.sig.data(), it.sig.size(), md, md_len) == 1;
      EVP_PKEY_CTX_free(c);
      return ok;
    }
  }
}

bool OpensslLimit::verify_reusing(Scratch& scratch, size_t i) const {
  const Item& it = items_[i % items_.size()];
  const auto* in = reinterpret_cast<const unsigned char*>(it.input.data());
  switch (alg_) {
    case Alg::HS256: {
      unsigned char mac[32];
      size_t len = 0;
      return EVP_MAC_init(scratch.mac, nullptr, 0, nullptr) == 1 &&
             EVP_MAC_update(scratch.mac, in, it.input.size()) == 1 &&
             EVP_MAC_final(scratch.mac, mac, &len, sizeof mac) == 1 && len == it.sig.size() &&
             CRYPTO_memcmp(mac, it.sig.data(), len) == 0;
    }
    case Alg::EdDSA:
      return verify(scratch, i);
    default: {
      unsigned char md[32];
      unsigned md_len = 0;
      return EVP_Digest(in, it.input.size(), md, &md_len, sha256_, nullptr) == 1 &&
             EVP_PKEY_verify(scratch.pkey, it.sig.data(), it.sig.size(), md, md_len) == 1;
    }
  }
}

}  // namespace bench
