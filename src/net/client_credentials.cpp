#include "net/client_credentials.h"

#include <openssl/crypto.h>
#include <simdjson.h>

#include "core/ascii.h"
#include "core/quote.h"
#include "encoding/base64url.h"
#include "net/aadsts.h"

namespace jwtgate {

namespace {

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

// Wipes a string holding secret material when it goes out of scope.
struct Wiped {
  std::string s;
  ~Wiped() { wipe(s); }
};

// redact replaces every occurrence of |secret| in |text|: a provider could
// echo what it received, and nothing we print may carry the secret.
std::string redact(std::string text, std::string_view secret) {
  if (secret.size() < 4) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "[client secret]");
  return text;
}

bool valid_tenant(std::string_view t) {
  if (t.empty() || t.size() > 253) return false;
  for (char c : t)
    if (!(is_ascii_alnum(c) || c == '-' || c == '.'))
      return false;
  return t.front() != '.' && t.front() != '-';
}

// provider_error turns an RFC 6749 5.2 error response into one paragraph.
std::string provider_error(const HttpResponse& resp, const std::string& endpoint) {
  std::string out = "the token endpoint " + endpoint + " refused the request (HTTP " +
                    std::to_string(resp.status) + ")";
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(resp.body).get(o)) {
    if (!resp.body.empty()) out += ": " + escaped(resp.body, 200);
    return out + " (not an OAuth 2.0 error response, RFC 6749 5.2)";
  }
  std::string_view error, description;
  if (!o["error"].get_string().get(error)) out += ": " + escaped(error, 100);
  if (!o["error_description"].get_string().get(description)) {
    // Entra appends "Trace ID ... Correlation ID ... Timestamp" on new lines:
    // the first line is the message.
    std::string_view first = description.substr(0, description.find_first_of("\r\n"));
    out += ": " + escaped(first, 400);
  }
  int64_t code = aadsts_code(description);
  if (!code) {
    simdjson::dom::array codes;
    int64_t c = 0;
    if (!o["error_codes"].get_array().get(codes) && codes.size() > 0 &&
        !codes.at(0).get_int64().get(c))
      code = c;
  }
  const std::string why = explain_aadsts(code);
  if (!why.empty()) out += ". " + why;
  return out;
}

}  // namespace

ClientCredentialsRequest::~ClientCredentialsRequest() { wipe(client_secret); }

std::string form_urlencode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_ascii_alnum(ch) || c == '*' || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string entra_token_endpoint(std::string_view tenant, std::string& error,
                                 std::string_view host) {
  if (!valid_tenant(tenant)) {
    error = "tenant " + quoted(tenant, 80) +
            " is not a tenant ID (GUID) or domain name such as contoso.onmicrosoft.com";
    return "";
  }
  if (ascii_iequals(tenant, "common") || ascii_iequals(tenant, "organizations") || ascii_iequals(tenant, "consumers")) {
    error = "tenant \"" + std::string(tenant) +
            "\" cannot issue app-only tokens: the client-credentials grant needs the tenant ID "
            "(GUID) or domain of the tenant the application lives in";
    return "";
  }
  return "https://" + std::string(host) + "/" + std::string(tenant) + "/oauth2/v2.0/token";
}

bool request_client_credentials(const ClientCredentialsRequest& req, TokenResponse& out,
                                std::string& error) {
  if (req.client_id.empty() || req.client_secret.empty() || req.token_endpoint.empty()) {
    error = "a client-credentials request needs a token endpoint, a client ID and a client secret";
    return false;
  }
  Wiped body;
  body.s = "grant_type=client_credentials";
  if (!req.scope.empty()) body.s += "&scope=" + form_urlencode(req.scope);
  if (!req.resource.empty()) body.s += "&resource=" + form_urlencode(req.resource);
  HttpRequest http{req.token_endpoint, &body.s, {}};
  Wiped basic;
  if (req.auth == ClientAuth::SecretBasic) {
    // RFC 6749 2.3.1: both parts form-urlencoded, then Basic (RFC 7617).
    Wiped pair;
    pair.s = form_urlencode(req.client_id) + ":" + form_urlencode(req.client_secret);
    basic.s = "Authorization: Basic " +
              base64_encode(reinterpret_cast<const uint8_t*>(pair.s.data()), pair.s.size());
    http.headers.push_back(basic.s);
  } else {
    body.s += "&client_id=" + form_urlencode(req.client_id);
    body.s += "&client_secret=" + form_urlencode(req.client_secret);
  }
  http.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  HttpResponse resp;
  std::string transport;
  const bool got = http_fetch(http, req.limits, resp, transport);
  for (std::string& h : http.headers) wipe(h);  // the Basic header holds the secret
  if (!got) {
    error = redact("token request failed: " + transport, req.client_secret);
    return false;
  }
  if (resp.status != 200) {
    error = redact(provider_error(resp, req.token_endpoint), req.client_secret);
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view token, type;
  if (parser.parse(resp.body).get(o) || o["access_token"].get_string().get(token) || token.empty()) {
    error = "the token endpoint " + req.token_endpoint +
            " answered 200 without a JSON object holding a string access_token (RFC 6749 5.1)";
    return false;
  }
  TokenResponse r;
  r.access_token = std::string(token);
  if (!o["token_type"].get_string().get(type)) r.token_type = std::string(type);
  int64_t expires = 0;
  if (!o["expires_in"].get_int64().get(expires)) r.expires_in = expires;
  r.json = std::move(resp.body);
  out = std::move(r);
  return true;
}

}  // namespace jwtgate
