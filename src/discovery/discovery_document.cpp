#include "discovery/discovery_document.h"

#include <simdjson.h>

#include "core/quote.h"
#include "encoding/json_alloc.h"
#include "encoding/json_members.h"

namespace jwtgate {

bool parse_discovery_document(std::string_view json, const std::string& source,
                              DiscoveryDocument& out, Diagnostics& diag) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded = padded_copy(json);
  simdjson::dom::element root;
  if (auto err = json_parse_error(parser.parse(padded).get(root))) {
    diag.error(std::string("discovery document is not valid JSON: ") + simdjson::error_message(err),
               source);
    return false;
  }
  if (!root.is_object()) {
    diag.error("discovery document is not a JSON object", source);
    return false;
  }
  // RFC 8259 section 4 leaves the meaning of a repeated name open: one
  // reader takes the first "issuer" or "jwks_uri", another the last. As for
  // tokens and key sets, the document is refused.
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup)) {
    diag.error("discovery document repeats the member name " + quoted(dup, 64) +
                   " (RFC 8259 section 4: names should be unique; jwtgate refuses repeats)",
               source);
    return false;
  }
  bool ok = true;
  for (const char* member : {"issuer", "jwks_uri"}) {
    std::string_view v;
    if (root[member].get_string().get(v) || v.empty()) {
      // A JWKS URL given where the discovery URL belongs is a common mistake
      // (docs/apim-semantics.md, "Mistakes the messages point out"): say so.
      std::string hint = root["keys"].error() ? "" : " (this looks like a JWK Set, not a discovery document)";
      diag.error(std::string("discovery document has no string \"") + member + "\"" + hint, source);
      ok = false;
      continue;
    }
    (std::string_view(member) == "issuer" ? out.issuer : out.jwks_uri) = std::string(v);
  }
  return ok;
}

}  // namespace jwtgate
