// Format detection, key maps, and the APIM inline key forms (<key n= e=>,
// <key>base64</key>).
#include "keys/key_parsers.h"

#include <algorithm>
#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include "core/ascii.h"
#include "core/quote.h"
#include "encoding/json_alloc.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "encoding/json_members.h"
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

// parse_object parses |text| with |parser| into |o|, which lives as long as
// the parser's document; false if it is not a JSON object. Running out of
// memory throws std::bad_alloc instead (json_alloc.h).
bool parse_object(simdjson::dom::parser& parser, std::string_view text, simdjson::dom::object& o) {
  simdjson::dom::element root;
  return !json_parse_error(parser.parse(text.data(), text.size(), true).get(root)) &&
         !root.get_object().get(o);
}

// Whether a JSON object is a key map: no "keys" (a JWK Set) and no "kty" (a
// JWK), every value a string, and PEM among them.
bool looks_like_key_map(simdjson::dom::object o) {
  simdjson::dom::element ignored;
  if (!o["keys"].get(ignored) || !o["kty"].get(ignored)) return false;
  bool pem = false;
  for (auto field : o) {
    std::string_view v;
    if (field.value.get_string().get(v)) return false;
    pem = pem || v.find("-----BEGIN") != std::string_view::npos;
  }
  return pem;
}

}  // namespace

bool parse_pem_map(std::string_view json, std::vector<Key>& out, Diagnostics& diag) {
  const std::string_view text = trim_left(json);
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (!parse_object(parser, text, o)) {
    diag.error("key map: not a JSON object of key ids and PEM certificates");
    return false;
  }
  // Member names must be unique (RFC 8259 4 leaves duplicates' meaning open,
  // and two readers that pick different ones trust different keys).
  if (std::string_view dup; json_object_repeats_member(o, &dup)) {
    diag.error("key map: key id " + quoted(dup, 64) + " is given twice");
    return false;
  }
  std::vector<Key> loaded;
  for (auto field : o) {
    const std::string label = "key map entry " + quoted(field.key, 64);
    std::string_view pem;
    if (field.key.empty() || field.value.get_string().get(pem)) {
      diag.warn(label + " skipped: " +
                (field.key.empty() ? "the key id is empty" : "its value is not a PEM string"));
      continue;
    }
    std::vector<Key> got;
    Diagnostics entry;
    const bool ok = parse_pem(pem, got, entry);
    if (!ok || got.size() != 1) {
      std::string why = got.size() > 1 ? "it holds " + std::to_string(got.size()) + " keys; one key id names one key"
                                       : "no usable key";
      for (const auto& d : entry.items())
        if (!d.warning) {
          why = d.message;
          break;
        }
      diag.warn(label + " skipped: " + why);
      continue;
    }
    Key& k = got.front();
    k.kid = std::string(field.key);
    k.has_kid = true;
    k.kid_bound = true;  // published with its key, as a JWK's kid
    k.origin = label;
    loaded.push_back(std::move(k));
  }
  if (loaded.empty()) {
    diag.error("key map: no usable key (every entry was skipped)");
    return false;
  }
  for (Key& k : loaded) out.push_back(std::move(k));
  return true;
}

bool parse_published_key_set(std::string_view json, std::vector<Key>& out, Diagnostics& diag) {
  const std::string_view text = trim_left(json);
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parse_object(parser, text, o) && looks_like_key_map(o))
    return parse_pem_map(text, out, diag);
  return parse_published_jwks(json, out, diag);
}

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
    simdjson::dom::object o;
    if (!parse_object(parser, text, o)) {
      diag.error("the key data starts with '{' but is not a valid JSON object");
      return false;
    }
    simdjson::dom::element ignored;
    if (!o["keys"].get(ignored)) return parse_jwks(text, out, diag);
    if (!o["kty"].get(ignored)) return parse_jwk(text, out, diag);
    if (looks_like_key_map(o)) return parse_pem_map(text, out, diag);
    diag.error("the JSON object is neither a JWK Set (no \"keys\"), a JWK (no \"kty\") nor a key map "
               "(key ids mapped to PEM certificates)");
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
