// jwtgate token: an access token by the OAuth 2.0 client-credentials grant
// (RFC 6749 4.4), as the daemon in front of an API Management API gets it.
// The secret comes from a file or an environment variable, never from the
// command line (argv is readable by every user of the machine through ps).
#include <cstdlib>
#include <iostream>
#include <memory>

#include <openssl/crypto.h>

#include "commands.h"
#include "jwtgate_experimental.h"

namespace cli {

namespace {

const char* const kHelp =
    "usage: jwtgate token (--token-endpoint URL | --tenant TENANT) --client-id ID\n"
    "                     (--client-secret-file FILE | --client-secret-env VAR) --scope SCOPE\n"
    "                     [options]\n"
    "\n"
    "Gets an access token with the OAuth 2.0 client-credentials grant and prints it,\n"
    "or with --json the whole token response. Entra errors (AADSTS codes) are explained.\n"
    "Exit status: 0 token printed, 1 the request failed or was refused, 2 usage error.\n"
    "\n"
    "  --token-endpoint URL        the token endpoint (https)\n"
    "  --tenant TENANT             or an Entra tenant ID or domain: the endpoint is\n"
    "                              https://login.microsoftonline.com/TENANT/oauth2/v2.0/token\n"
    "  --client-id ID              the application (client) ID\n"
    "  --client-secret-file FILE   read the client secret from FILE (one line)\n"
    "  --client-secret-env VAR     or from the environment variable VAR\n"
    "  --scope SCOPE               Entra: the API's App ID URI followed by /.default\n"
    "  --resource URI              an RFC 8707 resource indicator (optional)\n"
    "  --client-auth post|basic    send the secret in the body (default, as Entra documents)\n"
    "                              or with HTTP Basic (RFC 6749 2.3.1)\n"
    "  --timeout MS                give up after MS milliseconds (default 10000)\n"
    "  --allow-http-loopback       allow plain http to 127.0.0.1, ::1 or localhost (tests)\n"
    "  --json                      print the whole JSON response\n";

struct RequestDeleter {
  void operator()(jwtgate_token_request* t) const { jwtgate_token_request_free(t); }
};
struct ResponseDeleter {
  void operator()(jwtgate_token_response* r) const { jwtgate_token_response_free(r); }
};
struct ErrorDeleter {
  void operator()(jwtgate_error* e) const { jwtgate_error_free(e); }
};

// Secret holds the client secret for as long as it is needed, then wipes it.
struct Secret {
  std::string value;
  ~Secret() {
    if (!value.empty()) OPENSSL_cleanse(value.data(), value.size());
  }
};

void set(jwtgate_token_request* t, jwtgate_token_field field, const std::string& value,
         const char* option) {
  if (jwtgate_token_request_set(t, field, value.data(), value.size()) != JWTGATE_OK)
    throw UsageError{std::string("--") + option + " holds a NUL byte"};
}

void read_secret(Args& args, Secret& secret) {
  auto file = args.value("client-secret-file");
  auto env = args.value("client-secret-env");
  if (args.value("client-secret"))
    throw UsageError{"the secret is not taken on the command line, where ps shows it to every "
                     "user: use --client-secret-file FILE or --client-secret-env VAR"};
  if (!!file == !!env) throw UsageError{"give one of --client-secret-file FILE or --client-secret-env VAR"};
  if (file) {
    secret.value = read_text(*file);
    // One line: the newline an editor or echo adds is not part of the secret.
    while (!secret.value.empty() && (secret.value.back() == '\n' || secret.value.back() == '\r'))
      secret.value.pop_back();
    if (secret.value.empty()) throw UsageError{"the client secret file " + *file + " is empty"};
  } else {
    const char* v = std::getenv(env->c_str());
    if (!v || !*v) throw UsageError{"the environment variable " + *env + " is not set or is empty"};
    secret.value = v;
  }
}

}  // namespace

int cmd_token(Args& args) {
  if (args.flag("help")) {
    std::cout << kHelp;
    return kExitValid;
  }
  const bool json = args.flag("json");
  const bool loopback = args.flag("allow-http-loopback");
  auto endpoint = args.value("token-endpoint");
  auto tenant = args.value("tenant");
  auto client_id = args.value("client-id");
  auto scope = args.value("scope");
  auto resource = args.value("resource");
  auto auth = args.value("client-auth");
  auto timeout = args.value("timeout");
  Secret secret;
  read_secret(args, secret);
  args.finish();
  if (!args.positionals().empty()) throw UsageError{"jwtgate token takes no positional argument"};
  if (!!endpoint == !!tenant) throw UsageError{"give one of --token-endpoint URL or --tenant TENANT"};
  if (!client_id) throw UsageError{"--client-id ID is required"};
  if (!scope) throw UsageError{"--scope SCOPE is required"};

  std::unique_ptr<jwtgate_token_request, RequestDeleter> t(jwtgate_token_request_new());
  if (!t) throw UsageError{"out of memory"};
  if (endpoint) set(t.get(), JWTGATE_TOKEN_ENDPOINT, *endpoint, "token-endpoint");
  if (tenant) set(t.get(), JWTGATE_TOKEN_TENANT, *tenant, "tenant");
  set(t.get(), JWTGATE_TOKEN_CLIENT_ID, *client_id, "client-id");
  set(t.get(), JWTGATE_TOKEN_SCOPE, *scope, "scope");
  if (resource) set(t.get(), JWTGATE_TOKEN_RESOURCE, *resource, "resource");
  if (jwtgate_token_request_set(t.get(), JWTGATE_TOKEN_CLIENT_SECRET, secret.value.data(),
                                secret.value.size()) != JWTGATE_OK)
    throw UsageError{"the client secret holds a NUL byte"};
  if (auth) {
    jwtgate_client_auth a;
    if (*auth == "post") a = JWTGATE_CLIENT_SECRET_POST;
    else if (*auth == "basic") a = JWTGATE_CLIENT_SECRET_BASIC;
    else throw UsageError{"--client-auth takes post or basic, not \"" + *auth + "\""};
    jwtgate_token_request_set_client_auth(t.get(), a);
  }
  if (timeout) {
    char* end = nullptr;
    const unsigned long long ms = std::strtoull(timeout->c_str(), &end, 10);
    if (timeout->empty() || *end ||
        jwtgate_token_request_set_option(t.get(), JWTGATE_TOKEN_TIMEOUT_MS, ms) != JWTGATE_OK)
      throw UsageError{"--timeout takes milliseconds from 1 to 600000, not \"" + *timeout + "\""};
  }
  if (loopback) jwtgate_token_request_set_option(t.get(), JWTGATE_TOKEN_ALLOW_HTTP_LOOPBACK, 1);

  jwtgate_token_response* raw = nullptr;
  jwtgate_error* raw_err = nullptr;
  const jwtgate_status st = jwtgate_client_credentials(&raw, &raw_err, t.get());
  std::unique_ptr<jwtgate_token_response, ResponseDeleter> resp(raw);
  std::unique_ptr<jwtgate_error, ErrorDeleter> err(raw_err);
  if (st != JWTGATE_OK) {
    // The error text ends each entry with a newline.
    std::cerr << "jwtgate token: "
              << (err ? std::string(jwtgate_error_text(err.get()))
                      : std::string(jwtgate_status_str(st)) + "\n");
    return st == JWTGATE_ERR_INVALID_ARGUMENT ? kExitUsage : kExitInvalid;
  }
  std::cout << (json ? jwtgate_token_response_json(resp.get())
                     : jwtgate_token_response_access_token(resp.get()))
            << "\n";
  return kExitValid;
}

}  // namespace cli
