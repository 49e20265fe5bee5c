// Families 1 and 5: the comparisons that failed (issuer, audience, required
// claims, client applications), from what each check compared
// (FailureEvidence): compared again under every relaxation people get wrong
// (near_miss.h), searched for in the token's other claims, and judged with
// the token's issuer family in view (issuer_family.h).
#include <algorithm>

#include "claims/registered_claims.h"
#include "core/ascii.h"
#include "core/quote.h"
#include "core/text_match.h"
#include "core/url_text.h"
#include "diagnose/facts.h"
#include "diagnose/near_miss.h"

namespace jwtgate {

namespace {

constexpr uint16_t kLiteral = kRelaxWhitespace | kRelaxTrailingSlash | kRelaxCase | kRelaxScheme;

int bits(uint16_t v) {
  int n = 0;
  for (; v; v &= static_cast<uint16_t>(v - 1)) ++n;
  return n;
}

struct Miss {
  uint16_t relax = 0;
  std::string token;   // the token's value
  std::string policy;  // the policy's
};

// best_miss: the nearest pair of a token value and a policy value (fewest
// relaxations, literal ones before forms).
Miss best_miss(const std::vector<std::string>& token_values, const std::string* values, size_t count) {
  Miss best;
  for (const std::string& t : token_values)
    for (size_t i = 0; i < count; ++i) {
      const uint16_t r = near_miss(t, values[i]);
      if (!r) continue;
      const bool better = !best.relax || bits(r) < bits(best.relax) ||
                          (bits(r) == bits(best.relax) && (r & kLiteral) && !(best.relax & kLiteral));
      if (better) best = {r, t, values[i]};
    }
  return best;
}

std::string_view code_for(uint16_t relax) {
  switch (relax) {
    case kRelaxCase: return "near_miss_case";
    case kRelaxTrailingSlash: return "near_miss_trailing_slash";
    case kRelaxWhitespace: return "near_miss_whitespace";
    case kRelaxScheme: return "near_miss_scheme";
    default: return "near_miss_combined";
  }
}

bool in_list(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// literal_miss adds the finding for a literal near miss (case, slash,
// whitespace, scheme). |what| names the compared value ("iss", "aud",
// "claim \"roles\""), |where| the policy element that holds the policy's
// value.
void literal_miss(const Facts&, Findings& out, const Miss& m, const std::string& what, const std::string& where) {
  std::string evidence = "token " + what + " " + jwtgate::quoted(m.token, 160) + "; the policy has " + jwtgate::quoted(m.policy, 160) +
                         ": " + describe_difference(m.relax);
  if (m.relax & kRelaxCase) evidence += " (APIM and jwtgate compare case-sensitively)";
  std::string fix;
  const bool policy_side_space = (m.relax & kRelaxWhitespace) && m.policy.size() &&
                                 (m.policy.front() == ' ' || m.policy.back() == ' ' || m.policy.back() == '\n' ||
                                  m.policy.front() == '\n' || m.policy.front() == '\t' || m.policy.back() == '\t');
  if (policy_side_space)
    fix = "Remove the whitespace around the value in " + where +
          " (a line break inside the XML element, or a named value with a trailing space): the comparison is "
          "exact.";
  else
    fix = "Write the value in " + where + " exactly as the token carries it: " + jwtgate::quoted(m.token, 160) +
          ". The comparison is exact and case-sensitive; no normalisation of slashes, case or scheme happens.";
  if (what == "iss")
    fix += " The issuer's discovery document states its issuer exactly (its \"issuer\" member).";
  out.add(1, code_for(m.relax), "The token's " + what + " differs from the policy's only by " +
                                    describe_difference(m.relax).substr(std::string_view("differs only by ").size()),
          evidence, fix);
}

bool synonyms(std::string_view a, std::string_view b);

// other_claims: the claims of the token, other than |except|, whose values
// hold |value| (exactly, or but for case).
struct Found {
  std::string claim;
  bool exact = true;
};
std::vector<Found> claims_holding(const Facts& f, std::string_view value, std::string_view except) {
  std::vector<Found> found;
  if (!f.has_claims()) return found;
  for (auto [name, v] : f.r.token.payload) {
    if (name == except || f.masked(name)) continue;
    // A scope names a permission the client asked for, not a recipient: an
    // API's name among the scopes does not make it the audience (RFC 8707
    // section 2: the audience follows the resource requested), so an aud
    // found there is a real audience mismatch, not a value in another claim.
    if (except == "aud" && synonyms(name, "scope")) continue;
    bool exact = false, folded = false;
    for (const std::string& s : f.strings(name, true)) {
      if (s == value) exact = true;
      else if (ascii_iequals(s, value)) folded = true;
    }
    if (exact || folded) found.push_back({std::string(name), exact});
  }
  return found;
}

// missing_evidence: |detail|, and where the token nests a member of that
// name inside an object claim (Keycloak's realm_access.roles and
// resource_access.<client>.roles), that member: a policy compares top-level
// claims only.
std::string missing_evidence(const Facts& f, std::string_view name, const std::string& detail) {
  if (!f.has_claims()) return detail;
  std::string nested;
  for (auto [claim, v] : f.r.token.payload) {
    simdjson::dom::object outer;
    if (f.masked(claim) || v.get_object().get(outer)) continue;
    for (auto [member, inner] : outer) {
      if (member == name && nested.empty()) nested = escaped(claim, 64) + "." + escaped(member, 64);
      simdjson::dom::object deeper;
      if (!nested.empty() || inner.get_object().get(deeper)) continue;
      for (auto [leaf, ignored] : deeper)
        if (leaf == name && nested.empty())
          nested = escaped(claim, 64) + "." + escaped(member, 64) + "." + escaped(leaf, 64);
    }
  }
  if (nested.empty()) return detail;
  return detail + "; the token nests it as " + nested + " (a policy compares top-level claims only)";
}

// Names the same thing goes by in other issuers or token versions.
bool synonyms(std::string_view a, std::string_view b) {
  static constexpr std::string_view kGroups[][5] = {
      {"scp", "scope", "scopes", "", ""},
      {"roles", "role", "", "", ""},
      {"groups", "group", "", "", ""},
      {"azp", "appid", "cid", "client_id", ""},
      {"preferred_username", "upn", "unique_name", "username", "email"},
  };
  for (const auto& g : kGroups) {
    bool ha = false, hb = false;
    for (std::string_view n : g) {
      if (n.empty()) continue;
      ha = ha || n == a;
      hb = hb || n == b;
    }
    if (ha && hb) return true;
  }
  return false;
}

std::string other_claim_fix(const Facts& f, std::string_view wanted_claim, std::string_view found_claim) {
  const auto pair = [&](std::string_view a, std::string_view b) {
    return (wanted_claim == a && found_claim == b) || (wanted_claim == b && found_claim == a);
  };
  if (wanted_claim == "roles" && found_claim == "scp" && f.entra())
    return "roles holds application permissions (client credentials) and app roles assigned to users; scp holds "
           "delegated permissions of a user's token. The caller signed a user in: require scp for user tokens, "
           "or call with client credentials and an application permission (app role) to get roles.";
  if (wanted_claim == "scp" && found_claim == "roles" && f.entra())
    return "scp holds delegated permissions of a user's token; roles holds application permissions (client "
           "credentials) and app roles assigned to users. Require roles for this caller, or sign a user in and "
           "request the delegated scope to get scp.";
  if (pair("groups", "roles"))
    return "The issuer emits it as " + std::string(found_claim) + " (Entra: groups assigned to app roles, or the "
           "\"emit groups as role claims\" option): require " + jwtgate::quoted(found_claim) + ", or change the "
           "registration's claim configuration.";
  if (pair("azp", "appid"))
    return "v1.0 tokens name the client in appid, v2.0 tokens in azp: require the claim of the version the API "
           "issues, or align the token version.";
  return "Require the claim the issuer puts it in (name=" + jwtgate::quoted(found_claim) + "), or configure the issuer to "
         "emit " + jwtgate::quoted(wanted_claim) + ".";
}

// value_elsewhere: the policy's wanted values found in another claim.
bool value_elsewhere(const Facts& f, Findings& out, std::string_view claim, const std::string* values, size_t count,
                     int rank) {
  for (size_t i = 0; i < count; ++i) {
    const std::vector<Found> found = claims_holding(f, values[i], claim);
    for (const Found& x : found) {
      std::string evidence = "the policy wants " + jwtgate::quoted(values[i], 120) + " in " + jwtgate::quoted(claim) +
                             "; the token has " + (x.exact ? "it" : "it, but for letter case,") + " in " +
                             jwtgate::quoted(x.claim) + " (" + x.claim + " " + f.json(x.claim) + ")";
      if (f.has(claim)) evidence += ", and " + std::string(claim) + " is " + f.json(claim);
      out.add(rank, "value_in_other_claim",
              "The value the policy wants is in claim " + jwtgate::quoted(x.claim) + ", not in " + jwtgate::quoted(claim), evidence,
              other_claim_fix(f, claim, x.claim));
      return true;
    }
  }
  return false;
}

// -------------------------------------------------------------- issuers

bool workforce(IssuerFamily fam) { return fam == IssuerFamily::Entra || fam == IssuerFamily::MicrosoftAccount; }

void issuer(const Facts& f, Findings& out) {
  const Failure* x = f.failed_compared(Compared::Issuer);
  if (!x || !f.has_claims()) return;
  const std::vector<std::string> allowed = f.allowed_issuers();
  const std::string iss = f.str("iss");
  if (iss.empty()) {
    out.add(20, "issuer_mismatch", f.has("iss") ? "The token's issuer is hidden or not a string"
                                                 : "The token has no issuer",
            x->detail, "Tokens must name their issuer (iss) for the policy's <issuers> or openid-config to accept them.");
    return;
  }
  const bool id_token = f.kind.kind == TokenKind::Id && f.kind.strong;

  // A near miss: the same issuer written another way.
  const Miss m = best_miss({iss}, allowed.data(), allowed.size());
  if (m.relax & kRelaxEntraVersion) {
    const bool v1 = f.issuer.entra_version == 1 || f.version == "Entra ID v1.0";
    const std::string evidence = "token iss " + f.json("iss") + " (ver " + f.json("ver") + "); the policy accepts " +
                                 quoted_values(allowed);
    if (id_token)
      out.add(2, "token_version_mismatch", "The issuer is the other Entra ID version's form of the same tenant",
              evidence,
              "The token is an ID token: its version follows the endpoint the client signed in at, not the API's "
              "accessTokenAcceptedVersion. Send an access token for the API (see the ID token finding).");
    else if (v1)
      out.add(1, "token_version_mismatch", "A v1.0 token was checked against a v2.0 policy", evidence,
              "The API's app registration issues v1.0 tokens (accessTokenAcceptedVersion is null or 1). Set "
              "\"accessTokenAcceptedVersion\": 2 in the API's manifest (the API, not the client), or point "
              "openid-config at the v1.0 metadata, or add " + f.json("iss") + " to <issuers>.");
    else
      out.add(1, "token_version_mismatch", "A v2.0 token was checked against a v1.0 policy", evidence,
              "Use the v2.0 metadata (.../{tenant}/v2.0/.well-known/openid-configuration) or add the v2.0 issuer to "
              "<issuers>; or set the API's accessTokenAcceptedVersion back to 1.");
    if (!(m.relax & kRelaxCloud)) return;
  }
  if (m.relax & kRelaxCloud) {
    out.add(2, "sovereign_cloud", "The issuer names the policy's tenant in another national cloud",
            "token iss " + jwtgate::quoted(m.token, 160) + "; the policy has " + jwtgate::quoted(m.policy, 160) + ": " +
                describe_difference(m.relax),
            "Get the token from the cloud the API lives in, or point openid-config at that cloud's metadata "
            "(validate-azure-ad-token: set authentication-endpoint).");
    return;
  }
  if (m.relax & kRelaxEntraHost) {
    out.add(1, "issuer_host_form", "The issuer names the policy's tenant through another Entra host",
            "token iss " + jwtgate::quoted(m.token, 160) + "; the policy has " + jwtgate::quoted(m.policy, 160) + ": " +
                describe_difference(m.relax),
            "Entra's v1.0 tokens carry https://sts.windows.net/{tenant}/ and its v2.0 tokens "
            "https://login.microsoftonline.com/{tenant}/v2.0; no token carries the mixed form. Write " +
                jwtgate::quoted(m.token, 160) + " in <issuers>, or use the metadata of the token's version.");
    return;
  }
  if (m.relax & kLiteral) {
    const bool discovered = !in_list(f.p.issuers, m.policy);
    literal_miss(f, out, m, "iss", discovered ? "<issuers> (the openid-config document's issuer is " +
                                                     jwtgate::quoted(m.policy, 120) + ": add the token's form beside it)"
                                               : "<issuers>");
    return;
  }

  // The multi-tenant template.
  for (const auto& i : allowed)
    if (contains(i, "{tenantid}")) {
      const std::string tid = f.str("tid");
      out.add(15, "multi_tenant_template", "The issuer is Entra's multi-tenant template",
              "allowed issuer " + jwtgate::quoted(i) + " with the token's tid " + f.json("tid") +
                  " substituted gives a different iss than " + f.json("iss"),
              is_guid(tid) ? "The token's iss must be exactly the template with its own tid; a mismatch means the "
                             "token's tid and iss disagree (tampering or a non-Entra issuer)."
                           : "The token's tid must be a GUID for the template to apply.");
      return;
    }

  // Classify what the policy trusts.
  std::vector<IssuerInfo> trusted;
  for (const auto& i : allowed) trusted.push_back(classify_issuer(i));
  const IssuerFamily fam = f.family();
  bool same_family = false;
  for (const IssuerInfo& t : trusted)
    same_family = same_family || t.family == fam || (workforce(t.family) && workforce(fam));
  std::string trusted_names;
  for (const IssuerInfo& t : trusted) {
    const std::string_view n = words_of(t.family);
    if (trusted_names.find(n) != std::string::npos) continue;
    if (!trusted_names.empty()) trusted_names += ", ";
    trusted_names += n;
  }
  const bool trusts_workforce = std::any_of(trusted.begin(), trusted.end(),
                                            [](const IssuerInfo& t) { return t.family == IssuerFamily::Entra; });
  if ((fam == IssuerFamily::AzureAdB2C || fam == IssuerFamily::ExternalId) && trusts_workforce) {
    const std::string label = issuer_label(f.issuer);
    out.add(2, "b2c_or_ciam_token", "This is a " + label + " token",
            "token iss " + f.json("iss") + "; the policy accepts " + quoted_values(allowed),
            "Use validate-jwt with the " +
                std::string(fam == IssuerFamily::AzureAdB2C ? "B2C user flow's" : "ciamlogin.com") +
                " metadata URL as openid-config; workforce (login.microsoftonline.com) metadata does not list these "
                "issuers or keys.");
    return;
  }
  if (fam == IssuerFamily::MicrosoftAccount && trusts_workforce) {
    out.add(2, "personal_account_token", "A personal Microsoft account signed in, and the policy trusts a work tenant",
            "token iss " + f.json("iss") + " (tenant " + std::string(kMsaTenant) + ", personal accounts); the policy "
            "accepts " + quoted_values(allowed),
            "Personal accounts get tokens from the consumers tenant. If the API should accept them, its registration "
            "must allow personal accounts (signInAudience AzureADandPersonalMicrosoftAccount) and the policy must "
            "accept their issuer; otherwise sign in with a work or school account of the API's tenant.");
    return;
  }
  if (!same_family && fam != IssuerFamily::Unknown && fam != IssuerFamily::Other && !trusted_names.empty()) {
    out.add(2, "issuer_family_mismatch",
            "The token comes from " + std::string(words_of(fam)) + ", and the policy trusts " + trusted_names,
            "token iss " + f.json("iss") + " (" + issuer_label(f.issuer) + "); the policy accepts " +
                quoted_values(allowed),
            "The client got its token from another identity provider than the one the API trusts. Get the token "
            "from the API's issuer, or, if the API must accept both, add this issuer and its keys to the policy "
            "(in APIM, one validate-jwt per issuer in a <choose>).");
    return;
  }

  // Entra: the same cloud, another tenant; a national cloud.
  if (workforce(fam)) {
    std::string policy_tenant, policy_host;
    bool policy_v1 = false, policy_v2 = false;
    for (const IssuerInfo& t : trusted) {
      if (!workforce(t.family)) continue;
      if (policy_tenant.empty()) policy_tenant = t.tenant;
      if (policy_host.empty()) policy_host = t.host;
      policy_v1 = policy_v1 || t.entra_version == 1;
      policy_v2 = policy_v2 || t.entra_version == 2;
    }
    const bool sovereign = f.issuer.cloud == Cloud::UsGovernment || f.issuer.cloud == Cloud::China;
    if (sovereign && !policy_host.empty() && f.issuer.host != policy_host)
      out.add(5, "sovereign_cloud", "The token comes from a national cloud (" + issuer_label(f.issuer) + ")",
              "token iss host " + escaped(f.issuer.host) + "; the policy expects " + escaped(policy_host),
              "Point openid-config at that cloud's metadata, or set authentication-endpoint in "
              "validate-azure-ad-token.");
    if (!f.issuer.tenant.empty() && !policy_tenant.empty() && !guid_equal(f.issuer.tenant, policy_tenant))
      out.add(5, "wrong_tenant", "The token comes from another tenant",
              "token tenant " + escaped(f.issuer.tenant, 64) + " (tid " + f.json("tid") + "); the policy's tenant is " +
                  escaped(policy_tenant, 64),
              "Get the token from the API's own tenant (check the authority URL of the token request). For a "
              "multi-tenant API, use the organizations metadata and restrict tenants with a tid required claim.");
    const int v = f.issuer.entra_version;
    if (!id_token && ((v == 1 && policy_v2 && !policy_v1) || (v == 2 && policy_v1 && !policy_v2)))
      out.add(4, "token_version_mismatch",
              v == 1 ? "A v1.0 token was checked against a v2.0 policy" : "A v2.0 token was checked against a v1.0 policy",
              "token iss " + f.json("iss") + "; the policy accepts " + quoted_values(allowed),
              v == 1 ? "The API's app registration issues v1.0 tokens (accessTokenAcceptedVersion is null or 1): set "
                       "\"accessTokenAcceptedVersion\": 2 in the API's manifest, or accept the v1.0 issuer."
                     : "Use the v2.0 metadata or add the v2.0 issuer to <issuers>.");
    if (out.has("wrong_tenant") || out.has("sovereign_cloud") || out.has("token_version_mismatch")) return;
  }

  // B2C and External ID: the same family, another tenant.
  if (fam == IssuerFamily::AzureAdB2C || fam == IssuerFamily::ExternalId) {
    for (const IssuerInfo& t : trusted)
      if (t.family == fam && !t.tenant.empty() && !f.issuer.tenant.empty() && !guid_equal(t.tenant, f.issuer.tenant)) {
        out.add(5, "wrong_tenant", "The token comes from another " + std::string(words_of(fam)) + " tenant",
                "token iss " + f.json("iss") + " (tenant " + escaped(f.issuer.tenant, 64) + "); the policy accepts " +
                    quoted_values(allowed),
                "Get the token from the API's own " + std::string(words_of(fam)) +
                    " tenant (the user flow's authority), or point openid-config at this tenant's user-flow "
                    "metadata.");
        return;
      }
  }

  // The same family, another tenant, realm or host.
  std::string evidence = "token iss " + f.json("iss") + "; the policy accepts " + quoted_values(allowed);
  std::string fix = "Accept this issuer only if the API should trust it: add it (and its keys) to the policy; "
                    "otherwise get the token from the issuer the policy names.";
  for (const IssuerInfo& t : trusted) {
    if (t.family != fam) continue;
    if (!t.tenant.empty() && !f.issuer.tenant.empty() && t.tenant != f.issuer.tenant)
      evidence += "; the token's " + std::string(fam == IssuerFamily::Keycloak ? "realm" : "tenant") + " " +
                  jwtgate::quoted(f.issuer.tenant, 64) + ", the policy's " + jwtgate::quoted(t.tenant, 64);
    else if (fam != IssuerFamily::Other)
      for (const std::string& a : allowed)
        if (classify_issuer(a).family == fam && url_host(a) != url_host(iss)) {
          evidence += "; the hosts differ: " + escaped(url_host(iss), 80) + " against " + escaped(url_host(a), 80);
          break;
        }
    if (fam == IssuerFamily::Okta && t.detail != f.issuer.detail)
      evidence += "; the token's authorization server " +
                  (f.issuer.detail.empty() ? std::string("is the org server") : jwtgate::quoted(f.issuer.detail, 64)) +
                  ", the policy's " + (t.detail.empty() ? std::string("the org server") : jwtgate::quoted(t.detail, 64));
    if (fam == IssuerFamily::Keycloak && t.tenant == f.issuer.tenant) {
      fix = "Keycloak writes the URL it was reached at into iss: the client got the token through another "
            "host or port than the policy names. Give Keycloak one public hostname (KC_HOSTNAME, or the "
            "realm's Frontend URL) and use it in both places.";
      break;
    }
  }
  out.add(20, "issuer_mismatch", "The token's issuer is not among the allowed issuers", evidence, fix);
}

// -------------------------------------------------------------- audiences

std::vector<std::string> allowed_audiences(const Policy& p) {
  std::vector<std::string> v = p.audiences;
  for (const auto& c : p.required_claims)
    if (c.name == "aud") v.insert(v.end(), c.values.begin(), c.values.end());
  return v;
}

void audience(const Facts& f, Findings& out) {
  const bool aud_failed = f.failed_compared(Compared::Audience) ||
                          f.failed(JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED, "aud") ||
                          f.failed(JWTGATE_REASON_CLAIM_NOT_FOUND, "aud");
  if (!aud_failed || !f.has_claims()) return;
  if ((f.kind.kind == TokenKind::Id && f.kind.strong) || f.kind.kind == TokenKind::MicrosoftApi) return;
  const std::vector<std::string> allowed = allowed_audiences(f.p);
  const std::vector<std::string> auds = f.strings("aud");
  const Miss m = best_miss(auds, allowed.data(), allowed.size());
  // App ID URIs are Entra's (and B2C's, External ID's): another issuer's
  // api://... audience is just a different audience.
  if ((m.relax & kRelaxAppIdUri) && (f.microsoft() || f.family() == IssuerFamily::Unknown)) {
    std::string fix = "v1.0 tokens carry whatever resource the client asked for (api://... or the GUID); v2.0 "
                      "tokens always carry the GUID. List both forms in <audiences>";
    fix += f.entra() ? ", or make the API issue v2.0 tokens (accessTokenAcceptedVersion 2)." : ".";
    out.add(2, "audience_form", "The audience is the App ID URI on one side and the GUID on the other",
            "token aud " + f.json("aud") + (f.version.empty() ? "" : " (" + f.version + ")") + "; the policy allows " +
                quoted_values(allowed),
            fix);
    return;
  }
  if (m.relax & kLiteral) {
    literal_miss(f, out, m, "aud", "<audiences>");
    return;
  }
  // Cognito's access tokens carry the client in client_id and no aud at
  // all: the wanted value in another claim says what the issuer meant.
  if (value_elsewhere(f, out, "aud", allowed.data(), allowed.size(), f.has("aud") ? 8 : 2)) return;

  // What the token was issued for.
  std::string evidence = "token aud " + f.json("aud") + "; the policy allows " + quoted_values(allowed);
  for (std::string_view client : {"azp", "appid", "cid", "client_id"}) {
    const std::string c = f.str(client);
    if (!c.empty() && std::find(auds.begin(), auds.end(), c) != auds.end()) {
      evidence += "; aud equals " + std::string(client) +
                  ": the client asked for a token for itself (its own ID as scope, or an ID token)";
      break;
    }
  }
  if (f.entra() && !auds.empty() && !f.str("scp").empty())
    evidence += "; the client asked for scope(s) " + f.json("scp") + " of " + jwtgate::quoted(auds[0], 120);
  const std::string want = allowed.empty() ? std::string("<your API>") : allowed[0];
  std::string fix = request_token_for(f, want);
  fix[0] = static_cast<char>(fix[0] >= 'a' && fix[0] <= 'z' ? fix[0] - 'a' + 'A' : fix[0]);
  fix += "; or, if this API should accept the token's audience, add it to <audiences>.";
  out.add(25, "audience_mismatch", "The token was issued for another audience", evidence, fix);
}

// -------------------------------------------------------------- claims

void claims(const Facts& f, Findings& out) {
  if (!f.has_claims()) return;
  const bool app_only = f.str("idtyp") == "app" || (!f.has("scp") && (f.has("azp") || f.has("appid")));
  for (const Failure& x : f.r.failures) {
    if (x.evidence.compared != Compared::RequiredClaim) continue;
    if (x.evidence.rule < 0 || static_cast<size_t>(x.evidence.rule) >= f.p.required_claims.size()) continue;
    const RequiredClaim& rule = f.p.required_claims[static_cast<size_t>(x.evidence.rule)];
    if (rule.name == "aud") continue;  // audience()
    const std::string qname = jwtgate::quoted(rule.name);
    const std::string& name = rule.name;
    if (x.reason == JWTGATE_REASON_CLAIM_NOT_FOUND) {
      // The claim the wanted value is in, and the claim of nearly that name
      // (or the name another issuer or token version uses).
      std::string holder;
      for (size_t i = 0; i < rule.values.size() && holder.empty(); ++i)
        for (const Found& h : claims_holding(f, rule.values[i], name))
          if (h.exact) {
            holder = h.claim;
            break;
          }
      std::string near;
      for (auto [member, v] : f.r.token.payload)
        if (!f.masked(member) && (name_near_miss(member, name, true) || synonyms(member, name))) {
          near = std::string(member);
          break;
        }
      const bool version_sibling =
          f.entra() && ((name == "appid" && f.has("azp")) || (name == "azp" && f.has("appid")) ||
                        (name == "appidacr" && f.has("azpacr")) || (name == "azpacr" && f.has("appidacr")) ||
                        ((name == "upn" || name == "unique_name") && f.has("preferred_username")) ||
                        (name == "preferred_username" && (f.has("upn") || f.has("unique_name"))));
      if (version_sibling) {
        std::string sibling = name == "appid" ? "azp" : name == "azp" ? "appid" : name == "appidacr" ? "azpacr"
                              : name == "azpacr" ? "appidacr" : name == "preferred_username"
                                  ? (f.has("upn") ? "upn" : "unique_name") : "preferred_username";
        std::string evidence = "required claim " + qname + " is absent; the token is " +
                               (f.version.empty() ? std::string("an Entra ID token") : f.version) + " and has " +
                               jwtgate::quoted(sibling) + " " + f.json(sibling);
        if (holder == sibling) evidence += ", which the policy allows";
        out.add(2, "claim_name_version", qname + " is the other token version's claim name", evidence,
                "v1.0 uses appid/appidacr/unique_name/upn; v2.0 uses azp/azpacr/preferred_username. Use the name of "
                "the version the API issues, or align the token version (accessTokenAcceptedVersion).");
        continue;
      }
      const bool scp_app_only = name == "scp" && (f.has("roles") || app_only) && f.entra();
      if (!holder.empty() && holder != near && !scp_app_only) {
        value_elsewhere(f, out, name, rule.values.data(), rule.values.size(), 2);
        continue;
      }
      if (!near.empty()) {
        const uint16_t diff = name_near_miss(near, name, true);
        out.add(2, "claim_name_near_miss", "The token has no " + qname + " claim, but has " + jwtgate::quoted(near),
                "required claim " + qname + " is absent; the token has " + jwtgate::quoted(near) + " " + f.json(near) +
                    (diff ? ": the name " + describe_difference(diff)
                          : std::string(", the name ") + std::string(words_of(f.family())) + " uses for it") +
                    (holder == near ? ", holding a value the policy allows" : ""),
                "Require the claim by the name the issuer uses: <claim name=" + jwtgate::quoted(near) + ">.");
        continue;
      }
      Finding* said = nullptr;
      if (name == "roles" && app_only)
        said = out.add(2, "roles_missing_app_only", "The app-only token has no roles: no app role was granted",
                "no \"roles\" claim; idtyp " + f.json("idtyp") + ", scp " + f.json("scp"),
                "Define an app role on the API registration, add it to the client as an application permission and "
                "grant admin consent (that creates the assignment). With \"Assignment required?\" on the API's "
                "enterprise app and no assignment, token requests fail with AADSTS501051 instead.");
      else if (scp_app_only)
        said = out.add(2, "scp_on_app_only_token", "The policy requires scp, but this is an app-only token",
                "no \"scp\" claim; roles " + f.json("roles") + ", idtyp " + f.json("idtyp") +
                    (holder == "roles" ? ", and roles holds a value the policy wants in scp" : ""),
                "scp is only issued for user (delegated) tokens. Client-credentials callers get roles: require roles "
                "for daemons, or use a separate policy.");
      else if (name == "groups" && (f.has("_claim_names") || f.has("hasgroups")))
        said = out.add(2, "groups_overage", "Groups overage: the user's groups did not fit in the token",
                "_claim_names " + f.json("_claim_names") + (f.has("hasgroups") ? ", hasgroups true" : ""),
                "Entra replaces groups by _claim_names above 200 groups. Use app roles, or emit only \"groups "
                "assigned to the application\", or look groups up server-side.");
      // A finding whose advice does not fit the token's issuer family is
      // not made (finding_rules.h); the plain one is made instead.
      if (!said)
        out.add(30, "claim_missing", "The token has no " + qname + " claim", missing_evidence(f, name, x.detail),
                !f.microsoft()
                    ? "Check the issuer emits it as a top-level claim (its claim or role mappers; Keycloak nests "
                      "realm roles in realm_access.roles unless a mapper names the claim), or drop it from "
                      "<required-claims>."
                    :
                "Check the issuer emits it (optional claims, app roles, scopes, claim mappers), or drop it from "
                "<required-claims>.");
      continue;
    }
    if (x.reason != JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED) continue;
    const std::string text = f.str(name);
    if (rule.separator.empty() && contains(text, " ")) {
      out.add(2, "separator_missing", qname + " holds a space-separated list, but the policy compares it whole",
              escaped(name) + " is " + f.json(name) + "; the claim rule has no separator",
              "Add separator=\" \" to <claim name=" + qname + "> (and match=\"any\" if one value is enough).");
      continue;
    }
    if (rule.match_all && rule.values.size() > 1 && x.evidence.present > 0 && x.evidence.missing > 0 &&
        !f.masked(name)) {
      out.add(4, "match_all_not_any", "match=\"all\" needs every listed value; the token has only some", x.detail,
              "If one value is enough, set match=\"any\" (the default is \"all\").");
      continue;
    }
    // A near miss of a value.
    std::vector<std::string> pieces;
    for (const std::string& s : f.strings(name, false)) {
      if (rule.separator.empty()) {
        pieces.push_back(s);
        continue;
      }
      size_t pos = 0;
      while (pos <= s.size()) {
        size_t next = s.find(rule.separator, pos);
        if (next == std::string::npos) next = s.size();
        if (next > pos) pieces.push_back(s.substr(pos, next - pos));
        pos = next + rule.separator.size();
      }
    }
    const Miss m = best_miss(pieces, rule.values.data(), rule.values.size());
    if (m.relax & kLiteral) {
      literal_miss(f, out, m, "claim " + qname, "<claim name=" + qname + ">");
      continue;
    }
    if (value_elsewhere(f, out, name, rule.values.data(), rule.values.size(), 3)) continue;
    if (name == "azp" || name == "appid")
      out.add(3, "client_not_allowed", "The calling application is not in the allowed list",
              name + " " + f.json(name) + "; allowed " + quoted_values(rule.values),
              "Add the client's application (client) ID to the list, or call with an allowed client.");
    else
      out.add(30, "claim_value", qname + " has no allowed value", x.detail,
              "Grant the caller the needed scope or role, or adjust the policy's values.");
  }

  if (const Failure* x = f.failed_compared(Compared::ClientApplication)) {
    const std::string claim(x->evidence.claim);
    const Miss m = best_miss(f.strings(claim), x->evidence.values, x->evidence.value_count);
    if (m.relax & kLiteral) {
      literal_miss(f, out, m, claim, "<client-application-ids>");
      return;
    }
    if (value_elsewhere(f, out, claim, x->evidence.values, x->evidence.value_count, 3)) return;
    out.add(3, "client_not_allowed", "The calling application is not in client-application-ids", x->detail,
            "Add the client's application ID to <client-application-ids>, or call with an allowed client.");
  }
}

}  // namespace

void find_comparisons(const Facts& f, Findings& out) {
  issuer(f, out);
  audience(f, out);
  claims(f, out);
}

}  // namespace jwtgate
