// The diagnosis cases of tests/diagnose/cases/*.json, each written from a
// real-world report (its URL is in the case): a policy (JSON or XML), the
// keys, a token minted here with the committed test keys (or a literal
// token text), the request that carried it, and the finding expected first,
// the findings expected anywhere, and the findings that must NOT appear.
// docs/diagnosis.md describes the format.
//
// Every case is also checked against the issuer-family rule: a token of a
// non-Microsoft issuer never gets Entra-only advice (accessTokenAcceptedVersion,
// App ID URIs, admin consent), and a B2C token never gets
// accessTokenAcceptedVersion.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include <simdjson.h>

#include "diagnose/diagnosis.h"
#include "diagnose/finding_rules.h"
#include "diagnosis_case.h"
#include "keys/key_parsers.h"
#include "policy/policy_loader.h"
#include "test_support.h"
#include "validate/validator.h"

using namespace jwtgate;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

using jwtgate_test::case_string;
using jwtgate_test::case_strings;

struct Outcome {
  Diagnosis d;
  std::string text;
};

Outcome run_case(element c) {
  const jwtgate_test::CaseInputs in = jwtgate_test::case_inputs(c);
  LoadOptions opts;
  for (const auto& o : in.openid) {
    opts.discovery_documents[o.url] = o.discovery;
    if (!o.jwks_uri.empty()) opts.jwks_documents[o.jwks_uri] = o.jwks;
  }
  Diagnostics diag;
  auto policy = load_policy(in.policy, opts, diag);
  INFO(diag.text());
  if (in.load_fails) {
    REQUIRE_FALSE(policy);
    Outcome o{diagnose_policy_errors(diag), ""};
    o.text = diagnosis_text(o.d, false);
    return o;
  }
  REQUIRE(policy);
  KeySetPtr keys;
  if (!in.keys.empty()) {
    std::vector<Key> parsed;
    Diagnostics kd;
    REQUIRE(parse_jwks(in.keys, parsed, kd));
    keys = std::make_shared<const KeySet>(std::move(parsed));
  }
  Validator v(policy, keys);
  Result r;
  if (in.has_request) {
    Request rq;
    for (const auto& [name, value] : in.header_values) rq.add_header(name, value);
    for (const auto& [name, value] : in.query_values) rq.add_query(name, value);
    v.validate_request(rq, in.now, r);
  } else {
    v.validate_token(in.token, in.now, r);
  }
  Outcome o{diagnose(r, *policy), ""};
  o.text = diagnosis_text(o.d, false);
  return o;
}

std::string str(element obj, std::string_view name) { return case_string(obj, name); }
std::vector<std::string> strings(element obj, std::string_view name) { return case_strings(obj, name); }

bool has(const Diagnosis& d, const std::string& code) {
  return std::any_of(d.findings.begin(), d.findings.end(), [&](const Finding& f) { return f.code == code; });
}

struct CaseFile {
  std::string path;
  simdjson::padded_string json;
};

std::vector<CaseFile> case_files() {
  std::vector<CaseFile> out;
  for (const std::string& p : jwtgate_test::case_files())
    out.push_back({p, simdjson::padded_string(jwtgate_test::read_file(p))});
  return out;
}

// Words of advice that fit only some issuer families.
const std::vector<std::string> kEntraOnlyAdvice = {"accessTokenAcceptedVersion", "App ID URI", "api://",
                                                   "admin consent", "AADSTS", "app role"};

void check_family_rule(const Diagnosis& d) {
  const std::set<std::string> non_microsoft = {"auth0", "okta", "keycloak", "google", "cognito", "other"};
  for (const Finding& f : d.findings) {
    INFO("finding " << f.code);
    const std::string advice = f.title + "\n" + f.fix;
    if (non_microsoft.count(d.issuer_family))
      for (const std::string& w : kEntraOnlyAdvice) CHECK(advice.find(w) == std::string::npos);
    if (d.issuer_family == "azure_ad_b2c") CHECK(advice.find("accessTokenAcceptedVersion") == std::string::npos);
    // Every code is in the rule table, and its advice fits the token's family.
    const FindingRule* rule = finding_rule(f.code);
    REQUIRE(rule != nullptr);
    CHECK(f.group == rule->group);
  }
}

}  // namespace

TEST_CASE("diagnosis cases from real-world reports", "[diagnose][cases]") {
  for (CaseFile& file : case_files()) {
    simdjson::dom::parser parser;
    element root = parser.parse(file.json).value();
    const std::string family = str(root, "family");
    const simdjson::dom::array cases = root["cases"].get_array().value();
    for (element c : cases) {
      const std::string name = str(c, "name");
      DYNAMIC_SECTION(family << ": " << name) {
        INFO("source: " << str(c, "url"));
        REQUIRE_FALSE(str(c, "url").empty());
        const Outcome o = run_case(c);
        INFO(o.text);
        bool want_valid = false;
        if (!c["valid"].get_bool().get(want_valid)) {
          CHECK(o.d.valid == want_valid);
          if (want_valid) CHECK(o.d.findings.empty());
        } else {
          CHECK_FALSE(o.d.valid);
        }
        const std::string first = str(c, "first");
        if (!first.empty()) {
          REQUIRE_FALSE(o.d.findings.empty());
          CHECK(o.d.findings[0].code == first);
          CHECK_FALSE(o.d.findings[0].evidence.empty());
          CHECK_FALSE(o.d.findings[0].fix.empty());
          for (const std::string& s : strings(c, "first_says"))
            CHECK_THAT(o.d.findings[0].title + " | " + o.d.findings[0].evidence, Catch::Contains(s));
          for (const std::string& s : strings(c, "first_fix")) CHECK_THAT(o.d.findings[0].fix, Catch::Contains(s));
        }
        for (const std::string& code : strings(c, "expect")) {
          INFO("expected finding " << code);
          CHECK(has(o.d, code));
        }
        for (const std::string& code : strings(c, "not")) {
          INFO("finding that must not appear: " << code);
          CHECK_FALSE(has(o.d, code));
        }
        if (!str(c, "issuer_family").empty()) CHECK(o.d.issuer_family == str(c, "issuer_family"));
        if (!str(c, "token_kind").empty()) CHECK(o.d.token_kind == str(c, "token_kind"));
        for (const std::string& s : strings(c, "text")) CHECK_THAT(o.text, Catch::Contains(s));
        check_family_rule(o.d);
      }
    }
  }
}

TEST_CASE("diagnosis cases: how many per family, positive and negative", "[diagnose][cases]") {
  struct Count {
    int cases = 0, negative = 0;
    std::set<std::string> codes;
  };
  std::map<std::string, Count> counts;
  for (CaseFile& file : case_files()) {
    simdjson::dom::parser parser;
    element root = parser.parse(file.json).value();
    Count& n = counts[str(root, "family")];
    const simdjson::dom::array cases = root["cases"].get_array().value();
    for (element c : cases) {
      ++n.cases;
      if (!strings(c, "not").empty()) ++n.negative;
      if (!str(c, "first").empty()) n.codes.insert(str(c, "first"));
    }
  }
  std::cout << "diagnosis cases per family (cases, with must-not-appear checks, distinct first findings):\n";
  for (const auto& [family, n] : counts)
    std::cout << "  " << family << ": " << n.cases << " cases, " << n.negative << " with negative checks, "
              << n.codes.size() << " distinct first findings\n";
  for (const char* family : {"near-miss", "token-location", "signature", "token-kind", "issuer"}) {
    INFO(family);
    REQUIRE(counts.count(family));
    CHECK(counts[family].cases >= 6);
    CHECK(counts[family].negative >= 2);
  }
}

TEST_CASE("every finding code the rule table lists is documented in docs/diagnosis.md", "[diagnose][cases]") {
  const std::string doc = jwtgate_test::read_data("../docs/diagnosis.md");
  size_t n = 0;
  const FindingRule* rules = finding_rules(&n);
  REQUIRE(n > 40);
  for (size_t i = 0; i < n; ++i) {
    INFO(rules[i].code);
    CHECK(doc.find("`" + std::string(rules[i].code) + "`") != std::string::npos);
  }
}
