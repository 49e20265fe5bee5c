// LoadOptions: what a policy needs from its host at load time. APIM resolves
// {{named values}}, runs @(expressions) and holds uploaded certificates; an
// embedded library gets all three from the caller.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "crypto/key.h"
#include "jwe/decryption_key.h"

namespace jwtgate {

struct LoadOptions {
  std::map<std::string, std::string> named_values;       // {{name}} -> value
  std::map<std::string, std::string> expression_values;  // "@(...)" text -> value
  std::map<std::string, std::vector<Key>> certificates;  // certificate-id -> keys
  // certificate-id -> the private key of that certificate, for
  // <decryption-keys><key certificate-id="...">. Kept apart from
  // |certificates|: those verify signatures, these decrypt.
  std::map<std::string, std::vector<DecryptionKey>> decryption_keys;
  std::string select;                                    // element id or 1-based position
  std::map<std::string, std::string> discovery_documents;  // openid-config url -> JSON
  std::map<std::string, std::string> jwks_documents;       // jwks_uri -> JSON
};

}  // namespace jwtgate
