// A policy's XML document, before any attribute is read: well-formedness and
// XML hygiene, then the validation elements it offers and the one chosen.
//
// The document is a bare <validate-jwt> or <validate-azure-ad-token>, a
// <policies> document, or a lone <inbound> section (as articles quote
// policies). In a document the candidates are the validation elements that
// are direct children of <inbound>, in document order; LoadOptions::select
// picks one by id or 1-based position (policy_selection.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "core/diagnostics.h"
#include "policy/policy.h"
#include "policy/policy_xml_positions.h"

namespace jwtgate {

// policy_kind_of: the policy an element name stands for, if any.
std::optional<PolicyKind> policy_kind_of(std::string_view element_name);

class PolicyXmlDocument {
 public:
  struct Candidate {
    pugi::xml_node el;
    PolicyKind kind;
    std::string id;  // the id attribute as written
  };

  // load parses |text| (which must outlive the document): a NUL byte, a
  // DOCTYPE, text outside the top-level element, a second top-level element
  // and a validation element outside <inbound> are errors. Returns false,
  // with errors in |diag|, when there is no candidate to read; true when
  // there is one (other errors may have been reported).
  bool load(std::string_view text, Diagnostics& diag);

  // select returns the candidate |select| names (the first when empty), or
  // nullptr after an error that lists the candidates.
  const Candidate* select(const std::string& select, Diagnostics& diag) const;

  const TextPositions& positions() const { return *pos_; }

 private:
  void collect_policies(pugi::xml_node policies, Diagnostics& diag);
  void collect_section(pugi::xml_node section, const std::string& base, Diagnostics& diag);

  std::string buffer_;
  pugi::xml_document doc_;
  std::optional<TextPositions> pos_;
  std::vector<Candidate> found_;
};

}  // namespace jwtgate
