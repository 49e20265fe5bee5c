// Format detection and the APIM inline key forms (<key n= e=>, <key>base64</key>).
#include "keys/key_parsers.h"

#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include "core/ascii.h"
#include "encoding/json_alloc.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "keys/key_parsers_internal.h"
#include "keys/key_text.h"

namespace jwtgate {

namespace {

std::string_view trim_left(std::string_view s) {
  // A UTF-8 byte order mark is what Windows editors put before JSON or PEM.
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  return s;
}

}  // namespace

bool add_key(bool built, Key& key, std::string origin, const std::string& why,
             std::vector<Key>& out, Diagnostics& diag) {
  if (!built) {
    diag.error(origin + ": " + why);
    return false;
  }
  key.origin = std::move(origin);
  out.push_back(std::move(key));
  return true;
}

bool add_public_key(EVP_PKEY* pkey, std::string origin, std::string& why, std::vector<Key>& out,
                    Diagnostics& diag) {
  Key key;
  const bool built = pkey != nullptr && make_asymmetric_key(pkey, key, &why);
  return add_key(built, key, std::move(origin), why, out, diag);
}

std::string base64url_problem(std::string_view name, std::string_view value) {
  const std::string what = "\"" + std::string(name) + "\" is not base64url";
  for (char c : value) {
    if (c == '+' || c == '/' || c == '=')
      return what + ": it contains '" + std::string(1, c) +
             "', so it looks like standard base64; JWK and APIM n/e values are base64url without "
             "padding (RFC 4648 5, RFC 7515 2): use '-' for '+', '_' for '/', and drop '='";
    if (is_ascii_space(c)) return what + ": it contains whitespace";
  }
  return what + " (RFC 4648 5: only A-Z a-z 0-9 - _, no padding, no stray bits)";
}

bool parse_keys_auto(std::string_view data, std::vector<Key>& out, Diagnostics& diag) {
  const std::string_view text = trim_left(data);
  if (!text.empty() && text.front() == '{') {
    // JWKS and JWK are both JSON objects; "keys" (RFC 7517 5.1) or "kty"
    // (RFC 7517 4.1) tells them apart.
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    simdjson::dom::object o;
    if (json_parse_error(parser.parse(text.data(), text.size(), true).get(root)) || root.get_object().get(o)) {
      diag.error("the key data starts with '{' but is not a valid JSON object");
      return false;
    }
    simdjson::dom::element ignored;
    if (!o["keys"].get(ignored)) return parse_jwks(text, out, diag);
    if (!o["kty"].get(ignored)) return parse_jwk(text, out, diag);
    diag.error("the JSON object is neither a JWK Set (no \"keys\") nor a JWK (no \"kty\")");
    return false;
  }
  if (data.find("-----BEGIN") != std::string_view::npos) return parse_pem(data, out, diag);
  if (!data.empty() && static_cast<unsigned char>(data.front()) == 0x30) {
    // A DER SEQUENCE: an X.509 certificate or a SubjectPublicKeyInfo. Probe
    // which structure it is first, so that the message comes from the parser
    // that understood the data (e.g. "X25519 keys are for key agreement")
    // rather than from the one that did not.
    const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
    std::string why;
    if (EVP_PKEY* probe = certificate_public_key(bytes, data.size(), nullptr, &why)) {
      EVP_PKEY_free(probe);
      return parse_der_certificate(data, out, diag);
    }
    if (EVP_PKEY* probe = spki_public_key(bytes, data.size(), &why)) {
      EVP_PKEY_free(probe);
      return parse_der_spki(data, out, diag);
    }
    diag.error("the binary key data is neither a DER X.509 certificate nor a DER SubjectPublicKeyInfo");
    return false;
  }
  diag.error("unrecognised key data: expected a JWK Set, a JWK, PEM (\"-----BEGIN ...\") or DER");
  return false;
}

bool parse_rsa_components(std::string_view n_b64url, std::string_view e_b64url, std::vector<Key>& out,
                          Diagnostics& diag) {
  // APIM documents n and e as base64url; many users paste standard base64
  // (from a certificate tool). Decoding it anyway would make the same key
  // have several spellings, so it is refused with a message that says what
  // to change.
  const auto decode = [&diag](std::string_view value, const char* name, const char* what,
                              std::vector<uint8_t>& bytes) {
    if (value.empty()) {
      diag.error(std::string("RSA key: the ") + what + " " + name + " is empty");
      return false;
    }
    if (!base64url_decode(value, bytes)) {
      diag.error(std::string("RSA key: ") + what + " " + base64url_problem(name, value));
      return false;
    }
    return true;
  };
  std::vector<uint8_t> n, e;
  const bool n_ok = decode(n_b64url, "n", "modulus", n);
  const bool e_ok = decode(e_b64url, "e", "exponent", e);  // both problems are reported
  if (!n_ok || !e_ok) return false;
  Key key;
  std::string why;
  const bool built = make_rsa_public_key(n.data(), n.size(), e.data(), e.size(), key, &why);
  return add_key(built, key, "RSA key (n, e)", why, out, diag);
}

bool parse_symmetric_base64(std::string_view b64, std::vector<Key>& out, Diagnostics& diag) {
  // Public key or certificate text is refused before anything else, with
  // the reason: pasted as is (a PEM file is not base64) or base64-encoded
  // (a certificate's base64, a PEM file encoded once more), it is a
  // "secret" everyone has (keys/key_text.h).
  if (const KeyTextMatch text = find_key_text(b64)) {
    diag.error("symmetric key: " + key_text_refusal(text));
    return false;
  }
  std::vector<uint8_t> secret;
  // APIM's <key> holds standard base64 (RFC 4648 4); whitespace from XML
  // formatting is ignored, anything else must be exact.
  if (!base64_decode(b64, secret, /*ignore_whitespace=*/true)) {
    std::string hint;
    for (char c : b64) {
      if (c == '-' || c == '_') {
        hint = ": it contains '" + std::string(1, c) +
               "', so it looks like base64url; a symmetric <key> is standard base64 with '+', '/' and "
               "'=' padding (RFC 4648 4)";
        break;
      }
    }
    if (hint.empty()) hint = " (RFC 4648 4: A-Z a-z 0-9 + /, padded with '=' to a multiple of 4)";
    diag.error("symmetric key: not valid base64" + hint);
    return false;
  }
  if (secret.empty()) {
    diag.error("symmetric key: the key is empty");
    return false;
  }
  Key key;
  const bool made = make_secret_key(secret.data(), secret.size(), key);
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!made) {
    diag.error("symmetric key: the secret could not be loaded");
    return false;
  }
  key.origin = "symmetric key (base64)";
  out.push_back(std::move(key));
  return true;
}

}  // namespace jwtgate
