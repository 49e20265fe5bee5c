// A diagnosis case of tests/diagnose/cases/*.json turned into inputs: the
// policy text, the key set, the offline openid-config documents, the token
// (minted with the committed test keys) and the request. Shared by the
// Catch2 runner (test_diagnosis_cases.cpp) and the tool that writes the
// examples of docs/diagnosis.md (tools/diagnosis_examples.cpp), so that a
// documented example is exactly a tested case.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

namespace jwtgate_test {

inline constexpr int64_t kCaseNow = 1800000000;

struct OpenIdDocument {
  std::string url;        // the openid-config URL
  std::string discovery;  // its discovery document
  std::string jwks_uri;
  std::string jwks;       // the JWK Set at jwks_uri
};

struct CaseInputs {
  std::string name, url, example, family;
  int64_t now = kCaseNow;
  std::string policy;       // policy text
  bool policy_is_xml = false;
  bool load_fails = false;  // the policy must not load
  std::string keys;         // JWK Set text of the caller's keys, "" for none
  std::vector<OpenIdDocument> openid;
  std::string token;        // the token as presented ("" when only a request carries it)
  // The request, if the case has one: values still holding "{token}", and
  // with it replaced.
  bool has_request = false;
  std::vector<std::pair<std::string, std::string>> headers, query;              // "{token}" as written
  std::vector<std::pair<std::string, std::string>> header_values, query_values;  // the token in place
};

// case_inputs: the inputs of case |c| (an element of a cases file's
// "cases" array).
CaseInputs case_inputs(simdjson::dom::element c);

// case_string / case_strings: a member of a case, "" or empty when absent.
std::string case_string(simdjson::dom::element obj, std::string_view name, std::string fallback = "");
std::vector<std::string> case_strings(simdjson::dom::element obj, std::string_view name);

// case_files: every tests/diagnose/cases/*.json, in name order (paths).
std::vector<std::string> case_files();

}  // namespace jwtgate_test
