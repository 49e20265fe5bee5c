// APIM <required-claims> matching (docs/apim-semantics.md), rules and claims both
// chosen by the fuzzer: check_required_claims (claims/required_claims.h),
// which the C API reaches only with rules fixed by a policy.
//
// Input: rules, then the claims:
//   (NAME \0 MATCH \0 SEPARATOR \0 (VALUE \0)* \0)* \0 CLAIMS
// A rule list and a value list each end at an empty field; MATCH "any" is
// match="any", anything else match="all". CLAIMS is parsed with the nesting
// limit a token payload can have at most (max-json-depth 64); a JSON object
// is checked against the rules, and every failure's subject and detail must
// be one clean line (no raw control character, valid UTF-8).
#include <cstdint>
#include <string>
#include <vector>

#include <simdjson.h>

#include "claims/required_claims.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jwtgate_fuzz::Input in(data, size);
  std::vector<jwtgate::RequiredClaim> rules;
  for (std::string_view name = in.field(); !name.empty(); name = in.field()) {
    jwtgate::RequiredClaim& rule = rules.emplace_back();
    rule.name = name;
    rule.match_all = in.field() != "any";
    rule.separator = in.field();
    for (std::string_view value = in.field(); !value.empty(); value = in.field())
      rule.values.emplace_back(value);
  }
  const std::string_view claims = in.rest();

  // TokenParser's depth for max-json-depth 64: simdjson counts the document
  // as one more level (token/token.cpp).
  simdjson::dom::parser parser;
  if (parser.allocate(claims.size() + 64, 65)) return 0;
  const simdjson::padded_string padded(claims);
  simdjson::dom::object obj;
  if (parser.parse(padded).get_object().get(obj)) return 0;
  jwtgate::FailureList failures;
  jwtgate::check_required_claims(obj, rules, failures);
  // Claim names and values, and the rules' own values, enter the details
  // escaped: one clean line each, whatever either side holds.
  for (const jwtgate::Failure& f : failures) {
    jwtgate_fuzz::check_clean(f.subject);
    jwtgate_fuzz::check_clean(f.detail);
  }
  return 0;
}
