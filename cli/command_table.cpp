#include "command_table.h"

namespace cli {

namespace {

constexpr uint32_t kValidating = kValidate | kExplain;        // take a token and a policy
constexpr uint32_t kRouting = kValidating | kServe;           // build a validator from options
constexpr uint32_t kLoading = kRouting | kPolicyCheck | kPolicyConvert;  // load a policy

constexpr const char* kToken_ = "Token";
constexpr const char* kPolicyKeys = "Policy and keys";
constexpr const char* kClient = "Client";
constexpr const char* kService = "Service";
constexpr const char* kOutput = "Output";
constexpr const char* kGeneral = "General";

}  // namespace

const std::vector<OptionSpec>& options() {
  static const std::vector<OptionSpec> table = {
      // name, short, arg, section, commands, help, repeatable, choices, file.
      // A command's help lists its sections in the order they first appear
      // here: Token or Service or Client, then Policy and keys, Output, General.
      {"token", 0, "TOKEN", kToken_, kValidating,
       "the token; - reads it from standard input"},
      {"header", 'H', "'NAME: VALUE'", kToken_, kValidating,
       "a request header; the policy says which one holds the token and whether a scheme such "
       "as Bearer is required",
       true},
      {"query", 0, "NAME=VALUE", kToken_, kValidating,
       "a request query parameter (for a policy with query-parameter-name)", true},

      {"token-endpoint", 0, "URL", kClient, kToken, "the token endpoint (https)"},
      {"tenant", 0, "TENANT", kClient, kToken,
       "or an Entra tenant ID or domain: the endpoint is "
       "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token"},
      {"client-id", 0, "ID", kClient, kToken, "the application (client) ID"},
      {"client-secret-file", 0, "FILE", kClient, kToken,
       "read the client secret from FILE (its first line)", false, nullptr, true},
      {"client-secret-env", 0, "VAR", kClient, kToken,
       "or from the environment variable VAR"},
      // Refused with the reason (ps shows every argument to every user), so
      // it is parsed but never offered.
      {"client-secret", 0, "SECRET", kClient, kToken, nullptr},
      {"scope", 0, "SCOPE", kClient, kToken, "the scope; for Entra, the API's App ID URI followed "
       "by /.default"},
      {"resource", 0, "URI", kClient, kToken, "an RFC 8707 resource indicator (optional)"},
      {"client-auth", 0, "METHOD", kClient, kToken,
       "post sends the secret in the request body (the default, as Entra documents), basic "
       "with HTTP Basic authentication (RFC 6749 section 2.3.1)",
       false, "post basic"},
      {"timeout", 0, "MS", kClient, kToken, "give up after MS milliseconds (default 10000)"},
      {"allow-http-loopback", 0, nullptr, kClient, kToken,
       "allow plain http to 127.0.0.1, ::1 or localhost (for tests)"},

      {"config", 'c', "FILE", kService, kServe,
       "the JSON configuration: listen address, limits and routes, each route a policy with its "
       "options (docs/serving.md); excludes the options of the --policy form",
       false, nullptr, true},
      {"listen", 'l', "ADDR:PORT", kService, kServe,
       "the address to listen on (default 127.0.0.1:8080; port 0 picks a free one); overrides "
       "the configuration file's"},
      {"prefix", 0, "PATH", kService, kServe, "the path prefix the policy guards (default /)"},
      {"claim-header", 0, "CLAIM=NAME", kService, kServe,
       "send claim CLAIM of an accepted token as response header NAME", true},
      {"cache-entries", 0, "N", kService, kServe, "verified-token cache size (default 0: off)"},
      {"threads", 0, "N", kService, kServe, "server threads (default 2)"},
      {"max-connections", 0, "N", kService, kServe, "connections at once (default 1024)"},
      {"max-connections-per-ip", 0, "N", kService, kServe,
       "connections at once from one client address (default 0: no limit)"},
      {"idle-timeout", 0, "SECONDS", kService, kServe,
       "close a connection idle for this long (default 15)"},
      {"connection-memory", 0, "BYTES", kService, kServe,
       "memory per connection, request headers included (default 32768)"},
      {"success-status", 0, "STATUS", kService, kServe, "the status of an accepted token",
       false, "200 204"},
      {"no-www-authenticate", 0, nullptr, kService, kServe,
       "no RFC 6750 WWW-Authenticate header on a 401"},

      {"policy", 'p', "FILE", kPolicyKeys, kRouting,
       "the APIM policy, XML (<validate-jwt>, <validate-azure-ad-token> or a <policies> "
       "document) or its JSON form",
       false, nullptr, true},
      {"select", 0, "ID", kPolicyKeys, kLoading,
       "which validation element of a <policies> document: its id attribute or its 1-based "
       "position"},
      {"keys", 'k', "FILE", kPolicyKeys, kRouting,
       "more signing keys: a JWK Set, a JWK, PEM public keys or certificates, or DER", true,
       nullptr, true},
      {"named-value", 0, "NAME=VALUE", kPolicyKeys, kLoading, "define the named value {{NAME}}",
       true},
      {"named-values", 0, "FILE", kPolicyKeys, kLoading,
       "define named values from a JSON object of strings, or from NAME=VALUE lines", true, nullptr,
       true},
      {"expression-value", 0, "EXPR=VALUE", kPolicyKeys, kLoading,
       "the value of a policy expression such as @(context.Request.OriginalUrl.Host), which "
       "only APIM can run",
       true},
      {"certificate", 0, "ID=FILE", kPolicyKeys, kLoading,
       "a certificate (PEM or DER) for <key certificate-id=\"ID\">", true},
      {"decryption-key", 0, "ID=FILE", kPolicyKeys, kLoading,
       "the private key for <decryption-keys><key certificate-id=\"ID\">: PEM, DER PKCS#8, "
       "PKCS#12 (PFX) or a private JWK",
       true},
      {"decryption-key-password", 0, "ID=FILE", kPolicyKeys, kLoading,
       "the password of that key's PKCS#8 or PKCS#12, read from FILE (its first line), never "
       "from the command line",
       true},
      {"openid-document", 0, "URL=FILE", kPolicyKeys, kLoading,
       "the discovery document of an openid-config URL, read from FILE instead of fetched", true},
      {"jwks-document", 0, "URL=FILE", kPolicyKeys, kLoading,
       "the JWK Set of a jwks_uri, read from FILE instead of fetched", true},
      {"allow-http-loopback", 0, nullptr, kPolicyKeys, kRouting,
       "fetch openid-config over plain http from 127.0.0.1, ::1 or localhost (for tests; https "
       "is required otherwise)"},
      {"first-load-timeout", 0, "MS", kPolicyKeys, kRouting,
       "wait at most MS milliseconds for fetched keys (default 5000)"},

      {"to", 0, "FORM", kOutput, kPolicyConvert,
       "the form to write (default: the other one than the input's)", false, "json xml"},
      {"show-claims", 0, nullptr, kOutput, kValidate,
       "print the claims of a refused token too (they are unverified)"},
      {"json", 0, nullptr, kOutput,
       kValidating | kDecode | kPolicyCheck | kPolicyConvert | kToken | kVersion,
       "print JSON instead of text (see JSON output)"},
      {"color", 0, "WHEN", kOutput, kValidating | kDecode | kPolicyCheck,
       "colour the output: auto (the default) colours a terminal unless NO_COLOR is set, "
       "always and never do what they say",
       false, "auto always never"},
      {"no-color", 0, nullptr, kOutput, kValidating | kDecode | kPolicyCheck,
       "the same as --color=never"},

      {"now", 0, "UNIX_SECONDS", kGeneral, kValidating | kDecode | kServe,
       "take this instant as now instead of the clock: tokens are judged, and times shown, as at "
       "that instant"},
      {"help", 'h', nullptr, kGeneral, kAllCommands, "show this help and exit"},
  };
  return table;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> table = {
      {kValidate, "validate", "check a token against a policy, as APIM would decide",
       {"--policy FILE [options] TOKEN", "--policy FILE [options] --header 'NAME: VALUE'...",
        "--policy FILE [options] --token -"},
       "Validates one token against an API Management <validate-jwt> or "
       "<validate-azure-ad-token> policy and prints the decision: for a refused token APIM's "
       "status, reason and message, then every check that failed, the deciding one first. The "
       "token is taken the way the policy says (header-name, query-parameter-name, "
       "token-value, require-scheme) from --header and --query, or given bare. Keys come from "
       "the policy (issuer-signing-keys, openid-config) and from --keys.",
       {{"TOKEN", "the bare token, without a scheme; - reads it from standard input"}},
       "one object: {\"valid\", \"status\" (the HTTP status APIM would answer), \"reason\" (the "
       "deciding check's name, \"\" when valid), \"apim_reason\", \"message\", \"token_source\", "
       "\"failures\": [{\"code\", \"apim_reason\", \"subject\", \"detail\"}], \"header\", \"claims\"}.",
       "0 the token is valid, 1 it is invalid, 2 usage or configuration error (an option, the "
       "policy, a key file)."},
      {kExplain, "explain", "validate and explain every check and the likely causes of a failure",
       {"--policy FILE [options] TOKEN", "--policy FILE [options] --header 'NAME: VALUE'..."},
       "Validates like jwtgate validate, then explains: every check with the token's value "
       "beside the policy's, and the likely causes of a failure, most likely first, each with "
       "the evidence and the fix (v1.0 and v2.0 tokens, App ID URI and GUID audiences, missing "
       "roles or scopes, unknown key ids, clock problems, wrong tenant or cloud, and more). A "
       "policy that does not load is explained the same way.",
       {{"TOKEN", "the bare token, without a scheme; - reads it from standard input"}},
       "one object: {\"valid\", \"token_version\", \"issuer_type\", \"findings\": [{\"code\", "
       "\"title\", \"evidence\", \"fix\"}], \"checks\": [{\"name\", \"passed\", \"evidence\"}]}; "
       "for a policy that does not load the same object, with findings only.",
       "0 the token is valid, 1 it is invalid, 2 usage or configuration error (a policy that "
       "does not load is explained, then exits 2)."},
      {kDecode, "decode", "show a token's header and claims without validating it",
       {"[options] TOKEN"},
       "Prints the token's header and claims the way jwt.ms does: what each known member means "
       "(RFC 7519, OpenID Connect, Entra ID), times in UTC and relative to now, and the token's "
       "version and issuer type. Nothing is verified: a decoded token is not a valid one. A "
       "Bearer scheme in front of the token is dropped.",
       {{"TOKEN", "the token; - reads it from standard input"}},
       "one object: {\"verified\": false, \"token_version\", \"issuer_type\", \"header\", "
       "\"claims\", \"about\": {\"header\": {NAME: {\"meaning\"}}, \"claims\": {NAME: "
       "{\"meaning\", \"utc\", \"relative\", \"state\"}}}}; header or claims null when they did "
       "not parse.",
       "0 decoded, 1 not a well-formed token (what parsed is still shown), 2 usage error."},
      {kPolicy, "policy", "check a policy, or convert it between XML and JSON",
       {"check [options] FILE", "convert [options] FILE"},
       "Works on a policy file without a token: check loads it as validate would and lists "
       "every problem; convert writes it in the other form.",
       {},
       nullptr,
       "2 when no subcommand or an unknown one is given; otherwise the subcommand's."},
      {kPolicyCheck, "policy check", "load a policy and list every problem",
       {"[options] FILE"},
       "Loads the policy exactly as validate would and lists every problem, errors and "
       "warnings, each with its line, column and element path, as FILE:LINE:COLUMN: error: "
       "PATH: MESSAGE.",
       {{"FILE", "the policy, XML or JSON; - reads standard input", nullptr, true}},
       "one object: {\"policy\": FILE, \"loads\", \"errors\": N, \"warnings\": N, \"problems\": "
       "[{\"line\", \"column\", \"path\", \"message\", \"warning\"}]} (line and column 0 when "
       "unknown).",
       "0 the policy loads (warnings allowed), 1 it does not (the problems are listed), 2 usage "
       "error or a file that cannot be read.",
       "policy"},
      {kPolicyConvert, "policy convert", "write a policy in the other form (XML and JSON)",
       {"[--to json|xml] [options] FILE"},
       "Writes the policy in jwtgate's JSON form (docs/policy-json.md) when it is XML, and as "
       "an APIM XML element when it is JSON; --to chooses. Named values and supplied expression "
       "values appear resolved.",
       {{"FILE", "the policy, XML or JSON; - reads standard input", nullptr, true}},
       "the policy in its JSON form (--json is --to json).",
       "0 converted, 2 usage error or a policy that does not load (its problems on standard "
       "error).",
       "policy"},
      {kToken, "token", "get an access token with the OAuth 2.0 client-credentials grant",
       {"(--token-endpoint URL | --tenant TENANT) --client-id ID --scope SCOPE "
        "(--client-secret-file FILE | --client-secret-env VAR) [options]"},
       "Gets an access token with the OAuth 2.0 client-credentials grant (RFC 6749 section "
       "4.4), as a daemon calling an API behind API Management gets one, and prints it. Entra "
       "errors (AADSTS codes) are explained. The secret is read from a file or the environment, "
       "never from the command line, where ps shows it to every user.",
       {},
       "the token endpoint's JSON response as it came.",
       "0 token printed, 1 the request failed or the provider refused it, 2 usage error."},
      {kServe, "serve", "authorize requests for nginx auth_request over HTTP",
       {"--config FILE [--listen ADDR:PORT]",
        "--policy FILE [policy options] [--listen ADDR:PORT] [service options]"},
       "Answers nginx auth_request subrequests and direct callers: the token of the request "
       "whose URI is in X-Original-URI is validated against the policy whose path prefix is "
       "longest; a valid token gets 200 with chosen claims as headers, a refused one the "
       "policy's status and APIM's message. A path not in normal form (dot segments, //, %2F, "
       "...) gets 400, not a judgement. GET /healthz and GET /metrics (Prometheus) come with "
       "it.\n\nSIGHUP reloads the configuration all or nothing: one that does not load leaves "
       "the previous one in service. docs/serving.md has the nginx configuration, the file "
       "format and the limits.",
       {},
       nullptr,
       "0 stopped by SIGTERM or SIGINT, 2 usage or configuration error, or the address cannot "
       "be bound."},
      {kVersion, "version", "print the versions of jwtgate, its library and what they were built with",
       {"[--json]"},
       "Prints the version of jwtgate, then the version of the libjwtgate it runs on with the "
       "features compiled into it, the libraries it uses, and whether jwtgate serve was built. "
       "jwtgate --version and jwtgate -V print the same.",
       {},
       "one object: {\"jwtgate\", \"library\": {\"version\", \"features\": [...], "
       "\"dependencies\": {NAME: VERSION}}, \"serve\": \"\" or the HTTP library}.",
       "0."},
      {kHelp, "help", "show the help of jwtgate or of a command", {"[COMMAND [SUBCOMMAND]]"},
       "Prints the same help as jwtgate COMMAND --help, or the list of commands.",
       {{"COMMAND", "a command, and for policy a subcommand"}},
       nullptr,
       "0, 2 for an unknown command."},
      {kCompletion, "completion", "print a shell completion script", {"bash"},
       "Prints the bash completion script (installed as "
       "share/bash-completion/completions/jwtgate). To try it: source <(jwtgate completion "
       "bash).",
       {{"SHELL", "bash, the only one so far", "bash"}},
       nullptr,
       "0, 2 for another shell."},
  };
  return table;
}

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& c : commands())
    if (name == c.name) return &c;
  return nullptr;
}

std::vector<const CommandSpec*> subcommands(std::string_view parent) {
  std::vector<const CommandSpec*> out;
  for (const CommandSpec& c : commands())
    if (c.parent && parent == c.parent) out.push_back(&c);
  return out;
}

std::vector<const OptionSpec*> options_of(Cmd cmd) {
  std::vector<const OptionSpec*> out;
  for (const OptionSpec& o : options())
    if (o.commands & cmd) out.push_back(&o);
  return out;
}

const OptionSpec* find_option(Cmd cmd, std::string_view name) {
  for (const OptionSpec& o : options())
    if ((o.commands & cmd) && name == o.name) return &o;
  return nullptr;
}

const OptionSpec* find_short_option(Cmd cmd, char short_name) {
  for (const OptionSpec& o : options())
    if ((o.commands & cmd) && o.short_name && o.short_name == short_name) return &o;
  return nullptr;
}

const char* const kProgramSummary =
    "validate JSON Web Tokens with Azure API Management's validate-jwt rules";

const char* const kProgramDescription =
    "jwtgate validates JSON Web Tokens with the rules of Azure API Management's <validate-jwt> "
    "and <validate-azure-ad-token> policies, given in XML or in an equivalent JSON form, and says "
    "exactly why a token was refused: APIM's status, reason and message, and every check that "
    "failed. It fails closed: algorithms are allow-listed and bound to key types, header-embedded "
    "keys and unknown crit extensions are refused, and public key text is never an HMAC secret."
    "\n\n"
    "Every command takes -h or --help. Options may be given as --name VALUE or --name=VALUE, "
    "in any order around the operands; -- ends the options. Text from a token never reaches the "
    "terminal raw: control characters and invisible Unicode controls are printed escaped.";

const char* const kExitStatus =
    "0 the token is valid, or the command succeeded.\n"
    "1 the token is invalid, the policy has errors (policy check), the token is not "
    "well-formed (decode), or the token request failed (token).\n"
    "2 usage error (an unknown command or option, a missing or malformed argument) or "
    "configuration error (a policy, key or file that cannot be loaded).";

const char* const kEnvironment =
    "NO_COLOR: when set to anything but the empty string, no colours unless --color=always "
    "(https://no-color.org).\n"
    "https_proxy, HTTPS_PROXY, no_proxy, NO_PROXY: the proxy for fetching openid-config "
    "documents and key sets and for jwtgate token, as libcurl reads them.";

const char* const kJsonNote =
    "With --json a command prints one JSON object on one line instead of text, valid UTF-8 "
    "whatever the token holds; messages and errors that are not the command's result still go "
    "to standard error as text.";

}  // namespace cli
