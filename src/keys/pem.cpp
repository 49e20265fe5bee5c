// PEM (RFC 7468) and DER public keys and X.509 certificates.
//
// Certificates are NOT chain-validated, and their validity dates are not
// enforced: a certificate here is only a container for a public key that the
// operator chose to trust by putting it in the policy or key set, exactly as
// APIM's <key certificate-id="..."> trusts the uploaded certificate's key.
// There is no trust anchor to build a chain to, and expiring a pinned key is
// the operator's decision (rotate the key), not the token validator's.
#include <memory>
#include <string>
#include <vector>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "core/quote.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "keys/key_parsers.h"
#include "keys/key_parsers_internal.h"

namespace jwtgate {

namespace {

struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };

std::string subject_text(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0)
    return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? escaped(std::string_view(data, static_cast<size_t>(len)), 64) : std::string();
}

// whole_der returns |pkey|, which a d2i_ function read from |der| (|len|
// bytes) stopping at |end|, if that was all of |der|; else nullptr, with
// why in *why. Trailing bytes mean the input is not what it claims to be;
// a strict parser does not guess which part was meant.
EVP_PKEY* whole_der(EVP_PKEY* pkey, const unsigned char* end, const uint8_t* der, size_t len,
                    const char* structure, const char* reference, std::string* why) {
  if (pkey == nullptr) {
    *why = std::string("not a DER ") + structure + reference;
  } else if (end != der + len) {
    EVP_PKEY_free(pkey);
    pkey = nullptr;
    *why = std::string("trailing bytes after the ") + structure;
  }
  ERR_clear_error();
  return pkey;
}

// RSAPublicKey (RFC 8017 A.1.1), the "RSA PUBLIC KEY" block.
EVP_PKEY* pkcs1_public_key(const uint8_t* der, size_t len, std::string* why) {
  const unsigned char* p = der;
  EVP_PKEY* pkey = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(len));
  return whole_der(pkey, p, der, len, "RSAPublicKey", " (RFC 8017 A.1.1)", why);
}

// load_der turns one decoded block into a Key; |origin| names it in messages.
bool load_der(std::string_view label, const std::vector<uint8_t>& der, std::string origin,
              std::vector<Key>& keys, Diagnostics& diag) {
  std::string why;
  std::string subject;
  EVP_PKEY* pkey = nullptr;
  if (label == "PUBLIC KEY") {
    pkey = spki_public_key(der.data(), der.size(), &why);
  } else if (label == "RSA PUBLIC KEY") {
    pkey = pkcs1_public_key(der.data(), der.size(), &why);
  } else {
    pkey = certificate_public_key(der.data(), der.size(), &subject, &why);
    if (!subject.empty()) origin += " (" + subject + ")";
  }
  return add_public_key(pkey, std::move(origin), why, keys, diag);
}

}  // namespace

// SubjectPublicKeyInfo (RFC 5280 4.1.2.7), the "PUBLIC KEY" block.
EVP_PKEY* spki_public_key(const uint8_t* der, size_t len, std::string* why) {
  const unsigned char* p = der;
  EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, static_cast<long>(len));
  return whole_der(pkey, p, der, len, "SubjectPublicKeyInfo", "", why);
}

EVP_PKEY* certificate_public_key(const uint8_t* der, size_t len, std::string* subject,
                                 std::string* why) {
  const unsigned char* p = der;
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(len)));
  EVP_PKEY* pkey = nullptr;
  if (!cert) {
    *why = "not a DER X.509 certificate";
  } else if (p != der + len) {
    *why = "trailing bytes after the X.509 certificate";
  } else {
    if (subject) *subject = subject_text(cert.get());
    pkey = X509_get_pubkey(cert.get());  // a new reference, outlives the certificate
    if (pkey == nullptr) *why = "the certificate's public key could not be read";
  }
  ERR_clear_error();
  return pkey;
}

bool parse_pem(std::string_view text, std::vector<Key>& out, Diagnostics& diag) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kDashes = "-----";
  std::vector<Key> keys;
  bool ok = true;
  size_t blocks = 0;
  size_t pos = 0;
  // RFC 7468 2: text outside the encapsulation boundaries is ignored (tools
  // put "Bag Attributes" or comments there); every block inside counts.
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    ++blocks;
    const std::string block_name = "PEM block #" + std::to_string(blocks);
    const size_t label_start = pos + kBegin.size();
    const size_t label_end = text.find(kDashes, label_start);
    const size_t line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || (line_end != std::string_view::npos && line_end < label_end)) {
      diag.error(block_name + ": the BEGIN line is not closed by \"-----\"");
      ok = false;
      break;
    }
    const std::string_view label = text.substr(label_start, label_end - label_start);
    const std::string end_line = "-----END " + std::string(label) + "-----";
    const size_t body_start = label_end + kDashes.size();
    const size_t body_end = text.find(end_line, body_start);
    if (body_end == std::string_view::npos) {
      diag.error(block_name + " (" + escaped(label, 64) + "): no matching " + quoted(end_line, 64) + " line");
      ok = false;
      break;
    }
    const std::string_view body = text.substr(body_start, body_end - body_start);
    pos = body_end + end_line.size();
    const std::string origin = block_name + " (" + escaped(label, 64) + ")";

    if (label.ends_with("PRIVATE KEY")) {
      // Covers PRIVATE KEY, RSA/EC PRIVATE KEY, ENCRYPTED PRIVATE KEY,
      // OPENSSH PRIVATE KEY. Whoever holds the private key can mint tokens; a
      // validator must never be given one, and accepting it "for its public
      // half" would make pasting private keys into policies normal.
      diag.error(origin + ": a private key was given; a token verifier must hold only public keys "
                          "(extract the public key, e.g. openssl pkey -pubout)");
      ok = false;
      continue;
    }
    if (label != "PUBLIC KEY" && label != "RSA PUBLIC KEY" && label != "CERTIFICATE") {
      diag.error(origin + ": unsupported PEM block; expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE");
      ok = false;
      continue;
    }
    // RFC 1421-style headers (Proc-Type, DEK-Info) mark encrypted legacy
    // blocks; public keys and certificates never have them (RFC 7468 2).
    if (body.find(':') != std::string_view::npos) {
      diag.error(origin + ": the block has headers (RFC 1421 encryption); public keys and "
                          "certificates have none");
      ok = false;
      continue;
    }
    std::vector<uint8_t> der;
    if (!base64_decode(body, der, /*ignore_whitespace=*/true) || der.empty()) {
      diag.error(origin + ": the body is not valid base64 (RFC 7468 3)");
      ok = false;
      continue;
    }
    if (!load_der(label, der, origin, keys, diag)) ok = false;
  }
  if (blocks == 0) {
    diag.error("no PEM block (\"-----BEGIN ...-----\") found");
    return false;
  }
  if (!ok) return false;
  for (auto& k : keys) out.push_back(std::move(k));
  return true;
}

bool parse_der_spki(std::string_view der, std::vector<Key>& out, Diagnostics& diag) {
  std::string why;
  EVP_PKEY* pkey = spki_public_key(reinterpret_cast<const uint8_t*>(der.data()), der.size(), &why);
  return add_public_key(pkey, "DER public key", why, out, diag);
}

bool parse_der_certificate(std::string_view der, std::vector<Key>& out, Diagnostics& diag) {
  std::string why;
  std::string subject;
  EVP_PKEY* pkey = certificate_public_key(reinterpret_cast<const uint8_t*>(der.data()), der.size(),
                                          &subject, &why);
  std::string origin = "DER certificate";
  if (!subject.empty()) origin += " (" + subject + ")";
  return add_public_key(pkey, std::move(origin), why, out, diag);
}

}  // namespace jwtgate
