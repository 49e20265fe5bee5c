// The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4): a service
// trades its client ID and secret for an access token, as a daemon calling
// an API behind API Management does. The secret is handled as a secret: it
// is never put in an error or a log line, the copies this code makes are
// wiped, and refusals of the identity provider are explained (Entra's
// AADSTS codes, docs/apim-semantics.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_client.h"

namespace jwtgate {

// How the client authenticates (RFC 6749 2.3.1). Entra documents the body
// form; servers must also support HTTP Basic.
enum class ClientAuth : uint8_t { SecretPost, SecretBasic };

struct ClientCredentialsRequest {
  std::string token_endpoint;
  std::string client_id;
  std::string client_secret;  // wiped by the destructor
  std::string scope;          // Entra: "{resource}/.default"
  std::string resource;       // RFC 8707 resource indicator; "" for none
  ClientAuth auth = ClientAuth::SecretPost;
  HttpLimits limits;

  ClientCredentialsRequest() = default;
  ClientCredentialsRequest(const ClientCredentialsRequest&) = delete;
  ClientCredentialsRequest& operator=(const ClientCredentialsRequest&) = delete;
  ~ClientCredentialsRequest();
};

struct TokenResponse {
  std::string json;          // the whole response body (RFC 6749 5.1)
  std::string access_token;
  std::string token_type;
  int64_t expires_in = -1;   // seconds; -1 when the response omits it
};

// request_client_credentials POSTs the grant and returns true with |out|
// filled on a 200 response that carries an access_token. Otherwise false,
// with |error| saying what happened: the transport failure, or the
// provider's error, error_description and, for Entra codes we know, why it
// happens and how to fix it. |error| never contains the secret.
bool request_client_credentials(const ClientCredentialsRequest& req, TokenResponse& out,
                                std::string& error);

// entra_token_endpoint returns https://{host}/{tenant}/oauth2/v2.0/token, or
// "" with |error| set when |tenant| is not a tenant GUID or domain name
// (client credentials need one tenant: "common", "organizations" and
// "consumers" cannot issue app-only tokens).
std::string entra_token_endpoint(std::string_view tenant, std::string& error,
                                 std::string_view host = "login.microsoftonline.com");

// form_urlencode encodes |s| as application/x-www-form-urlencoded
// (alphanumerics and "*-._" kept, space as "+", the rest as %XX).
std::string form_urlencode(std::string_view s);

}  // namespace jwtgate
