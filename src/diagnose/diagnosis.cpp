#include "diagnose/diagnosis.h"

#include <algorithm>
#include <cmath>

#include "claims/claim_text.h"
#include "claims/registered_claims.h"
#include "core/ascii.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "core/reasons.h"
#include "core/time_format.h"
#include "crypto/key_material.h"
#include "diagnose/claim_catalog.h"
#include "encoding/base64url.h"
#include "validate/messages.h"

namespace jwtgate {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kGraphAppId = "00000003-0000-0000-c000-000000000000";

// Token facts, read once. Every value of the token that enters a title,
// evidence or check is written through json() (the claim's JSON text,
// escaped, "***" when masked) or core/quote.h; a masked claim's value is
// not reasoned about either (str() is "" for it), so that no finding gives
// it away in another form (its host, its tenant, its token version).
struct Facts {
  const Result& r;
  const Policy& p;
  std::vector<std::string> issuers;  // policy + discovered

  bool has_claims() const { return r.claims_available; }
  bool masked(std::string_view name) const { return jwtgate::masked(r.mask.get(), name); }
  // str: a string claim's value to reason with; "" when absent, not a
  // string, or masked. Never written as it is: see json().
  std::string str(std::string_view name) const {
    if (!r.claims_available || masked(name)) return "";
    std::string_view v;
    if (r.token.payload[name].get_string().get(v)) return "";
    return std::string(v);
  }
  bool has(std::string_view name) const {
    element e;
    return r.claims_available && !r.token.payload[name].get(e) && !e.is_null();
  }
  // json: the claim's value for a sentence (claims/claim_text.h).
  std::string json(std::string_view name) const {
    element e;
    if (!r.claims_available || r.token.payload[name].get(e)) return "(absent)";
    return claim_value(r.mask.get(), name, e, 160);
  }
  // version: token_version, unless the claims it reads (ver, iss) are masked.
  std::string version() const {
    if (!r.claims_available || masked("ver") || masked("iss")) return "";
    return token_version(r.token.payload);
  }
  bool header_has(std::string_view name) const {
    element e;
    return r.header_available && !r.token.header[name].get(e);
  }
  const Failure* failed(jwtgate_reason reason, std::string_view subject = {}) const {
    for (const Failure& f : r.failures)
      if (f.reason == reason && (subject.empty() || subject_is(f.subject, subject))) return &f;
    return nullptr;
  }
  bool alg_is_hmac() const {
    return r.header_available && r.token.alg != Alg::Unknown && alg_family(r.token.alg) == AlgFamily::HMAC;
  }
};

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string host_of(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  start += 3;
  size_t end = url.find('/', start);
  return std::string(url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

// The first GUID-shaped path segment of an issuer URL: the tenant.
std::string tenant_of(std::string_view url) {
  size_t pos = url.find("://");
  if (pos == std::string_view::npos) return "";
  pos = url.find('/', pos + 3);
  while (pos != std::string_view::npos) {
    size_t end = url.find('/', pos + 1);
    std::string_view seg = url.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
    if (is_guid(seg)) return std::string(seg);
    pos = end;
  }
  return "";
}

// quoted_values: the policy's (or a discovery document's) values, each quoted.
std::string quoted_values(const std::vector<std::string>& v) {
  return v.empty() ? "(none)" : quoted_list(v);
}

// rule_for: the required claim a failure's subject names.
const RequiredClaim* rule_for(const Policy& p, std::string_view subject) {
  for (const auto& c : p.required_claims)
    if (subject_is(subject, c.name)) return &c;
  return nullptr;
}

// The allowed values for a claim compared against aud: <audiences> or a
// required claim "aud" (the article's form).
std::vector<std::string> allowed_audiences(const Policy& p) {
  std::vector<std::string> v = p.audiences;
  if (const RequiredClaim* c = rule_for(p, "aud")) v.insert(v.end(), c->values.begin(), c->values.end());
  return v;
}

void add(std::vector<Finding>& out, int rank, std::string code, std::string title, std::string evidence,
         std::string fix) {
  out.push_back({std::move(code), std::move(title), std::move(evidence), std::move(fix), rank});
}

// ---------------------------------------------------------------- checks

void list_checks(const Facts& f, std::vector<Check>& checks) {
  const Result& r = f.r;
  auto failure_text = [&](std::initializer_list<jwtgate_reason> reasons, std::string_view subject = {}) {
    for (const Failure& x : r.failures)
      for (jwtgate_reason want : reasons)
        if (x.reason == want && (subject.empty() || subject_is(x.subject, subject))) return x.detail;
    return std::string();
  };
  auto check = [&](std::string name, std::string fail, std::string pass_evidence) {
    checks.push_back({std::move(name), fail.empty(), fail.empty() ? std::move(pass_evidence) : std::move(fail)});
  };
  const auto source_failures = {JWTGATE_REASON_TOKEN_NOT_PRESENT, JWTGATE_REASON_SCHEME_MISMATCH,
                                 JWTGATE_REASON_DUPLICATE_TOKEN};
  check("token present", failure_text(source_failures), "from " + r.token_source);
  if (failure_text(source_failures).size()) return;
  // An encrypted token: decryption comes first; the checks below are those
  // of the signed token inside it.
  const auto jwe_failures = {JWTGATE_REASON_JWE_DECRYPTION_FAILED, JWTGATE_REASON_JWE_ALGORITHM_REFUSED,
                             JWTGATE_REASON_ENCRYPTION_REQUIRED, JWTGATE_REASON_ENCRYPTION_FORBIDDEN,
                             JWTGATE_REASON_JWE_NOT_SUPPORTED};
  const std::string jwe_fail = failure_text(jwe_failures);
  if (!jwe_fail.empty()) {
    check("decryption", jwe_fail, "");
    return;
  }
  if (r.encrypted && r.jwe.key())
    check("decryption", "",
          "JWE " + escaped(r.jwe.header().alg_name) + " + " + escaped(r.jwe.header().enc_name) +
              " decrypted with " + r.jwe.key()->origin);
  std::string format_fail;
  for (const Failure& x : r.failures)
    if (x.reason >= JWTGATE_REASON_MALFORMED && x.reason <= JWTGATE_REASON_B64_UNSUPPORTED &&
        x.reason != JWTGATE_REASON_ALG_UNKNOWN && x.reason != JWTGATE_REASON_ALG_NOT_ALLOWED) {
      format_fail = std::string(reason_name(x.reason)) + ": " + x.detail;
      break;
    }
  check("format", format_fail, "compact JWS, strict base64url, JSON objects, header accepted");
  if (!format_fail.empty()) return;
  check("algorithm", failure_text({JWTGATE_REASON_ALG_UNKNOWN, JWTGATE_REASON_ALG_NOT_ALLOWED}),
        "alg " + escaped(r.token.alg_name) + " is allowed");
  if (!f.p.ext.typ.empty())
    check("typ", failure_text({JWTGATE_REASON_TYP_MISMATCH}), "typ matches " + jwtgate::quoted(f.p.ext.typ));
  std::string sig_ok = r.cache_hit ? "verified earlier (cache)"
                                   : "verified" + (r.key ? " with " + r.key->origin : std::string());
  check("signature",
        failure_text({JWTGATE_REASON_SIGNATURE_MISSING, JWTGATE_REASON_SIGNATURE_INVALID, JWTGATE_REASON_KEY_NOT_FOUND,
                      JWTGATE_REASON_NO_KEYS, JWTGATE_REASON_KEYS_UNAVAILABLE}),
        sig_ok);
  check("claim types", failure_text({JWTGATE_REASON_CLAIM_TYPE_INVALID}),
        "iss, sub and jti are strings, aud a string or an array of strings (RFC 7519 section 4.1)");
  std::string exp_fail = failure_text({JWTGATE_REASON_EXPIRED, JWTGATE_REASON_EXP_MISSING,
                                       JWTGATE_REASON_TIME_CLAIM_INVALID}, "exp");
  check("exp", exp_fail, f.has("exp") ? "exp " + f.json("exp") + " is in the future" : "no exp (not required)");
  if (f.has("nbf") || f.failed(JWTGATE_REASON_NOT_YET_VALID))
    check("nbf", failure_text({JWTGATE_REASON_NOT_YET_VALID, JWTGATE_REASON_TIME_CLAIM_INVALID}, "nbf"),
          "nbf " + f.json("nbf") + " has passed");
  if (f.has("iat") || f.failed(JWTGATE_REASON_TIME_CLAIM_INVALID, "iat") || f.failed(JWTGATE_REASON_IAT_IN_FUTURE))
    check("iat", failure_text({JWTGATE_REASON_IAT_IN_FUTURE, JWTGATE_REASON_TIME_CLAIM_INVALID}, "iat"),
          "iat " + f.json("iat") + " is a NumericDate");
  if (!f.p.audiences.empty())
    check("aud", failure_text({JWTGATE_REASON_AUDIENCE_NOT_ALLOWED}),
          "aud " + f.json("aud") + " is among " + quoted_values(f.p.audiences));
  if (!f.issuers.empty())
    check("iss", failure_text({JWTGATE_REASON_ISSUER_NOT_ALLOWED}),
          "iss " + f.json("iss") + " is among " + quoted_values(f.issuers));
  for (const RequiredClaim& c : f.p.required_claims)
    check("claim " + escaped(c.name),
          failure_text({JWTGATE_REASON_CLAIM_NOT_FOUND, JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED}, c.name),
          escaped(c.name) + " " + f.json(c.name) + " satisfies match=\"" + (c.match_all ? "all" : "any") +
              "\" of " + quoted_values(c.values));
  if (!f.p.client_application_ids.empty())
    check("client application", failure_text({JWTGATE_REASON_CLIENT_NOT_ALLOWED}),
          "azp/appid is among " + quoted_values(f.p.client_application_ids));
}

// -------------------------------------------------------------- findings

void token_source_findings(const Facts& f, std::vector<Finding>& out) {
  const Result& r = f.r;
  if (const Failure* x = f.failed(JWTGATE_REASON_TOKEN_NOT_PRESENT))
    add(out, 10, "token_not_present", "No token was found in " + r.token_source,
        x->detail,
        f.p.source == TokenSourceKind::Header
            ? "Send it as \"" + f.p.header_name + ": Bearer <token>\", or correct header-name in the policy."
            : "Send the token where the policy looks for it, or correct the policy's token source.");
  if (const Failure* x = f.failed(JWTGATE_REASON_DUPLICATE_TOKEN))
    add(out, 1, "duplicate_token", "The request carries the token more than once", x->detail,
        "Send the token once. The client, or a proxy in front of jwtgate, adds it twice: a repeated "
        "header, a header holding a comma-separated list (proxies join repeated headers that way), "
        "or a query parameter given twice or under a name a backend reads as the same one. It is "
        "refused because a backend reading another copy than the one validated would act on a "
        "token nobody checked.");
  if (const Failure* x = f.failed(JWTGATE_REASON_SCHEME_MISMATCH))
    add(out, 10, "scheme_missing", "The Authorization header lacks the required \"" + f.p.require_scheme + "\" scheme",
        x->detail, "Send \"Authorization: " + f.p.require_scheme + " <token>\".");
  const std::string_view tok = r.token.compact;
  if (!r.failures.empty() && (r.failures[0].reason == JWTGATE_REASON_BAD_BASE64URL ||
                              r.failures[0].reason == JWTGATE_REASON_MALFORMED) &&
      (starts_with(tok, "Bearer ") || starts_with(tok, "bearer ")))
    add(out, 5, "scheme_in_token", "The token value starts with \"Bearer \"",
        "the token taken from " + r.token_source + " begins with the scheme",
        "A custom header or token-value must carry the bare token: remove \"Bearer \" (APIM says the same).");
}

void format_findings(const Facts& f, std::vector<Finding>& out) {
  if (f.r.failures.empty()) return;
  const Failure& first = f.r.failures[0];
  if (first.reason == JWTGATE_REASON_JWE_NOT_SUPPORTED)
    add(out, 10, "encrypted_token", "The token is encrypted (JWE, five segments)",
        first.detail,
        "Entra token encryption (tokenEncryptionKeyId) or a custom JWE is in use. Give the policy "
        "the private key of the encryption certificate (<decryption-keys><key certificate-id=...>, "
        "registered with --decryption-key ID=FILE or jwtgate_load_options_add_decryption_key), or "
        "turn token encryption off for this API.");
  // The step that failed is for the operator only: the result's reason and
  // detail, which go back to clients, never name it (docs/jwe.md).
  if (first.reason == JWTGATE_REASON_JWE_DECRYPTION_FAILED)
    add(out, 10, "decryption_failed", "The encrypted token could not be decrypted",
        std::string("local diagnosis: ") + decrypt_step_text(f.r.jwe.step()),
        "Check that the policy's decryption key is the private key of the certificate the "
        "issuer encrypts to (Entra: tokenEncryptionKeyId), and that the token reached jwtgate "
        "unmodified.");
  if (first.reason == JWTGATE_REASON_MALFORMED && !contains(first.detail, "JSON serialization") &&
      !starts_with(f.r.token.compact, "Bearer"))
    add(out, 30, "not_a_jwt", "This is not a signed JWT", first.detail,
        "Send the access token itself (three base64url parts separated by dots), not an opaque "
        "reference token, an ID token's URL-encoded form, or a truncated copy.");
  if (first.reason == JWTGATE_REASON_ALG_NONE || first.reason == JWTGATE_REASON_SIGNATURE_MISSING)
    add(out, 10, "unsigned_token", "The token is not signed", first.detail,
        "Tokens must be signed (require-signed-tokens); unsigned tokens are always refused.");
}

void signature_findings(const Facts& f, std::vector<Finding>& out) {
  const Result& r = f.r;
  if (!r.header_available) return;
  const std::string alg = escaped(r.token.alg_name, 64);
  std::string aud = f.str("aud");
  const bool graph = f.header_has("nonce") || aud == kGraphAppId || starts_with(aud, "https://graph.microsoft.com");
  const bool sig_failed = f.failed(JWTGATE_REASON_SIGNATURE_INVALID) || f.failed(JWTGATE_REASON_KEY_NOT_FOUND);
  if (graph && (sig_failed || f.failed(JWTGATE_REASON_AUDIENCE_NOT_ALLOWED) || f.failed(JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED, "aud")))
    add(out, 1, "graph_token", "This is a Microsoft Graph token; only Graph can validate it",
        std::string(f.header_has("nonce") ? "the header has a \"nonce\" (Graph signs a transformed nonce); " : "") +
            "aud is " + f.json("aud"),
        "Request a token for your own API: scope \"api://<your-api-client-id>/.default\" (client "
        "credentials) or one of your API's scopes, not https://graph.microsoft.com/.default.");

  // HS256 presented to keys that are all asymmetric: either a forged token
  // (algorithm confusion) or an issuer configured for HMAC.
  if (f.alg_is_hmac() && (f.failed(JWTGATE_REASON_KEY_NOT_FOUND) || f.failed(JWTGATE_REASON_ALG_NOT_ALLOWED) ||
                          f.failed(JWTGATE_REASON_SIGNATURE_INVALID))) {
    bool any_secret = false;
    if (f.p.signing_keys)
      for (const Key& k : f.p.signing_keys->keys()) any_secret = any_secret || k.type == KeyType::Oct;
    if (!any_secret)
      add(out, 5, "hmac_against_public_keys", alg + " token, but the policy's keys are public keys",
          "header alg " + alg + "; no symmetric key is configured",
          "An RSA/EC public key can never verify an HMAC token (that is the algorithm-confusion attack). "
          "If the issuer really signs with a shared secret, put it base64-encoded in "
          "<issuer-signing-keys><key>...</key>; otherwise the token is forged or from another issuer.");
  }

  if (const Failure* x = f.failed(JWTGATE_REASON_ALG_NOT_ALLOWED))
    add(out, 20, "algorithm_not_allowed", "Algorithm " + alg + " is not allowed by the policy", x->detail,
        "APIM documents PS256, RS256, RS512, ES256 and HS256. If the issuer must use " + alg +
            ", allow it with jwtgate's \"algorithms\" extension, knowing APIM itself may refuse it.");

  if (const Failure* x = f.failed(JWTGATE_REASON_KEY_NOT_FOUND); x && r.token.has_kid) {
    std::string iss = f.str("iss");
    std::string evidence = "token kid " + jwtgate::quoted(r.token.kid, 64) + "; " + x->detail;
    std::string fix =
        "Causes, most likely first: (1) the signing key rotated and the key set is older than the "
        "token (jwtgate and APIM refetch on an unknown kid at most once per 5 minutes); (2) the "
        "openid-config points at another tenant, cloud or token version than the token's issuer";
    if (!iss.empty()) fix += " (token iss " + f.json("iss") + ")";
    fix += "; (3) the app uses custom signing keys (claims mapping): append ?appid=<client-id> to the "
           "metadata URL; (4) a B2C or External ID token checked against workforce metadata.";
    if (f.header_has("x5t") && !f.header_has("nonce") && f.version() == "Entra ID v1.0")
      fix += " v1.0 tokens are signed by keys listed at /common/discovery/keys; v2.0 metadata lists "
             "/discovery/v2.0/keys.";
    add(out, graph ? 40 : 15, "unknown_kid", "No key has the token's kid", evidence, fix);
  }
  if (const Failure* x = f.failed(JWTGATE_REASON_NO_KEYS))
    add(out, 10, "no_keys", "The policy has no keys", x->detail,
        "Add <openid-config url=\".../.well-known/openid-configuration\"/> or <issuer-signing-keys>.");

  // HS256 with a secret that verifies only when read as raw text: the
  // policy's <key> must hold the secret base64-encoded (case 14). Diagnostic
  // only: the token stays invalid.
  if (f.alg_is_hmac() && f.failed(JWTGATE_REASON_SIGNATURE_INVALID) && r.token.signature_len) {
    for (const PolicyKey& pk : f.p.issuer_signing_keys) {
      if (pk.value.empty()) continue;
      Key raw;
      if (!make_secret_key(reinterpret_cast<const uint8_t*>(pk.value.data()), pk.value.size(), raw)) continue;
      KeyRules lenient;
      lenient.min_hmac_bits = 128;
      if (key_compatible(raw, r.token.alg, lenient, nullptr) &&
          verify_signature(raw, r.token.alg, r.token.signing_input, r.token.signature, r.token.signature_len)) {
        add(out, 3, "hmac_key_not_base64", "The HMAC secret in the policy is not base64-encoded",
            "the token verifies when the <key> text is used as raw bytes instead of base64",
            "APIM expects <key> to hold the secret base64-encoded: put base64(secret) there.");
        break;
      }
    }
  }
}

void lifetime_findings(const Facts& f, std::vector<Finding>& out) {
  const int64_t skew = f.p.clock_skew;
  double exp = 0, nbf = 0;
  if (f.failed(JWTGATE_REASON_EXPIRED) && read_numeric_date(f.r.token.payload, "exp", &exp) > 0) {
    const Failure* x = f.failed(JWTGATE_REASON_EXPIRED);
    std::string fix = "Get a fresh token (Entra access tokens live 60-90 minutes).";
    if (!f.masked("exp") &&
        (x->detail.find(" s before") != std::string::npos || x->detail.find(" min ") == std::string::npos))
      fix += " It expired moments ago: if clocks drift, a small clock-skew (e.g. 60-300 s) helps; "
             "clock-skew is " + std::to_string(skew) + " s (APIM's default is 0).";
    add(out, 10, "expired", "The token has expired", x->detail, fix);
  }
  if (const Failure* x = f.failed(JWTGATE_REASON_NOT_YET_VALID); x && read_numeric_date(f.r.token.payload, "nbf", &nbf) > 0)
    add(out, 10, "not_yet_valid", "The token is not valid yet", x->detail,
        "The issuer's clock is ahead of this machine's: fix NTP on both, or set clock-skew to cover "
        "the difference (clock-skew is " + std::to_string(skew) + " s).");
  if (const Failure* x = f.failed(JWTGATE_REASON_EXP_MISSING))
    add(out, 20, "exp_missing", "The token has no expiry", x->detail,
        "Issue tokens with exp, or set require-expiration-time=\"false\" (discouraged).");
}

void issuer_findings(const Facts& f, std::vector<Finding>& out) {
  const Failure* x = f.failed(JWTGATE_REASON_ISSUER_NOT_ALLOWED);
  if (!x || !f.has_claims()) return;
  const std::string iss = f.str("iss");
  const std::string version = f.version();
  bool policy_v2 = false, policy_v1 = false;
  std::string policy_host, policy_tenant;
  for (const auto& i : f.issuers) {
    policy_v2 = policy_v2 || (contains(i, "login.microsoftonline") && contains(i, "/v2.0"));
    policy_v1 = policy_v1 || contains(i, "sts.windows.net") || contains(i, "sts.chinacloudapi.cn");
    if (policy_host.empty()) policy_host = host_of(i);
    if (policy_tenant.empty()) policy_tenant = tenant_of(i);
  }
  const std::string type = issuer_type(iss);
  if (version == "Entra ID v1.0" && policy_v2 && !policy_v1)
    add(out, 1, "token_version_mismatch", "A v1.0 token was checked against a v2.0 policy",
        "token iss " + f.json("iss") + " (ver " + f.json("ver") + "); the policy accepts " + quoted_values(f.issuers),
        "The API's app registration issues v1.0 tokens (accessTokenAcceptedVersion is null or 1). "
        "Set \"accessTokenAcceptedVersion\": 2 in the API's manifest (the API, not the client), or "
        "point openid-config at the v1.0 metadata, or add " + f.json("iss") + " to <issuers>.");
  else if (version == "Entra ID v2.0" && policy_v1 && !policy_v2)
    add(out, 1, "token_version_mismatch", "A v2.0 token was checked against a v1.0 policy",
        "token iss " + f.json("iss") + "; the policy accepts " + quoted_values(f.issuers),
        "Use the v2.0 metadata (.../{tenant}/v2.0/.well-known/openid-configuration) or add the v2.0 "
        "issuer to <issuers>; or set the API's accessTokenAcceptedVersion back to 1.");
  const std::string tenant = tenant_of(iss);
  if (!tenant.empty() && !policy_tenant.empty() && tenant != policy_tenant &&
      host_of(iss) == policy_host)
    add(out, 5, "wrong_tenant", "The token comes from another tenant",
        "token tenant " + tenant + " (tid " + f.json("tid") + "); the policy's tenant is " + policy_tenant,
        "Get the token from the API's own tenant (check the authority URL of the token request). For a "
        "multi-tenant API, use the organizations metadata and restrict tenants with a tid required claim.");
  const std::string ihost = host_of(iss);
  if (starts_with(type, "Entra ID (US") || starts_with(type, "Entra ID (China")) {
    if (!policy_host.empty() && ihost != policy_host)
      add(out, 5, "sovereign_cloud", "The token comes from a national cloud (" + type + ")",
          "token iss host " + escaped(ihost) + "; the policy expects " + escaped(policy_host),
          "Point openid-config at that cloud's metadata, or set authentication-endpoint in "
          "validate-azure-ad-token.");
  }
  if (starts_with(type, "Azure AD B2C") || starts_with(type, "Entra External ID"))
    add(out, 5, "b2c_or_ciam_token", "This is a " + type + " token",
        "token iss " + f.json("iss") + "; the policy accepts " + quoted_values(f.issuers),
        "Use validate-jwt with the " + std::string(starts_with(type, "Azure") ? "B2C user flow's" : "ciamlogin.com") +
            " metadata URL as openid-config; workforce (login.microsoftonline.com) metadata does not "
            "list these issuers or keys.");
  for (const auto& i : f.issuers)
    if (contains(i, "{tenantid}")) {
      const std::string tid = f.str("tid");
      add(out, 15, "multi_tenant_template", "The issuer is Entra's multi-tenant template",
          "allowed issuer " + jwtgate::quoted(i) + " with the token's tid " + f.json("tid") +
              " substituted gives a different iss than " + f.json("iss"),
          is_guid(tid) ? "The token's iss must be exactly the template with its own tid; a mismatch means "
                         "the token's tid and iss disagree (tampering or a non-Entra issuer)."
                       : "The token's tid must be a GUID for the template to apply.");
      break;
    }
}

void audience_findings(const Facts& f, std::vector<Finding>& out) {
  const bool aud_failed = f.failed(JWTGATE_REASON_AUDIENCE_NOT_ALLOWED) ||
                          f.failed(JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED, "aud");
  if (!aud_failed || !f.has_claims()) return;
  const std::string aud = f.str("aud");
  const std::vector<std::string> allowed = allowed_audiences(f.p);
  for (const auto& a : allowed) {
    const bool token_uri_policy_guid = starts_with(aud, "api://") && is_guid(a) && contains(aud, a);
    const bool token_guid_policy_uri = is_guid(aud) && starts_with(a, "api://") && contains(a, aud);
    if (token_uri_policy_guid || token_guid_policy_uri) {
      add(out, 2, "audience_form", "The audience is the App ID URI on one side and the GUID on the other",
          "token aud " + f.json("aud") + " (" + f.version() + "); the policy allows " + quoted_values(allowed),
          "v1.0 tokens carry whatever resource the client asked for (api://... or the GUID); v2.0 "
          "tokens always carry the GUID. List both forms in <audiences>, or make the API issue v2.0 "
          "tokens (accessTokenAcceptedVersion 2).");
      return;
    }
  }
  if (!aud.empty() && (aud == kGraphAppId || starts_with(aud, "https://graph.microsoft.com"))) return;  // graph_token
  add(out, 25, "audience_mismatch", "The token was issued for another audience",
      "token aud " + f.json("aud") + "; the policy allows " + quoted_values(allowed),
      "Request the token for this API (scope \"<api app id or App ID URI>/.default\"), or add the "
      "token's audience to <audiences> if this API should accept it. Comparison is exact: case and "
      "a trailing slash matter.");
}

void claim_findings(const Facts& f, std::vector<Finding>& out) {
  if (!f.has_claims()) return;
  const bool app_only = f.str("idtyp") == "app" || (!f.has("scp") && (f.has("azp") || f.has("appid")));
  for (const Failure& x : f.r.failures) {
    const RequiredClaim* rule = rule_for(f.p, x.subject);
    // The claim's name for a sentence: the policy's, quoted.
    const std::string qname = jwtgate::quoted(rule ? std::string_view(rule->name) : std::string_view(x.subject));
    if (x.reason == JWTGATE_REASON_CLAIM_NOT_FOUND) {
      const std::string& name = x.subject;
      if (name == "roles" && app_only)
        add(out, 2, "roles_missing_app_only", "The app-only token has no roles: no app role was granted",
            "no \"roles\" claim; idtyp " + f.json("idtyp") + ", scp " + f.json("scp"),
            "Define an app role on the API registration, add it to the client as an application "
            "permission and grant admin consent (that creates the assignment). With \"Assignment "
            "required?\" on the API's enterprise app and no assignment, token requests fail with "
            "AADSTS501051 instead.");
      else if (name == "scp" && (f.has("roles") || app_only))
        add(out, 3, "scp_on_app_only_token", "The policy requires scp, but this is an app-only token",
            "no \"scp\" claim; roles " + f.json("roles") + ", idtyp " + f.json("idtyp"),
            "scp is only issued for user (delegated) tokens. Client-credentials callers get roles: "
            "require roles for daemons, or use a separate policy.");
      else if ((name == "appid" && f.has("azp")) || (name == "azp" && f.has("appid")) ||
               (name == "appidacr" && f.has("azpacr")) || (name == "azpacr" && f.has("appidacr")) ||
               ((name == "upn" || name == "unique_name") && f.has("preferred_username")) ||
               (name == "preferred_username" && (f.has("upn") || f.has("unique_name"))))
        add(out, 3, "claim_name_version", qname + " is the other token version's claim name",
            "the token is " + f.version() + " and has its sibling claim",
            "v1.0 uses appid/appidacr/unique_name/upn; v2.0 uses azp/azpacr/preferred_username. Use the "
            "name of the version the API issues, or align the token version.");
      else if (name == "groups" && (f.has("_claim_names") || f.has("hasgroups")))
        add(out, 2, "groups_overage", "Groups overage: the user's groups did not fit in the token",
            "_claim_names " + f.json("_claim_names") + (f.has("hasgroups") ? ", hasgroups true" : ""),
            "Entra replaces groups by _claim_names above 200 groups. Use app roles, or emit only "
            "\"groups assigned to the application\", or look groups up server-side.");
      else
        add(out, 30, "claim_missing", "The token has no " + qname + " claim", x.detail,
            "Check the app registration issues it (optional claims, app roles, scopes), or drop it "
            "from <required-claims>.");
      continue;
    }
    if (x.reason != JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED || !rule) continue;
    if (x.subject == "aud") continue;  // audience_findings
    const std::string text = f.str(rule->name);
    if (rule->separator.empty() && contains(text, " ")) {
      add(out, 2, "separator_missing", qname + " holds a space-separated list, but the policy compares it whole",
          escaped(rule->name) + " is " + f.json(rule->name) + "; the claim rule has no separator",
          "Add separator=\" \" to <claim name=" + qname + "> (and match=\"any\" if one value "
          "is enough).");
      continue;
    }
    if (rule->match_all && rule->values.size() > 1 && contains(x.detail, "(present: "))
      add(out, 4, "match_all_not_any", "match=\"all\" needs every listed value; the token has only some",
          x.detail, "If one value is enough, set match=\"any\" (the default is \"all\").");
    else if (x.subject == "azp" || x.subject == "appid")
      add(out, 3, "client_not_allowed", "The calling application is not in the allowed list",
          x.subject + " " + f.json(rule->name) + "; allowed " + quoted_values(rule->values),
          "Add the client's application (client) ID to the list, or call with an allowed client.");
    else
      add(out, 30, "claim_value", qname + " has no allowed value", x.detail,
          "Grant the caller the needed scope or role, or adjust the policy's values.");
  }
  if (const Failure* x = f.failed(JWTGATE_REASON_CLIENT_NOT_ALLOWED))
    add(out, 3, "client_not_allowed", "The calling application is not in client-application-ids", x->detail,
        "Add the client's application ID to <client-application-ids>, or call with an allowed client.");
}

}  // namespace

Diagnosis diagnose(const Result& r, const Policy& p) {
  Diagnosis d;
  Facts f{r, p, p.issuers};
  for (const auto& i : p.discovered_issuers)
    if (std::find(f.issuers.begin(), f.issuers.end(), i) == f.issuers.end()) f.issuers.push_back(i);
  d.valid = r.valid;
  d.token_version = f.version();
  std::string_view iss;
  if (r.claims_available && !f.masked("iss") && !r.token.payload["iss"].get_string().get(iss))
    d.issuer_type = issuer_type(iss);
  list_checks(f, d.checks);
  if (!r.valid) {
    token_source_findings(f, d.findings);
    format_findings(f, d.findings);
    signature_findings(f, d.findings);
    lifetime_findings(f, d.findings);
    issuer_findings(f, d.findings);
    audience_findings(f, d.findings);
    claim_findings(f, d.findings);
    std::stable_sort(d.findings.begin(), d.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.rank < b.rank; });
  }
  return d;
}

Diagnosis diagnose_policy_errors(const std::string& errors) {
  Diagnosis d;
  if (errors.find("named value {{") != std::string::npos)
    add(d.findings, 1, "named_value_unresolved", "The policy uses a named value that was not supplied",
        errors, "Supply it (--named-value NAME=VALUE or --named-values FILE). In APIM, check the named "
        "value exists with exactly that display name; a literal {{...}} left in a URL or issuer breaks "
        "validation for every token.");
  if (errors.find("cannot run outside API Management") != std::string::npos)
    add(d.findings, 2, "policy_expression", "The policy holds a policy expression",
        errors, "Expressions are C# that only APIM runs: supply the value it stands for with "
        "--expression-value '@(...)=VALUE'.");
  if (errors.find("discovery document") != std::string::npos || errors.find("openid-config") != std::string::npos)
    add(d.findings, 3, "openid_config_unusable", "The openid-config metadata is unusable", errors,
        "Point openid-config at .../.well-known/openid-configuration (not at the JWKS URL), and "
        "check the gateway can reach it.");
  if (d.findings.empty())
    add(d.findings, 50, "policy_invalid", "The policy does not load", errors,
        "Fix the errors listed (line:column: element path: message).");
  for (Finding& f : d.findings) f.multiline = true;  // the error list, a line per error
  return d;
}

namespace {

// field appends one field of a finding or check for a person. Values in it
// are escaped where they quote the token already; what still is a control
// character is escaped here (a second line of defence: a line break too),
// except in a |multiline| field (a policy's error list), whose lines
// continue indented by |indent|. Every line of the text is one of its own.
void field(std::string& out, std::string_view text, std::string_view indent, bool multiline = false) {
  const std::string safe = controls_escaped(text, multiline);
  size_t start = 0;
  while (start <= safe.size()) {
    size_t end = safe.find('\n', start);
    if (end == std::string::npos) end = safe.size();
    if (start > 0) {
      if (end == start && end == safe.size()) break;  // a final newline
      out += '\n';
      out += indent;
    }
    out.append(safe, start, end - start);
    start = end + 1;
  }
}

}  // namespace

std::string diagnosis_text(const Diagnosis& d, bool color) {
  const char* red = color ? "\033[31m" : "";
  const char* green = color ? "\033[32m" : "";
  const char* bold = color ? "\033[1m" : "";
  const char* off = color ? "\033[0m" : "";
  constexpr std::string_view kIndent = "               ";
  std::string out;
  if (!d.token_version.empty() || !d.issuer_type.empty()) {
    out += "token: ";
    field(out, d.token_version.empty() ? std::string("not an Entra ID token") : d.token_version, kIndent);
    if (!d.issuer_type.empty()) {
      out += ", issuer ";
      field(out, d.issuer_type, kIndent);
    }
    out += "\n";
  }
  if (!d.findings.empty()) {
    out += std::string(bold) + "likely causes, most likely first:" + off + "\n";
    int n = 0;
    for (const Finding& f : d.findings) {
      out += std::string("  ") + std::to_string(++n) + ". " + bold;
      field(out, f.title, kIndent);
      out += std::string(off) + "\n";
      out += "     evidence: ";
      field(out, f.evidence, kIndent, f.multiline);
      out += "\n     fix:      ";
      field(out, f.fix, kIndent);
      out += "\n";
    }
  }
  if (!d.checks.empty()) {
    out += std::string(bold) + "checks:" + off + "\n";
    for (const Check& c : d.checks) {
      out += std::string("  ") + (c.passed ? green : red) + (c.passed ? "pass " : "FAIL ") + off;
      field(out, c.name, kIndent);
      out += ": ";
      field(out, c.evidence, kIndent);
      out += "\n";
    }
  }
  return out;
}

std::string diagnosis_json(const Diagnosis& d) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("valid").value(d.valid);
  w.key("token_version").value(d.token_version);
  w.key("issuer_type").value(d.issuer_type);
  w.key("findings").begin_array();
  for (const Finding& f : d.findings)
    w.begin_object()
        .key("code").value(f.code)
        .key("title").value(f.title)
        .key("evidence").value(f.evidence)
        .key("fix").value(f.fix)
        .end_object();
  w.end_array();
  w.key("checks").begin_array();
  for (const Check& c : d.checks)
    w.begin_object().key("name").value(c.name).key("passed").value(c.passed).key("evidence").value(c.evidence).end_object();
  w.end_array();
  w.end_object();
  return out;
}

}  // namespace jwtgate
