// The client-credentials grant against a loopback token endpoint that
// answers as Entra does: the request on the wire (RFC 6749 4.4, 2.3.1), the
// explained AADSTS errors, and the secret never showing in an error.
#include <catch2/catch.hpp>

#include "loopback_server.h"
#include "net/client_credentials.h"

using namespace jwtgate;
using jwtgate_test::LoopbackServer;
using jwtgate_test::Reply;

namespace {

const char* const kSecret = "s3cr3t~Value.With+Symbols";

void fill(ClientCredentialsRequest& req, const LoopbackServer& s) {
  req.token_endpoint = s.url("/oauth2/v2.0/token");
  req.client_id = "11111111-2222-3333-4444-555555555555";
  req.client_secret = kSecret;
  req.scope = "api://backend/.default";
  req.limits.allow_http_loopback = true;
  req.limits.timeout_ms = 2'000;
}

bool has_header(const jwtgate_test::SeenRequest& r, const std::string& line) {
  for (const auto& h : r.headers)
    if (h == line) return true;
  return false;
}

}  // namespace

TEST_CASE("client credentials: the body form of the grant, and the token returned", "[net]") {
  LoopbackServer s;
  s.set_json("/oauth2/v2.0/token",
             "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ.x.y\"}");
  ClientCredentialsRequest req;
  fill(req, s);
  TokenResponse out;
  std::string error;
  REQUIRE(request_client_credentials(req, out, error));
  CHECK(out.access_token == "eyJ.x.y");
  CHECK(out.token_type == "Bearer");
  CHECK(out.expires_in == 3599);
  CHECK(out.json.find("\"access_token\"") != std::string::npos);
  const auto seen = s.last_request();
  CHECK(seen.method == "POST");
  CHECK(seen.body ==
        "grant_type=client_credentials&scope=api%3A%2F%2Fbackend%2F.default"
        "&client_id=11111111-2222-3333-4444-555555555555"
        "&client_secret=s3cr3t%7EValue.With%2BSymbols");
  CHECK(has_header(seen, "Content-Type: application/x-www-form-urlencoded"));
}

TEST_CASE("client credentials: HTTP Basic, form-urlencoded first (RFC 6749 2.3.1)", "[net]") {
  LoopbackServer s;
  s.set_json("/oauth2/v2.0/token", "{\"token_type\":\"Bearer\",\"access_token\":\"t\"}");
  ClientCredentialsRequest req;
  fill(req, s);
  req.auth = ClientAuth::SecretBasic;
  req.resource = "urn:example:api";
  TokenResponse out;
  std::string error;
  REQUIRE(request_client_credentials(req, out, error));
  CHECK(out.expires_in == -1);
  const auto seen = s.last_request();
  CHECK(seen.body == "grant_type=client_credentials&scope=api%3A%2F%2Fbackend%2F.default"
                     "&resource=urn%3Aexample%3Aapi");
  // base64("11111111-2222-3333-4444-555555555555:s3cr3t%7EValue.With%2BSymbols")
  CHECK(has_header(seen, "Authorization: Basic MTExMTExMTEtMjIyMi0zMzMzLTQ0NDQtNTU1NTU1NTU1NTU1OnMzY3IzdCU3RVZhbHVlLldpdGglMkJTeW1ib2xz"));
}

TEST_CASE("client credentials: Entra's AADSTS errors are explained", "[net]") {
  struct Row {
    int status;
    const char* error;
    int64_t code;
    const char* description;
    const char* expect;  // from the explanation
  };
  const Row rows[] = {
      {400, "invalid_client", 501051,
       "AADSTS501051: Application 'x'(daemon) is not assigned to a role for the application 'y'(api).",
       "\"Assignment required?\""},
      {400, "invalid_scope", 70011,
       "AADSTS70011: The provided request must include a 'scope' input parameter. The provided value "
       "for the input parameter 'scope' is not valid.",
       "/.default"},
      {401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.",
       "secret's ID was copied instead of its Value"},
      {400, "unauthorized_client", 700016,
       "AADSTS700016: Application with identifier 'x' was not found in the directory 'contoso'.",
       "check the client ID and the tenant"},
      {400, "invalid_resource", 500011,
       "AADSTS500011: The resource principal named api://backend was not found in the tenant named contoso.",
       "missing \".\" in \"/.default\""},
  };
  for (const Row& r : rows) {
    INFO(r.code);
    LoopbackServer s;
    // Entra's shape: error, a multi-line description, error_codes, trace ids.
    s.set("/oauth2/v2.0/token",
          Reply{r.status,
                std::string("{\"error\":\"") + r.error + "\",\"error_description\":\"" + r.description +
                    "\\r\\nTrace ID: 0a1b\\r\\nCorrelation ID: 2c3d\\r\\nTimestamp: 2026-01-01 00:00:00Z\","
                    "\"error_codes\":[" + std::to_string(r.code) + "],\"trace_id\":\"0a1b\"}",
                {"Content-Type: application/json"}});
    ClientCredentialsRequest req;
    fill(req, s);
    TokenResponse out;
    std::string error;
    REQUIRE_FALSE(request_client_credentials(req, out, error));
    CHECK_THAT(error, Catch::StartsWith("the token endpoint " + req.token_endpoint +
                                        " refused the request (HTTP " + std::to_string(r.status) +
                                        "): " + r.error + ": AADSTS" + std::to_string(r.code)));
    CHECK_THAT(error, Catch::Contains(". AADSTS" + std::to_string(r.code) + " ("));
    CHECK_THAT(error, Catch::Contains(r.expect));
    CHECK_THAT(error, !Catch::Contains("Trace ID"));
    CHECK_THAT(error, !Catch::Contains(kSecret));
  }
}

TEST_CASE("client credentials: error_codes alone name the code; the secret is redacted", "[net]") {
  LoopbackServer s;
  // A provider that echoes what it received must not make us print it.
  s.set("/oauth2/v2.0/token",
        Reply{401, std::string("{\"error\":\"invalid_client\",\"error_description\":\"bad secret ") + kSecret +
                       "\",\"error_codes\":[7000215]}",
              {}});
  ClientCredentialsRequest req;
  fill(req, s);
  TokenResponse out;
  std::string error;
  REQUIRE_FALSE(request_client_credentials(req, out, error));
  CHECK_THAT(error, Catch::Contains("bad secret [client secret]"));
  CHECK_THAT(error, Catch::Contains("AADSTS7000215 (InvalidClientSecret)"));
  CHECK_THAT(error, !Catch::Contains(kSecret));
}

TEST_CASE("client credentials: transport failures and non-OAuth answers", "[net]") {
  LoopbackServer s;
  ClientCredentialsRequest req;
  fill(req, s);
  TokenResponse out;
  std::string error;
  s.set("/oauth2/v2.0/token", Reply{502, "<html>Bad Gateway</html>", {}});
  REQUIRE_FALSE(request_client_credentials(req, out, error));
  CHECK_THAT(error, Catch::EndsWith("(not an OAuth 2.0 error response, RFC 6749 5.2)"));
  s.set_json("/oauth2/v2.0/token", "{\"token_type\":\"Bearer\"}");
  REQUIRE_FALSE(request_client_credentials(req, out, error));
  CHECK_THAT(error, Catch::Contains("without a JSON object holding a string access_token"));
  s.stop();
  REQUIRE_FALSE(request_client_credentials(req, out, error));
  CHECK_THAT(error, Catch::StartsWith("token request failed: POST " + req.token_endpoint +
                                      ": Couldn't connect to server"));
  ClientCredentialsRequest plain;
  fill(plain, s);
  plain.limits.allow_http_loopback = false;
  REQUIRE_FALSE(request_client_credentials(plain, out, error));
  CHECK_THAT(error, Catch::Contains("needs allow-http-loopback"));
}
