// <decryption-keys><key>: APIM's base64 symmetric key text, or a
// certificate-id the host resolves to a private key (APIM: an uploaded PFX).
// Built once, at load, into the policy's DecryptionKeySet.
#include "policy/policy_loader.h"

namespace jwtgate {

bool build_decryption_keys(Policy& p, const LoadOptions& opts, Diagnostics& diag) {
  std::vector<DecryptionKey> keys;
  bool ok = true;
  for (size_t i = 0; i < p.decryption_keys.size(); ++i) {
    const PolicyKey& pk = p.decryption_keys[i];
    const std::string path = "decryption-keys/key[" + std::to_string(i + 1) + "]";
    std::vector<DecryptionKey> got;
    Diagnostics local;
    if (!pk.value.empty() && !pk.certificate_id.empty()) {
      local.error("a key has either base64 text or a certificate-id, not both");
    } else if (!pk.value.empty()) {
      load_decryption_secret_base64(pk.value, got, local);
    } else if (!pk.certificate_id.empty()) {
      const auto it = opts.decryption_keys.find(pk.certificate_id);
      if (it != opts.decryption_keys.end()) {
        got = it->second;
      } else {
        local.error("certificate-id \"" + pk.certificate_id + "\" has no private key registered (" +
                    (opts.certificates.count(pk.certificate_id)
                         ? "it is registered as a certificate, which verifies signatures; "
                           "decryption needs the private key: "
                         : "") +
                    "use --decryption-key " + pk.certificate_id +
                    "=FILE or jwtgate_load_options_add_decryption_key)");
      }
    } else {
      local.error("a decryption key needs base64 text or a certificate-id");
    }
    for (const auto& d : local.items()) {
      if (d.warning) diag.warn(d.message, path, pk.line);
      else diag.error(d.message, path, pk.line);
    }
    if (local.has_errors() || got.empty()) {
      ok = false;
      continue;
    }
    for (DecryptionKey& k : got) {
      // The policy's id, like a signing key's, is matched against the
      // token's kid as a hint.
      if (!pk.id.empty()) {
        k.kid = pk.id;
        k.has_kid = true;
      }
      k.origin = "decryption-keys key #" + std::to_string(i + 1) +
                 (pk.certificate_id.empty() ? "" : " (certificate-id " + pk.certificate_id + ")");
      keys.push_back(std::move(k));
    }
  }
  if (!ok) return false;
  if (!keys.empty()) p.decryption_key_set = std::make_shared<const DecryptionKeySet>(std::move(keys));
  return true;
}

}  // namespace jwtgate
