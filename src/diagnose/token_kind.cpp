#include "diagnose/token_kind.h"

#include <array>

#include "core/ascii.h"
#include "core/enum_text.h"
#include "core/quote.h"
#include "encoding/base64url.h"
#include "encoding/json_dom.h"

namespace jwtgate {

namespace {

struct Api {
  std::string_view aud;
  std::string_view name;
};

// Audiences of Microsoft's own APIs: their application IDs and resource URIs
// (learn.microsoft.com, "Verify first-party Microsoft applications in
// sign-in reports", and each service's "authenticate with Microsoft Entra
// ID" page). Tokens for them are not for your API; Graph's (and
// SharePoint's) may carry a header nonce that makes their signatures
// checkable by Graph alone.
constexpr std::array kApis{
    Api{"00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
    Api{"https://graph.microsoft.com", "Microsoft Graph"},
    Api{"https://graph.microsoft.us", "Microsoft Graph (US Government)"},
    Api{"https://dod-graph.microsoft.us", "Microsoft Graph (US Government DoD)"},
    Api{"https://microsoftgraph.chinacloudapi.cn", "Microsoft Graph (China)"},
    Api{"00000002-0000-0000-c000-000000000000", "Azure AD Graph (retired)"},
    Api{"https://graph.windows.net", "Azure AD Graph (retired)"},
    Api{"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Azure Resource Manager"},
    Api{"https://management.azure.com", "Azure Resource Manager"},
    Api{"https://management.core.windows.net", "Azure Service Management"},
    Api{"https://management.usgovcloudapi.net", "Azure Resource Manager (US Government)"},
    Api{"https://vault.azure.net", "Azure Key Vault"},
    Api{"cfa8b339-82a2-471a-a3c9-0fc0be7a4093", "Azure Key Vault"},
    Api{"https://storage.azure.com", "Azure Storage"},
    Api{"e406a681-f3d4-42a8-90b6-c2b029497af1", "Azure Storage"},
    Api{"https://database.windows.net", "Azure SQL Database"},
    Api{"022907d3-0f1b-48f7-badc-1ba6abab6d66", "Azure SQL Database"},
    Api{"00000003-0000-0ff1-ce00-000000000000", "SharePoint Online"},
    Api{"00000002-0000-0ff1-ce00-000000000000", "Exchange Online"},
    Api{"https://outlook.office.com", "Exchange Online"},
    Api{"https://outlook.office365.com", "Exchange Online"},
    Api{"499b84ac-1321-427f-aa17-267ca6975798", "Azure DevOps"},
    Api{"https://analysis.windows.net/powerbi/api", "Power BI"},
    Api{"https://cognitiveservices.azure.com", "Azure AI services"},
    Api{"https://servicebus.azure.net", "Azure Service Bus"},
    Api{"https://eventhubs.azure.net", "Azure Event Hubs"},
};

std::string_view str(simdjson::dom::object o, std::string_view name, const ClaimMask* mask) {
  if (masked(mask, name)) return {};
  std::string_view v;
  if (o[name].get_string().get(v)) return {};
  return v;
}

bool has(simdjson::dom::object o, std::string_view name) {
  element e;
  return !o[name].get(e) && !e.is_null();
}

// first_string: aud as a string, or the first string of an array.
std::string_view first_aud(simdjson::dom::object claims, const ClaimMask* mask) {
  if (masked(mask, "aud")) return {};
  element e;
  if (claims["aud"].get(e)) return {};
  if (e.type() == element_type::STRING) return e.get_string().value_unsafe();
  if (e.type() == element_type::ARRAY)
    for (element a : simdjson::dom::array(e.get_array().value_unsafe()))
      if (a.type() == element_type::STRING) return a.get_string().value_unsafe();
  return {};
}

// The JWE protected header's members, for the evidence.
void describe_jwe(std::string_view token, TokenKindEvidence& out) {
  const std::string_view head = token.substr(0, token.find('.'));
  std::vector<uint8_t> json;
  // An empty segment decodes to no bytes, and simdjson must not be handed
  // the null data of an empty vector.
  if (!base64url_decode(head, json) || json.empty()) return;
  simdjson::dom::parser parser;
  simdjson::dom::object header;
  if (parser.parse(json.data(), json.size()).get_object().get(header)) return;
  for (std::string_view name : {"alg", "enc", "kid", "iss"}) {
    std::string_view v;
    if (header[name].get_string().get(v)) continue;
    if (!out.what.empty()) out.what += ", ";
    out.what += std::string(name) + " " + jwtgate::quoted(v, 80);
    if (name == "iss") out.issuer = classify_issuer(v).family;
  }
}

bool placeholder(std::string_view t) {
  static constexpr std::string_view kWords[] = {
      "undefined", "null", "none", "nil", "nan", "[object object]", "bearer", "token", "<token>",
      "{token}", "${token}", "{{token}}", "$token", "<access_token>", "{access_token}", "access_token",
      "your_token_here", "<your-token>", "jwt", "false", "true", "[object promise]"};
  for (std::string_view w : kWords)
    if (ascii_iequals(t, w)) return true;
  return false;
}

bool token68(std::string_view t) {
  for (char c : t)
    if (!(is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '='))
      return false;
  return true;
}

// xml: the text is XML, or base64 (standard or URL-safe) of XML: a SAML
// assertion's forms on the wire (SAML 2.0 bearer assertions, RFC 7522 2.1).
bool xml(std::string_view t) {
  if (!t.empty() && t.front() == '<') return true;
  if (t.size() < 8) return false;
  std::string prefix(t.substr(0, 8));
  for (char& c : prefix) c = c == '-' ? '+' : c == '_' ? '/' : c;
  std::vector<uint8_t> out;
  if (!base64_decode(prefix, out) || out.empty()) return false;
  size_t i = 0;
  while (i < out.size() && (out[i] == ' ' || out[i] == '\n' || out[i] == '\r' || out[i] == '\t')) ++i;
  if (i + 1 >= out.size() || out[i] != '<') return false;
  const uint8_t next = out[i + 1];
  return next == '?' || next == '!' || is_ascii_alpha(static_cast<char>(next));
}

}  // namespace

std::string_view microsoft_api(std::string_view aud) {
  while (!aud.empty() && aud.back() == '/') aud.remove_suffix(1);
  for (const Api& a : kApis)
    if (ascii_iequals(aud, a.aud)) return a.name;
  return {};
}

TokenKindEvidence kind_of_text(std::string_view t) {
  TokenKindEvidence e;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\r' || t.back() == '\n')) t.remove_suffix(1);
  size_t dots = 0;
  for (char c : t) dots += c == '.';
  if (t.empty() || placeholder(t) || (t.front() == '<' && t.back() == '>' && t.size() < 40) ||
      (t.front() == '{' && t.back() == '}' && t.size() < 40 && t.find('"') == std::string_view::npos) ||
      t.starts_with("${")) {
    e.kind = TokenKind::Placeholder;
    e.strong = true;
    e.signs.push_back("the token is the text " + jwtgate::quoted(t, 40));
    return e;
  }
  if (dots == 4) {
    e.kind = TokenKind::Encrypted;
    e.strong = true;
    e.signs.push_back("five dot-separated segments (RFC 7516 compact JWE)");
    describe_jwe(t, e);
    return e;
  }
  // Entra's refresh tokens are opaque strings that begin "0.A" or "1.A"
  // (observed form; Microsoft documents refresh tokens as opaque).
  if ((t.starts_with("0.A") || t.starts_with("1.A")) && t.size() > 100) {
    e.kind = TokenKind::Refresh;
    e.strong = true;
    e.what = "an Entra ID refresh token";
    e.issuer = IssuerFamily::Entra;
    e.signs.push_back("the token begins \"" + std::string(t.substr(0, 3)) +
                      "\", the opaque form of Entra ID refresh tokens");
    return e;
  }
  // Google's OAuth 2.0 access tokens are opaque and begin "ya29."
  if (t.starts_with("ya29.")) {
    e.kind = TokenKind::Opaque;
    e.strong = true;
    e.what = "a Google OAuth access token";
    e.issuer = IssuerFamily::Google;
    e.signs.push_back("the token begins \"ya29.\", Google's opaque access tokens");
    return e;
  }
  if (t.size() > 4 && t[0] == 'g' && t[1] == 'h' && (t[2] == 'p' || t[2] == 'o' || t[2] == 'u' || t[2] == 's') &&
      t[3] == '_') {
    e.kind = TokenKind::Opaque;
    e.strong = true;
    e.what = "a GitHub token";
    e.signs.push_back("the token begins " + jwtgate::quoted(t.substr(0, 4)) + ", GitHub's token prefix");
    return e;
  }
  if (xml(t)) {
    e.kind = TokenKind::Saml;
    e.strong = true;
    e.signs.push_back(t.front() == '<' ? "the token is XML" : "the token is base64 of XML");
    return e;
  }
  if (t.front() == '{') {
    e.kind = TokenKind::NotAToken;
    e.signs.push_back("the token is a JSON object (a token response, or the JWS JSON serialization)");
    return e;
  }
  if (dots == 0 && t.size() >= 16 && token68(t)) {
    e.kind = TokenKind::Opaque;
    e.strong = true;
    e.signs.push_back("one segment of " + std::to_string(t.size()) + " characters, no dots");
    return e;
  }
  e.kind = TokenKind::NotAToken;
  e.signs.push_back(std::to_string(dots + 1) + (dots ? " dot-separated segments" : " segment"));
  return e;
}

TokenKindEvidence kind_of_jws(simdjson::dom::object header, simdjson::dom::object claims,
                              const ClaimMask* mask, IssuerFamily family) {
  TokenKindEvidence e;
  // Tokens for Microsoft's own APIs.
  const std::string_view aud = first_aud(claims, mask);
  const std::string_view api = microsoft_api(aud);
  const bool header_nonce = has(header, "nonce");
  const bool microsoft = family == IssuerFamily::Entra || family == IssuerFamily::MicrosoftAccount ||
                         family == IssuerFamily::Unknown;
  if (!api.empty() || (header_nonce && microsoft)) {
    e.kind = TokenKind::MicrosoftApi;
    e.strong = true;
    e.what = api.empty() ? "Microsoft Graph" : std::string(api);
    e.graph = header_nonce || e.what.starts_with("Microsoft Graph");
    if (!api.empty()) e.signs.push_back("aud " + jwtgate::quoted(aud, 80) + " is " + std::string(api));
    if (header_nonce)
      e.signs.push_back("the header has a \"nonce\" (Graph signs a hash of it: only Graph can check the signature)");
    return e;
  }
  // RFC 9068 access tokens say so in typ; Cognito and Keycloak name the
  // kind in a claim.
  std::string_view typ;
  if (header["typ"].get_string().get(typ)) typ = {};
  const std::string_view token_use = str(claims, "token_use", mask);
  const std::string_view kc_typ = str(claims, "typ", mask);
  if (ascii_iequals(kc_typ, "Refresh") || ascii_iequals(kc_typ, "Offline")) {
    e.kind = TokenKind::Refresh;
    e.strong = true;
    e.signs.push_back("claim \"typ\" is " + jwtgate::quoted(kc_typ) + " (Keycloak's refresh tokens)");
    return e;
  }
  // Each kind's signs; strong ones only that kind carries.
  struct Signs {
    std::vector<std::string> list;
    bool strong = false;
    void add(std::string sign, bool strong_sign) {
      list.push_back(std::move(sign));
      strong = strong || strong_sign;
    }
  } id, access;
  if (ascii_iequals(typ, "at+jwt") || ascii_iequals(typ, "application/at+jwt"))
    access.add("header typ " + jwtgate::quoted(typ), true);
  if (token_use == "access") access.add("claim \"token_use\" is \"access\"", true);
  if (ascii_iequals(kc_typ, "Bearer")) access.add("claim \"typ\" is \"Bearer\"", true);
  for (std::string_view name : {"scp", "scope", "roles", "idtyp"})
    if (has(claims, name)) access.add("claim " + jwtgate::quoted(name), false);
  // ID token marks (OpenID Connect Core 2 and 3.1.3.6): nonce, at_hash and
  // c_hash appear in ID tokens only.
  for (std::string_view name : {"nonce", "at_hash", "c_hash"})
    if (has(claims, name)) id.add("claim " + jwtgate::quoted(name), true);
  if (token_use == "id") id.add("claim \"token_use\" is \"id\" (Cognito's ID tokens)", true);
  if (ascii_iequals(kc_typ, "ID")) id.add("claim \"typ\" is \"ID\" (Keycloak's ID tokens)", true);
  // Every Entra access token names the client it was issued to (azp in
  // v2.0, appid in v1.0); Entra's ID tokens name none (access token and ID
  // token claims references), and their aud is the client's application
  // ID, a GUID: an aud in another form (an App ID URI) is an API's.
  if ((family == IssuerFamily::Entra || family == IssuerFamily::MicrosoftAccount) && !has(claims, "azp") &&
      !has(claims, "appid") && is_guid(aud))
    id.add("no \"azp\" or \"appid\" (every Entra access token names its client)", true);
  // A token whose audience is the client itself.
  for (std::string_view client : {"azp", "appid", "cid", "client_id"}) {
    const std::string_view c = str(claims, client, mask);
    if (!c.empty() && !aud.empty() && c == aud) {
      id.add("aud equals " + std::string(client) + " (the token is for the client itself)", false);
      break;
    }
  }
  if (!id.list.empty() && !has(claims, "scp") && !has(claims, "scope") && !has(claims, "roles"))
    id.add("no scp, scope or roles", false);
  if (id.strong && !access.strong) {
    e.kind = TokenKind::Id;
    e.strong = true;
    e.signs = std::move(id.list);
    return e;
  }
  if (!access.list.empty()) {
    e.kind = TokenKind::Access;
    e.strong = access.strong;
    e.signs = std::move(access.list);
    return e;
  }
  e.signs = std::move(id.list);  // weak signs at most
  return e;
}

}  // namespace jwtgate
