// A policy's JSON document, before any member is read: valid JSON without
// repeated members, then the validation elements it offers and the one
// chosen. The document is {"validate-jwt": {...}} (or validate-azure-ad-token),
// or {"policies": [{...}, ...]} with one validation element per entry;
// LoadOptions::select picks one by id or 1-based position
// (policy_selection.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/diagnostics.h"
#include "policy/policy.h"

namespace jwtgate {

class PolicyJsonDocument {
 public:
  struct Candidate {
    simdjson::dom::object obj;
    PolicyKind kind;
    std::string path;  // "validate-jwt", "policies[1].validate-jwt"
    std::string id;    // the id member as written
  };

  // load parses |text| and finds the candidates. Returns false, with errors
  // in |diag|, when the document is not a policy document.
  bool load(std::string_view text, Diagnostics& diag);

  // select returns the candidate |select| names (the first when empty), or
  // nullptr after an error.
  const Candidate* select(const std::string& select, Diagnostics& diag) const;

 private:
  void consider(simdjson::dom::object o, const std::string& base, Diagnostics& diag);

  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
  std::vector<Candidate> found_;
};

}  // namespace jwtgate
