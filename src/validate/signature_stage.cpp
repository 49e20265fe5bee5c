#include "validate/signature_stage.h"

#include <string>

#include "core/quote.h"
#include "crypto/key_material.h"

namespace jwtgate {

namespace {

// A kid or alg from the token enters a message only through quoted(), cut
// at this many bytes.
constexpr size_t kQuoteMax = 128;

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

std::string cap_note() {
  return " (the search stopped there: at most " + std::to_string(kMaxSignatureVerifications) +
         " signature verifications per token)";
}

// Search: the state of one token's key search. Compatibility is tested
// without building the reason sentence; only a failure pays for words (the
// hot path stays allocation-free).
struct Search {
  const ParsedToken& t;
  const SignatureInput& in;
  size_t made = 0;          // signature verifications made
  bool capped = false;      // a candidate was left untried for the cap
  const Key* incompatible = nullptr;  // the first key that could not verify alg

  // compatible: whether |k| may verify alg (remembering the first that
  // may not, for the message).
  bool compatible(const Key& k) {
    if (key_compatible(k, t.alg, *in.rules, nullptr)) return true;
    if (!incompatible) incompatible = &k;
    return false;
  }
  // verifies: one verification with |k|, counted against the cap; false
  // without verifying once the cap is reached.
  bool verifies(const Key& k) {
    if (made == kMaxSignatureVerifications) {
      capped = true;
      return false;
    }
    ++made;
    return verify_signature(k, t.alg, t.signing_input, t.signature, t.signature_len);
  }
  std::string why_incompatible() const {
    std::string why;
    if (incompatible) key_compatible(*incompatible, t.alg, *in.rules, &why);
    return why;
  }
};

const Key* search_keys(const ParsedToken& t, const SignatureInput& in, FailureList& failures,
                       Search& s) {
  if (t.alg == Alg::Unknown) {
    failures.add(JWTGATE_REASON_ALG_UNKNOWN, "alg") =
        "header alg " + quoted(t.alg_name, kQuoteMax) + " is not a JWS signature algorithm jwtgate implements";
    return nullptr;
  }
  if (!(in.allowed & alg_bit(t.alg))) {
    failures.add(JWTGATE_REASON_ALG_NOT_ALLOWED, "alg") =
        "header alg " + quoted(t.alg_name, kQuoteMax) + " is not allowed by the policy (allowed: " +
        names_of(in.allowed) + ")";
    return nullptr;
  }
  if (t.signature_len == 0) {
    failures.add(JWTGATE_REASON_SIGNATURE_MISSING, "signature") =
        "the token has an empty signature segment (require-signed-tokens)";
    return nullptr;
  }
  size_t total = 0;
  for (size_t i = 0; i < in.set_count; ++i) total += in.sets[i] ? in.sets[i]->size() : 0;
  if (total == 0) {
    failures.add(JWTGATE_REASON_NO_KEYS, "keys") =
        "the validator has no keys: the policy has neither issuer-signing-keys nor a usable "
        "openid-config, and no key set was supplied";
    return nullptr;
  }

  // Pass 1: the keys whose kid equals the token's kid, and they alone.
  bool kid_matched = false;
  size_t kid_compatible = 0;
  if (t.has_kid) {
    for (size_t i = 0; i < in.set_count && !s.capped; ++i) {
      if (!in.sets[i]) continue;
      for (const Key& k : in.sets[i]->keys()) {
        if (!k.has_kid || !same_kid(k.kid, t.kid)) continue;
        kid_matched = true;
        if (!s.compatible(k)) continue;
        ++kid_compatible;
        if (s.verifies(k)) return &k;
        if (s.capped) break;
      }
    }
    if (kid_matched) {
      const std::string kid = quoted(t.kid, kQuoteMax);
      if (kid_compatible == 0) {
        failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "kid") =
            "the key with kid " + kid + " cannot verify " + quoted(t.alg_name, kQuoteMax) + ": " +
            s.why_incompatible();
      } else {
        failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "signature") =
            "the signature does not verify with the key whose kid is " + kid +
            (s.capped ? cap_note() : std::string());
      }
      return nullptr;
    }
  }

  // Pass 2: no key carries the token's kid (or the token has none). A token
  // without kid tries every compatible key. A token whose kid matched
  // nothing tries only the keys that are not kid-bound: a key published
  // with a kid verifies only tokens naming it, so an unknown kid costs a
  // lookup, not a verification per key (Envoy's jwt_verify_lib skips a key
  // whose kid differs from the token's).
  size_t tried = 0, bound = 0;
  for (size_t i = 0; i < in.set_count && !s.capped; ++i) {
    if (!in.sets[i]) continue;
    for (const Key& k : in.sets[i]->keys()) {
      if (t.has_kid && k.kid_bound) {
        ++bound;
        continue;
      }
      if (!s.compatible(k)) continue;
      ++tried;
      if (s.verifies(k)) return &k;
      if (s.capped) break;
    }
  }
  const std::string alg = quoted(t.alg_name, kQuoteMax);
  if (!t.has_kid) {
    if (tried == 0) {
      const std::string why = s.why_incompatible();
      failures.add(JWTGATE_REASON_KEY_NOT_FOUND, "alg") =
          "no configured key can verify " + alg + (why.empty() ? "" : " (" + why + ")");
    } else {
      failures.add(JWTGATE_REASON_SIGNATURE_INVALID, "signature") =
          "the token has no kid and none of the " + std::to_string(s.made) +
          " compatible key(s) tried verifies its signature" + (s.capped ? cap_note() : std::string());
    }
    return nullptr;
  }
  std::string detail = "no key has kid " + quoted(t.kid, kQuoteMax);
  if (bound > 0)
    detail += "; the " + std::to_string(bound) +
              " key(s) published with a kid verify only tokens that name it";
  if (tried > 0) {
    detail += "; the " + std::to_string(s.made) +
              " other compatible key(s) tried did not verify the signature either" +
              (s.capped ? cap_note() : std::string());
  } else if (bound < total) {
    const std::string why = s.why_incompatible();
    detail += "; no other configured key can verify " + alg + (why.empty() ? "" : " (" + why + ")");
  }
  failures.add(JWTGATE_REASON_KEY_NOT_FOUND, std::string(t.kid)) = std::move(detail);
  return nullptr;
}

}  // namespace

const Key* check_signature(const ParsedToken& t, const SignatureInput& in, FailureList& failures) {
  Search s{t, in};
  const Key* key = search_keys(t, in, failures, s);
  if (in.verifications) *in.verifications = s.made;
  return key;
}

}  // namespace jwtgate
