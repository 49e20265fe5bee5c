// Loading decryption keys: APIM's base64 <key> text, PEM / DER PKCS#8
// (optionally encrypted), PKCS#12 and private JWKs. Every message names the
// form and the problem, never a byte of the key.
#include <cstring>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <simdjson.h>

#include "crypto/curve.h"
#include "encoding/base64url.h"
#include "jwe/decryption_key.h"
#include "keys/key_text.h"
#include "encoding/json_alloc.h"
#include "encoding/json_members.h"
#include "encoding/json_dom.h"

namespace jwtgate {
namespace {

// Wipes a buffer of key bytes when it goes out of scope.
struct Wiped {
  std::vector<uint8_t> bytes;
  ~Wiped() {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};

bool secret_length_ok(size_t n) { return n == 16 || n == 24 || n == 32 || n == 48 || n == 64; }

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The password callback of PEM_read_bio_PrivateKey: copies the caller's
// password, or fails (no prompt) when there is none.
int password_cb(char* buf, int size, int, void* u) {
  const auto* pw = static_cast<const std::string_view*>(u);
  if (pw == nullptr || pw->empty() || static_cast<int>(pw->size()) > size) return 0;
  std::memcpy(buf, pw->data(), pw->size());
  return static_cast<int>(pw->size());
}

bool take(EVP_PKEY* pkey, std::vector<DecryptionKey>& out, Diagnostics& diag,
          const std::string& form) {
  DecryptionKey k;
  std::string why;
  if (!make_private_decryption_key(pkey, k, &why)) {
    diag.error(form + ": " + why);
    return false;
  }
  k.origin = form;
  out.push_back(std::move(k));
  return true;
}

bool load_pem(std::string_view data, std::string_view password, std::vector<DecryptionKey>& out,
              Diagnostics& diag) {
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) throw std::bad_alloc();
  std::string_view pw = password;
  // PEM_read_bio_PrivateKey skips blocks that hold no private key
  // (certificates beside it, as in a PEM exported from a PFX).
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, password_cb, &pw);
  if (pkey == nullptr) {
    ERR_clear_error();
    diag.error(data.find("ENCRYPTED") != std::string_view::npos && password.empty()
                   ? "PEM: the private key is encrypted and no password was given"
                   : "PEM: no private key could be read (a \"PRIVATE KEY\", \"ENCRYPTED PRIVATE "
                     "KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\" block is expected; a "
                     "wrong password looks the same)");
    return false;
  }
  EVP_PKEY* second = PEM_read_bio_PrivateKey(bio.get(), nullptr, password_cb, &pw);
  ERR_clear_error();
  if (second != nullptr) {
    EVP_PKEY_free(second);
    EVP_PKEY_free(pkey);
    diag.error("PEM: more than one private key; give one key per file");
    return false;
  }
  return take(pkey, out, diag, "PEM private key");
}

bool load_pkcs12(std::string_view data, std::string_view password,
                 std::vector<DecryptionKey>& out, Diagnostics& diag) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(data.size()));
  if (p12 == nullptr || p != reinterpret_cast<const unsigned char*>(data.data()) + data.size()) {
    PKCS12_free(p12);
    ERR_clear_error();
    return false;  // not PKCS#12: the caller tries the next form
  }
  const std::string pw(password);
  EVP_PKEY* pkey = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  const bool ok = PKCS12_parse(p12, pw.c_str(), &pkey, &cert, &ca) == 1;
  PKCS12_free(p12);
  X509_free(cert);
  sk_X509_pop_free(ca, X509_free);
  ERR_clear_error();
  if (!ok || pkey == nullptr) {
    EVP_PKEY_free(pkey);
    diag.error("PKCS#12: the private key could not be read (wrong password, no key in the "
               "file, or a legacy cipher such as RC2 that OpenSSL 3 refuses by default)");
    return true;  // it was PKCS#12; the error is recorded
  }
  return take(pkey, out, diag, "PKCS#12 private key");
}

bool load_der_pkcs8(std::string_view data, std::string_view password,
                    std::vector<DecryptionKey>& out, Diagnostics& diag) {
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  if (!bio) throw std::bad_alloc();
  std::string_view pw = password;
  // Plain PKCS#8 first, then encrypted PKCS#8 (an X509_SIG).
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(data.size()));
  if (pkey != nullptr && p != reinterpret_cast<const unsigned char*>(data.data()) + data.size()) {
    EVP_PKEY_free(pkey);  // trailing bytes: not one DER key
    pkey = nullptr;
  }
  if (pkey == nullptr) pkey = d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, password_cb, &pw);
  ERR_clear_error();
  if (pkey == nullptr) {
    diag.error("no private key found: expected PEM, DER PKCS#8, PKCS#12 (PFX) or a private JWK "
               "(an encrypted key needs its password)");
    return false;
  }
  return take(pkey, out, diag, "DER PKCS#8 private key");
}

// ---- private JWKs

bool b64u_member(object o, const char* name, Wiped& out, bool required, std::string& why) {
  element v;
  if (o[name].get(v)) {
    if (required) why = std::string("member \"") + name + "\" is missing";
    return !required;
  }
  std::string_view s;
  if (v.get_string().get(s)) {
    why = std::string("member \"") + name + "\" is not a string";
    return false;
  }
  if (!base64url_decode(s, out.bytes) || out.bytes.empty()) {
    why = std::string("member \"") + name + "\" is not strict base64url";
    return false;
  }
  return true;
}

std::string string_member(object o, const char* name) {
  std::string_view s;
  if (o[name].get_string().get(s)) return "";
  return std::string(s);
}

struct BldFree { void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };

EVP_PKEY* from_params(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_KEYPAIR, params.get()) != 1)
    pkey = nullptr;
  // The private numbers that OSSL_PARAM_BLD_to_param copied sit in its
  // secure block (they were pushed from BN_secure_new numbers), which
  // OSSL_PARAM_free clears as it frees it.
  return pkey;
}

// push_bn adds a big-endian number to |bld| (OpenSSL copies it, securely
// for BN_secure_new numbers).
bool push_bn(OSSL_PARAM_BLD* bld, const char* key, const Wiped& v, std::vector<BIGNUM*>& keep) {
  BIGNUM* bn = BN_secure_new();
  if (!bn || !BN_bin2bn(v.bytes.data(), static_cast<int>(v.bytes.size()), bn)) {
    BN_clear_free(bn);
    return false;
  }
  keep.push_back(bn);
  return OSSL_PARAM_BLD_push_BN(bld, key, bn) == 1;
}

EVP_PKEY* rsa_from_jwk(object o, std::string& why) {
  Wiped n, e, d, p, q, dp, dq, qi;
  if (!b64u_member(o, "n", n, true, why) || !b64u_member(o, "e", e, true, why) ||
      !b64u_member(o, "d", d, true, why) || !b64u_member(o, "p", p, false, why) ||
      !b64u_member(o, "q", q, false, why) || !b64u_member(o, "dp", dp, false, why) ||
      !b64u_member(o, "dq", dq, false, why) || !b64u_member(o, "qi", qi, false, why))
    return nullptr;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  std::vector<BIGNUM*> keep;
  bool ok = bld && push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_N, n, keep) &&
            push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_E, e, keep) &&
            push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_D, d, keep);
  const bool crt = !p.bytes.empty() && !q.bytes.empty() && !dp.bytes.empty() &&
                   !dq.bytes.empty() && !qi.bytes.empty();
  if (ok && crt)
    ok = push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p, keep) &&
         push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q, keep) &&
         push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp, keep) &&
         push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq, keep) &&
         push_bn(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qi, keep);
  EVP_PKEY* pkey = ok ? from_params("RSA", bld.get()) : nullptr;
  for (BIGNUM* b : keep) BN_clear_free(b);
  if (!pkey) why = "OpenSSL refused the RSA components";
  return pkey;
}

EVP_PKEY* ec_from_jwk(object o, std::string_view kty, std::string& why) {
  const std::string crv = string_member(o, "crv");
  // ECDH-ES here takes the key agreement curves: X25519 (OKP) and P-256,
  // P-384, P-521 (EC).
  const Curve* curve = curve_by_crv(crv);
  if (curve == nullptr || !curve->key_agreement) {
    why = "crv must be P-256, P-384, P-521 or X25519";
    return nullptr;
  }
  // kty and crv must agree (RFC 7518 6.2.1.1 for EC, RFC 8037 2 for OKP): a
  // key that says both is refused, not read by either.
  if (curve->kty != (kty == "EC" ? KeyType::EC : KeyType::OKP)) {
    why = "crv " + crv + " is an " + (curve->kty == KeyType::EC ? "EC" : "OKP") +
          " curve, not kty " + std::string(kty) + " (RFC 7518 6.2.1.1, RFC 8037 2)";
    return nullptr;
  }
  const size_t len = curve->bytes;
  if (curve->kty == KeyType::OKP) {
    // RFC 8037 2: x and d are the raw public and private keys.
    Wiped x, d;
    if (!b64u_member(o, "x", x, true, why) || !b64u_member(o, "d", d, true, why)) return nullptr;
    if (d.bytes.size() != len || x.bytes.size() != len) {
      why = "an " + crv + " key has " + std::to_string(len) + "-byte x and d (RFC 8037 2)";
      return nullptr;
    }
    EVP_PKEY* pkey =
        EVP_PKEY_new_raw_private_key_ex(nullptr, curve->openssl_name, nullptr, d.bytes.data(), len);
    uint8_t pub[66];  // the longest key of the table (P-521's coordinate)
    size_t pub_len = sizeof pub;
    if (!pkey || EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len) != 1 || pub_len != len ||
        std::memcmp(pub, x.bytes.data(), len) != 0) {
      EVP_PKEY_free(pkey);
      why = "x is not the public key of d";
      return nullptr;
    }
    return pkey;
  }
  const char* group = curve->openssl_name;
  Wiped x, y, d;
  if (!b64u_member(o, "x", x, true, why) || !b64u_member(o, "y", y, true, why) ||
      !b64u_member(o, "d", d, true, why))
    return nullptr;
  if (x.bytes.size() != len || y.bytes.size() != len || d.bytes.size() != len) {
    why = "x, y and d of a " + crv + " key are " + std::to_string(len) +
          " bytes each (RFC 7518 6.2.1.2, 6.2.2.1)";
    return nullptr;
  }
  Wiped point;
  point.bytes.reserve(1 + 2 * len);
  point.bytes.push_back(0x04);
  point.bytes.insert(point.bytes.end(), x.bytes.begin(), x.bytes.end());
  point.bytes.insert(point.bytes.end(), y.bytes.begin(), y.bytes.end());
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  std::vector<BIGNUM*> keep;
  const bool ok =
      bld &&
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.bytes.data(),
                                       point.bytes.size()) == 1 &&
      push_bn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d, keep);
  EVP_PKEY* pkey = ok ? from_params("EC", bld.get()) : nullptr;
  for (BIGNUM* b : keep) BN_clear_free(b);
  if (!pkey) why = "OpenSSL refused the EC key (is the point on the curve?)";
  return pkey;
}

bool read_jwk(object o, size_t index, std::vector<DecryptionKey>& out, Diagnostics& diag) {
  const std::string where = "JWK #" + std::to_string(index + 1);
  const std::string kty = string_member(o, "kty");
  std::string why;
  DecryptionKey k;
  if (kty == "oct") {
    Wiped secret;
    if (!b64u_member(o, "k", secret, true, why)) {
      diag.error(where + ": " + why);
      return false;
    }
    if (!secret_length_ok(secret.bytes.size())) {
      diag.error(where + ": a symmetric decryption key is 16, 24, 32, 48 or 64 bytes, not " +
                 std::to_string(secret.bytes.size()));
      return false;
    }
    auto m = std::make_shared<DecryptionKeyMaterial>();
    m->secret = secret.bytes;
    k.type = KeyType::Oct;
    k.bits = static_cast<int>(secret.bytes.size() * 8);
    k.material = std::move(m);
  } else if (kty == "RSA" || kty == "EC" || kty == "OKP") {
    EVP_PKEY* pkey = kty == "RSA" ? rsa_from_jwk(o, why) : ec_from_jwk(o, kty, why);
    ERR_clear_error();
    if (pkey == nullptr || !make_private_decryption_key(pkey, k, &why)) {
      diag.error(where + " (" + kty + "): " + why);
      return false;
    }
  } else {
    diag.error(where + ": kty must be RSA, EC, OKP or oct");
    return false;
  }
  std::string_view s;
  if (!o["kid"].get_string().get(s)) {
    k.kid.assign(s);
    k.has_kid = true;
  }
  k.alg = string_member(o, "alg");
  k.use = string_member(o, "use");
  simdjson::dom::array ops;
  if (!o["key_ops"].get_array().get(ops)) {
    k.has_key_ops = true;
    for (element op : ops) {
      std::string_view name;
      if (op.get_string().get(name)) continue;
      if (name == "decrypt") k.key_ops |= kOpDecrypt;
      if (name == "unwrapKey") k.key_ops |= kOpUnwrapKey;
      if (name == "deriveKey") k.key_ops |= kOpDeriveKey;
      if (name == "deriveBits") k.key_ops |= kOpDeriveBits;
    }
  }
  k.origin = where + (k.has_kid ? " (kid " + k.kid + ")" : "");
  out.push_back(std::move(k));
  return true;
}

}  // namespace

bool load_decryption_secret(const uint8_t* secret, size_t len, std::vector<DecryptionKey>& out,
                            Diagnostics& diag) {
  if (!secret_length_ok(len)) {
    diag.error("a symmetric decryption key is 16, 24, 32, 48 or 64 bytes (A128KW .. A256KW, "
               "A*GCMKW, or dir with the CEK of enc), not " + std::to_string(len));
    return false;
  }
  DecryptionKey k;
  auto m = std::make_shared<DecryptionKeyMaterial>();
  m->secret.assign(secret, secret + len);
  k.type = KeyType::Oct;
  k.bits = static_cast<int>(len * 8);
  k.material = std::move(m);
  k.origin = "symmetric key";
  out.push_back(std::move(k));
  return true;
}

bool load_decryption_secret_base64(std::string_view text, std::vector<DecryptionKey>& out,
                                   Diagnostics& diag) {
  if (const KeyTextMatch m = find_key_text(text)) {
    diag.error(key_text_refusal(m));
    return false;
  }
  Wiped secret;
  if (!base64_decode(text, secret.bytes, true)) {
    diag.error("the key text is not standard base64 (APIM's <key> holds a Base64 symmetric key)");
    return false;
  }
  return load_decryption_secret(secret.bytes.data(), secret.bytes.size(), out, diag);
}

bool load_decryption_private_key(std::string_view data, std::string_view password,
                                 std::vector<DecryptionKey>& out, Diagnostics& diag) {
  if (data.find("-----BEGIN") != std::string_view::npos)
    return load_pem(data, password, out, diag);
  const size_t before = out.size();
  Diagnostics local;
  if (load_pkcs12(data, password, out, local)) {
    diag.append(local);
    return out.size() > before;
  }
  return load_der_pkcs8(data, password, out, diag);
}

bool load_decryption_jwks(std::string_view json, std::vector<DecryptionKey>& out,
                          Diagnostics& diag) {
  simdjson::dom::parser parser;
  element root;
  // A failed allocation is std::bad_alloc (the C API's JWTGATE_ERR_OUT_OF_MEMORY), not bad JSON.
  if (json_parse_error(parser.parse(json.data(), json.size()).get(root)) ||
      root.type() != simdjson::dom::element_type::OBJECT) {
    diag.error("the JWK text is not a JSON object");
    return false;
  }
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup)) {
    diag.error("the JWK repeats the member name \"" + std::string(dup.substr(0, 32)) + "\"");
    return false;
  }
  std::vector<DecryptionKey> got;
  simdjson::dom::array keys;
  bool ok = true;
  if (!root["keys"].get_array().get(keys)) {
    size_t i = 0;
    for (element e : keys) {
      object o;
      if (e.get_object().get(o)) {
        diag.error("JWK #" + std::to_string(i + 1) + " is not an object");
        ok = false;
      } else {
        ok = read_jwk(o, i, got, diag) && ok;
      }
      ++i;
    }
    if (i == 0) {
      diag.error("the JWK Set has no keys");
      ok = false;
    }
  } else {
    ok = read_jwk(root.get_object().value_unsafe(), 0, got, diag);
  }
  if (!ok) return false;
  for (DecryptionKey& k : got) out.push_back(std::move(k));
  return true;
}

bool load_decryption_keys_auto(std::string_view data, std::string_view password,
                               std::vector<DecryptionKey>& out, Diagnostics& diag) {
  size_t i = 0;
  while (i < data.size() && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) ++i;
  if (i < data.size() && data[i] == '{') return load_decryption_jwks(data, out, diag);
  return load_decryption_private_key(data, password, out, diag);
}

}  // namespace jwtgate
