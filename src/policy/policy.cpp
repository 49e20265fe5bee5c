#include "policy/policy.h"

#include "policy/policy_attributes.h"

namespace jwtgate {

AlgSet default_algorithms() {
  // APIM documents PS256, RS256, RS512 and ES256, and verifies HS256 with an
  // inline base64 key (docs/apim-reference.md, "Algorithms and keys"). Other
  // JWS algorithms are opt-in through "jwtgate.algorithms", so a default
  // policy accepts what APIM would.
  return alg_bit(Alg::HS256) | alg_bit(Alg::RS256) | alg_bit(Alg::RS512) |
         alg_bit(Alg::PS256) | alg_bit(Alg::ES256);
}

namespace {

// names_of splits |text| at spaces and maps each name with |from_name|;
// an unknown name is an error naming |what|.
template <typename Set, typename Item>
Set names_of(const std::string& text, Item (*from_name)(std::string_view), Set (*bit)(Item),
             Item unknown, const char* what, Diagnostics& diag) {
  Set set = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n')) ++pos;
    size_t end = pos;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n') ++end;
    if (end == pos) break;
    const std::string name = text.substr(pos, end - pos);
    const Item item = from_name(name);
    if (item == unknown) {
      const char* why = refused_key_alg_reason(name);
      diag.error(why ? std::string(why)
                     : "\"" + name + "\" is not a JWE " + what + " jwtgate implements",
                 std::string("jwtgate/jwe-") + (std::string(what) == "alg" ? "algorithms" : "encryptions"));
    } else {
      set |= bit(item);
    }
    pos = end;
  }
  return set;
}

void finalize_encryption(Policy& p, Diagnostics& diag) {
  const KeyAlgSet algs = names_of<KeyAlgSet, KeyAlg>(p.ext.jwe_algorithms, key_alg_from_name, key_alg_bit,
                                                     KeyAlg::Unknown, "alg", diag);
  const ContentEncSet encs = names_of<ContentEncSet, ContentEnc>(
      p.ext.jwe_encryptions, enc_from_name, enc_bit, ContentEnc::Unknown, "enc", diag);
  p.jwe.header.algs = algs ? algs : kDefaultKeyAlgs;
  p.jwe.header.encs = encs ? encs : kDefaultContentEncs;
  p.jwe.key_rules = p.ext.key_rules;
  if (p.ext.encryption == kEncryptionRequired && p.decryption_keys.empty() &&
      !(p.decryption_key_set && !p.decryption_key_set->empty()))
    diag.error("encryption is \"required\" but the policy has no decryption-keys to decrypt with",
               "jwtgate/encryption");
  if (p.ext.encryption == kEncryptionForbidden && !p.decryption_keys.empty())
    diag.warn("encryption is \"forbidden\": the decryption-keys are never used",
              "jwtgate/encryption");
}

}  // namespace

bool Policy::finalize(Diagnostics& diag) {
  allowed_algs = ext.algorithms ? ext.algorithms : default_algorithms();

  // The ranges are the attribute tables' (policy_attributes.cpp); the
  // readers refuse values outside them, this catches policies built in code.
  check_ranges(*this, diag);
  if (source == TokenSourceKind::Header && header_name.empty())
    diag.error("header-name is empty", "header-name");
  if (source == TokenSourceKind::Query && query_parameter_name.empty())
    diag.error("query-parameter-name is empty", "query-parameter-name");
  finalize_encryption(*this, diag);
  for (size_t i = 0; i < required_claims.size(); ++i) {
    if (required_claims[i].name.empty())
      diag.error("a required claim has no name", "required-claims[" + std::to_string(i) + "]");
  }
  return !diag.has_errors();
}

}  // namespace jwtgate
