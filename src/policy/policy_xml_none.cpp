// The XML form of policies in a build without pugixml (-Dxml=disabled):
// JSON policies only. An XML policy is refused with a load error that says
// why, so a host finds out at load time and never validates against a
// policy it could not read (fail closed).
#include "policy/policy_forms.h"

namespace jwtgate {

bool load_policy_xml(std::string_view, const LoadOptions&, Policy&, Diagnostics& diag) {
  diag.error("XML policies are not supported by this build of jwtgate (built with -Dxml=disabled); "
             "give the policy in its JSON form");
  return false;
}

// No XML writer either: jwtgate_policy_to_xml returns an empty string.
std::string policy_to_xml(const Policy&) { return {}; }

}  // namespace jwtgate
