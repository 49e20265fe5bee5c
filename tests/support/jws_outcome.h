// verify_jws: a compact JWS through the library's two stages, the token
// parser and the signature check (validate/signature_stage.h), with what
// stopped it, for the vector suites (RFC 7515/7520 examples, the JOSE
// cookbook) that assert the exact stage and reason of each example.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "crypto/key.h"
#include "keys/key_set.h"
#include "token/token.h"
#include "validate/signature_stage.h"

namespace jwtgate_test {

struct JwsOutcome {
  bool accepted = false;
  std::string stage;  // "accepted", "parse", "signature"
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  std::string subject;
  std::string detail;
  const jwtgate::Key* key = nullptr;  // the key that verified, when accepted
};

inline JwsOutcome verify_jws(std::string_view jws, const jwtgate::TokenLimits& limits,
                             const jwtgate::KeySet& keys, jwtgate::AlgSet allowed,
                             const jwtgate::KeyRules& rules) {
  jwtgate::TokenParser parser;
  jwtgate::ParsedToken t;
  jwtgate::ParseFailure pf;
  JwsOutcome o;
  if (!parser.parse(jws, limits, t, pf)) {
    o.stage = "parse";
    o.reason = pf.reason;
    o.subject = pf.subject;
    o.detail = pf.detail;
    return o;
  }
  const jwtgate::KeySet* sets[] = {&keys};
  jwtgate::FailureList failures;
  o.key = jwtgate::check_signature(t, jwtgate::SignatureInput{sets, 1, allowed, &rules}, failures);
  if (o.key != nullptr) {
    o.accepted = true;
    o.stage = "accepted";
    return o;
  }
  REQUIRE(failures.size() == 1);
  o.stage = "signature";
  o.reason = failures[0].reason;
  o.subject = failures[0].subject;
  o.detail = failures[0].detail;
  return o;
}

}  // namespace jwtgate_test
