// Family 3: signature failures, told apart. What the key search recorded
// (Result::key_search) says which key the kid named and whether it could
// verify the alg; here, at explain time only, the other keys of the
// validator's snapshot are tried and an RSA signature is opened with the
// named key's public half (crypto/signature_origin.h) to tell "altered after
// signing" from "signed by another key". Keys are named by kid, origin and
// type, never by their material.
#include "core/ascii.h"
#include "core/quote.h"
#include "core/url_text.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "crypto/signature_origin.h"
#include "diagnose/facts.h"
#include "validate/validator.h"

namespace jwtgate {

namespace {

// At most this many verifications when looking for another key that
// verifies (explain time; a validation stops at kMaxSignatureVerifications).
constexpr size_t kExplainVerifications = 64;

// The sample secrets of the jwt.io debugger, which re-signs a token edited
// in it with whatever secret is in its box: HS256's default, the HS384 and
// HS512 defaults, and the one the 2025 debugger shows.
constexpr std::string_view kJwtIoSecrets[] = {"your-256-bit-secret", "your-384-bit-secret",
                                             "your-512-bit-secret",
                                             "a-string-secret-at-least-256-bits-long"};

std::string key_name(const Key& k) {
  std::string out = key_type_text(k) + " key";
  if (k.has_kid) out += " with kid " + jwtgate::quoted(k.kid, 64);
  if (!k.origin.empty()) out += " (" + escaped(k.origin, 120) + ")";
  return out;
}

std::string_view signing_input(std::string_view presented) {
  const size_t d1 = presented.find('.');
  if (d1 == std::string_view::npos) return {};
  const size_t d2 = presented.find('.', d1 + 1);
  return d2 == std::string_view::npos ? std::string_view{} : presented.substr(0, d2);
}

// other_key: a key of the snapshot, not |skip| (nor a key with the
// token's kid), that verifies the token.
const Key* other_key(const Facts& f, std::string_view input, const Key* skip) {
  const ParsedToken& t = f.r.token;
  size_t made = 0;
  KeyRules rules = f.p.ext.key_rules;
  for (const KeySet* set : Validator::key_sets(f.r)) {
    if (!set) continue;
    for (const Key& k : set->keys()) {
      if (&k == skip || (t.has_kid && k.has_kid && k.kid == t.kid)) continue;
      if (!key_compatible(k, t.alg, rules, nullptr)) continue;
      if (made++ == kExplainVerifications) return nullptr;
      if (verify_signature(k, t.alg, input, t.signature, t.signature_len)) return &k;
    }
  }
  return nullptr;
}

bool has_secret_key(const Facts& f) {
  for (const KeySet* set : Validator::key_sets(f.r))
    if (set)
      for (const Key& k : set->keys())
        if (k.type == KeyType::Oct) return true;
  return false;
}

void unknown_kid(const Facts& f, Findings& out, const Failure& x) {
  const ParsedToken& t = f.r.token;
  std::string evidence = "token kid " + jwtgate::quoted(t.kid, 64) + "; " + x.detail;
  if (f.family() == IssuerFamily::Okta && f.issuer.detail.empty()) {
    out.add(1, "okta_org_server", "This token comes from Okta's org authorization server",
            "iss " + f.json("iss") + " is the bare Okta org URL (no /oauth2/...); " + evidence,
            "Access tokens of the org authorization server are meant for Okta's own APIs and cannot be validated "
            "by yours (their keys are not published for it). Use a custom authorization server (\"default\" or "
            "your own: issuer https://{org}.okta.com/oauth2/{id}) and its metadata as openid-config.");
    return;
  }
  // Direct evidence: the policy's openid-config names another tenant or
  // cloud than the token's issuer.
  const std::string iss = f.str("iss");
  const std::string tenant = tenant_of(iss);
  for (const OpenIdConfig& c : f.p.openid_configs) {
    const std::string url_tenant = tenant_of(c.url);
    if (!tenant.empty() && !url_tenant.empty() && !ascii_iequals(tenant, url_tenant))
      evidence += "; the openid-config URL names tenant " + url_tenant + ", the token's iss tenant " + tenant;
    else if (!iss.empty() && f.microsoft() && url_host(c.url) != url_host(iss) &&
             classify_issuer(iss).cloud != classify_issuer(c.url).cloud &&
             classify_issuer(c.url).family == IssuerFamily::Entra && f.issuer.host != "sts.windows.net")
      evidence += "; the openid-config URL is of another cloud than the token's issuer";
  }
  std::string fix;
  std::string next;
  if (f.entra()) {
    fix = "Causes, most likely first: (1) the signing key rotated and the key set is older than the token "
          "(jwtgate and APIM refetch on an unknown kid at most once per 5 minutes); (2) the openid-config "
          "points at another tenant, cloud or token version than the token's issuer";
    if (!iss.empty()) fix += " (token iss " + f.json("iss") + ")";
    fix += "; (3) the app uses custom signing keys (claims mapping): append ?appid=<client-id> to the metadata "
           "URL.";
    if (f.header_has("x5t") && f.version == "Entra ID v1.0")
      fix += " v1.0 tokens are signed by keys listed at /common/discovery/keys; v2.0 metadata lists "
             "/discovery/v2.0/keys.";
    next = "Fetch the issuer's keys (" + (iss.empty() ? std::string("its jwks_uri") : escaped(iss, 120) +
           "/.well-known/openid-configuration, then its jwks_uri") +
           ") and look for the kid: there, the policy's openid-config points elsewhere or its cache is stale; "
           "absent, the app signs with custom keys (?appid=) or the token is not Entra's.";
  } else if (f.family() == IssuerFamily::AzureAdB2C) {
    fix = "B2C signs with keys of the user flow's own metadata: use https://{tenant}.b2clogin.com/{tenant}/"
          "{user-flow}/v2.0/.well-known/openid-configuration as openid-config (workforce login.microsoftonline.com "
          "metadata lists other keys).";
  } else if (f.family() == IssuerFamily::Keycloak && f.alg_is_hmac()) {
    fix = "Keycloak signs refresh tokens and its own cookies with an HMAC key it never publishes: send the "
          "access_token, which is signed with a published realm key.";
  } else {
    fix = "The key set in use does not hold the key that signed the token: point openid-config at the token "
          "issuer's own metadata (" + (iss.empty() ? std::string("its iss") : escaped(iss, 120)) +
          "/.well-known/openid-configuration), or refresh the keys if the issuer rotated them.";
    next = "Fetch the issuer's jwks_uri and look for the kid: there, the policy reads another key set or a stale "
           "one; absent, the token was signed by a key the issuer does not publish.";
  }
  out.add(15, "unknown_kid", "No key has the token's kid", evidence, fix, next);
}

// kid_key: the key of the snapshot the token's kid names, for a check the
// validation did not reach (its key search did not run).
const Key* kid_key(const Facts& f) {
  const ParsedToken& t = f.r.token;
  if (!t.has_kid) return nullptr;
  for (const KeySet* set : Validator::key_sets(f.r))
    if (set)
      for (const Key& k : set->keys())
        if (k.has_kid && k.kid == t.kid) return &k;
  return nullptr;
}

// damaged_signature: the header and payload parse, but the signature
// segment is not base64url (a copy cut inside its last group, or a
// character changed). Its length against the RSA modulus of the key the
// kid names tells a cut copy from a foreign key.
void damaged_signature(const Facts& f, Findings& out, const Failure& x) {
  const std::string_view presented = f.presented();
  const size_t dot = presented.rfind('.');
  if (dot == std::string_view::npos) return;
  const size_t chars = presented.size() - dot - 1;
  const size_t bytes = chars * 3 / 4;  // RFC 4648 section 5: 4 characters carry 3 bytes
  const Key* k = kid_key(f);
  // Without the key (the validation stopped before its key search), the
  // lengths the header's alg allows: RSA's are its modulus sizes (RFC 8017
  // 8.2.1), ECDSA's twice the curve size (RFC 7518 3.4), HMAC's the hash's.
  const std::string header_alg = f.header_str("alg");  // the parse stopped before it read the alg
  const Alg a = alg_from_name(header_alg);
  const std::string an = escaped(header_alg, 64);
  const bool rsa = a == Alg::RS256 || a == Alg::RS384 || a == Alg::RS512 || a == Alg::PS256 || a == Alg::PS384 ||
                   a == Alg::PS512;
  size_t fixed = a == Alg::ES256 || a == Alg::ES256K ? 64 : a == Alg::ES384 ? 96 : a == Alg::ES512 ? 132 : a == Alg::HS256 ? 32
               : a == Alg::HS384 ? 48 : a == Alg::HS512 ? 64 : 0;
  // RSA keys shorter than the policy's minimum (2048 bits by default) never
  // verify, so their length does not count.
  const size_t min_rsa = static_cast<size_t>(f.p.ext.key_rules.min_rsa_bits) / 8;
  const bool rsa_size = (bytes == 128 || bytes == 256 || bytes == 384 || bytes == 512) && bytes >= min_rsa;
  if (!k && ((rsa && !rsa_size) || (fixed && bytes != fixed))) {
    out.add(3, "signature_foreign_key", "The signature is cut: its length fits no " + an + " key",
            "the signature segment has " + std::to_string(chars) + " characters (about " + std::to_string(bytes) +
                " bytes) and is not valid base64url; " +
                (rsa ? an + " signatures are as long as the RSA modulus (256 bytes for a 2048-bit key, 384 for "
                            "3072, 512 for 4096; the policy refuses keys below " +
                            std::to_string(f.p.ext.key_rules.min_rsa_bits) + " bits)"
                     : an + " signatures have " + std::to_string(fixed) + " bytes"),
            "The token was cut (copied from a truncated log line, a shortened URL or a size-limited field). Copy "
            "the whole token as the issuer returned it.");
    return;
  }
  if (k && k->type == KeyType::RSA && k->bits > 0 && bytes != static_cast<size_t>(k->bits + 7) / 8) {
    out.add(3, "signature_foreign_key", "The signature has the wrong length for the key its kid names",
            "the signature segment has " + std::to_string(chars) + " characters (about " + std::to_string(bytes) +
                " bytes) and is not valid base64url; the " + key_name(*k) + " makes signatures of " +
                std::to_string((k->bits + 7) / 8) + " bytes",
            "The token was cut (copied from a truncated log line, a shortened URL or a size-limited field). Copy "
            "the whole token as the issuer returned it.");
    return;
  }
  out.add(5, "signature_unexplained", "The token's signature segment is damaged", x.detail,
          "The header and payload are intact; the signature was cut or altered in transit. Copy the whole token "
          "as the issuer returned it.",
          "Compare the token's last segment with the one the issuer returned.");
}

}  // namespace

void find_signature(const Facts& f, Findings& out) {
  const Result& r = f.r;
  if (!r.header_available) return;
  if (f.kind.kind == TokenKind::MicrosoftApi && f.kind.graph) return;  // graph_token explains it
  const ParsedToken& t = r.token;
  const KeySearch& ks = r.key_search;
  const std::string alg = escaped(t.alg_name, 64);
  const Failure* invalid = f.failed(JWTGATE_REASON_SIGNATURE_INVALID);
  const Failure* unknown = f.failed(JWTGATE_REASON_KEY_NOT_FOUND);

  if (const Failure* x = f.failed(JWTGATE_REASON_BAD_BASE64URL, "signature"); x && f.has_claims()) {
    damaged_signature(f, out, *x);
    return;
  }
  // An alg the policy refuses, on a token the kid's RSA key signed with an
  // algorithm the policy allows: the header's alg was edited after signing.
  if (const Failure* x = f.failed(JWTGATE_REASON_ALG_NOT_ALLOWED); x && t.signature_len > 0) {
    const Key* k = kid_key(f);
    if (k && k->type == KeyType::RSA) {
      const SignatureOriginResult o = signature_origin(*k, t.alg, t.signature, t.signature_len);
      if (o.origin == SignatureOrigin::OtherAlg) {
        out.add(1, "signature_altered", "The token's alg was changed after it was signed",
                "the " + key_name(*k) + " made this signature as " + std::string(alg_name(o.signed_with)) +
                    ", but the header says " + alg + ", which the policy does not allow",
                "The header was edited after signing (or a library wrote the wrong alg): use the token as issued, "
                "signed and labelled with one algorithm.");
        return;
      }
    }
  }
  if (const Failure* x = f.failed(JWTGATE_REASON_ALG_NOT_ALLOWED))
    out.add(20, "algorithm_not_allowed", "Algorithm " + alg + " is not allowed by the policy", x->detail,
            "APIM documents PS256, RS256, RS512, ES256 and HS256. If the issuer must use " + alg +
                ", allow it with jwtgate's \"algorithms\" extension, knowing APIM itself may refuse it.");
  if (const Failure* x = f.failed(JWTGATE_REASON_NO_KEYS))
    out.add(10, "no_keys", "The policy has no keys", x->detail,
            "Add <openid-config url=\".../.well-known/openid-configuration\"/> or <issuer-signing-keys>.");

  // The kid names a key that cannot verify this alg at all.
  if (ks.kid_matches > 0 && ks.kid_compatible == 0 && ks.kid_key && invalid)
    out.add(2, "alg_key_mismatch",
            "The token's alg " + alg + " does not fit the key its kid names",
            "header alg " + alg + "; the kid names the " + key_name(*ks.kid_key) + "; " + invalid->detail,
            f.alg_is_hmac()
                ? "An HMAC token cannot be verified with a public key (that is the algorithm-confusion attack). "
                  "The token was re-signed with a secret (a decoder such as jwt.io does that when its payload is "
                  "edited), or it is another kind of token (Keycloak signs refresh tokens with HS256/HS512)."
                : "The issuer signs with another algorithm than this key is for: check the key's \"alg\" in the "
                  "JWK Set and the issuer's signing algorithm setting.");

  // HS* presented to keys that are all asymmetric.
  if (f.alg_is_hmac() && (unknown || f.failed(JWTGATE_REASON_ALG_NOT_ALLOWED) || invalid) && !has_secret_key(f))
    out.add(5, "hmac_against_public_keys", alg + " token, but the policy's keys are public keys",
            "header alg " + alg + "; no symmetric key is configured",
            "An RSA/EC public key can never verify an HMAC token (that is the algorithm-confusion attack). "
            "If the issuer really signs with a shared secret, put it base64-encoded in "
            "<issuer-signing-keys><key>...</key>; otherwise the token is forged, re-signed in a decoder, or "
            "from another issuer.");

  if (!(invalid || unknown) || t.signature_len == 0) return;
  const std::string_view input = signing_input(f.presented());
  if (input.empty()) return;

  // A token re-signed in the jwt.io debugger with its sample secret.
  if (f.alg_is_hmac()) {
    for (std::string_view secret : kJwtIoSecrets) {
      Key k;
      if (!make_secret_key(reinterpret_cast<const uint8_t*>(secret.data()), secret.size(), k)) continue;
      if (verify_signature(k, t.alg, input, t.signature, t.signature_len)) {
        out.add(1, "jwt_io_secret", "The token was signed with the jwt.io debugger's sample secret",
                "the " + alg + " signature verifies with the debugger's published sample secret",
                "The token was edited in a JWT debugger, which re-signs it with the secret in its box. Use the "
                "token exactly as the issuer issued it; a token with other claims must come from the issuer.");
        return;
      }
    }
    // An HMAC secret pasted raw instead of base64: the policy's <key>
    // text verifies as bytes. Diagnostic only: the token stays invalid.
    if (invalid) {
      for (const PolicyKey& pk : f.p.issuer_signing_keys) {
        if (pk.value.empty()) continue;
        Key raw;
        if (!make_secret_key(reinterpret_cast<const uint8_t*>(pk.value.data()), pk.value.size(), raw)) continue;
        KeyRules lenient;
        lenient.min_hmac_bits = 128;
        if (key_compatible(raw, t.alg, lenient, nullptr) &&
            verify_signature(raw, t.alg, input, t.signature, t.signature_len)) {
          out.add(3, "hmac_key_not_base64", "The HMAC secret in the policy is not base64-encoded",
                  "the token verifies when the <key> text is used as raw bytes instead of base64",
                  "APIM expects <key> to hold the secret base64-encoded: put base64(secret) there.");
          return;
        }
      }
    }
  }

  // The key the signature was checked with: the one the kid names, or for a
  // token without kid the only compatible key there is.
  const Key* named = ks.kid_compatible > 0 ? ks.kid_key : nullptr;
  if (!t.has_kid && ks.tried == 1) {
    for (const KeySet* set : Validator::key_sets(r))
      if (set)
        for (const Key& k : set->keys())
          if (key_compatible(k, t.alg, f.p.ext.key_rules, nullptr)) named = &k;
  }
  // Another key of the set verifies it.
  if (const Key* other = t.has_kid ? other_key(f, input, named) : nullptr) {
    if (invalid && ks.kid_matches > 0 && ks.kid_key)
      out.add(1, "kid_reused", "Another key of the set verifies the token, not the one its kid names",
              "token kid " + jwtgate::quoted(t.kid, 64) + " names the " + key_name(*ks.kid_key) +
                  ", which does not verify the signature; the " + key_name(*other) + " does",
              "The issuer signed with one key and wrote another key's kid (a kid reused for a new key, or two "
              "environments sharing kids). Fix the issuer's kid assignment; the key set itself holds the right "
              "key.");
    else if (unknown && t.has_kid)
      out.add(1, "key_under_other_kid", "The signing key is in the set under another kid",
              "no key has kid " + jwtgate::quoted(t.kid, 64) + "; the " + key_name(*other) + " verifies the signature",
              "The issuer publishes the key under another kid than it writes into its tokens (or the key set "
              "was edited by hand). Align the kid in the JWK Set with the issuer's.");
    return;
  }

  if (invalid && named) {
    const SignatureOriginResult o = signature_origin(*named, t.alg, t.signature, t.signature_len);
    switch (o.origin) {
      case SignatureOrigin::OtherBytes:
        out.add(1, "signature_altered", "The token was changed after it was signed",
                "the " + key_name(*named) + " made this " + alg +
                    " signature (its encoding opens with the key), but over other bytes: the header or payload "
                    "is not what was signed",
                "Someone edited the token after the issuer signed it, typically by changing a claim in a decoder "
                "(jwt.io, jwt.ms) and copying the token back. Use the token exactly as issued; for other claims, "
                "have the issuer issue a new token.");
        return;
      case SignatureOrigin::OtherAlg:
        out.add(1, "signature_altered", "The token's alg was changed after it was signed",
                "the " + key_name(*named) + " made this signature as " + std::string(alg_name(o.signed_with)) +
                    ", but the header says " + alg,
                "The header was edited after signing (or a library wrote the wrong alg): use the token as issued, "
                "signed and labelled with one algorithm.");
        return;
      case SignatureOrigin::WrongLength:
        out.add(3, "signature_foreign_key", "The signature has the wrong length for the key its kid names",
                "the signature has " + std::to_string(o.signature_bytes) + " bytes; the " + key_name(*named) +
                    " makes signatures of " + std::to_string(o.modulus_bytes),
                "The token was cut (copied from a truncated log line or a URL that was shortened), or signed by a "
                "key of another size under the same kid. Copy the whole token; compare the issuer's current key "
                "for this kid with the one in use.");
        return;
      case SignatureOrigin::NotThisKey:
        out.add(3, "signature_foreign_key", "The key the kid names did not make this signature",
                "the " + key_name(*named) + " did not make this " + alg +
                    " signature (its encoding does not open with the key), and no other key of the set verifies "
                    "it",
                "The token was signed by a key that is not in this set under its kid: the issuer reused kid " +
                    jwtgate::quoted(t.kid, 64) +
                    " for a new key (or another environment or tenant signs with the same kid), or the key set is "
                    "stale. Use the issuer's current JWK Set.",
                "Fetch the issuer's current jwks_uri and compare its key for kid " + jwtgate::quoted(t.kid, 64) +
                    " with the one here: a different key means a stale or foreign key set.");
        return;
      case SignatureOrigin::Unknown:
        break;
    }
    out.add(5, "signature_unexplained", "The signature does not verify with the key the kid names",
            "the " + key_name(*named) + " does not verify this " + alg +
                " signature, and no other key of the set does; a signature of this key type does not tell "
                "whether the token was altered or signed by another key",
            "Use the token exactly as issued, from the issuer whose keys the policy uses.",
            "Compare the token with the one the issuer returned (a decoder that edits claims keeps the old "
            "signature), and the key set's key for kid " + jwtgate::quoted(t.kid, 64) +
                " with the issuer's current one.");
    return;
  }

  if (invalid && !t.has_kid)
    out.add(5, "signature_unexplained", "No key verifies the signature of this token without kid",
            invalid->detail,
            "Use the token exactly as issued, and the issuer's current keys; an issuer that writes a kid lets "
            "the validator (and this explanation) tell which key was meant.",
            "Compare the token with the one the issuer returned, and the key set with the issuer's current one.");
  if (unknown && t.has_kid) unknown_kid(f, out, *unknown);
}

}  // namespace jwtgate
