// Diagnosis: the troubleshooting guide made executable. After a validation
// (which already runs every check), diagnose() lists each check with its
// evidence, and recognises the known causes of "401 Invalid token"
// (docs/apim-semantics.md): v1.0 vs v2.0 tokens, App ID URI vs GUID
// audiences, missing roles, scp without separator=" ", unknown kid after
// rotation, Graph tokens, clock problems, wrong tenant or cloud, groups
// overage, encrypted tokens, HS256 against RSA-only keys, and more.
// It reads only what a validator has: the token, the policy, the failures.
#pragma once

#include <string>
#include <vector>

#include "validate/result.h"

namespace jwtgate {

struct Check {
  std::string name;      // "signature", "exp", "aud", "claim scp", ...
  bool passed = false;
  std::string evidence;  // the token's value beside the policy's
};

struct Finding {
  std::string code;      // stable identifier, e.g. "token_version_mismatch"
  std::string title;     // one line: what is wrong
  std::string evidence;  // what in the token and policy shows it
  std::string fix;       // what to change
  int rank = 50;         // lower = more likely the cause; findings are sorted by it
  // The evidence is a list of lines (a policy's load errors), shown as
  // indented lines; any other field is one line, its line breaks escaped.
  bool multiline = false;
};

struct Diagnosis {
  bool valid = false;
  std::string token_version;  // "Entra ID v1.0", "Entra ID v2.0", "not an Entra token", ""
  std::string issuer_type;    // "Entra ID (public cloud)", "Azure AD B2C", ...
  std::vector<Check> checks;
  std::vector<Finding> findings;
};

// diagnose explains |r|, the result of validating a token with |p|.
Diagnosis diagnose(const Result& r, const Policy& p);

// diagnose_policy_errors explains a policy that did not load (unresolved
// named values, expressions, openid-config problems).
Diagnosis diagnose_policy_errors(const std::string& errors);

// Text for a person (short, ordered by likely cause) and JSON (the same data).
std::string diagnosis_text(const Diagnosis& d, bool color);
std::string diagnosis_json(const Diagnosis& d);

}  // namespace jwtgate
