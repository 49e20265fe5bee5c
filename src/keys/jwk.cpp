// JSON Web Keys and JWK Sets (RFC 7517; key types from RFC 7518 6 and
// RFC 8037 2).
//
// Decisions, with their reasons:
//
// * One bad key does not take down a JWK Set: a key we cannot use is
//   SKIPPED with a warning that names it (its index, its kid, why), and the
//   rest of the set loads. That covers keys we do not understand (an unknown
//   "kty": RFC 7517 5, "implementations SHOULD ignore JWKs within a JWK Set
//   that use "kty" values that are not understood by them"; an unknown or
//   non-signature curve such as brainpoolP256r1, X25519, X448; a "use" other than
//   "sig": an encryption key never verifies a JWS) and MALFORMED keys of a
//   type we do understand (a bad base64url modulus, a point off its curve,
//   a coordinate of the wrong length, a missing "crv", an x5c that disagrees
//   with n/e, a member of the wrong JSON type or given twice). Published
//   sets change without notice, and Microsoft.IdentityModel and Envoy's
//   jwt_verify_lib skip such a key too; refusing the whole set would lock
//   out every token of the good keys. A skipped key is never used, so
//   skipping loses no security: what is trusted is exactly the keys that
//   parsed. A set is REFUSED only when no usable key remains (an empty set
//   included): a validator with nothing to verify with is a configuration
//   error, said at load.
// * A set that mixes symmetric secrets with public keys is refused whole
//   (Wycheproof MixedKeySet): that is how symmetric/asymmetric confusion
//   attacks are staged, and no correct issuer publishes it. A set published
//   by an identity provider (parse_published_jwks: fetched, or an offline
//   copy) may hold no "oct" key at all.
// * Duplicate "kid"s within a set are KEPT, all of them, with a warning; the
//   validator tries every key whose kid matches the token's. A set may
//   legitimately list one kid twice (the same key once per alg, or
//   overlapping entries during a rotation); refusing the set would lock every
//   token out, while keeping the keys loses no security: the signature still
//   has to verify under a key the operator trusts. But a kid that a
//   skipped key also carries is ambiguous (the issuer may mean the key that
//   could not be read): the keys that loaded under it are skipped too
//   (Wycheproof json_web_key_test tcId 4, "rejectsDuplicateKid").
// * A JWK's "kid" binds the key to it (Key::kid_bound): the key verifies only
//   tokens that name that kid (docs/keys-and-network.md).
// * x5c: the key is taken from the leaf (first) certificate; if n/e (RSA) or
//   x/y (EC) or x (OKP) are also present they must be exactly the same key,
//   else the JWK is rejected (RFC 7517 4.7: "The key in the first
//   certificate MUST match the public key represented by other members of
//   the JWK"). The chain is not validated (see pem.cpp).
// * x5t / x5t#S256 (RFC 7517 4.8, 4.9) are hints: a thumbprint that is not
//   the x5c leaf's, or is malformed, is ignored with a warning and the key
//   loads (Key::x5t_mismatch), as Microsoft.IdentityModel and PyJWT ignore
//   it. Real sets carry such thumbprints (Auth0 publishes x5t as base64url
//   of the hex SHA-1), and the key itself is checked against x5c either way.
//   A policy that wants the thumbprint to hold says check-x5t: such keys are
//   then refused at verification (key_compatible).
// * Private members (d, p, q, dp, dq, qi, oth) are ignored with a warning:
//   the public part is what verification needs. "oct" keys are secret by
//   nature and accepted as such, except in a published set, and unless "k"
//   decodes to public key or certificate text (keys/key_text.h).
// * A single JWK (not in a set) that is malformed or has an unusable kty or
//   crv is an error: the caller asked for exactly this key. One with use
//   other than "sig" is loaded with a warning and refused at verification
//   (key_compatible).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <simdjson.h>

#include "encoding/json_alloc.h"
#include "core/quote.h"
#include "crypto/curve.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "encoding/json_members.h"
#include "keys/key_parsers.h"
#include "keys/key_parsers_internal.h"
#include "keys/key_text.h"
#include "encoding/json_dom.h"

namespace jwtgate {

namespace {

// Duplicate member names: RFC 7517 4: "member names ... MUST be unique";
// RFC 8259 4 leaves duplicates' meaning undefined, and two parsers that pick
// different duplicates see two different keys (encoding/json_members.h).
std::string duplicate_text(std::string_view name) {
  return "duplicate member " + quoted(name, 64) + " (RFC 7517 4: member names must be unique)";
}

// find_duplicate_outside_keys is json_find_duplicate_member for a JWK Set,
// less the elements of its "keys" array: a key that repeats a member is one
// bad key (JwkReader skips it), not a bad set.
bool find_duplicate_outside_keys(element root, std::string_view* name) {
  object o;
  if (root.get_object().get(o)) return json_find_duplicate_member(root, name);
  if (json_object_repeats_member(o, name)) return true;
  for (auto field : o)
    if (field.key != "keys" && json_find_duplicate_member(field.value, name)) return true;
  return false;
}

// parse_json parses |json| and refuses duplicate members (in a JWK Set, those
// outside its keys); |what| names the input in messages.
bool parse_json(simdjson::dom::parser& parser, std::string_view json, std::string_view what,
                element& root, Diagnostics& diag, bool is_set) {
  auto err = json_parse_error(parser.parse(json.data(), json.size(), /*realloc_if_needed=*/true).get(root));
  if (err) {
    diag.error(std::string(what) + ": not valid JSON (" + simdjson::error_message(err) + ")");
    return false;
  }
  std::string_view dup;
  if (is_set ? find_duplicate_outside_keys(root, &dup) : json_find_duplicate_member(root, &dup)) {
    diag.error(std::string(what) + ": " + duplicate_text(dup));
    return false;
  }
  return true;
}

enum class Outcome { Loaded, Skipped, Failed };

// Whatever OpenSSL queued while a key was refused must not surface in the
// host application's next, unrelated OpenSSL call.
struct ClearOpenSslErrors {
  ~ClearOpenSslErrors() { ERR_clear_error(); }
};

// JwkReader reads one JWK object into a Key, reporting under |label_|. In a
// set, a key that fails is skipped: its problem is a warning that names it.
class JwkReader {
 public:
  JwkReader(bool in_set, size_t index, Diagnostics& diag) : in_set_(in_set), diag_(diag) {
    label_ = in_set ? "JWKS key #" + std::to_string(index + 1) : "JWK";
  }

  Outcome read(element e, Key& out);
  // kty: the "kty" member as written ("" when absent or not a string),
  // whatever became of the key.
  std::string_view kty() const { return kty_; }
  // kid: the "kid" member as written, if it was a string ("" otherwise),
  // whatever became of the key.
  std::string_view kid() const { return kid_; }
  // label: "JWKS key #2 (kid \"x\")", as messages name the key.
  const std::string& label() const { return label_; }

 private:
  Outcome fail(const std::string& message) {
    if (in_set_) diag_.warn(label_ + " skipped: " + message);
    else diag_.error(label_ + ": " + message);
    return Outcome::Failed;
  }
  Outcome skip(const std::string& reason) {
    diag_.warn(label_ + " skipped: " + reason);
    return Outcome::Skipped;
  }
  // For a set, an unusable-but-well-formed key is skipped; a single JWK was
  // asked for explicitly, so it is an error.
  Outcome unusable(const std::string& reason) { return in_set_ ? skip(reason) : fail(reason); }

  // optional_string reads member |name|: absent (false, no error), a
  // string (true), anything else (false, *bad set).
  bool optional_string(object o, const char* name, std::string_view& value, bool& bad) {
    element v;
    if (o[name].get(v)) return false;
    if (v.get_string().get(value)) {
      fail(std::string("member \"") + name + "\" must be a string");
      bad = true;
      return false;
    }
    return true;
  }
  // decode reads base64url member |name|; absent gives false without error.
  bool decode(object o, const char* name, std::vector<uint8_t>& bytes, bool& present, bool& bad) {
    std::string_view text;
    present = optional_string(o, name, text, bad);
    if (!present) return false;
    if (!base64url_decode(text, bytes)) {
      fail(base64url_problem(name, text));
      bad = true;
      return false;
    }
    if (bytes.empty()) {
      fail(std::string("member \"") + name + "\" is empty");
      bad = true;
      return false;
    }
    return true;
  }
  // decode_pair reads two base64url members that come together (RSA n and
  // e, EC x and y); |present| says whether they are there. False if either
  // is malformed (|bad| is set) or only one of them is there.
  bool decode_pair(object o, const char* a, const char* b, std::vector<uint8_t>& a_bytes,
                   std::vector<uint8_t>& b_bytes, bool& present, bool& bad) {
    bool has_a = false, has_b = false;
    decode(o, a, a_bytes, has_a, bad);
    if (bad) return false;
    decode(o, b, b_bytes, has_b, bad);
    if (bad) return false;
    present = has_a;
    return has_a == has_b;
  }

  bool read_x5c(object o, std::string_view kty, int nid, std::optional<Key>& cert_key);

  bool in_set_;
  std::string thumbprint_problem_;  // set by read_x5c: why an x5t hint is ignored
  Diagnostics& diag_;
  std::string label_;
  std::string_view kty_;
  std::string_view kid_;
};

bool JwkReader::read_x5c(object o, std::string_view kty, int nid, std::optional<Key>& cert_key) {
  element v;
  if (o["x5c"].get(v)) return true;  // absent
  array chain;
  if (v.get_array().get(chain) || chain.size() == 0) {
    fail("member \"x5c\" must be a non-empty array of base64 certificates (RFC 7517 4.7)");
    return false;
  }
  std::vector<uint8_t> leaf_der;
  size_t i = 0;
  for (element item : chain) {
    std::string_view b64;
    std::vector<uint8_t> der;
    const std::string where = "x5c[" + std::to_string(i) + "]";
    if (item.get_string().get(b64)) {
      fail(where + " must be a string");
      return false;
    }
    // RFC 7517 4.7: standard base64 (not base64url) of the DER certificate.
    if (!base64_decode(b64, der) || der.empty()) {
      fail(where + " is not standard base64 (RFC 7517 4.7 uses base64 with padding, not base64url)");
      return false;
    }
    std::string why;
    EVP_PKEY* pkey = certificate_public_key(der.data(), der.size(), nullptr, &why);
    if (pkey == nullptr) {
      fail(where + ": " + why);
      return false;
    }
    if (i == 0) {
      Key k;
      if (!make_asymmetric_key(pkey, k, &why)) {
        fail("the key in the x5c leaf certificate: " + why);
        return false;
      }
      cert_key = std::move(k);
      leaf_der = std::move(der);
    } else {
      // Only well-formedness matters for the rest of the chain (it is not
      // validated); its keys may be of any type.
      EVP_PKEY_free(pkey);
    }
    ++i;
  }

  const KeyType want = kty == "RSA" ? KeyType::RSA : kty == "EC" ? KeyType::EC : KeyType::OKP;
  if (cert_key->type != want || (want != KeyType::RSA && cert_key->curve_nid != nid)) {
    fail("the x5c leaf certificate holds " + key_type_text(*cert_key) + ", not the kty/crv of this JWK");
    return false;
  }

  // RFC 7517 4.8 / 4.9: thumbprints of the leaf, base64url of SHA-1 / SHA-256.
  static constexpr struct { const char* member; const char* digest; } kThumbs[] = {
      {"x5t", "SHA1"}, {"x5t#S256", "SHA256"}};
  for (const auto& t : kThumbs) {
    element v;
    if (o[t.member].get(v)) continue;  // absent
    std::string_view given;
    if (v.get_string().get(given)) {
      thumbprint_problem_ = std::string("member \"") + t.member + "\" is not a string";
      continue;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_MD* alg = EVP_MD_fetch(nullptr, t.digest, nullptr);
    const bool ok = alg != nullptr && EVP_Digest(leaf_der.data(), leaf_der.size(), md, &md_len, alg, nullptr) == 1;
    EVP_MD_free(alg);
    if (!ok) {
      fail(std::string("the ") + t.digest + " thumbprint of the x5c leaf could not be computed");
      return false;
    }
    if (base64url_encode(md, md_len) != given)
      thumbprint_problem_ = std::string("member \"") + t.member + "\" is not the thumbprint of the x5c leaf certificate";
  }
  return true;
}

Outcome JwkReader::read(element e, Key& out) {
  object o;
  if (e.get_object().get(o)) return fail("not a JSON object");

  // The declared kty, before anything can fail: a published set refuses a
  // secret even when it is malformed.
  element kty_el;
  if (o["kty"].get(kty_el) || kty_el.get_string().get(kty_)) kty_ = {};

  bool bad = false;
  Key key;
  std::string_view kid;
  if (optional_string(o, "kid", kid, bad)) {
    kid_ = kid;
    key.kid = std::string(kid);
    key.has_kid = true;
    key.kid_bound = true;  // a published kid selects the key (docs/keys-and-network.md)
    label_ += " (kid " + quoted(kid, 64) + ")";
  }
  if (bad) return Outcome::Failed;
  key.origin = in_set_ ? label_ : "JWK";
  if (in_set_) {
    // A single JWK was checked whole by parse_json.
    std::string_view dup;
    if (json_find_duplicate_member(e, &dup)) return fail(duplicate_text(dup));
  }

  std::string_view kty;
  if (!optional_string(o, "kty", kty, bad)) return bad ? Outcome::Failed : fail("no \"kty\" member (RFC 7517 4.1)");
  if (kty != "RSA" && kty != "EC" && kty != "OKP" && kty != "oct")
    return unusable("kty " + quoted(kty, 64) + " is not a signature key type jwtgate supports "
                    "(RSA, EC, OKP, oct)");

  std::string_view use;
  if (optional_string(o, "use", use, bad)) {
    if (use.empty()) return fail("member \"use\" is empty");
    if (use != "sig") {
      const std::string reason = "use is " + quoted(use, 64) + "; only \"sig\" keys verify signatures (RFC 7517 4.2)";
      if (in_set_) return skip(reason);
      diag_.warn(label_ + ": " + reason + "; the key is loaded but will not verify tokens");
    }
    key.use = std::string(use);
  }
  if (bad) return Outcome::Failed;

  // The curve decides usability, so it is read before the rest.
  int nid = 0;
  if (kty == "EC" || kty == "OKP") {
    std::string_view crv;
    if (!optional_string(o, "crv", crv, bad))
      return bad ? Outcome::Failed : fail("no \"crv\" member (RFC 7518 6.2.1.1, RFC 8037 2)");
    const Curve* curve = find_curve(kty == "EC" ? KeyType::EC : KeyType::OKP, crv);
    if (kty == "EC") {
      // RFC 7518 6.2.1.1 names the NIST curves, RFC 8812 3.1 "secp256k1".
      if (curve == nullptr || !curve->signing)
        return unusable("EC curve " + quoted(crv, 64) +
                        " is not P-256, P-384, P-521 (RFC 7518 3.4) or secp256k1 (RFC 8812 3.1)");
    } else {
      // X448 is not in the curve table (jwtgate has no use for it) but gets
      // the same message as X25519.
      if ((curve != nullptr && !curve->signing) || crv == "X448")
        return unusable("OKP curve \"" + std::string(crv) + "\" is for key agreement, not signatures (RFC 8037 3.2)");
      if (curve == nullptr) return unusable("OKP curve " + quoted(crv, 64) + " is not Ed25519 or Ed448 (RFC 8037 2)");
    }
    nid = curve->nid;
  }

  std::string_view alg;
  if (optional_string(o, "alg", alg, bad)) {
    if (alg.empty()) return fail("member \"alg\" is empty");
    key.alg = std::string(alg);
  }
  std::string_view issuer;
  if (optional_string(o, "issuer", issuer, bad)) key.issuer = std::string(issuer);
  if (bad) return Outcome::Failed;

  element ops_el;
  if (!o["key_ops"].get(ops_el)) {
    array ops;
    if (ops_el.get_array().get(ops)) return fail("member \"key_ops\" must be an array of strings (RFC 7517 4.3)");
    std::vector<std::string_view> seen;
    for (element op_el : ops) {
      std::string_view op;
      if (op_el.get_string().get(op)) return fail("member \"key_ops\" must be an array of strings (RFC 7517 4.3)");
      // RFC 7517 4.3: "Duplicate key operation values MUST NOT be present".
      if (std::find(seen.begin(), seen.end(), op) != seen.end())
        return fail("key_ops lists " + quoted(op, 64) + " twice (RFC 7517 4.3)");
      seen.push_back(op);
      if (op == "verify") key.key_ops_verify = true;
    }
    key.has_key_ops = true;
  }

  if (kty == "oct") {
    element ignored;
    if (!o["x5c"].get(ignored)) return fail("an oct (symmetric) key cannot have an x5c certificate");
    std::vector<uint8_t> secret;
    bool present = false;
    const bool decoded = decode(o, "k", secret, present, bad);
    Outcome result = Outcome::Loaded;
    if (!decoded) {
      result = bad ? Outcome::Failed : fail("no \"k\" member (RFC 7518 6.4.1)");
    } else if (const KeyTextMatch text = find_key_text(std::string_view(
                   reinterpret_cast<const char*>(secret.data()), secret.size()))) {
      // A "k" that decodes to a PEM file or a certificate is public key
      // text used as a secret (keys/key_text.h).
      result = fail("\"k\": " + key_text_refusal(text));
    } else if (!make_secret_key(secret.data(), secret.size(), key)) {
      result = fail("the secret could not be loaded");
    }
    OPENSSL_cleanse(secret.data(), secret.size());
    if (result != Outcome::Loaded) return result;
    out = std::move(key);
    return Outcome::Loaded;
  }

  static constexpr const char* kPrivate[] = {"d", "p", "q", "dp", "dq", "qi", "oth"};
  for (const char* m : kPrivate) {
    element ignored;
    if (!o[m].get(ignored)) {
      diag_.warn(label_ + ": private key members are ignored; only the public key is used (a verifier "
                          "should not be given private keys)");
      break;
    }
  }

  std::optional<Key> cert_key;
  if (!read_x5c(o, kty, nid, cert_key)) return Outcome::Failed;

  // Build from the JWK's own members, when present.
  std::optional<Key> own;
  std::string why;
  if (kty == "RSA") {
    std::vector<uint8_t> n, e;
    bool has_n = false;
    if (!decode_pair(o, "n", "e", n, e, has_n, bad))
      return bad ? Outcome::Failed : fail("an RSA key needs both \"n\" and \"e\" (RFC 7518 6.3.1)");
    if (has_n) {
      Key k;
      if (!make_rsa_public_key(n.data(), n.size(), e.data(), e.size(), k, &why)) return fail(why);
      own = std::move(k);
    }
  } else if (kty == "EC") {
    std::vector<uint8_t> x, y;
    bool has_x = false;
    if (!decode_pair(o, "x", "y", x, y, has_x, bad))
      return bad ? Outcome::Failed : fail("an EC key needs both \"x\" and \"y\" (RFC 7518 6.2.1)");
    if (has_x) {
      // RFC 7518 6.2.1.2/6.2.1.3: each coordinate is the full coordinate size,
      // leading zeros included; another length is a different encoding.
      const size_t coord = ec_coordinate_bytes_for_curve(nid);
      if (x.size() != coord || y.size() != coord)
        return fail("EC coordinates must be " + std::to_string(coord) + " bytes each for this curve; \"x\" is " +
                    std::to_string(x.size()) + " and \"y\" is " + std::to_string(y.size()) +
                    " (RFC 7518 6.2.1.2)");
      Key k;
      if (!make_ec_public_key(nid, x.data(), y.data(), coord, k, &why)) return fail(why);
      own = std::move(k);
    }
  } else {  // OKP
    std::vector<uint8_t> x;
    bool has_x = false;
    decode(o, "x", x, has_x, bad);
    if (bad) return Outcome::Failed;
    if (has_x) {
      Key k;
      if (!make_okp_public_key(nid, x.data(), x.size(), k, &why)) return fail(why);
      own = std::move(k);
    }
  }

  if (!own && !cert_key)
    return fail(kty == "RSA" ? "no \"n\"/\"e\" and no x5c (RFC 7518 6.3.1)"
                             : kty == "EC" ? "no \"x\"/\"y\" and no x5c (RFC 7518 6.2.1)"
                                           : "no \"x\" and no x5c (RFC 8037 2)");
  if (own && cert_key && !same_public_key(*own, *cert_key))
    return fail("the x5c leaf certificate holds a different key than the JWK's own members (RFC 7517 4.7)");
  if (!thumbprint_problem_.empty()) {
    key.x5t_mismatch = true;
    diag_.warn(label_ + ": " + thumbprint_problem_ +
               "; the thumbprint is a hint and is ignored (the policy's check-x5t refuses such keys)");
  }
  Key& material = own ? *own : *cert_key;
  key.type = material.type;
  key.bits = material.bits;
  key.curve_nid = material.curve_nid;
  key.material = std::move(material.material);
  out = std::move(key);
  return Outcome::Loaded;
}

}  // namespace

namespace {

// read_jwks is parse_jwks; |published| adds the rule of a set an identity
// provider publishes: no symmetric key at all.
bool read_jwks(std::string_view json, std::vector<Key>& out, Diagnostics& diag, bool published) {
  const ClearOpenSslErrors clear_errors;
  simdjson::dom::parser parser;
  element root;
  if (!parse_json(parser, json, "JWK Set", root, diag, /*is_set=*/true)) return false;
  object o;
  if (root.get_object().get(o)) {
    diag.error("JWK Set: not a JSON object (RFC 7517 5)");
    return false;
  }
  element keys_el;
  if (o["keys"].get(keys_el)) {
    element ignored;
    diag.error(!o["kty"].get(ignored) ? "JWK Set: this is a single JWK (it has \"kty\"), not a set with \"keys\""
                                      : "JWK Set: no \"keys\" member (RFC 7517 5.1)");
    return false;
  }
  array keys;
  if (keys_el.get_array().get(keys)) {
    diag.error("JWK Set: member \"keys\" must be an array (RFC 7517 5.1)");
    return false;
  }

  std::vector<Key> loaded;
  size_t index = 0;
  std::string secret;  // the first key declared "oct", for a published set's refusal
  std::vector<std::pair<std::string_view, std::string>> skipped_kids;  // kid, label
  for (element k : keys) {
    Key key;
    JwkReader reader(true, index++, diag);
    if (reader.read(k, key) == Outcome::Loaded) loaded.push_back(std::move(key));
    else if (!reader.kid().empty()) skipped_kids.emplace_back(reader.kid(), reader.label());
    if (reader.kty() == "oct" && secret.empty()) secret = reader.label();
  }
  // A kid that a skipped key also carries is ambiguous: the issuer may mean
  // the key that could not be read, and the one that loaded is then a key
  // it did not mean for this kid (Wycheproof json_web_key_test tcId 4,
  // "rejectsDuplicateKid": best practice is to reject). The keys that loaded
  // under that kid are dropped too; the rest of the set stays.
  for (const auto& [kid, label] : skipped_kids) {
    for (auto it = loaded.begin(); it != loaded.end();) {
      if (!(it->has_kid && it->kid == kid)) {
        ++it;
        continue;
      }
      diag.warn(it->origin + " skipped: " + label + ", which could not be used, has the same kid, "
                "so which key that kid names is ambiguous");
      it = loaded.erase(it);
    }
  }

  // A published set is readable by anyone: a symmetric key in it would let
  // anyone sign tokens the validator accepts. The set is refused whole (a
  // fetched one then keeps the last good keys), malformed secret or not: it
  // is not a set a correct issuer publishes.
  if (published && !secret.empty()) {
    diag.error("JWK Set: holds a symmetric (oct) key (" + secret +
               "); a published key set must not carry secrets, so it is refused");
    return false;
  }
  // A set that mixes secrets with public keys is how symmetric/asymmetric
  // confusion attacks are staged (Wycheproof MixedKeySet). Refused whole.
  bool has_secret = false, has_public = false;
  for (const Key& k : loaded) (k.type == KeyType::Oct ? has_secret : has_public) = true;
  if (has_secret && has_public) {
    diag.error("JWK Set: mixes symmetric (oct) secrets with public keys; a published key set must "
               "not carry secrets, so the whole set is refused (load secrets separately)");
    return false;
  }
  if (loaded.empty()) {
    diag.error(index == 0 ? std::string("JWK Set: no usable signing key: the set is empty")
                          : "JWK Set: no usable signing key: " +
                                (index == 1 ? std::string("its one key was")
                                            : "all " + std::to_string(index) + " of its keys were") +
                                " skipped (see the warnings)");
    return false;
  }

  std::vector<std::string_view> kids;
  for (const Key& k : loaded)
    if (k.has_kid) kids.push_back(k.kid);
  std::sort(kids.begin(), kids.end());
  for (size_t i = 0; i < kids.size();) {
    size_t j = i + 1;
    while (j < kids.size() && kids[j] == kids[i]) ++j;
    if (j - i > 1)
      diag.warn("JWK Set: kid " + quoted(kids[i], 64) + " is used by " + std::to_string(j - i) +
                " keys; a token with this kid is checked against each of them");
    i = j;
  }
  for (auto& k : loaded) out.push_back(std::move(k));
  return true;
}

}  // namespace

bool parse_jwks(std::string_view json, std::vector<Key>& out, Diagnostics& diag) {
  return read_jwks(json, out, diag, /*published=*/false);
}

bool parse_published_jwks(std::string_view json, std::vector<Key>& out, Diagnostics& diag) {
  return read_jwks(json, out, diag, /*published=*/true);
}

bool parse_jwk(std::string_view json, std::vector<Key>& out, Diagnostics& diag) {
  const ClearOpenSslErrors clear_errors;
  simdjson::dom::parser parser;
  element root;
  if (!parse_json(parser, json, "JWK", root, diag, /*is_set=*/false)) return false;
  object o;
  element ignored;
  if (!root.get_object().get(o) && !o["keys"].get(ignored) && o["kty"].get(ignored)) {
    diag.error("JWK: this is a JWK Set (it has \"keys\"); load it as a JWKS");
    return false;
  }
  Key key;
  JwkReader reader(false, 0, diag);
  if (reader.read(root, key) != Outcome::Loaded) return false;
  out.push_back(std::move(key));
  return true;
}

}  // namespace jwtgate
