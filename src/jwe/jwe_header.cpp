// The JWE header rules (RFC 7516 4.1, 5.2 steps 3-5; RFC 7518 4.6.1, 4.7.1),
// applied before any cryptography. Failures here may be specific: they
// depend on the header alone, which the sender wrote and can read, never on
// a key.
#include "jwe/jwe_header.h"

#include <cstring>
#include <string>

#include <openssl/objects.h>

#include "core/ascii.h"
#include "core/quote.h"
#include "crypto/curve.h"
#include "encoding/base64url.h"
#include "encoding/json_dom.h"

namespace jwtgate {
namespace {

struct Member {
  element value;
  bool present = false;
};

// The members the rules read. Header Parameter names registered for JWE
// (RFC 7516 4.1, RFC 7518 4.6.1, 4.7.1, 4.8.1) may not appear in "crit"
// (RFC 7515 4.1.11, which RFC 7516 4.1.13 applies).
struct Members {
  Member alg, enc, zip, jku, jwk, kid, x5u, x5c, x5t, x5t256, typ, cty, crit, epk, apu, apv, iv,
      tag, p2s, p2c;
};

Member* slot(Members& m, std::string_view k) {
  if (k == "alg") return &m.alg;
  if (k == "enc") return &m.enc;
  if (k == "zip") return &m.zip;
  if (k == "jku") return &m.jku;
  if (k == "jwk") return &m.jwk;
  if (k == "kid") return &m.kid;
  if (k == "x5u") return &m.x5u;
  if (k == "x5c") return &m.x5c;
  if (k == "x5t") return &m.x5t;
  if (k == "x5t#S256") return &m.x5t256;
  if (k == "typ") return &m.typ;
  if (k == "cty") return &m.cty;
  if (k == "crit") return &m.crit;
  if (k == "epk") return &m.epk;
  if (k == "apu") return &m.apu;
  if (k == "apv") return &m.apv;
  if (k == "iv") return &m.iv;
  if (k == "tag") return &m.tag;
  if (k == "p2s") return &m.p2s;
  if (k == "p2c") return &m.p2c;
  return nullptr;
}

bool registered(std::string_view k) {
  Members m;
  return slot(m, k) != nullptr;
}

// names_disjoint: RFC 7516 7.2.1, the Header Parameter names of the
// protected, unprotected and per-recipient headers must be disjoint.
bool names_disjoint(const object* parts, size_t n, ParseFailure& fail) {
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      for (key_value_pair a : parts[i])
        for (key_value_pair b : parts[j])
          if (a.key == b.key)
            return fail_with(fail, JWTGATE_REASON_DUPLICATE_MEMBER, a.key,
                             "the header member " + quoted(a.key, kMaxQuoted) +
                                 " appears in two of the JWE's headers (RFC 7516 section 7.2.1: "
                                 "their names must be disjoint)");
  return true;
}

bool wrong_type(ParseFailure& fail, std::string_view name, const char* expected,
                const char* rfc) {
  return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, name,
                   "header member \"" + std::string(name) + "\" must be " + expected + " (" +
                       rfc + ")");
}

bool read_string(const Member& m, std::string_view* out) {
  return m.present && m.value.get_string().get(*out) == simdjson::SUCCESS;
}

// decode_into decodes base64url |s| into |out| (room for |cap| bytes) and
// requires the decoded length to be in [min, max].
bool decode_into(std::string_view s, uint8_t* out, size_t cap, size_t min, size_t max,
                 size_t* len) {
  uint8_t buf[kMaxPartyInfoBytes + 4];
  if (base64url_decoded_size(s.size()) > sizeof buf) return false;
  size_t n = 0;
  if (!base64url_decode(s, buf, &n) || n < min || n > max || n > cap) return false;
  std::memcpy(out, buf, n);
  *len = n;
  return true;
}

bool check_crit(const Members& m, const object* parts, size_t n, ParseFailure& fail) {
  simdjson::dom::array list;
  if (m.crit.value.get_array().get(list) || list.size() == 0)
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "crit",
                     "header \"crit\" must be a non-empty array of strings (RFC 7515 section "
                     "4.1.11)");
  for (element e : list) {
    std::string_view name;
    if (e.get_string().get(name))
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "crit",
                       "header \"crit\" must hold strings only (RFC 7515 section 4.1.11)");
    if (registered(name))
      return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                       "header \"crit\" lists " + quoted(name, kMaxQuoted) +
                           ", a parameter this specification defines, which crit must not name "
                           "(RFC 7515 section 4.1.11)");
    bool present = false;
    for (size_t i = 0; i < n && !present; ++i) {
      element v;
      present = parts[i][name].get(v) == simdjson::SUCCESS;
    }
    return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                     "header \"crit\" lists " + quoted(name, kMaxQuoted) +
                         (present ? ", an extension" : ", a parameter the header does not hold,") +
                         " jwtgate does not implement; refused (RFC 7515 section 4.1.11)");
  }
  return true;
}

// read_epk: RFC 7518 4.6.1.1 (and RFC 8037 2 for OKP): only public key
// members, coordinates of exactly the curve's size.
bool read_epk(const Member& m, JweHeader& out, ParseFailure& fail) {
  object epk;
  if (m.value.get_object().get(epk))
    return wrong_type(fail, "epk", "a JWK object", "RFC 7518 section 4.6.1.1");
  std::string_view kty, crv, x, y;
  const bool has_kty = epk["kty"].get_string().get(kty) == simdjson::SUCCESS;
  const bool has_crv = epk["crv"].get_string().get(crv) == simdjson::SUCCESS;
  const bool has_x = epk["x"].get_string().get(x) == simdjson::SUCCESS;
  const bool has_y = epk["y"].get_string().get(y) == simdjson::SUCCESS;
  for (const char* priv : {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}) {
    element v;
    if (epk[priv].get(v) == simdjson::SUCCESS)
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                       std::string("header \"epk\" holds the private member \"") + priv +
                           "\"; an ephemeral public key has only public members (RFC 7518 "
                           "section 4.6.1.1)");
  }
  if (!has_kty || !has_crv || !has_x)
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                     "header \"epk\" needs string members kty, crv and x (RFC 7518 section "
                     "4.6.1.1)");
  EphemeralKey& k = out.epk;
  const Curve* curve = kty == "EC"    ? find_curve(KeyType::EC, crv)
                       : kty == "OKP" ? find_curve(KeyType::OKP, crv)
                                      : nullptr;
  if (curve != nullptr && curve->key_agreement) {
    k.curve_nid = curve->nid;
    k.len = curve->bytes;
  }
  if (k.curve_nid == 0)
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                     "header \"epk\" is a " + quoted(kty, 16) + " key on " + quoted(crv, 16) +
                         "; ECDH-ES here takes EC P-256, P-384, P-521 or OKP X25519");
  size_t xl = 0, yl = 0;
  if (!decode_into(x, k.x.data(), k.x.size(), k.len, k.len, &xl))
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                     "header \"epk\" x is not " + std::to_string(k.len) +
                         " bytes of strict base64url (RFC 7518 section 6.2.1.2)");
  if (k.curve_nid == NID_X25519) {
    if (has_y)
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                       "header \"epk\" is an X25519 key with a y member (RFC 8037 section 2)");
  } else if (!has_y || !decode_into(y, k.y.data(), k.y.size(), k.len, k.len, &yl)) {
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                     "header \"epk\" y is not " + std::to_string(k.len) +
                         " bytes of strict base64url (RFC 7518 section 6.2.1.3)");
  }
  out.has_epk = true;
  return true;
}

bool read_party_info(const Member& m, const char* name, uint8_t* out, size_t* len,
                     ParseFailure& fail) {
  std::string_view s;
  if (!read_string(m, &s) || !decode_into(s, out, kMaxPartyInfoBytes, 0, kMaxPartyInfoBytes, len))
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, name,
                     std::string("header \"") + name + "\" must be strict base64url of at most " +
                         std::to_string(kMaxPartyInfoBytes) + " bytes (RFC 7518 section 4.6.1.2)");
  return true;
}

}  // namespace

bool check_jwe_header(const object* parts, size_t part_count, const JweHeaderRules& rules,
                      JweHeader& out, ParseFailure& fail) {
  out = JweHeader{};
  if (!names_disjoint(parts, part_count, fail)) return false;
  Members m;
  for (size_t i = 0; i < part_count; ++i)
    for (key_value_pair f : parts[i])
      if (Member* s = slot(m, f.key)) *s = Member{f.value, true};

  // Fill what diagnostics may show before any check stops.
  read_string(m.alg, &out.alg_name);
  read_string(m.enc, &out.enc_name);
  out.has_kid = read_string(m.kid, &out.kid);
  out.has_typ = read_string(m.typ, &out.typ);
  out.has_cty = read_string(m.cty, &out.cty);

  // RFC 7516 4.1.1 and 4.1.2: both are required strings.
  if (!m.alg.present)
    return fail_with(fail, JWTGATE_REASON_ALG_MISSING, "alg",
                     "the JWE header has no \"alg\" member (RFC 7516 section 4.1.1 requires one)");
  if (m.alg.value.type() != element_type::STRING)
    return wrong_type(fail, "alg", "a string", "RFC 7516 section 4.1.1");
  if (!m.enc.present || m.enc.value.type() != element_type::STRING)
    return wrong_type(fail, "enc", "a string naming the content encryption",
                      "RFC 7516 section 4.1.2");
  if (ascii_iequals(out.alg_name, "none"))
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "alg",
                     "the JWE header's alg is \"none\", which is no key management algorithm");
  if (const char* why = refused_key_alg_reason(out.alg_name))
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "alg", why);
  out.alg = key_alg_from_name(out.alg_name);
  out.enc = enc_from_name(out.enc_name);
  if (out.alg == KeyAlg::Unknown)
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "alg",
                     "the JWE alg " + quoted(out.alg_name, kMaxQuoted) +
                         " is not a key management algorithm jwtgate implements");
  if (out.enc == ContentEnc::Unknown)
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "enc",
                     "the JWE enc " + quoted(out.enc_name, kMaxQuoted) +
                         " is not a content encryption algorithm jwtgate implements");
  if (!(rules.algs & key_alg_bit(out.alg)))
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "alg",
                     "the JWE alg " + std::string(key_alg_name(out.alg)) +
                         " is not allowed by the policy");
  if (!(rules.encs & enc_bit(out.enc)))
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "enc",
                     "the JWE enc " + std::string(enc_name(out.enc)) +
                         " is not allowed by the policy");
  // RFC 7516 4.1.3: "DEF" compresses the plaintext before encryption. A few
  // bytes of ciphertext can inflate to gigabytes, and a token has no need of
  // compression: refused, whatever its value.
  if (m.zip.present)
    return fail_with(fail, JWTGATE_REASON_JWE_ALGORITHM_REFUSED, "zip",
                     "the JWE header has \"zip\": compressed content is refused (decompressing "
                     "attacker-chosen data is a compression bomb; send the token uncompressed)");
  if (m.p2s.present || m.p2c.present)
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, m.p2s.present ? "p2s" : "p2c",
                     "PBES2 parameters are not accepted with alg " +
                         std::string(key_alg_name(out.alg)));
  if (m.crit.present && !check_crit(m, parts, part_count, fail)) return false;
  // A token never names the key it is decrypted with (RFC 8725 3.10).
  for (const auto& [member, name] :
       {std::pair{&m.jwk, "jwk"}, {&m.jku, "jku"}, {&m.x5u, "x5u"}, {&m.x5c, "x5c"}})
    if (member->present)
      return fail_with(fail, JWTGATE_REASON_EMBEDDED_KEY, name,
                       std::string("header member \"") + name +
                           "\" would supply or locate a key; refused (only ECDH-ES's epk is "
                           "taken from a header)");
  if (m.kid.present && !out.has_kid) return wrong_type(fail, "kid", "a string", "RFC 7516 4.1.6");
  if (m.typ.present && !out.has_typ) return wrong_type(fail, "typ", "a string", "RFC 7516 4.1.11");
  if (m.cty.present && !out.has_cty) return wrong_type(fail, "cty", "a string", "RFC 7516 4.1.12");

  const KeyAlgFamily family = key_alg_family(out.alg);
  const bool ecdh = family == KeyAlgFamily::EcdhEs || family == KeyAlgFamily::EcdhEsKw;
  if (ecdh) {
    if (!m.epk.present)
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "epk",
                       std::string(key_alg_name(out.alg)) +
                           " needs the ephemeral public key \"epk\" (RFC 7518 section 4.6.1.1)");
    if (!read_epk(m.epk, out, fail)) return false;
    if (m.apu.present && !read_party_info(m.apu, "apu", out.apu.data(), &out.apu_len, fail))
      return false;
    if (m.apv.present && !read_party_info(m.apv, "apv", out.apv.data(), &out.apv_len, fail))
      return false;
  } else {
    for (const auto& [member, name] : {std::pair{&m.epk, "epk"}, {&m.apu, "apu"}, {&m.apv, "apv"}})
      if (member->present)
        return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, name,
                         std::string("header member \"") + name + "\" belongs to ECDH-ES, not " +
                             std::string(key_alg_name(out.alg)));
  }
  if (family == KeyAlgFamily::AesGcmKw) {
    std::string_view iv, tag;
    size_t n = 0;
    if (!read_string(m.iv, &iv) || !decode_into(iv, out.kw_iv.data(), 12, 12, 12, &n))
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "iv",
                       std::string(key_alg_name(out.alg)) +
                           " needs \"iv\": 96 bits of strict base64url (RFC 7518 section 4.7.1.1)");
    if (!read_string(m.tag, &tag) || !decode_into(tag, out.kw_tag.data(), 16, 16, 16, &n))
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "tag",
                       std::string(key_alg_name(out.alg)) +
                           " needs \"tag\": 128 bits of strict base64url (RFC 7518 section "
                           "4.7.1.2)");
  } else if (m.iv.present || m.tag.present) {
    return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, m.iv.present ? "iv" : "tag",
                     "header members \"iv\" and \"tag\" belong to A*GCMKW, not " +
                         std::string(key_alg_name(out.alg)));
  }
  return true;
}

}  // namespace jwtgate
