// RSA verification in the BN layer (src/crypto/rsa_verify.cpp) against
// OpenSSL's own EVP_PKEY_verify: the same verdict on valid signatures, on
// mutated ones, on out-of-range representatives and on hand-built encodings
// that are almost right, for every RS and PS algorithm and for moduli whose
// PSS encoding is one octet shorter than k (2049 bits).
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "crypto/rsa_verify.h"

using namespace jwtgate;

namespace {

using Bytes = std::vector<uint8_t>;

struct Fixture {
  EVP_PKEY* priv = nullptr;
  Key key;
  Bytes n;
  size_t k = 0;
  explicit Fixture(unsigned bits) {
    priv = EVP_RSA_gen(bits);
    REQUIRE(priv != nullptr);
    BIGNUM* bn_n = nullptr;
    BIGNUM* bn_e = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(priv, OSSL_PKEY_PARAM_RSA_N, &bn_n) == 1);
    REQUIRE(EVP_PKEY_get_bn_param(priv, OSSL_PKEY_PARAM_RSA_E, &bn_e) == 1);
    k = static_cast<size_t>(BN_num_bytes(bn_n));
    n.resize(k);
    Bytes e(static_cast<size_t>(BN_num_bytes(bn_e)));
    BN_bn2bin(bn_n, n.data());
    BN_bn2bin(bn_e, e.data());
    std::string why;
    REQUIRE(make_rsa_public_key(n.data(), n.size(), e.data(), e.size(), key, &why));
    // The BN path is the one under test. A -Drsa_fast_path=false build loads
    // keys for EVP only; the numbers are attached by hand so that the BN code,
    // compiled in either way, is still checked (the material is not a const
    // object: make_rsa_public_key created it).
    REQUIRE((key.material->rsa_numbers != nullptr) == (JWTGATE_RSA_FAST_PATH != 0));
    if (!key.material->rsa_numbers) {
      auto numbers = std::make_unique<RsaPublicNumbers>();
      REQUIRE(rsa_public_numbers_init(*numbers, bn_n, bn_e));
      const_cast<KeyMaterial&>(*key.material).rsa_numbers = std::move(numbers);
    }
    BN_free(bn_n);
    BN_free(bn_e);
  }
  ~Fixture() { EVP_PKEY_free(priv); }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
};

const EVP_MD* md_of(Alg alg) {
  switch (alg_hash_bytes(alg)) {
    case 32: return EVP_sha256();
    case 48: return EVP_sha384();
    default: return EVP_sha512();
  }
}

bool is_pss(Alg alg) { return alg_family(alg) == AlgFamily::RSA_PSS; }

constexpr int kSaltHashLength = -1000;  // JWA's salt length: the hash's

Bytes sign(const Fixture& f, Alg alg, const std::string& msg, int salt = kSaltHashLength) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  REQUIRE(EVP_DigestSignInit(ctx, &pctx, md_of(alg), nullptr, f.priv) == 1);
  if (is_pss(alg)) {
    REQUIRE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt == kSaltHashLength ? alg_hash_bytes(alg) : salt) == 1);
  }
  size_t len = f.k;
  Bytes sig(len);
  REQUIRE(EVP_DigestSign(ctx, sig.data(), &len, reinterpret_cast<const uint8_t*>(msg.data()),
                         msg.size()) == 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

// raw_sign applies the private key to |em| (k octets, below n): a signature
// whose RSAVP1 output is exactly |em|.
Bytes raw_sign(const Fixture& f, const Bytes& em) {
  EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(f.priv, nullptr);
  REQUIRE(c != nullptr);
  REQUIRE(EVP_PKEY_sign_init(c) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING) == 1);
  size_t len = f.k;
  Bytes sig(len);
  REQUIRE(EVP_PKEY_sign(c, sig.data(), &len, em.data(), em.size()) == 1);
  EVP_PKEY_CTX_free(c);
  return sig;
}

// OpenSSL's verdict, through the provider, with JWA's parameters.
bool evp_verify(const Fixture& f, Alg alg, const std::string& msg, const Bytes& sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, md_of(alg), nullptr, f.priv) == 1;
  if (ok && is_pss(alg))
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, alg_hash_bytes(alg)) == 1;
  ok = ok && EVP_DigestVerify(ctx, sig.data(), sig.size(), reinterpret_cast<const uint8_t*>(msg.data()),
                              msg.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

bool ours(const Fixture& f, Alg alg, const std::string& msg, const Bytes& sig) {
  return verify_signature(f.key, alg, msg, sig.data(), sig.size());
}

Bytes digest(Alg alg, const std::string& msg) {
  Bytes d(static_cast<size_t>(alg_hash_bytes(alg)));
  unsigned len = 0;
  REQUIRE(EVP_Digest(msg.data(), msg.size(), d.data(), &len, md_of(alg), nullptr) == 1);
  return d;
}

// The EMSA-PKCS1-v1_5 encoding of |msg|, with |digest_info_prefix| in place
// of the DigestInfo header (to build near misses).
Bytes pkcs1_em(size_t k, const Bytes& prefix, const Bytes& h, size_t ps_len_override = 0) {
  const size_t t_len = prefix.size() + h.size();
  const size_t ps_len = ps_len_override ? ps_len_override : k - t_len - 3;
  Bytes em;
  em.push_back(0x00);
  em.push_back(0x01);
  em.insert(em.end(), ps_len, 0xff);
  em.push_back(0x00);
  em.insert(em.end(), prefix.begin(), prefix.end());
  em.insert(em.end(), h.begin(), h.end());
  em.resize(k, 0x00);  // a shortened PS leaves trailing octets
  return em;
}

const Bytes kSha256Info = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                           0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
// The same without the NULL parameters (RFC 8017 9.2 note 2: not accepted
// by encode-and-compare verifiers; OpenSSL 3 refuses it too).
const Bytes kSha256InfoNoNull = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                                 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20};

constexpr Alg kRsaAlgs[] = {Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512};

}  // namespace

TEST_CASE("RSA in the BN layer agrees with EVP_PKEY_verify", "[crypto][rsa]") {
  std::mt19937_64 rng(20261129);
  for (unsigned bits : {2048u, 2049u, 3072u}) {
    const Fixture f(bits);
    for (Alg alg : kRsaAlgs) {
      INFO(bits << "-bit key, " << alg_name(alg));
      for (int i = 0; i < 8; ++i) {
        const std::string msg = "eyJhbGciOiJSUzI1NiJ9.payload-" + std::to_string(rng());
        const Bytes sig = sign(f, alg, msg);
        CHECK(ours(f, alg, msg, sig));
        CHECK(evp_verify(f, alg, msg, sig));
        // Another message, another algorithm of the family, a flipped bit.
        CHECK_FALSE(ours(f, alg, msg + "x", sig));
        Bytes flipped = sig;
        flipped[rng() % flipped.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        CHECK(ours(f, alg, msg, flipped) == evp_verify(f, alg, msg, flipped));
        CHECK_FALSE(ours(f, alg, msg, flipped));
      }
      // Representatives at and beyond the range ends (RFC 8017 5.2.2 step 1).
      const std::string msg = "edge";
      Bytes zero(f.k, 0), one(f.k, 0), n = f.n, n_minus_1 = f.n, ff(f.k, 0xff);
      one.back() = 1;
      n_minus_1.back() -= 1;  // n is odd
      for (const Bytes* s : {&zero, &one, &n, &n_minus_1, &ff}) {
        CHECK_FALSE(ours(f, alg, msg, *s));
        CHECK_FALSE(evp_verify(f, alg, msg, *s));
      }
      // Wrong lengths: one octet short (with the leading zero dropped), one long.
      const Bytes sig = sign(f, alg, msg);
      CHECK_FALSE(ours(f, alg, msg, Bytes(sig.begin() + 1, sig.end())));
      Bytes longer(1, 0);
      longer.insert(longer.end(), sig.begin(), sig.end());
      CHECK_FALSE(ours(f, alg, msg, longer));
    }
  }
}

TEST_CASE("PSS salt lengths other than the hash length are refused, as EVP does", "[crypto][rsa]") {
  for (unsigned bits : {2048u, 2049u}) {
    const Fixture f(bits);
    for (Alg alg : {Alg::PS256, Alg::PS384, Alg::PS512}) {
      const std::string msg = "salted";
      for (int salt : {0, 20, alg_hash_bytes(alg) - 1, alg_hash_bytes(alg) + 1, RSA_PSS_SALTLEN_MAX}) {
        INFO(bits << "-bit key, " << alg_name(alg) << ", salt " << salt);
        const Bytes sig = sign(f, alg, msg, salt);
        CHECK_FALSE(ours(f, alg, msg, sig));
        CHECK_FALSE(evp_verify(f, alg, msg, sig));
      }
    }
  }
}

TEST_CASE("PKCS#1 v1.5 near misses are refused by encode-and-compare", "[crypto][rsa]") {
  const Fixture f(2048);
  const std::string msg = "near.miss";
  const Bytes h = digest(Alg::RS256, msg);
  // The exact encoding, raw-signed, verifies: the raw path is sound.
  const Bytes good = raw_sign(f, pkcs1_em(f.k, kSha256Info, h));
  CHECK(ours(f, Alg::RS256, msg, good));
  CHECK(evp_verify(f, Alg::RS256, msg, good));

  std::vector<std::pair<const char*, Bytes>> bad;
  bad.emplace_back("DigestInfo without NULL", pkcs1_em(f.k, kSha256InfoNoNull, h));
  Bytes bt2 = pkcs1_em(f.k, kSha256Info, h);
  bt2[1] = 0x02;
  bad.emplace_back("block type 2", bt2);
  Bytes fe = pkcs1_em(f.k, kSha256Info, h);
  fe[10] = 0xfe;
  bad.emplace_back("a padding octet not 0xff", fe);
  // Short padding, the digest moved left and garbage after it (the
  // Bleichenbacher 2006 forgery shape).
  Bytes shifted = pkcs1_em(f.k, kSha256Info, h, 8);
  shifted.back() = 0x5a;
  bad.emplace_back("garbage after the digest", shifted);
  Bytes other_hash = pkcs1_em(f.k, kSha256Info, digest(Alg::RS256, msg + "!"));
  bad.emplace_back("another message's digest", other_hash);
  for (const auto& [what, em] : bad) {
    INFO(what);
    const Bytes sig = raw_sign(f, em);
    CHECK_FALSE(ours(f, Alg::RS256, msg, sig));
    CHECK_FALSE(evp_verify(f, Alg::RS256, msg, sig));
  }
}

TEST_CASE("PSS encodings that break one rule of EMSA-PSS-VERIFY are refused", "[crypto][rsa]") {
  const Fixture f(2048);
  const std::string msg = "pss.rules";
  // Start from a real signature's encoding (RSAVP1 of it is a valid EM),
  // recovered with the public key through EVP, no padding. PSS signing is
  // randomised: take one whose EM with the bit above emBits set (2047 of
  // 2048) is still below n, so that step 6 itself is what refuses it.
  Bytes sig, em;
  for (int attempt = 0; attempt < 200; ++attempt) {
    sig = sign(f, Alg::PS256, msg);
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(f.priv, nullptr);
    REQUIRE(EVP_PKEY_verify_recover_init(c) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING) == 1);
    size_t len = f.k;
    em.assign(len, 0);
    REQUIRE(EVP_PKEY_verify_recover(c, em.data(), &len, sig.data(), sig.size()) == 1);
    EVP_PKEY_CTX_free(c);
    REQUIRE(len == f.k);
    if ((em[0] | 0x80) < f.n[0]) break;
  }
  REQUIRE((em[0] | 0x80) < f.n[0]);
  REQUIRE(ours(f, Alg::PS256, msg, sig));
  REQUIRE(raw_sign(f, em) == sig);

  std::vector<std::pair<const char*, Bytes>> bad;
  Bytes trailer = em;
  trailer.back() = 0xbd;
  bad.emplace_back("trailer not 0xbc (step 4)", trailer);
  Bytes top = em;
  top[0] |= 0x80;
  bad.emplace_back("the bit above emBits set (step 6)", top);
  Bytes hash = em;
  hash[f.k - 2] ^= 0x01;
  bad.emplace_back("H altered (step 14)", hash);
  Bytes db = em;
  db[5] ^= 0x40;
  bad.emplace_back("the zero padding of DB altered (step 10)", db);
  for (const auto& [what, v] : bad) {
    INFO(what);
    REQUIRE(std::memcmp(v.data(), f.n.data(), f.k) < 0);
    const Bytes s = raw_sign(f, v);
    CHECK_FALSE(ours(f, Alg::PS256, msg, s));
    CHECK_FALSE(evp_verify(f, Alg::PS256, msg, s));
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("RSAVP1 equals BN_mod_exp for every exponent shape", "[crypto][rsa]") {
  // rsa_public_op takes its own square-and-multiply path for an e of one
  // word and BN_mod_exp_mont beyond; both must give s^e mod n exactly. The
  // identity holds for any odd e, key or not, so the exponents here need
  // not belong to a key pair.
  std::mt19937_64 rng(7);
  BN_CTX* ctx = BN_CTX_new();
  REQUIRE(ctx != nullptr);
  for (unsigned bits : {2048u, 2049u, 3072u}) {
    const Fixture f(bits);
    BIGNUM* n = BN_bin2bn(f.n.data(), static_cast<int>(f.n.size()), nullptr);
    REQUIRE(n != nullptr);
    std::vector<BIGNUM*> exponents;
    const uint64_t words[] = {3, 17, 65537, 0x100000001, 0xfffffffffffffffb, 0x5555555555555555,
                              rng() | 1};
    for (uint64_t w : words) {
      BIGNUM* e = BN_new();
      REQUIRE(e != nullptr);
      REQUIRE(BN_set_word(e, static_cast<BN_ULONG>(w)) == 1);
      exponents.push_back(e);
    }
    BIGNUM* big = BN_new();  // 65 bits and more: BN_mod_exp_mont
    REQUIRE(big != nullptr);
    REQUIRE(BN_set_word(big, 1) == 1);
    REQUIRE(BN_lshift(big, big, 64) == 1);
    REQUIRE(BN_add_word(big, 0x10001) == 1);
    exponents.push_back(big);
    for (BIGNUM* e : exponents) {
      RsaPublicNumbers key;
      REQUIRE(rsa_public_numbers_init(key, n, e));
      INFO(bits << "-bit n, e of " << BN_num_bits(e) << " bits");
      CHECK((key.e_word != 0) == (BN_num_bits(e) <= 64));
      BIGNUM* s = BN_new();
      BIGNUM* want = BN_new();
      REQUIRE((s != nullptr && want != nullptr));
      for (int i = 0; i < 6; ++i) {
        // Random values below n, plus 0, 1 and n - 1.
        if (i == 0) BN_zero(s);
        else if (i == 1) BN_one(s);
        else if (i == 2) REQUIRE(BN_sub(s, n, BN_value_one()) == 1);
        else REQUIRE(BN_rand_range(s, n) == 1);
        REQUIRE(BN_mod_exp(want, s, e, n, ctx) == 1);
        Bytes in(f.k), out(f.k), expected(f.k);
        REQUIRE(BN_bn2binpad(s, in.data(), static_cast<int>(f.k)) == static_cast<int>(f.k));
        REQUIRE(BN_bn2binpad(want, expected.data(), static_cast<int>(f.k)) == static_cast<int>(f.k));
        REQUIRE(rsa_public_op(key, in.data(), in.size(), out.data()));
        CHECK(out == expected);
      }
      BN_free(want);
      BN_free(s);
      BN_free(e);
    }
    BN_free(n);
  }
  BN_CTX_free(ctx);
}

TEST_CASE("RSA keys take the verification path the build chose (-Drsa_fast_path)", "[crypto][rsa]") {
  CHECK(rsa_bn_path_enabled() == (JWTGATE_RSA_FAST_PATH != 0));
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  REQUIRE(pkey != nullptr);
  Key key;
  std::string why;
  REQUIRE(make_asymmetric_key(pkey, key, &why));  // takes pkey over
  CHECK((key.material->rsa_numbers != nullptr) == (JWTGATE_RSA_FAST_PATH != 0));
}

TEST_CASE("the EVP path, used for keys loaded with FIPS properties on, agrees too", "[crypto][rsa]") {
  // A key loaded while EVP_default_properties_is_fips_enabled() holds has no
  // RsaPublicNumbers and verifies through its prepared EVP_PKEY_CTX. The
  // FIPS provider is not installed here, so the numbers are dropped by hand
  // (the material is not a const object: make_rsa_public_key created it).
  Fixture f(2048);
  const_cast<KeyMaterial&>(*f.key.material).rsa_numbers.reset();
  std::mt19937_64 rng(99);
  for (Alg alg : kRsaAlgs) {
    INFO(alg_name(alg));
    const std::string msg = "fips." + std::to_string(rng());
    const Bytes sig = sign(f, alg, msg);
    CHECK(ours(f, alg, msg, sig));
    Bytes flipped = sig;
    flipped[rng() % flipped.size()] ^= 0x10;
    CHECK_FALSE(ours(f, alg, msg, flipped));
    CHECK_FALSE(ours(f, alg, msg + "!", sig));
  }
  CHECK(ERR_peek_error() == 0);
}

TEST_CASE("RSA keys over 3072 bits with an exponent over 64 bits are refused at load, as OpenSSL does", "[crypto][rsa]") {
  // The loader checks form, not primality: an odd all-ones modulus serves.
  auto load = [](size_t n_bytes, const Bytes& e, std::string* why) {
    const Bytes n(n_bytes, 0xff);
    Key k;
    return make_rsa_public_key(n.data(), n.size(), e.data(), e.size(), k, why);
  };
  Bytes e65(9, 0x00);  // 2^64 + 1: 65 bits
  e65.front() = 0x01;
  e65.back() = 0x01;
  const Bytes e64(8, 0xff);  // 2^64 - 1: 64 bits, odd
  std::string why;
  CHECK_FALSE(load(512, e65, &why));
  CHECK_THAT(why, Catch::Contains("the RSA public exponent has 65 bits") &&
                      Catch::Contains("with a modulus over 3072 bits at most 64"));
  why.clear();
  CHECK(load(512, e64, &why));
  CHECK(load(384, e65, &why));  // 3072 bits: no limit, as in OpenSSL
  CHECK(why.empty());
  CHECK(ERR_peek_error() == 0);
}
