// Diagnosis: the troubleshooting guide made executable. After a validation
// (which already runs every check), diagnose() lists each check with its
// evidence and names the likely causes of the failure, most likely first,
// each with its evidence and fix. It reasons from structured data only: the
// failures' codes and what each check compared (core/failures.h), what the
// key search did (validate/signature_stage.h), the tokens the request carried
// elsewhere (validate/token_candidates.h), and the token itself: who issued
// it (issuer_family.h), what kind it is (token_kind.h), how close a failed
// comparison came (near_miss.h). Every finding it can make, with when it
// fires and the issuer families its advice fits, is in finding_rules.h and
// docs/diagnosis.md.
#pragma once

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "validate/result.h"

namespace jwtgate {

struct Check {
  std::string name;      // "signature", "exp", "aud", "claim scp", ...
  bool passed = false;
  std::string evidence;  // the token's value beside the policy's
};

struct Finding {
  std::string code;      // stable identifier, e.g. "token_version_mismatch" (finding_rules.h)
  std::string title;     // one line: what is wrong
  std::string evidence;  // what in the token and policy shows it
  std::string fix;       // what to change
  int rank = 50;         // lower = more likely the cause; findings are sorted by it
  // The evidence is a list of lines (a policy's load errors), shown as
  // indented lines; any other field is one line, its line breaks escaped.
  bool multiline = false;
  std::string group;     // the rule table's group ("near-miss", "signature", ...)
  // When the evidence does not single out one cause: what would tell the
  // causes apart ("" when the evidence is direct).
  std::string next;
};

struct Diagnosis {
  bool valid = false;
  std::string token_version;  // "Entra ID v1.0", "Entra ID v2.0", "" for any other token
  std::string issuer_type;    // "Entra ID (public cloud)", "Azure AD B2C", "Auth0 (HOST)", ...
  std::string issuer_family;  // "entra", "azure_ad_b2c", "auth0", ... (issuer_family.h)
  std::string token_kind;     // "access token", "ID token", ... ("" when unknown)
  // Who the token is for: "app-only" (client credentials) or "delegated"
  // (a user), and the client's kind ("public client", "confidential
  // client (secret)", "confidential client (certificate)"); "" when the
  // token does not say.
  std::string principal;
  std::string client_type;
  std::vector<Check> checks;
  std::vector<Finding> findings;
};

// diagnose explains |r|, the result of validating a token with |p|.
Diagnosis diagnose(const Result& r, const Policy& p);

// diagnose_checks: only the checks of diagnose() (what a trace event lists):
// none of the explain-time work of the findings (other keys tried, ...).
std::vector<Check> diagnose_checks(const Result& r, const Policy& p);

// diagnose_policy_errors explains a policy that did not load, from its
// load problems' codes (unresolved named values, expressions, unusable
// openid-config documents): Diagnostic::code.
Diagnosis diagnose_policy_errors(const Diagnostics& errors);

// Text for a person (short, ordered by likely cause) and JSON (the same data).
std::string diagnosis_text(const Diagnosis& d, bool color);
std::string diagnosis_json(const Diagnosis& d);
// diagnosis_line: the explanation on one line, for a log field or an
// nginx variable: the first finding's title and evidence ("" when valid).
std::string diagnosis_line(const Diagnosis& d);

}  // namespace jwtgate
