#include "claims/client_application.h"

#include <string>
#include <string_view>

#include "core/ascii.h"
#include "core/quote.h"
#include "encoding/json_dom.h"

namespace jwtgate {

namespace {

bool same_application(std::string_view allowed, std::string_view client) {
  if (!(is_guid(allowed) && is_guid(client))) return allowed == client;
  // A GUID's hex digits carry no case (RFC 9562 section 4).
  return ascii_iequals(allowed, client);
}

// present: the claim exists and is not null (null carries no value, as in
// check_required_claims).
bool present(ClaimsView claims, const char* name, element& v) {
  return !claims[name].get(v) && v.type() != element_type::NULL_VALUE;
}

}  // namespace

bool check_client_application(ClaimsView claims, const Policy& p,
                              FailureList& failures) {
  if (p.client_application_ids.empty()) return true;
  element ver;
  const bool v1 = !claims["ver"].get(ver) && ver.type() == element_type::STRING &&
                  ver.get_string().value_unsafe() == "1.0";
  const char* first = v1 ? "appid" : "azp";
  const char* second = v1 ? "azp" : "appid";
  element v;
  const char* name = present(claims, first, v) ? first : present(claims, second, v) ? second : nullptr;
  const std::string allowed = quoted_list(p.client_application_ids);
  const auto evidence = [&](const char* claim) {
    return FailureEvidence{Compared::ClientApplication, p.client_application_ids.data(),
                           p.client_application_ids.size(), claim};
  };
  if (!name) {
    failures.add(JWTGATE_REASON_CLIENT_NOT_ALLOWED, first) =
        "the token names no client application (neither \"azp\" nor \"appid\"); the policy "
        "allows client-application-ids " + allowed;
    failures.last().evidence = evidence(first);
    return false;
  }
  if (v.type() != element_type::STRING) {
    failures.add(JWTGATE_REASON_CLIENT_NOT_ALLOWED, name) =
        "claim " + jwtgate::quoted(name) + " is " + claims.value(name, v, 64) +
        ", not an application ID string; the policy allows client-application-ids " + allowed;
    failures.last().evidence = evidence(name);
    return false;
  }
  const std::string_view client = v.get_string().value_unsafe();
  for (const auto& id : p.client_application_ids)
    if (same_application(id, client)) return true;
  failures.add(JWTGATE_REASON_CLIENT_NOT_ALLOWED, name) =
      "client application " + claims.value(name, v) + " (claim " + jwtgate::quoted(name) +
      ") is not among the allowed client-application-ids " + allowed;
  failures.last().evidence = evidence(name);
  return false;
}

}  // namespace jwtgate
