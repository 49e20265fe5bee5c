// Family 4: the wrong kind of token. From what the token says about itself
// (token_kind.h) and what failed.
#include "core/quote.h"
#include "core/text_match.h"
#include "diagnose/facts.h"
#include "jwe/key_management.h"

namespace jwtgate {

namespace {

// policy_family: the family of the issuers the policy trusts (the first one
// that tells), for a token that names no issuer of its own.
IssuerFamily policy_family(const Facts& f) {
  for (const std::string& i : f.allowed_issuers()) {
    const IssuerFamily fam = classify_issuer(i).family;
    if (fam != IssuerFamily::Other && fam != IssuerFamily::Unknown) return fam;
  }
  for (const OpenIdConfig& c : f.p.openid_configs) {
    const IssuerFamily fam = classify_issuer(c.url.substr(0, c.url.find("/.well-known"))).family;
    if (fam != IssuerFamily::Other && fam != IssuerFamily::Unknown) return fam;
  }
  return IssuerFamily::Unknown;
}

// The audience the policy wants, for "request a token for ...".
std::string wanted_audience(const Facts& f) {
  if (!f.p.audiences.empty()) return f.p.audiences[0];
  for (const RequiredClaim& c : f.p.required_claims)
    if (c.name == "aud" && !c.values.empty()) return c.values[0];
  if (!f.p.backend_application_ids.empty()) return f.p.backend_application_ids[0];
  return "<your API>";
}

// What to send instead of an ID token, per issuer family.
constexpr FamilyText kIdTokenFix[] = {
    {family_bit(IssuerFamily::Entra) | family_bit(IssuerFamily::MicrosoftAccount) | family_bit(IssuerFamily::ExternalId), "Request an access token for the API (MSAL acquireToken with scope \"api://<API client ID>/<scope>\" or \".../.default\") and send the access_token, not the id_token: the ID token's aud is the client's own ID."},
    {family_bit(IssuerFamily::AzureAdB2C), "Add one of the API's scopes to the B2C sign-in request and send the access_token of the response, not the id_token (whose aud is the client's own application ID)."},
    {family_bit(IssuerFamily::Auth0), "Pass audience=\"<API identifier>\" when logging in and send the access token (getAccessTokenSilently), not the ID token, whose aud is the client ID."},
    {family_bit(IssuerFamily::Okta), "Send the access token of a custom authorization server (issuer .../oauth2/default or your own), not the ID token, whose aud is the client ID."},
    {family_bit(IssuerFamily::Cognito), "Send the access token (token_use \"access\"): Cognito's ID tokens carry aud = app client ID, its access tokens carry client_id and scope."},
    {family_bit(IssuerFamily::Keycloak), "Send the access_token of the token response (typ \"Bearer\"), not the id_token (typ \"ID\")."},
    {family_bit(IssuerFamily::Google), "Google ID tokens are the usual credential for your own backend only when the API expects them: then list the OAuth client ID they carry in aud among the audiences; otherwise send a token of the API's own issuer."},
};

// How to get a JWT instead of an opaque token, per issuer family.
constexpr FamilyText kOpaqueFix[] = {
    {family_bit(IssuerFamily::Google), "Google's OAuth access tokens are always opaque: if the API accepts Google sign-in, send the ID token (a JWT whose aud is your OAuth client ID) instead."},
    {family_bit(IssuerFamily::Auth0), "Auth0 issues an opaque token when the request names no audience: pass audience=\"<API identifier>\"."},
    {family_bit(IssuerFamily::Okta), "Request the token from an Okta custom authorization server, whose access tokens are JWTs."},
    {family_bit(IssuerFamily::Entra) | family_bit(IssuerFamily::MicrosoftAccount), "Entra access tokens for your API are JWTs: request your API's scope and send the access_token (a refresh token or an authorization code is not one)."},
};

bool audience_or_claims_failed(const Facts& f) {
  return f.failed(JWTGATE_REASON_AUDIENCE_NOT_ALLOWED) || f.failed(JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED) ||
         f.failed(JWTGATE_REASON_CLAIM_NOT_FOUND) || f.failed(JWTGATE_REASON_TYP_MISMATCH) ||
         f.failed(JWTGATE_REASON_CLIENT_NOT_ALLOWED);
}

void id_token(const Facts& f, Findings& out) {
  std::string evidence = joined(f.kind.signs, "; ");
  if (f.has("aud")) evidence += "; aud " + f.json("aud");
  std::string fix = "An ID token tells the client who signed in; an API needs an access token issued for it. ";
  if (const std::string_view advice = text_for_family(kIdTokenFix, f.family()); !advice.empty())
    fix += advice;
  else
    fix += "Send the access token of the token response for " + jwtgate::quoted(wanted_audience(f), 120) + ".";
  out.add(audience_or_claims_failed(f) ? 1 : 15, "id_token", "This is an ID token, not an access token", evidence,
          fix);
}

void microsoft_api(const Facts& f, Findings& out) {
  const std::string wanted = wanted_audience(f);
  const std::string request =
      "Request a token for your own API: scope \"api://<your-api-client-id>/.default\" (client credentials) or "
      "one of your API's scopes";
  if (f.kind.graph) {
    const bool sig_failed = f.failed(JWTGATE_REASON_SIGNATURE_INVALID) || f.failed(JWTGATE_REASON_KEY_NOT_FOUND);
    out.add(1, "graph_token", "This is a Microsoft Graph token; only Graph can validate it",
            joined(f.kind.signs, "; ") + (f.has("scp") ? "; scp " + f.json("scp") : std::string()) +
                (sig_failed ? "; the signature does not verify (as expected of a Graph token)" : ""),
            request + ", not https://graph.microsoft.com/.default or User.Read: the client forwarded the token it "
                      "got for Graph.");
    return;
  }
  out.add(audience_or_claims_failed(f) ? 1 : 10, "microsoft_api_token",
          "This is a token for " + f.kind.what + ", not for your API", joined(f.kind.signs, "; "),
          request + " (" + jwtgate::quoted(wanted, 120) + "), not " + f.kind.what +
              "'s: the client forwarded a token it got for another resource (az account get-access-token and "
              "managed identities default to Azure Resource Manager).");
}

void encrypted(const Facts& f, Findings& out) {
  std::string evidence = joined(f.kind.signs, "; ");
  if (!f.kind.what.empty()) evidence += "; header " + f.kind.what;
  std::string fix;
  if (f.kind.issuer == IssuerFamily::Auth0 || (f.kind.what.find("\"dir\"") != std::string::npos &&
                                                 policy_family(f) == IssuerFamily::Auth0)) {
    fix = "Auth0 encrypts the access token it issues for its own /userinfo endpoint when the request names no "
          "audience: pass audience=\"<API identifier>\" when requesting the token, and Auth0 issues a signed JWT "
          "for your API.";
  } else if (f.kind.issuer == IssuerFamily::Entra || policy_family(f) == IssuerFamily::Entra) {
    fix = "Entra token encryption is on for this API (tokenEncryptionKeyId in its registration), or a custom JWE "
          "is in use. Give the policy the private key of the encryption certificate (<decryption-keys><key "
          "certificate-id=...>, registered with --decryption-key ID=FILE or "
          "jwtgate_load_options_add_decryption_key), or turn token encryption off for the API.";
  } else {
    fix = "The issuer encrypts its tokens: give the policy the decryption key (<decryption-keys><key "
          "certificate-id=...>, registered with --decryption-key ID=FILE or "
          "jwtgate_load_options_add_decryption_key), or have the issuer sign without encrypting.";
  }
  out.add(1, "encrypted_token", "The token is encrypted (JWE, five segments)", evidence, fix);
}

void opaque(const Facts& f, Findings& out) {
  const IssuerFamily fam = f.kind.issuer != IssuerFamily::Unknown ? f.kind.issuer : policy_family(f);
  std::string title = "This is " + (f.kind.what.empty() ? std::string("an opaque (reference) token") : f.kind.what) +
                      ", not a JWT";
  std::string fix = "An opaque token can only be checked by its issuer (token introspection, RFC 7662); "
                    "validate-jwt needs a JWT access token. ";
  const std::string_view advice = text_for_family(kOpaqueFix, fam);
  fix += advice.empty() ? "Ask the issuer for JWT access tokens for this API, or introspect the token instead."
                        : advice;
  out.add(1, "opaque_token", title, joined(f.kind.signs, "; "), fix);
}

}  // namespace

void find_token_kind(const Facts& f, Findings& out) {
  // The step that failed is for the operator only: the result's reason and
  // detail, which go back to clients, never name it (docs/jwe.md).
  if (const Failure* x = f.failed(JWTGATE_REASON_JWE_DECRYPTION_FAILED)) {
    out.add(1, "decryption_failed", "The encrypted token could not be decrypted",
            std::string("local diagnosis: ") + decrypt_step_text(f.r.jwe.step()) + "; " + x->detail,
            "Check that the policy's decryption key is the private key of the certificate the issuer encrypts to "
            "(Entra: tokenEncryptionKeyId), and that the token reached jwtgate unmodified.");
    return;
  }
  const TokenKindEvidence& k = f.kind;
  switch (k.kind) {
    case TokenKind::Placeholder:
      out.add(1, "placeholder_token", "The token is a placeholder: the client sent a variable it never set",
              joined(k.signs, "; ") + ", taken from " + f.r.token_source,
              "Fix the client: the code that builds the header ran before the token was obtained, or read the "
              "wrong member of the token response (in JavaScript `Bearer ${token}` with an unset token gives "
              "\"Bearer undefined\"). Nothing in the policy is wrong.");
      return;
    case TokenKind::Encrypted:
      encrypted(f, out);
      return;
    case TokenKind::Refresh: {
      std::string fix = "A refresh token is for the issuer's token endpoint only: send the access_token of the "
                        "token response.";
      if (f.family() == IssuerFamily::Keycloak)
        fix += " Keycloak signs refresh tokens with a key it never publishes (HS256/HS512), so no key set can "
               "verify them.";
      out.add(1, "refresh_token", "This is a refresh token, not an access token",
              joined(k.signs, "; ") + (k.what.empty() ? "" : " (" + k.what + ")"), fix);
      return;
    }
    case TokenKind::Opaque:
      opaque(f, out);
      return;
    case TokenKind::Saml:
      out.add(1, "saml_token", "This is a SAML assertion, not a JWT", joined(k.signs, "; "),
              "validate-jwt validates JWTs. Request an OAuth 2.0 access token (a JWT) for the API, or exchange the "
              "assertion for one at the issuer (the SAML 2.0 bearer grant, RFC 7522; Entra's on-behalf-of flow "
              "accepts SAML assertions).");
      return;
    case TokenKind::NotAToken:
      break;
    case TokenKind::Id:
      if (k.strong) id_token(f, out);
      return;
    case TokenKind::MicrosoftApi:
      microsoft_api(f, out);
      return;
    case TokenKind::Access:
    case TokenKind::Unknown:
      break;
  }

  if (f.r.failures.empty()) return;
  const Failure& first = f.r.failures[0];
  if ((first.reason == JWTGATE_REASON_MALFORMED || first.reason == JWTGATE_REASON_BAD_BASE64URL ||
       first.reason == JWTGATE_REASON_BAD_JSON || first.reason == JWTGATE_REASON_NOT_JSON_OBJECT) &&
      !f.presented().empty() && !f.presented().starts_with("Bearer") && !f.presented().starts_with("bearer") &&
      !(first.reason == JWTGATE_REASON_BAD_BASE64URL && subject_is(first.subject, "signature") &&
        f.has_claims()))  // a JWT whose signature segment is damaged: find_signature says so
    out.add(30, "not_a_jwt", "This is not a signed JWT", first.detail,
            "Send the access token itself (three base64url parts separated by dots), not an opaque reference "
            "token, an ID token's URL-encoded form, or a truncated copy.",
            k.signs.empty() ? "" : "The presented text: " + joined(k.signs, "; ") + ".");
  if (first.reason == JWTGATE_REASON_ALG_NONE || first.reason == JWTGATE_REASON_SIGNATURE_MISSING)
    out.add(10, "unsigned_token", "The token is not signed", first.detail,
            "Tokens must be signed (require-signed-tokens); unsigned tokens are always refused.");
  if (const Failure* x = f.failed(JWTGATE_REASON_TYP_MISMATCH))
    out.add(5, "typ_mismatch", "The token's typ is not the one the policy requires", x->detail,
            "RFC 9068 access tokens carry typ \"at+jwt\"; Entra ID, Auth0 and most issuers write \"JWT\". Drop the "
            "typ requirement for such an issuer, or turn on its RFC 9068 profile (Okta, Keycloak, Duende have "
            "one).");
}

}  // namespace jwtgate
