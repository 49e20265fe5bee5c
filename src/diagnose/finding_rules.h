// Every finding an explanation can make, once: its code, the group it
// belongs to, the issuer families its advice fits, and when it fires. The
// diagnosis adds a finding only through this table, so advice written for
// one issuer family (accessTokenAcceptedVersion, App ID URIs, app role
// assignments) never reaches a token of another; docs/diagnosis.md lists
// the same table (a test keeps the two in step).
#pragma once

#include <cstddef>
#include <string_view>

#include "diagnose/issuer_family.h"

namespace jwtgate {

struct FindingRule {
  std::string_view code;   // stable identifier ("near_miss_trailing_slash")
  std::string_view group;  // "near-miss", "token-location", "signature", "token-kind", "issuer", ...
  // The issuer families whose tokens the finding may be given for (its
  // advice fits them). IssuerFamily::Unknown is a token whose issuer nothing
  // tells; Entra-only advice is never given for it.
  FamilySet families;
  std::string_view when;   // the evidence it fires on, one sentence (for the docs)
};

// finding_rule: the rule for |code|, or nullptr for a code not in the table.
const FindingRule* finding_rule(std::string_view code);

// finding_rules: the whole table, in the order the docs list it.
const FindingRule* finding_rules(size_t* count);

// finding_applies: |code| is in the table and its advice fits |family|.
bool finding_applies(std::string_view code, IssuerFamily family);

}  // namespace jwtgate
