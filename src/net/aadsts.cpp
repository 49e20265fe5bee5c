#include "net/aadsts.h"

namespace jwtgate {

namespace {

// docs/apim-semantics.md, from Microsoft's AADSTS reference and the daemon-app
// documentation; causes and fixes as seen in client-credentials setups.
constexpr AadstsExplanation kTable[] = {
    {501051, "AppNotAssignedToRole",
     "the API's enterprise application (service principal) has \"Assignment required?\" set to "
     "Yes, and this client application holds no app role on it",
     "define an app role on the API, grant it to the client as an application permission with "
     "admin consent (that creates the assignment), or set \"Assignment required?\" to No"},
    {70011, "InvalidScope",
     "the client-credentials grant asked for a delegated or named scope (such as api://x/read) "
     "instead of the resource's .default scope, or the scope is malformed",
     "request \"{App ID URI or client ID of the API}/.default\", e.g. api://<api-client-id>/.default"},
    {7000215, "InvalidClientSecret",
     "the client secret is wrong: most often the secret's ID was copied instead of its Value, or "
     "the secret was rotated",
     "create a new client secret and use its Value (shown once, when it is created)"},
    {7000222, "InvalidClientSecretExpiredKeysProvided",
     "the client secret has expired",
     "create a new client secret for the application and use its Value"},
    {700016, "UnauthorizedClient_DoesNotMatchRequest",
     "the application (client ID) was not found in this tenant: a wrong client ID, or the "
     "request went to a tenant where the application has no service principal",
     "check the client ID and the tenant in the token endpoint; a multi-tenant application must "
     "be consented or provisioned in that tenant"},
    {500011, "InvalidResourceServicePrincipalNotFound",
     "the scope names an API (App ID URI or client ID) that has no service principal in this "
     "tenant, or has a typo such as api://<id> instead of the real identifier URI, or a missing "
     "\".\" in \"/.default\"",
     "use the API's exact App ID URI or client ID followed by /.default, consent or provision "
     "the API in this tenant, and send the request to the right tenant"},
};

}  // namespace

const AadstsExplanation* find_aadsts(int64_t code) {
  for (const AadstsExplanation& e : kTable)
    if (e.code == code) return &e;
  return nullptr;
}

int64_t aadsts_code(std::string_view text) {
  const size_t at = text.find("AADSTS");
  if (at == std::string_view::npos) return 0;
  int64_t code = 0;
  size_t digits = 0;
  for (size_t i = at + 6; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 12;
       ++i, ++digits)
    code = code * 10 + (text[i] - '0');
  return digits ? code : 0;
}

std::string explain_aadsts(int64_t code) {
  const AadstsExplanation* e = find_aadsts(code);
  if (!e) return "";
  return "AADSTS" + std::to_string(e->code) + " (" + e->name + "): " + e->cause + ". Fix: " +
         e->fix + ".";
}

}  // namespace jwtgate
