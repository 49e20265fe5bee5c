#include "validate/result.h"

#include "claims/claim_text.h"
#include "core/json_writer.h"
#include "core/reasons.h"
#include "validate/messages.h"

namespace jwtgate {

const std::string& Result::to_json() {
  json.clear();
  JsonWriter w(json);
  w.begin_object();
  w.key("valid").value(valid);
  w.key("status").value(http_status);
  w.key("reason").value(reason_name(reason));
  w.key("apim_reason").value(apim_reason(reason));
  w.key("message").value(message);
  w.key("token_source").value(token_source);
  if (key) w.key("key").value(key->origin);
  if (cache_hit) w.key("cache_hit").value(true);
  w.key("failures").begin_array();
  for (const Failure& f : failures) {
    w.begin_object()
        .key("code").value(reason_name(f.reason))
        .key("apim_reason").value(apim_reason(f.reason))
        .key("subject").value(f.subject)
        .key("detail").value(f.detail)
        .end_object();
  }
  w.end_array();
  // The decoded JSON is written member by member through the writer, never
  // copied: the output is one valid, compact line whatever the strings hold
  // (DEL, U+2028 and bidirectional controls escaped), and masked claims'
  // values are "***".
  w.key("header");
  if (header_available) write_json_object(w, token.header);
  else w.null();
  w.key("claims");
  if (claims_available) write_json_object(w, token.payload, mask.get());
  else w.null();
  w.end_object();
  return json;
}

}  // namespace jwtgate
