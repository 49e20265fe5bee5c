#include "openssl_limit.h"

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
      if (alg_ == Alg::RS256 && EVP_PKEY_CTX_set_rsa_padding(prepared_, RSA_PKCS1_PADDING) != 1)
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
  for (const std::string& t : sc.tokens) {
    const size_t dot = t.rfind('.');
    Item it{t.substr(0, dot), base64url_decode(t.substr(dot + 1))};
    if (alg_ == Alg::ES256) it.sig = ecdsa_der(it.sig);
    items_.push_back(std::move(it));
  }
}

OpensslLimit::~OpensslLimit() {
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
  if (!s->md || (mac_ && !s->mac) || (prepared_ && !s->pkey)) die("per-thread contexts");
  return s;
}

bool OpensslLimit::verify(Scratch& scratch, size_t i) const {
  const Item& it = items_[i % items_.size()];
  const auto* in = reinterpret_cast<const unsigned char*>(it.input.data());
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
