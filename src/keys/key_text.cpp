// Recognising key and certificate text offered as an HMAC secret (see
// key_text.h for the rules and why).
#include "keys/key_text.h"

#include <cstdint>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/ascii.h"
#include "core/quote.h"
#include "encoding/base64url.h"
#include "keys/key_parsers_internal.h"

namespace jwtgate {

namespace {

// Base64 inside base64 is how a PEM file ends up in a base64 <key> or a
// JWK "k"; more layers than this are not a paste.
constexpr int kMaxBase64Layers = 2;
// Bytes beyond this are not key text a detector needs to decode (a JWK Set
// is the largest form; the key loaders cap files at 1 MiB).
constexpr size_t kMaxDecoded = 1024 * 1024;

constexpr const char* kPem = "a PEM block";
constexpr const char* kRfc4716 = "an RFC 4716 SSH key block";
constexpr const char* kOpenSsh = "an OpenSSH public key";
constexpr const char* kSshBlob = "an SSH public key blob (RFC 4253 6.6)";
constexpr const char* kDerCert = "a DER X.509 certificate";
constexpr const char* kDerSpki = "a DER SubjectPublicKeyInfo";
constexpr const char* kDerPkcs1 = "a DER PKCS#1 RSAPublicKey";
constexpr const char* kJwk = "a JWK or JWK Set";

// The OpenSSH key type families (RFC 4253 6.6, RFC 5656 6.1, RFC 6187 3,
// OpenSSH PROTOCOL.certkeys and PROTOCOL.u2f).
constexpr std::string_view kSshTypePrefixes[] = {"ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-",
                                                 "x509v3-"};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// Characters of an SSH key type name, and so of the word around one: a
// base64url secret is made of these too, which is why "ssh-rsa" inside one
// is not at a word boundary.
bool is_type_char(char c) { return is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == '@'; }

std::string quoted_line(std::string_view s, size_t start) {
  size_t end = s.find_first_of("\r\n", start);
  if (end == std::string_view::npos) end = s.size();
  return quoted(s.substr(start, end - start), 64);
}

// A PEM encapsulation boundary (RFC 7468 2: "-----BEGIN label-----") or
// the RFC 4716 one ("---- BEGIN SSH2 PUBLIC KEY ----"), BEGIN or END,
// anywhere: what precedes it (a BOM, OpenSSL's "Bag Attributes", comments)
// does not make it a secret.
bool find_pem_boundary(std::string_view s, KeyTextMatch& m) {
  for (size_t i = 5; i < s.size(); ++i) {
    const char c = ascii_lower(s[i]);
    if (c != 'b' && c != 'e') continue;
    const std::string_view at = s.substr(i);
    if (!ascii_istarts_with(at, "begin") && !ascii_istarts_with(at, "end")) continue;
    const std::string_view before = s.substr(i - 5, 5);
    if (before == "-----") m.form = kPem;
    else if (before == "---- ") m.form = kRfc4716;
    else continue;
    m.evidence = quoted_line(s, i - 5);
    return true;
  }
  return false;
}

// An OpenSSH public key line ("[options] type AAAA... [comment]"), the key
// type as a whole word followed by blanks and the blob's "AAAA".
bool find_openssh_key(std::string_view s, KeyTextMatch& m) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != 's' && s[i] != 'e' && s[i] != 'x') continue;
    if (i > 0 && is_type_char(s[i - 1])) continue;
    bool family = false;
    for (std::string_view p : kSshTypePrefixes) family = family || s.substr(i, p.size()) == p;
    if (!family) continue;
    size_t j = i;
    while (j < s.size() && is_type_char(s[j])) ++j;
    size_t k = j;
    while (k < s.size() && is_blank(s[k])) ++k;
    if (k == j || s.substr(k, 4) != "AAAA") continue;
    size_t blob_end = k;
    while (blob_end < s.size() && blob_end - k < 12 && !is_ascii_space(s[blob_end])) ++blob_end;
    m.form = kOpenSsh;
    m.evidence = "\"" + escaped(s.substr(i, j - i), 64, '"') + " " + escaped(s.substr(k, blob_end - k), 64, '"') + "...\"";
    return true;
  }
  return false;
}

// JSON that starts like a JWK or JWK Set and names a "kty" (RFC 7517 4.1).
bool find_jwk(std::string_view s, KeyTextMatch& m) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  if (s.empty() || (s.front() != '{' && s.front() != '[')) return false;
  const size_t at = s.find("\"kty\"");
  if (at == std::string_view::npos) return false;
  size_t end = s.find_first_of(",}", at);
  if (end == std::string_view::npos) end = s.size();
  m.form = kJwk;
  m.evidence = "with " + escaped(s.substr(at, end - at), 64);
  return true;
}

// DER that is exactly one certificate, SubjectPublicKeyInfo or PKCS#1
// RSAPublicKey. The structures are parsed, not the keys: an algorithm
// jwtgate does not verify with is still a public key.
bool find_der(std::string_view s, KeyTextMatch& m) {
  if (s.size() < 2 || static_cast<unsigned char>(s[0]) != 0x30 || s.size() > kMaxDecoded) return false;
  const auto* der = reinterpret_cast<const unsigned char*>(s.data());
  const long len = static_cast<long>(s.size());
  const unsigned char* p = der;
  if (X509* cert = d2i_X509(nullptr, &p, len)) {
    X509_free(cert);
    if (p == der + len) m.form = kDerCert;
  }
  if (!m.form) {
    p = der;
    if (X509_PUBKEY* spki = d2i_X509_PUBKEY(nullptr, &p, len)) {
      X509_PUBKEY_free(spki);
      if (p == der + len) m.form = kDerSpki;
    }
  }
  if (!m.form) {
    p = der;
    if (EVP_PKEY* rsa = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, len)) {
      EVP_PKEY_free(rsa);
      if (p == der + len) m.form = kDerPkcs1;
    }
  }
  ERR_clear_error();
  return m.form != nullptr;
}

// The binary SSH public key (RFC 4253 6.6): string key-type, then the key.
bool find_ssh_blob(std::string_view s, KeyTextMatch& m) {
  if (s.size() < 4 + 7 + 4) return false;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const uint32_t n = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
  if (n < 7 || n > 64 || 4 + n + 4 > s.size()) return false;
  const std::string_view type = s.substr(4, n);
  for (char c : type)
    if (!is_type_char(c)) return false;
  for (std::string_view p : kSshTypePrefixes) {
    if (type.substr(0, p.size()) == p) {
      m.form = kSshBlob;
      m.evidence = "of type " + quoted(type, 64);
      return true;
    }
  }
  return false;
}

bool find_text_forms(std::string_view s, KeyTextMatch& m) {
  return find_pem_boundary(s, m) || find_openssh_key(s, m) || find_jwk(s, m);
}

// UTF-16 text (a BOM, or ASCII with NUL high bytes) narrowed to ASCII; code
// units above 0x7f become '?'. False if |s| does not look like UTF-16.
bool narrow_utf16(std::string_view s, std::string& out) {
  size_t i = 0;
  bool little = true;
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  if (s.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) {
    i = 2;
  } else if (s.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) {
    i = 2;
    little = false;
  } else if (s.size() >= 4 && at(0) != 0 && at(1) == 0 && at(2) != 0 && at(3) == 0) {
  } else if (s.size() >= 4 && at(0) == 0 && at(1) != 0 && at(2) == 0 && at(3) != 0) {
    little = false;
  } else {
    return false;
  }
  out.reserve((s.size() - i) / 2);
  for (; i + 1 < s.size(); i += 2) {
    const unsigned char lo = little ? at(i) : at(i + 1);
    const unsigned char hi = little ? at(i + 1) : at(i);
    out.push_back(hi == 0 && lo < 0x80 ? static_cast<char>(lo) : '?');
  }
  return true;
}

// Lenient base64 or base64url (one alphabet, a leading UTF-8 BOM and
// whitespace anywhere, padding optional): how a DER key or a PEM file looks
// once someone encoded it.
bool decode_base64_text(std::string_view s, std::vector<uint8_t>& out) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  std::string compact;
  compact.reserve(s.size());
  bool standard = false, url = false;
  size_t padding = 0;
  for (char c : s) {
    if (is_ascii_space(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return false;  // '=' only at the end
    if (c == '+' || c == '/') standard = true;
    else if (c == '-' || c == '_') url = true;
    else if (!is_ascii_alnum(c)) return false;
    compact.push_back(c);
  }
  if ((standard && url) || padding > 2 || compact.size() < 8 || compact.size() % 4 == 1) return false;
  bool ok;
  if (url) {
    ok = base64url_decode(compact, out);
  } else {
    compact.append((4 - compact.size() % 4) % 4, '=');
    ok = base64_decode(compact, out);
  }
  OPENSSL_cleanse(compact.data(), compact.size());
  return ok;
}

KeyTextMatch find_at_layer(std::string_view data, int layer) {
  KeyTextMatch m;
  if (find_text_forms(data, m) || find_der(data, m) || find_ssh_blob(data, m)) {
    m.base64_layers = layer;
    return m;
  }
  std::string narrowed;
  if (narrow_utf16(data, narrowed) && find_text_forms(narrowed, m)) {
    m.utf16 = true;
    m.base64_layers = layer;
    return m;
  }
  if (layer < kMaxBase64Layers && data.size() <= kMaxDecoded * 2) {
    std::vector<uint8_t> decoded;
    if (decode_base64_text(data, decoded)) {
      m = find_at_layer(std::string_view(reinterpret_cast<const char*>(decoded.data()), decoded.size()),
                        layer + 1);
    }
    // It may be the secret itself: leave no copy behind.
    OPENSSL_cleanse(decoded.data(), decoded.size());
  }
  return m;
}

}  // namespace

KeyTextMatch find_key_text(std::string_view data) { return find_at_layer(data, 0); }

std::string key_text_refusal(const KeyTextMatch& m) {
  std::string what = m.form ? m.form : "key text";
  if (!m.evidence.empty()) what += " " + m.evidence;
  if (m.utf16) what += ", as UTF-16";
  if (m.base64_layers == 1) what += ", base64-encoded";
  if (m.base64_layers > 1) what += ", base64-encoded " + std::to_string(m.base64_layers) + " times";
  std::string msg = "this looks like a public key or certificate (" + what +
                    "), not an HMAC secret; an HMAC secret must not be public key text, which anyone "
                    "can read and sign with: see CVE-2022-29217";
  if (m.form == kJwk) msg += " (load a JWK as a JWK, not as a secret)";
  return msg;
}

}  // namespace jwtgate
