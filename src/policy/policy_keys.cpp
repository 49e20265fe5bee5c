#include <algorithm>

#include "core/quote.h"
#include "discovery/discovery_document.h"
#include "keys/key_parsers.h"
#include "policy/policy_loader.h"

namespace jwtgate {

bool build_policy_keys(Policy& p, const LoadOptions& opts, Diagnostics& diag) {
  std::vector<Key> keys;
  for (size_t i = 0; i < p.issuer_signing_keys.size(); ++i) {
    const PolicyKey& pk = p.issuer_signing_keys[i];
    const std::string path = "issuer-signing-keys/key[" + std::to_string(i + 1) + "]";
    std::vector<Key> got;
    Diagnostics local;
    bool ok = false;
    if (!pk.value.empty()) {
      ok = parse_symmetric_base64(pk.value, got, local);
    } else if (!pk.n.empty()) {
      ok = parse_rsa_components(pk.n, pk.e, got, local);
    } else if (!pk.certificate_id.empty()) {
      auto it = opts.certificates.find(pk.certificate_id);
      if (it == opts.certificates.end()) {
        local.error("certificate-id " + quoted(pk.certificate_id, 128) +
                    " is not registered (use --certificate " + pk.certificate_id +
                    "=FILE or jwtgate_load_options_add_certificate)");
      } else {
        got = it->second;
        ok = !got.empty();
      }
    }
    for (const auto& d : local.items()) {
      if (d.warning) diag.warn(d.message, path, pk.line);
      else diag.error(d.message, path, pk.line);
    }
    if (!ok) continue;
    for (Key& k : got) {
      // The policy's id matches the token's kid; it is a selection hint, and
      // a token whose kid matches no key tries every key written here
      // (APIM: "If no keys match the claim, API Management will attempt
      // each specified key"; rollover). So these keys are never kid-bound,
      // whatever they were read from.
      if (!pk.id.empty()) {
        k.kid = pk.id;
        k.has_kid = true;
      }
      k.kid_bound = false;
      k.origin = "issuer-signing-keys key #" + std::to_string(i + 1) +
                 (pk.id.empty() ? "" : " (id " + quoted(pk.id, 64) + ")");
      keys.push_back(std::move(k));
    }
  }

  // openid-config: offline documents win over fetching (air-gapped hosts,
  // the bundled example). Without any, the validator fetches every
  // openid-config itself (net/remote_keys.h). Documents for some of a
  // policy's openid-config elements and not for others would be half
  // offline, half online, and are refused; the validator relies on it
  // (a policy with discovered issuers fetches nothing).
  size_t offline = 0;
  for (const OpenIdConfig& c : p.openid_configs) offline += opts.discovery_documents.count(c.url);
  for (const OpenIdConfig& c : p.openid_configs) {
    if (offline == 0) break;  // every one is fetched at run time
    auto doc_it = opts.discovery_documents.find(c.url);
    if (doc_it == opts.discovery_documents.end()) {
      diag.error("openid-config " + c.url +
                     ": no discovery document was supplied for this URL, while other "
                     "openid-config elements have one; supply documents for every "
                     "openid-config (offline: --openid-document URL=FILE or "
                     "jwtgate_load_options_set_document) or for none (then they are fetched)",
                 "openid-config", c.line);
      continue;
    }
    DiscoveryDocument doc;
    if (!parse_discovery_document(doc_it->second, "openid-config " + c.url, doc, diag)) continue;
    if (std::find(p.discovered_issuers.begin(), p.discovered_issuers.end(), doc.issuer) ==
        p.discovered_issuers.end())
      p.discovered_issuers.push_back(doc.issuer);
    auto jwks_it = opts.jwks_documents.find(doc.jwks_uri);
    if (jwks_it == opts.jwks_documents.end()) {
      diag.error("openid-config " + c.url + ": no JWK Set was supplied for its jwks_uri " +
                     doc.jwks_uri + " (--jwks-document URL=FILE)",
                 "openid-config", c.line);
      continue;
    }
    // An offline copy of a published set follows the rules of a fetched one
    // (net/openid_fetch.cpp): the same parser, so an "oct" key is refused
    // here exactly as there, and a bad key is skipped, named, the same way.
    std::vector<Key> got;
    Diagnostics local;
    if (parse_published_jwks(jwks_it->second, got, local)) {
      for (Key& k : got) {
        k.origin = doc.jwks_uri + " " + k.origin;
        keys.push_back(std::move(k));
      }
    }
    for (const auto& d : local.items()) {
      if (d.warning) diag.warn(d.message, doc.jwks_uri);
      else diag.error(d.message, doc.jwks_uri);
    }
  }
  if (diag.has_errors()) return false;
  p.signing_keys = std::make_shared<const KeySet>(std::move(keys));
  return true;
}

}  // namespace jwtgate
