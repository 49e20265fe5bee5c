// An OpenID Connect discovery document (OpenID Connect Discovery 1.0 3), as
// supplied offline for a policy's openid-config URL, through the public API:
// jwtgate_load_options_set_document, then jwtgate_policy_load of two fixed
// policies that name it. The document's issuer is taken (and, for the
// validate-azure-ad-token policy of a domain tenant, mined for the tenant
// GUID that pins the issuer template); its jwks_uri is looked up, and the
// JWK Set registered for kJwksUri is loaded when it names that one.
#include <cstdint>
#include <string>

#include "fuzz_support.h"

namespace {

const std::string kJwtPolicy =
    std::string(R"({"validate-jwt":{"header-name":"Authorization","openid-config":[{"url":")") +
    jwtgate_fuzz::kOpenIdConfigUrl + R"("}]}})";
// derive_azure_ad turns this tenant-id into the discovery URL below.
constexpr char kAzurePolicy[] = R"(<validate-azure-ad-token tenant-id="contoso.onmicrosoft.com">)"
                                R"(<audiences><audience>api://jwtgate-fuzz</audience></audiences>)"
                                R"(</validate-azure-ad-token>)";
constexpr char kAzureUrl[] =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* doc = size ? reinterpret_cast<const char*>(data) : "";
  jwtgate_load_options* opts = jwtgate_load_options_new();
  (void)jwtgate_load_options_set_document(opts, jwtgate_fuzz::kOpenIdConfigUrl,
                                          JWTGATE_DOCUMENT_OPENID_CONFIGURATION, doc, size);
  (void)jwtgate_load_options_set_document(opts, kAzureUrl, JWTGATE_DOCUMENT_OPENID_CONFIGURATION, doc,
                                          size);
  (void)jwtgate_load_options_set_document(opts, jwtgate_fuzz::kJwksUri, JWTGATE_DOCUMENT_JWKS, jwtgate_fuzz::kJwks,
                                          sizeof jwtgate_fuzz::kJwks - 1);
  for (std::string_view policy : {std::string_view(kJwtPolicy), std::string_view(kAzurePolicy)}) {
    jwtgate_policy* p = nullptr;
    jwtgate_error* err = nullptr;
    jwtgate_fuzz::check_status(jwtgate_policy_load(&p, &err, policy.data(), policy.size(), opts));
    (void)jwtgate_error_text(err);
    jwtgate_error_free(err);
    jwtgate_policy_free(p);
  }
  jwtgate_load_options_free(opts);
  return 0;
}
