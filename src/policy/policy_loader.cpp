#include "policy/policy_loader.h"

#include "policy/azure_ad.h"
#include "policy/policy_forms.h"

namespace jwtgate {

std::shared_ptr<const Policy> load_policy(std::string_view text, const LoadOptions& opts,
                                          Diagnostics& diag) {
  // APIM's own limit on a policy document (docs/apim-reference.md, "Limits") bounds what a
  // pasted file can make us parse.
  if (text.size() > 256 * 1024) {
    diag.error("policy is larger than 256 KiB, APIM's limit for a policy document");
    return nullptr;
  }
  size_t i = 0;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
    i = 3;  // UTF-8 byte order mark, as editors on Windows write it
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i == text.size()) {
    diag.error("policy is empty");
    return nullptr;
  }
  auto p = std::make_shared<Policy>();
  bool ok;
  if (text[i] == '<') ok = load_policy_xml(text, opts, *p, diag);
  else if (text[i] == '{') ok = load_policy_json(text, opts, *p, diag);
  else {
    diag.error("policy is neither XML (starts with '<') nor JSON (starts with '{')");
    return nullptr;
  }
  if (!ok || diag.has_errors()) return nullptr;
  // validate-azure-ad-token: Entra's discovery URL, issuers and audiences
  // come from tenant-id, then go through the validate-jwt machinery.
  if (!derive_azure_ad(*p, diag)) return nullptr;
  if (!build_policy_keys(*p, opts, diag)) return nullptr;
  if (!build_decryption_keys(*p, opts, diag)) return nullptr;
  pin_azure_ad_tenant(*p, diag);
  if (!p->finalize(diag)) return nullptr;
  return p;
}

}  // namespace jwtgate
