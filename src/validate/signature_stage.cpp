#include "validate/signature_stage.h"

#include <string>

#include "crypto/key_material.h"

namespace jwtgate {

namespace {

std::string names_of(AlgSet set) {
  std::string out;
  for (int i = 0; i < kAlgCount; ++i)
    if (set & alg_bit(static_cast<Alg>(i)))
      out += (out.empty() ? "" : ", ") + std::string(alg_name(static_cast<Alg>(i)));
  return out;
}

// same_kid: kid equality, with the cheap tests first (the length and the
// first byte tell most kids of a key set apart without a call to memcmp).
inline bool same_kid(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && a == b));
}

const Key* check_signature_counted(const ParsedToken& t, const SignatureInput& in,
                                   FailureList& failures, size_t& made);

}  // namespace

const Key* check_signature(const ParsedToken& t, const SignatureInput& in, FailureList& failures) {
  size_t made = 0;
  const Key* key = check_signature_counted(t, in, failures, made);
  if (in.verifications) *in.verifications = made;
  return key;
}

namespace {

const Key* check_signature_counted(const ParsedToken& t, const SignatureInput& in,
                                   FailureList& failures, size_t& made) {
  if (t.alg == Alg::Unknown) {
    failures.add(JWTGATE_REASON_ALG_UNKNOWN, "alg") =
        "header alg \"" + std::string(t.alg_name) + "\" is not a JWS signature algorithm jwtgate implements";
    return nullptr;
  }
  if (!(in.allowed & alg_bit(t.alg))) {
    failures.add(JWTGATE_REASON_ALG_NOT_ALLOWED, "alg") =
        "header alg \"" + std::string(t.alg_name) + "\" is not allowed by the policy (allowed: " +
        names_of(in.allowed) + ")";
    return nullptr;
  }
  if (t.signature_len == 0) {
    failures.add(JWTGATE_REASON_SIGNATURE_MISSING, "signature") =
        "the token has an empty signature segment (require-signed-tokens)";
    return nullptr;
  }
  size_t total = 0;
  for (size_t s = 0; s < in.set_count; ++s) total += in.sets[s] ? in.sets[s]->size() : 0;
  if (total == 0) {
    failures.add(JWTGATE_REASON_NO_KEYS, "keys") =
        "the validator has no keys: the policy has neither issuer-signing-keys nor a usable "
        "openid-config, and no key set was supplied";
    return nullptr;
  }

  // Pass 1: keys whose kid equals the token's kid.
  // Compatibility is tested without building the reason sentence; only a
  // failure pays for words (the hot path stays allocation-free).
  bool kid_matched = false;
  size_t kid_compatible = 0;
  const Key* incompatible = nullptr;  // the first key that could not verify alg
  auto why_not = [&](const Key* k) {
    std::string why;
    if (k) key_compatible(*k, t.alg, *in.rules, &why);
    return why;
  };
  if (t.has_kid) {
    for (size_t s = 0; s < in.set_count; ++s) {
      if (!in.sets[s]) continue;
      for (const Key& k : in.sets[s]->keys()) {
        if (!k.has_kid || !same_kid(k.kid, t.kid)) continue;
        kid_matched = true;
        if (!key_compatible(k, t.alg, *in.rules, nullptr)) {
          if (!incompatible) incompatible = &k;
          continue;
        }
        ++kid_compatible;
        ++made;
      if (verify_signature(k, t.alg, t.signing_input, t.signature, t.signature_len)) return &k;
      }
    }
    if (kid_matched) {
      if (kid_compatible == 0) {
        failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "kid") =
            "the key with kid \"" + std::string(t.kid) + "\" cannot verify " +
            std::string(t.alg_name) + ": " + why_not(incompatible);
      } else {
        failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "signature") =
            "the signature does not verify with the key whose kid is \"" + std::string(t.kid) + "\"";
      }
      return nullptr;
    }
  }

  // Pass 2: no key carries the token's kid (or the token has none): every
  // compatible key is tried.
  size_t tried = 0;
  for (size_t s = 0; s < in.set_count; ++s) {
    if (!in.sets[s]) continue;
    for (const Key& k : in.sets[s]->keys()) {
      if (!key_compatible(k, t.alg, *in.rules, nullptr)) {
        if (!incompatible) incompatible = &k;
        continue;
      }
      ++tried;
      ++made;
      if (verify_signature(k, t.alg, t.signing_input, t.signature, t.signature_len)) return &k;
    }
  }
  if (tried == 0) {
    const std::string why_incompatible = why_not(incompatible);
    failures.add(JWTGATE_REASON_KEY_NOT_FOUND, t.has_kid ? std::string(t.kid) : "alg") =
        std::string(t.has_kid ? "no key has kid \"" + std::string(t.kid) + "\", and " : "") +
        "no configured key can verify " + std::string(t.alg_name) +
        (why_incompatible.empty() ? "" : " (" + why_incompatible + ")");
  } else if (t.has_kid) {
    failures.add(JWTGATE_REASON_KEY_NOT_FOUND, std::string(t.kid)) =
        "no key has kid \"" + std::string(t.kid) + "\"; the " + std::to_string(tried) +
        " other compatible key(s) did not verify the signature either";
  } else {
    failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "signature") =
        "the token has no kid and none of the " + std::to_string(tried) +
        " compatible key(s) verifies its signature";
  }
  return nullptr;
}

}  // namespace

}  // namespace jwtgate
