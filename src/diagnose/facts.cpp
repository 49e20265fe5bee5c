#include "diagnose/facts.h"

#include <algorithm>

#include "claims/claim_text.h"
#include "claims/registered_claims.h"
#include "core/ascii.h"
#include "core/quote.h"
#include "core/url_text.h"
#include "diagnose/claim_catalog.h"
#include "diagnose/finding_rules.h"
#include "encoding/json_dom.h"

namespace jwtgate {


Facts::Facts(const Result& result, const Policy& policy) : r(result), p(policy) {
  if (r.claims_available) {
    std::string_view iss;
    if (masked("iss") || r.token.payload["iss"].get_string().get(iss)) iss = {};
    issuer = classify_token(iss, r.token.payload, true, r.mask.get());
    if (!masked("ver") && !masked("iss")) version = token_version(r.token.payload);
  }
  if (r.header_available && r.claims_available)
    kind = kind_of_jws(r.token.header, r.token.payload, r.mask.get(), issuer.family);
  else if (!r.presented.empty() && !r.header_available)
    kind = kind_of_text(r.presented);
  else if (!r.presented.empty() && r.failures.size() && r.failures[0].reason == JWTGATE_REASON_JWE_NOT_SUPPORTED)
    kind = kind_of_text(r.presented);
}

bool Facts::masked(std::string_view name) const { return jwtgate::masked(r.mask.get(), name); }

std::string Facts::str(std::string_view name) const {
  if (!r.claims_available || masked(name)) return "";
  std::string_view v;
  if (r.token.payload[name].get_string().get(v)) return "";
  return std::string(v);
}

bool Facts::has(std::string_view name) const {
  element e;
  return r.claims_available && !r.token.payload[name].get(e) && !e.is_null();
}

std::string Facts::json(std::string_view name) const {
  element e;
  if (!r.claims_available || r.token.payload[name].get(e)) return "(absent)";
  return claim_value(r.mask.get(), name, e, 160);
}

std::vector<std::string> Facts::strings(std::string_view name, bool split) const {
  std::vector<std::string> out;
  element e;
  if (!r.claims_available || masked(name) || r.token.payload[name].get(e)) return out;
  const auto push = [&](std::string_view v) {
    if (!split) {
      out.emplace_back(v);
      return;
    }
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t sp = v.find(' ', pos);
      if (sp == std::string_view::npos) sp = v.size();
      if (sp > pos) out.emplace_back(v.substr(pos, sp - pos));
      pos = sp + 1;
    }
  };
  if (e.type() == element_type::STRING) push(e.get_string().value_unsafe());
  else if (e.type() == element_type::ARRAY)
    for (element a : simdjson::dom::array(e.get_array().value_unsafe()))
      if (a.type() == element_type::STRING) push(a.get_string().value_unsafe());
  return out;
}

bool Facts::header_has(std::string_view name) const {
  element e;
  return r.header_available && !r.token.header[name].get(e);
}

std::string Facts::header_str(std::string_view name) const {
  std::string_view v;
  if (!r.header_available || r.token.header[name].get_string().get(v)) return "";
  return std::string(v);
}

const Failure* Facts::failed(jwtgate_reason reason, std::string_view subject) const {
  for (const Failure& x : r.failures)
    if (x.reason == reason && (subject.empty() || subject_is(x.subject, subject))) return &x;
  return nullptr;
}

const Failure* Facts::failed_compared(Compared what) const {
  for (const Failure& x : r.failures)
    if (x.evidence.compared == what) return &x;
  return nullptr;
}

bool Facts::alg_is_hmac() const {
  return r.header_available && r.token.alg != Alg::Unknown && alg_family(r.token.alg) == AlgFamily::HMAC;
}

std::vector<std::string> Facts::allowed_issuers() const {
  if (const Failure* x = failed_compared(Compared::Issuer); x && x->evidence.values)
    return {x->evidence.values, x->evidence.values + x->evidence.value_count};
  std::vector<std::string> v = p.issuers;
  for (const auto& i : p.discovered_issuers)
    if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
  return v;
}

Finding* Findings::add(int rank, std::string_view code, std::string title, std::string evidence,
                       std::string fix, std::string next) {
  const FindingRule* rule = finding_rule(code);
  if (!rule || !(rule->families & family_bit(f_.family()))) return nullptr;
  if (has(code)) return nullptr;  // one finding per code
  Finding fd;
  fd.code = std::string(code);
  fd.title = std::move(title);
  fd.evidence = std::move(evidence);
  fd.fix = std::move(fix);
  fd.rank = rank;
  fd.group = std::string(rule->group);
  fd.next = std::move(next);
  list_.push_back(std::move(fd));
  return &list_.back();
}

bool Findings::has(std::string_view code) const {
  return std::any_of(list_.begin(), list_.end(), [&](const Finding& x) { return x.code == code; });
}

std::string quoted_values(const std::string* values, size_t count) {
  if (!values || count == 0) return "(none)";
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    append_quoted(out, values[i]);
  }
  return out;
}

std::string quoted_values(const std::vector<std::string>& v) { return quoted_values(v.data(), v.size()); }

std::string tenant_of(std::string_view url) {
  for (std::string_view seg : url_path_segments(url))
    if (is_guid(seg)) return std::string(seg);
  return "";
}

std::string request_token_for(const Facts& f, std::string_view audience) {
  const std::string aud = jwtgate::quoted(audience, 120);
  switch (f.family()) {
    case IssuerFamily::Entra:
    case IssuerFamily::MicrosoftAccount:
    case IssuerFamily::ExternalId:
    case IssuerFamily::Unknown: {
      std::string base(audience);
      while (!base.empty() && base.back() == '/') base.pop_back();
      return "request the token for the API: scope " + jwtgate::quoted(base + "/.default", 140) +
             " (client credentials) or one of the API's delegated scopes (" + jwtgate::quoted(base + "/<scope>", 140) +
             "), and send the access_token of the response";
    }
    case IssuerFamily::AzureAdB2C:
      return "request one of the API's scopes from the B2C user flow (https://{tenant}.onmicrosoft.com/{api}/"
             "{scope}, as the API's registration exposes it); B2C access tokens carry the API's application ID "
             "in aud";
    case IssuerFamily::Auth0:
      return "pass audience=" + aud +
             " (the API's identifier in Auth0) in the /authorize or /oauth/token request; without it Auth0 "
             "issues a token for its /userinfo endpoint only";
    case IssuerFamily::Okta:
      return "request a scope of the Okta custom authorization server whose audience is " + aud +
             " (Security > API > Authorization Servers)";
    case IssuerFamily::Keycloak:
      return "have Keycloak put " + aud +
             " into aud: an Audience mapper on a client scope the client requests (Keycloak does not add the "
             "API's audience by itself)";
    case IssuerFamily::Cognito:
      return "Cognito access tokens carry the app client ID in client_id, not in aud (only ID tokens carry aud): "
             "compare client_id, or request a scope of the resource server for " + aud;
    case IssuerFamily::Google:
      return "Google ID tokens carry the OAuth client ID they were requested for in aud: request one for " + aud;
    case IssuerFamily::Other:
      break;
  }
  return "request the token for " + aud + " from its issuer";
}

}  // namespace jwtgate
