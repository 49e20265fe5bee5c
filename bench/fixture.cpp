// Keys, JWK Sets and Entra-shaped tokens for the benchmark and tests/perf,
// made with OpenSSL alone so that a bug in jwtgate's signing code cannot
// hide one in its verification.
#include "fixture.h"

#include <cstdio>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "jwtgate_experimental.h"  // decryption keys

namespace bench {

const char* const kTenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const char* const kAudience = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
const char* const kIssuer =
    "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";

const char* const kPolicyJson = R"({"validate-jwt": {
  "header-name": "Authorization",
  "require-scheme": "Bearer",
  "clock-skew": 60,
  "issuers": ["https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"],
  "audiences": ["6e74172b-be56-4843-9ff4-e66a39bb12e3",
                "api://6e74172b-be56-4843-9ff4-e66a39bb12e3"],
  "required-claims": [
    {"name": "scp", "match": "all", "separator": " ", "values": ["User.Read", "Files.Read"]},
    {"name": "roles", "match": "any", "values": ["Admin", "Data.Read"]}
  ],
  "jwtgate": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"]}
}})";

const char* const kJwePolicyJson = R"({"validate-jwt": {
  "header-name": "Authorization",
  "require-scheme": "Bearer",
  "clock-skew": 60,
  "issuers": ["https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"],
  "audiences": ["6e74172b-be56-4843-9ff4-e66a39bb12e3",
                "api://6e74172b-be56-4843-9ff4-e66a39bb12e3"],
  "decryption-keys": [{"id": "enc-rsa", "certificate-id": "enc-rsa"},
                      {"id": "enc-ec", "certificate-id": "enc-ec"}],
  "required-claims": [
    {"name": "scp", "match": "all", "separator": " ", "values": ["User.Read", "Files.Read"]},
    {"name": "roles", "match": "any", "values": ["Admin", "Data.Read"]}
  ],
  "jwtgate": {"algorithms": ["RS256"], "encryption": "required",
              "jwe-algorithms": "RSA-OAEP-256 ECDH-ES", "jwe-encryptions": "A256GCM"}
}})";

namespace {

[[noreturn]] void die(const char* what) { throw std::runtime_error(std::string("fixture: ") + what); }

// splitmix64: deterministic identifiers per token serial, so two runs
// measure byte-identical claims.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string pseudo_chars(uint64_t seed, size_t n, const char* alphabet, size_t alphabet_len) {
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[mix(seed * 1315423911ULL + i) % alphabet_len]);
  return out;
}

constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHex[] = "0123456789abcdef";

std::string guid(uint64_t seed) {
  std::string h = pseudo_chars(seed, 32, kHex, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string random_kid() {
  // Entra kids are base64url SHA-1 thumbprints: 27 characters.
  uint8_t raw[20];
  if (RAND_bytes(raw, sizeof raw) != 1) die("RAND_bytes");
  return base64url(raw, sizeof raw);
}

std::string bn_b64(const BIGNUM* bn, int pad_to = 0) {
  std::vector<uint8_t> buf(static_cast<size_t>(pad_to ? pad_to : BN_num_bytes(bn)));
  if (BN_bn2binpad(bn, buf.data(), static_cast<int>(buf.size())) < 0) die("BN_bn2binpad");
  return base64url(buf.data(), buf.size());
}

std::string get_bn_b64(EVP_PKEY* pkey, const char* name, int pad_to = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) die("EVP_PKEY_get_bn_param");
  std::string out = bn_b64(bn, pad_to);
  BN_free(bn);
  return out;
}

KeyFamily make_family(const char* kty) {
  KeyFamily f;
  const std::string t = kty;
  f.jwks = "{\"keys\":[";
  for (size_t i = 0; i < kKeysPerSet; ++i) {
    TestKey k;
    k.kid = random_kid();
    if (t == "oct") {
      k.secret.resize(32);
      if (RAND_bytes(k.secret.data(), 32) != 1) die("RAND_bytes");
    } else if (t == "RSA") {
      k.pkey = EVP_RSA_gen(2048);
    } else if (t == "EC") {
      k.pkey = EVP_EC_gen("P-256");
    } else {
      k.pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    }
    if (t != "oct" && !k.pkey) die("key generation");
    f.jwks += (i ? "," : "") + public_jwk(k, k.kid);
    f.keys.push_back(std::move(k));
  }
  f.jwks += "]}";
  return f;
}

std::string sign_raw(Alg alg, const TestKey& key, const std::string& input) {
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  if (alg == Alg::HS256) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_len = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.secret.data(),
                   key.secret.size(), data, input.size(), mac, sizeof mac, &mac_len))
      die("HMAC");
    return std::string(reinterpret_cast<char*>(mac), mac_len);
  }
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  const EVP_MD* digest = alg == Alg::EdDSA ? nullptr : EVP_sha256();
  if (!md || EVP_DigestSignInit(md, &pctx, digest, nullptr, key.pkey) != 1) die("DigestSignInit");
  if (alg == Alg::PS256 &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1))
    die("PSS parameters");
  size_t len = 0;
  if (EVP_DigestSign(md, nullptr, &len, data, input.size()) != 1) die("DigestSign size");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md, reinterpret_cast<unsigned char*>(sig.data()), &len, data, input.size()) != 1)
    die("DigestSign");
  sig.resize(len);
  EVP_MD_CTX_free(md);
  if (alg != Alg::ES256) return sig;
  // RFC 7518 3.4: JWS carries R || S, 32 bytes each, not OpenSSL's DER.
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
  if (!es) die("d2i_ECDSA_SIG");
  unsigned char rs[64];
  if (BN_bn2binpad(ECDSA_SIG_get0_r(es), rs, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(es), rs + 32, 32) != 32)
    die("ECDSA r||s");
  ECDSA_SIG_free(es);
  return std::string(reinterpret_cast<char*>(rs), sizeof rs);
}

// ---- JWE, with OpenSSL alone (RFC 7516 5.1; RFC 7518 4.3, 4.6, 5.3)

std::vector<uint8_t> random_bytes(size_t n) {
  std::vector<uint8_t> v(n);
  if (RAND_bytes(v.data(), static_cast<int>(n)) != 1) die("RAND_bytes");
  return v;
}

std::string aes256gcm(const std::vector<uint8_t>& cek, const std::vector<uint8_t>& iv,
                      const std::string& aad, const std::string& plaintext, std::vector<uint8_t>& tag) {
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  std::string out(plaintext.size(), '\0');
  int n = 0, fin = 0;
  tag.resize(16);
  if (!c || EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, cek.data(), iv.data()) != 1 ||
      EVP_EncryptUpdate(c, nullptr, &n, reinterpret_cast<const uint8_t*>(aad.data()), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(c, reinterpret_cast<uint8_t*>(out.data()), &n,
                        reinterpret_cast<const uint8_t*>(plaintext.data()), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(c, reinterpret_cast<uint8_t*>(out.data()) + n, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag.data()) != 1)
    die("AES-256-GCM");
  EVP_CIPHER_CTX_free(c);
  return out;
}

std::string encrypt_token(Alg alg, const Keys& keys, const std::string& jws) {
  std::vector<uint8_t> cek = random_bytes(32), ek;
  std::string header;
  if (alg == Alg::JweRsa) {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_from_pkey(nullptr, keys.enc.keys[0].pkey, nullptr);
    size_t n = 0;
    if (!c || EVP_PKEY_encrypt_init(c) != 1 || EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) != 1 ||
        EVP_PKEY_encrypt(c, nullptr, &n, cek.data(), cek.size()) != 1)
      die("RSA-OAEP-256");
    ek.resize(n);
    if (EVP_PKEY_encrypt(c, ek.data(), &n, cek.data(), cek.size()) != 1) die("RSA-OAEP-256");
    EVP_PKEY_CTX_free(c);
    header = R"({"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT","kid":"enc-rsa"})";
  } else {
    // ECDH-ES (direct): an ephemeral P-256 key, Z, and the Concat KDF with
    // AlgorithmID "A256GCM", empty apu/apv, keydatalen 256 (one SHA-256).
    EVP_PKEY* eph = EVP_EC_gen("P-256");
    EVP_PKEY_CTX* d = eph ? EVP_PKEY_CTX_new_from_pkey(nullptr, eph, nullptr) : nullptr;
    uint8_t z[32];
    size_t zl = sizeof z;
    if (!d || EVP_PKEY_derive_init(d) != 1 || EVP_PKEY_derive_set_peer(d, keys.enc.keys[1].pkey) != 1 ||
        EVP_PKEY_derive(d, z, &zl) != 1 || zl != 32)
      die("ECDH");
    EVP_PKEY_CTX_free(d);
    const uint8_t other[] = {0, 0, 0, 7, 'A', '2', '5', '6', 'G', 'C', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    const uint8_t counter[] = {0, 0, 0, 1};
    EVP_MD_CTX* h = EVP_MD_CTX_new();
    unsigned hl = 0;
    if (!h || EVP_DigestInit_ex(h, EVP_sha256(), nullptr) != 1 || EVP_DigestUpdate(h, counter, 4) != 1 ||
        EVP_DigestUpdate(h, z, zl) != 1 || EVP_DigestUpdate(h, other, sizeof other) != 1 ||
        EVP_DigestFinal_ex(h, cek.data(), &hl) != 1)
      die("Concat KDF");
    EVP_MD_CTX_free(h);
    header = R"({"alg":"ECDH-ES","enc":"A256GCM","cty":"JWT","kid":"enc-ec","epk":{"kty":"EC","crv":"P-256","x":")" +
             get_bn_b64(eph, OSSL_PKEY_PARAM_EC_PUB_X, 32) + R"(","y":")" +
             get_bn_b64(eph, OSSL_PKEY_PARAM_EC_PUB_Y, 32) + R"("}})";
    EVP_PKEY_free(eph);
  }
  const std::string protected_b64 = base64url(header);
  const std::vector<uint8_t> iv = random_bytes(12);
  std::vector<uint8_t> tag;
  const std::string ct = aes256gcm(cek, iv, protected_b64, jws, tag);
  return protected_b64 + "." + base64url(ek.data(), ek.size()) + "." + base64url(iv.data(), iv.size()) + "." +
         base64url(reinterpret_cast<const uint8_t*>(ct.data()), ct.size()) + "." +
         base64url(tag.data(), tag.size());
}

}  // namespace

const char* alg_name(Alg a) {
  switch (a) {
    case Alg::HS256: return "HS256";
    case Alg::RS256: return "RS256";
    case Alg::PS256: return "PS256";
    case Alg::ES256: return "ES256";
    case Alg::EdDSA: return "EdDSA";
    case Alg::JweRsa: return "JWE-RSA";
    case Alg::JweEc: return "JWE-EC";
  }
  return "?";
}

KeyFamily::KeyFamily(KeyFamily&& o) noexcept : keys(std::move(o.keys)), jwks(std::move(o.jwks)) {
  o.keys.clear();
}

KeyFamily::~KeyFamily() {
  for (TestKey& k : keys) EVP_PKEY_free(k.pkey);
}

const KeyFamily& Keys::for_alg(Alg a) const {
  switch (a) {
    case Alg::HS256: return hmac;
    case Alg::RS256:
    case Alg::PS256: return rsa;
    case Alg::ES256: return ec;
    case Alg::EdDSA: return okp;
    case Alg::JweRsa:
    case Alg::JweEc: return rsa;
  }
  return rsa;
}

Keys generate_keys() {
  Keys k{make_family("oct"), make_family("RSA"), make_family("EC"), make_family("OKP"), {}};
  for (const char* kid : {"enc-rsa", "enc-ec"}) {
    TestKey key;
    key.kid = kid;
    key.pkey = key.kid == "enc-rsa" ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
    if (!key.pkey) die("decryption key generation");
    k.enc.keys.push_back(std::move(key));
  }
  return k;
}

std::string entra_claims(size_t serial, int64_t nbf, int64_t exp) {
  const uint64_t s = serial + 1;
  char times[96];
  std::snprintf(times, sizeof times, "\"iat\":%lld,\"nbf\":%lld,\"exp\":%lld",
                static_cast<long long>(nbf), static_cast<long long>(nbf),
                static_cast<long long>(exp));
  // The members and their order of an Entra ID v2 access token for a
  // delegated call (what APIM's validate-azure-ad-token sees most).
  return std::string("{\"aud\":\"") + kAudience + "\",\"iss\":\"" + kIssuer + "\"," + times +
         ",\"aio\":\"" + pseudo_chars(s * 7 + 1, 112, kB64Url, 64) +
         "\",\"azp\":\"" + guid(s * 7 + 2) + "\",\"azpacr\":\"0\",\"name\":\"Abe Lincoln\"" +
         ",\"oid\":\"" + guid(s * 7 + 3) + "\",\"preferred_username\":\"abeli@contoso.com\"" +
         ",\"rh\":\"0." + pseudo_chars(s * 7 + 4, 62, kB64Url, 64) + ".\"" +
         ",\"roles\":[\"Data.Read\",\"Data.Write\"]" +
         ",\"scp\":\"User.Read Files.Read Mail.Read\"" +
         ",\"sub\":\"" + pseudo_chars(s * 7 + 5, 43, kB64Url, 64) + "\",\"tid\":\"" + kTenantId +
         "\",\"uti\":\"" + pseudo_chars(s * 7 + 6, 22, kB64Url, 64) + "\",\"ver\":\"2.0\"}";
}

std::string sign_token(Alg alg, const TestKey& key, const std::string& claims) {
  const std::string header =
      std::string("{\"typ\":\"JWT\",\"alg\":\"") + alg_name(alg) + "\",\"kid\":\"" + key.kid + "\"}";
  const std::string input = base64url(header) + "." + base64url(claims);
  return input + "." + base64url(sign_raw(alg, key, input));
}

Scenario make_scenario(Alg alg, const Keys& keys, size_t count, int64_t now, int64_t lifetime) {
  Scenario sc{alg, &keys.for_alg(alg), {}};
  sc.tokens.reserve(count);
  const Alg signing = is_jwe(alg) ? Alg::RS256 : alg;
  if (is_jwe(alg)) sc.enc = &keys.enc;
  for (size_t i = 0; i < count; ++i) {
    std::string t = sign_token(signing, sc.family->signer(), entra_claims(i, now - 300, now + lifetime));
    if (is_jwe(alg)) t = encrypt_token(alg, keys, t);
    sc.tokens.push_back(std::move(t));
  }
  return sc;
}

std::string private_pem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio || PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    die("PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

jwtgate_load_options* jwe_load_options(const Keys& keys) {
  jwtgate_load_options* o = jwtgate_load_options_new();
  for (const TestKey& k : keys.enc.keys) {
    const std::string pem = private_pem(k.pkey);
    if (!o || jwtgate_load_options_add_decryption_key(o, nullptr, k.kid.c_str(), pem.data(), pem.size(),
                                                      nullptr) != JWTGATE_OK)
      die("jwtgate_load_options_add_decryption_key");
  }
  return o;
}

std::string base64url(const uint8_t* data, size_t len) {
  std::string out;
  out.reserve((len * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    const uint32_t x = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int sh = 18; sh >= 0; sh -= 6) out.push_back(kB64Url[(x >> sh) & 63]);
  }
  if (len - i == 1) {
    const uint32_t x = uint32_t{data[i]} << 16;
    out.push_back(kB64Url[(x >> 18) & 63]);
    out.push_back(kB64Url[(x >> 12) & 63]);
  } else if (len - i == 2) {
    const uint32_t x = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(kB64Url[(x >> 18) & 63]);
    out.push_back(kB64Url[(x >> 12) & 63]);
    out.push_back(kB64Url[(x >> 6) & 63]);
  }
  return out;
}

std::vector<uint8_t> base64url_decode(const std::string& s) {
  std::vector<uint8_t> out;
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : s) {
    const char* at = std::char_traits<char>::find(kB64Url, 64, c);
    if (!at) die("not base64url");
    acc = (acc << 6) | static_cast<uint32_t>(at - kB64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return out;
}

std::string public_jwk(const TestKey& k, const std::string& kid) {
  std::string jwk = "{\"use\":\"sig\",\"kid\":\"" + kid + "\"";
  if (!k.pkey) {
    jwk += ",\"kty\":\"oct\",\"k\":\"" + base64url(k.secret.data(), k.secret.size()) + "\"";
  } else if (EVP_PKEY_is_a(k.pkey, "RSA")) {
    jwk += ",\"kty\":\"RSA\",\"n\":\"" + get_bn_b64(k.pkey, OSSL_PKEY_PARAM_RSA_N) +
           "\",\"e\":\"" + get_bn_b64(k.pkey, OSSL_PKEY_PARAM_RSA_E) + "\"";
  } else if (EVP_PKEY_is_a(k.pkey, "EC")) {
    jwk += ",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" +
           get_bn_b64(k.pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32) + "\",\"y\":\"" +
           get_bn_b64(k.pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32) + "\"";
  } else {
    uint8_t x[32];
    size_t x_len = sizeof x;
    if (EVP_PKEY_get_raw_public_key(k.pkey, x, &x_len) != 1) die("raw public key");
    jwk += ",\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + base64url(x, x_len) + "\"";
  }
  return jwk + "}";
}

std::string public_pem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (!bio || PEM_write_bio_PUBKEY(bio, pkey) != 1) die("PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(len));
  BIO_free(bio);
  return out;
}

}  // namespace bench
