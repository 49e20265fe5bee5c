#include "jwe_fixture.h"

#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "test_support.h"

namespace jwe_test {
namespace {

EVP_PKEY* read_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!k) throw std::runtime_error("test key does not load");
  return k;
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + 7 * i);
  return v;
}

}  // namespace

Fixture::Fixture()
    : k16(pattern(16, 1)), k24(pattern(24, 2)), k32(pattern(32, 3)), k48(pattern(48, 4)),
      k64(pattern(64, 5)) {
  rsa = read_pem(jwtgate_test::read_data("data/keys/rsa2048.pem"));
  ec = read_pem(jwtgate_test::read_data("data/keys/ec256.pem"));
  EVP_PKEY_CTX* g = EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr);
  if (!g || EVP_PKEY_keygen_init(g) != 1 || EVP_PKEY_generate(g, &x25519) != 1)
    throw std::runtime_error("X25519 keygen");
  EVP_PKEY_CTX_free(g);
  jwtgate::Diagnostics diag;
  std::vector<jwtgate::DecryptionKey> got;
  for (EVP_PKEY* k : {rsa, ec, x25519}) {
    EVP_PKEY_up_ref(k);
    jwtgate::DecryptionKey dk;
    std::string why;
    if (!jwtgate::make_private_decryption_key(k, dk, &why)) throw std::runtime_error(why);
    got.push_back(std::move(dk));
  }
  for (const auto* s : {&k16, &k24, &k32, &k48, &k64})
    if (!jwtgate::load_decryption_secret(s->data(), s->size(), got, diag))
      throw std::runtime_error(diag.text());
  keys = std::move(got);
}

Fixture::~Fixture() {
  EVP_PKEY_free(rsa);
  EVP_PKEY_free(ec);
  EVP_PKEY_free(x25519);
}

std::string Fixture::encrypt(jwtgate::KeyAlg alg, jwtgate::ContentEnc enc,
                             const std::string& plaintext, const std::string& extra) const {
  using namespace jwtgate;
  JweEncryptParams p;
  p.alg = alg;
  p.enc = enc;
  p.extra_header = extra;
  switch (key_alg_family(alg)) {
    case KeyAlgFamily::RsaOaep: p.recipient = rsa; break;
    case KeyAlgFamily::EcdhEs:
    case KeyAlgFamily::EcdhEsKw: p.recipient = ec; break;
    case KeyAlgFamily::AesKw:
    case KeyAlgFamily::AesGcmKw: {
      const size_t n = key_alg_kek_bytes(alg);
      p.secret = n == 16 ? k16 : n == 24 ? k24 : k32;
      break;
    }
    case KeyAlgFamily::Direct: {
      const size_t n = enc_cek_bytes(enc);
      p.secret = n == 16 ? k16 : n == 24 ? k24 : n == 32 ? k32 : n == 48 ? k48 : k64;
      break;
    }
  }
  std::string out, why;
  if (!jwe_encrypt_compact(p, plaintext, out, &why)) throw std::runtime_error(why);
  return out;
}

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

std::vector<std::string> split(const std::string& compact) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= compact.size(); ++i)
    if (i == compact.size() || compact[i] == '.') {
      out.push_back(compact.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::string join(const std::vector<std::string>& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "." : "") + s[i];
  return out;
}

}  // namespace jwe_test
