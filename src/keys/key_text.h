// Key text offered as an HMAC secret: is it really a public key, a
// certificate or a JWK?
//
// An HMAC "secret" that is public key text is no secret: whoever has the
// public key (anyone) can sign tokens with it. This is the algorithm
// confusion class of CVE-2022-29217 (PyJWT) and CVE-2016-10555 and friends:
// a verifier handed a PEM public key as the key for an HS256 token checks
// the MAC with the PEM text as the secret. Every path that turns bytes into
// an HMAC key (APIM <key>, JWTGATE_KEY_SYMMETRIC_BASE64, a JWK "oct" key's
// "k", the Python KeySet.from_secret and compat layer) asks find_key_text
// first and refuses what it recognises. docs/keys-and-network.md states the
// rule for users.
#pragma once

#include <string>
#include <string_view>

namespace jwtgate {

struct KeyTextMatch {
  // A static phrase naming the form, e.g. "a PEM block", or nullptr when
  // the bytes hold no key or certificate form.
  const char* form = nullptr;
  // What was seen, escaped (core/quote.h) and at most about 64 characters:
  // "-----BEGIN PUBLIC KEY-----", "ssh-ed25519 AAAA...".
  std::string evidence;
  // How many base64 encodings wrapped it (0: the bytes themselves).
  int base64_layers = 0;
  bool utf16 = false;  // found after narrowing UTF-16 text

  explicit operator bool() const { return form != nullptr; }
};

// find_key_text reports the first key or certificate form found in |data|:
//
//  * a PEM (RFC 7468) BEGIN or END line of any label, anywhere: "-----BEGIN "
//    after a UTF-8 BOM, an OpenSSL "Bag Attributes" preamble, comments or
//    other text all count; "BEGIN"/"END" in any case;
//  * an RFC 4716 SSH public key line ("---- BEGIN SSH2 PUBLIC KEY ----");
//  * an OpenSSH public key: a key type that starts with "ssh-",
//    "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-" or "x509v3-" (so
//    "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256",
//    "sk-ssh-ed25519@openssh.com", "ssh-rsa-cert-v01@openssh.com", ...) as
//    a whole word (at the start of the text or after a character that is
//    not a letter, digit or one of + / = @ . _ -), then blanks, then the
//    base64 key blob, which always starts "AAAA" (RFC 4253 6.6: a uint32
//    length < 2^24 comes first). "ssh-rsa" inside a base64url secret, or
//    "my-ssh-rsa-secret", is therefore not a key;
//  * a DER X.509 certificate, SubjectPublicKeyInfo (any algorithm) or
//    PKCS#1 RSAPublicKey that is exactly the bytes, or an SSH public key
//    blob (RFC 4253 6.6);
//  * JSON text that starts with '{' or '[' (after a BOM and whitespace) and
//    has a "kty" member: a JWK or JWK Set;
//  * any of the above base64- or base64url-encoded (whitespace ignored,
//    padding optional), up to two encodings deep;
//  * any of the text forms in UTF-16 (a BOM, or NUL bytes between ASCII
//    characters), as Windows editors save "Unicode" text.
//
// A random or passphrase secret never matches by accident: each rule needs
// structure (a PEM dash line, a key type followed by "AAAA", a DER structure
// that parses exactly, a JSON "kty" member).
KeyTextMatch find_key_text(std::string_view data);

// key_text_refusal is the load error for a match: what it looks like and
// why it is refused, naming CVE-2022-29217.
std::string key_text_refusal(const KeyTextMatch& m);

}  // namespace jwtgate
