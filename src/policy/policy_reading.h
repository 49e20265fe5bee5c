// What the XML and the JSON readers share (policy_xml_reader.cpp,
// policy_json_reader.cpp): the steps from text to the chosen element, and
// the checks of a whole policy element that no single attribute makes.
#pragma once

#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "policy/load_options.h"
#include "policy/policy.h"
#include "policy/policy_attributes.h"

namespace jwtgate {

// load_chosen loads |text| as a Document (PolicyXmlDocument or
// PolicyJsonDocument), picks the element opts.select names and hands it to
// read(document, candidate). Returns false if there was any error.
template <typename Document, typename Read>
bool load_chosen(std::string_view text, const LoadOptions& opts, Diagnostics& diag, Read read) {
  Document doc;
  if (!doc.load(text, diag)) return false;
  const typename Document::Candidate* chosen = doc.select(opts.select, diag);
  if (!chosen) return false;
  read(doc, *chosen);
  return !diag.has_errors();
}

// check_policy_element reports, through report(message), the problems of a
// whole <validate-jwt> or <validate-azure-ad-token>: more than one token
// source (of |sources| found), none for validate-jwt, and each required
// attribute left at its default, unless failed(row) says it did not load
// (then its reader has said why already).
template <typename Failed, typename Report>
void check_policy_element(const Policy& p, PolicyKind kind, int sources, Failed failed, Report report) {
  if (sources > 1) report("give only one of header-name, query-parameter-name and token-value");
  if (kind == PolicyKind::ValidateJwt && sources == 0)
    report("one of header-name, query-parameter-name or token-value must be specified");
  for (const Attribute<Policy>& row : attribute_table<Policy>().rows)
    if (row.required && applies(row, kind) && is_default(row, p) && !failed(row))
      report(std::string(row.json) + " is required");
}

// The checks of one item that no single attribute makes, in the same words
// for both forms. key_forms_problem: "" when |k| is exactly one key form (a
// base64 secret, a certificate-id, or n with e), else why not; |secret|
// names the secret as the form writes it ("\"value\" (base64 secret)" in
// JSON, "base64 element text" in XML).
inline std::string key_forms_problem(const PolicyKey& k, std::string_view secret) {
  const int forms = !k.certificate_id.empty() + (!k.n.empty() || !k.e.empty()) + !k.value.empty();
  if (forms != 1)
    return "a key needs exactly one of: " + std::string(secret) +
           ", \"certificate-id\", or \"n\" with \"e\"";
  if (k.n.empty() != k.e.empty()) return "an RSA key needs both \"n\" and \"e\"";
  return {};
}

// required_missing: what is said of an item whose required |row| is left
// out (or, for a claim, empty).
inline std::string required_missing(const Attribute<OpenIdConfig>& row) {
  return "openid-config needs a " + std::string(row.json);
}
inline std::string required_missing(const Attribute<RequiredClaim>& row) {
  return "a required claim needs a non-empty \"" + std::string(row.json) + "\"";
}

}  // namespace jwtgate
