// Example values from the RFCs (tests/vectors/rfc/rfc_vectors.json, see
// tests/vectors/README.upstream.md section 3).
//
// jws_vectors: each token goes through TokenParser (payload_is_json = false:
// several payloads are not JSON, e.g. RFC 7515 A.4's "Payload") and
// check_signature with its own key (public_jwk, or key for oct) as the only
// key and the vector's alg as the only allowed algorithm; KeyRules
// min_rsa_bits 2048. kJwsExpectations gives the exact outcome of each, and
// every vector in the file must be listed there (and vice versa).
//  - RFC 7515 A.5 (alg "none"): ALG_NONE, always (RFC 8725 3.2).
//  - RFC 7520 4.5 (detached content, RFC 7515 Appendix F): jwtgate has no
//    detached-payload input, so the compact form is all it sees. As a plain
//    JWS its empty payload segment is a legal, empty payload, over which the
//    MAC does not verify: SIGNATURE_INVALID. As a JWT (payload_is_json =
//    true) the empty payload segment is MALFORMED, subject "payload" (a
//    claims set is never empty). Re-attaching the published payload makes it
//    verify.
//  - RFC 7797 4.2 (b64 false, crit ["b64"], detached): B64_UNSUPPORTED as a
//    plain JWS; as a JWT its empty payload segment is refused first
//    (MALFORMED).
//  - RFC 7797 b64 TRUE with crit ["b64"] (built here with the RFC 7797 key,
//    no such vector exists): the parser understands "b64" (token.cpp
//    check_crit) and true is the ordinary encoding, so it is ACCEPTED; see
//    the test of that name.
// RFC 7515 A.1 and A.2 carry the RFC 7519 3.1 claims set: they also go
// through the JWT path (payload_is_json = true, then the Validator with exp
// checked at the times claims_check gives).
//
// jwk_vectors: each loads (they all say "parses ...") and yields the keys its
// "expected" text describes. jwtgate has no RFC 7638 thumbprint function, so
// the thumbprint vectors check that the key and its canonical-JSON form load
// to the same key; the thumbprint value itself is not tested.
#include <catch2/catch.hpp>

#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/diagnostics.h"
#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "crypto/key_material_impl.h"
#include "encoding/base64url.h"
#include "jwtgate.h"
#include "crypto/key.h"
#include "keys/key_parsers.h"
#include "keys/key_set.h"
#include "policy/policy.h"
#include "jws_outcome.h"
#include "test_support.h"
#include "token/token.h"
#include "validate/result.h"
#include "validate/signature_stage.h"
#include "validate/validator.h"
#include "sign.h"

using namespace jwtgate;

namespace {

const TokenLimits kPlainJws{.payload_is_json = false};
const TokenLimits kJwt{};
const KeyRules kRules{.min_rsa_bits = 2048};

// RFC 7519 3.1 / RFC 7515 A.1: "exp":1300819380.
constexpr int64_t kExp = 1300819380;

using Outcome = jwtgate_test::JwsOutcome;

Outcome verify(std::string_view jws, const TokenLimits& limits, const KeySet& keys, AlgSet allowed) {
  return jwtgate_test::verify_jws(jws, limits, keys, allowed, kRules);
}

struct Loaded {
  bool ok = false;
  std::vector<Key> keys;
  Diagnostics diag;
  bool warned(std::string_view text) const {
    for (const auto& d : diag.items())
      if (d.warning && d.message.find(text) != std::string::npos) return true;
    return false;
  }
};

Loaded load_jwk(std::string_view json) {
  Loaded l;
  l.ok = parse_jwk(json, l.keys, l.diag);
  return l;
}

Loaded load_jwks(std::string_view json) {
  Loaded l;
  l.ok = parse_jwks(json, l.keys, l.diag);
  return l;
}

KeySet key_set_from_jwk(std::string_view json) {
  Loaded l = load_jwk(json);
  INFO(json << "\n" << l.diag.text());
  REQUIRE(l.ok);
  REQUIRE(l.keys.size() == 1);
  return KeySet(std::move(l.keys));
}

AlgSet only(std::string_view alg) {
  const Alg a = alg_from_name(alg);
  return a == Alg::Unknown ? 0 : alg_bit(a);
}

// The file, parsed once.
struct Vectors {
  std::string text;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
};

const Vectors& vectors() {
  static Vectors v;
  if (v.text.empty()) {
    v.text = jwtgate_test::read_data("vectors/rfc/rfc_vectors.json");
    REQUIRE(v.parser.parse(v.text).get(v.root) == simdjson::SUCCESS);
  }
  return v;
}

simdjson::dom::object find_vector(const char* list, std::string_view id) {
  simdjson::dom::array items;
  REQUIRE(vectors().root[list].get(items) == simdjson::SUCCESS);
  for (simdjson::dom::element item : items) {
    std::string_view item_id;
    if (item["id"].get(item_id) == simdjson::SUCCESS && item_id == id) {
      simdjson::dom::object o;
      REQUIRE(item.get(o) == simdjson::SUCCESS);
      return o;
    }
  }
  FAIL("no vector " << id << " in " << list);
  return {};
}

std::string member_text(simdjson::dom::object o, const char* name) {
  simdjson::dom::element e;
  REQUIRE(o[name].get(e) == simdjson::SUCCESS);
  return e.is_string() ? std::string(e.get_string().value_unsafe()) : simdjson::minify(e);
}

bool has_member(simdjson::dom::object o, const char* name) {
  simdjson::dom::element ignored;
  return o[name].get(ignored) == simdjson::SUCCESS;
}

// The verification key of a jws vector: public_jwk, else key (oct).
std::string verification_jwk(simdjson::dom::object v) {
  return member_text(v, has_member(v, "public_jwk") ? "public_jwk" : "key");
}

struct JwsExpectation {
  const char* id;
  const char* stage;  // "accepted", "parse", "signature"
  jwtgate_reason reason;
  const char* subject;
};

const JwsExpectation kJwsExpectations[] = {
    {"rfc7515-A.1-HS256", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7515-A.2-RS256", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7515-A.3-ES256", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7515-A.4-ES512", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7515-A.5-none", "parse", JWTGATE_REASON_ALG_NONE, "alg"},
    {"rfc7520-4.1-RS256", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7520-4.2-PS384", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7520-4.3-ES512", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7520-4.4-HS256", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7520-4.5-HS256-detached", "signature", JWTGATE_REASON_SIGNATURE_INVALID, "signature"},
    {"rfc8037-A.4-EdDSA", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7797-4.1-HS256-b64-true", "accepted", JWTGATE_REASON_NONE, ""},
    {"rfc7797-4.2-HS256-b64-false-detached", "parse", JWTGATE_REASON_B64_UNSUPPORTED, "b64"},
};

// The file's own verdict, as a must-accept / must-reject.
bool file_says_valid(std::string_view expected_signature) {
  // "valid-only-with-detached-payload" and
  // "invalid-for-a-validator-without-RFC7797-support" are rejections for a
  // validator that reads compact tokens only and does not implement RFC 7797.
  return expected_signature == "valid";
}

// A Validator holding |keys| that allows |alg| and checks exp (the default).
Validator make_validator(const std::string& jwk, Alg alg) {
  Policy p;
  p.ext.algorithms = alg_bit(alg);
  Loaded l = load_jwk(jwk);
  REQUIRE(l.ok);
  p.signing_keys = std::make_shared<const KeySet>(std::move(l.keys));
  Diagnostics diag;
  const bool ok = p.finalize(diag);
  INFO(diag.text());
  REQUIRE(ok);
  return Validator(std::make_shared<const Policy>(std::move(p)), nullptr);
}

}  // namespace

TEST_CASE("RFC JWS vectors: each verifies with its own key or is refused for its reason", "[rfc]") {
  simdjson::dom::array items;
  REQUIRE(vectors().root["jws_vectors"].get(items) == simdjson::SUCCESS);
  std::set<std::string> seen;
  int accepted = 0, rejected = 0;
  for (simdjson::dom::element item : items) {
    simdjson::dom::object v;
    REQUIRE(item.get(v) == simdjson::SUCCESS);
    const std::string id = member_text(v, "id");
    INFO(id);
    seen.insert(id);
    const JwsExpectation* e = nullptr;
    for (const auto& x : kJwsExpectations)
      if (id == x.id) e = &x;
    REQUIRE(e != nullptr);  // a vector without an expectation is a new, unjudged vector

    const std::string jws = member_text(v, "jws");
    const KeySet keys = key_set_from_jwk(verification_jwk(v));
    const Outcome o = verify(jws, kPlainJws, keys, only(member_text(v, "alg")));
    INFO("got " << o.stage << ":" << jwtgate_reason_str(o.reason) << " subject \"" << o.subject
                << "\": " << o.detail);
    CHECK(o.stage == e->stage);
    CHECK(o.reason == e->reason);
    CHECK(o.subject == e->subject);
    // Our expectation agrees with the file's own verdict.
    CHECK((std::string_view(e->stage) == "accepted") ==
          file_says_valid(member_text(v, "expected_signature")));
    (o.accepted ? accepted : rejected)++;
  }
  CHECK(seen.size() == std::size(kJwsExpectations));
  CHECK(accepted == 10);
  CHECK(rejected == 3);
}

TEST_CASE("RFC JWS vectors: the private JWKs verify too (their private members are ignored)",
          "[rfc]") {
  const char* ids[] = {"rfc7515-A.2-RS256", "rfc7515-A.3-ES256", "rfc7515-A.4-ES512",
                       "rfc7520-4.1-RS256", "rfc7520-4.2-PS384", "rfc7520-4.3-ES512",
                       "rfc8037-A.4-EdDSA"};
  for (const char* id : ids) {
    INFO(id);
    const simdjson::dom::object v = find_vector("jws_vectors", id);
    Loaded l = load_jwk(member_text(v, "private_jwk"));
    INFO(l.diag.text());
    REQUIRE(l.ok);
    CHECK(l.warned("private key members are ignored"));
    const Outcome o = verify(member_text(v, "jws"), kPlainJws, KeySet(std::move(l.keys)),
                             only(member_text(v, "alg")));
    INFO(o.detail);
    CHECK(o.accepted);
  }
}

TEST_CASE("RFC 7515 A.1 and A.2 are JWTs: they parse as claims sets and exp is enforced", "[rfc]") {
  struct Case {
    const char* id;
    Alg alg;
  };
  for (const Case c : {Case{"rfc7515-A.1-HS256", Alg::HS256}, Case{"rfc7515-A.2-RS256", Alg::RS256}}) {
    INFO(c.id);
    const simdjson::dom::object v = find_vector("jws_vectors", c.id);
    const std::string jws = member_text(v, "jws");
    const std::string jwk = verification_jwk(v);

    // Parser and signature stage with the payload read as a claims set.
    TokenParser parser;
    ParsedToken t;
    ParseFailure pf;
    REQUIRE(parser.parse(jws, kJwt, t, pf));
    CHECK(parser.payload_parsed());
    std::string_view iss;
    int64_t exp = 0;
    bool is_root = false;
    CHECK(t.payload["iss"].get(iss) == simdjson::SUCCESS);
    CHECK(iss == "joe");
    CHECK(t.payload["exp"].get(exp) == simdjson::SUCCESS);
    CHECK(exp == kExp);
    CHECK(t.payload["http://example.com/is_root"].get(is_root) == simdjson::SUCCESS);
    CHECK(is_root);
    CHECK(t.payload_json == member_text(v, "payload_utf8"));
    const KeySet keys = key_set_from_jwk(jwk);
    const KeySet* sets[] = {&keys};
    FailureList failures;
    CHECK(check_signature(t, SignatureInput{sets, 1, alg_bit(c.alg), &kRules}, failures) != nullptr);

    // The whole validator. claims_check (A.1): before exp accept; at or after
    // exp reject (RFC 7519 4.1.4), with the policy's default clock skew of 0.
    const Validator val = make_validator(jwk, c.alg);
    Result r;
    CHECK(val.validate_token(jws, 1300819000, r));
    CHECK(r.reason == JWTGATE_REASON_NONE);
    CHECK(val.validate_token(jws, kExp - 1, r));
    CHECK_FALSE(val.validate_token(jws, kExp, r));
    CHECK(r.reason == JWTGATE_REASON_EXPIRED);
    CHECK(r.failures.size() == 1);
    CHECK_FALSE(val.validate_token(jws, kExp + 3600, r));
    CHECK(r.reason == JWTGATE_REASON_EXPIRED);
  }
  // claims_check in the file says the same.
  const simdjson::dom::object a1 = find_vector("jws_vectors", "rfc7515-A.1-HS256");
  simdjson::dom::object claims_check;
  REQUIRE(a1["claims_check"].get(claims_check) == simdjson::SUCCESS);
  int64_t exp = 0, before = 0;
  REQUIRE(claims_check["exp"].get(exp) == simdjson::SUCCESS);
  REQUIRE(claims_check["now_before_exp_example"].get(before) == simdjson::SUCCESS);
  CHECK(exp == kExp);
  CHECK(before == 1300819000);
}

TEST_CASE("RFC 7520 4.5: detached content is malformed as a JWT and verifies once re-attached",
          "[rfc]") {
  // The refusal is about the form, not the MAC: the same token with the
  // published payload in its segment verifies.
  const simdjson::dom::object v = find_vector("jws_vectors", "rfc7520-4.5-HS256-detached");
  const std::string jws = member_text(v, "jws");
  const size_t dot = jws.find("..");
  REQUIRE(dot != std::string::npos);
  const std::string attached =
      jws.substr(0, dot + 1) + member_text(v, "detached_payload_b64u") + jws.substr(dot + 1);
  const KeySet keys = key_set_from_jwk(verification_jwk(v));
  const Outcome o = verify(attached, kPlainJws, keys, alg_bit(Alg::HS256));
  INFO(o.detail);
  CHECK(o.accepted);
  // It is then RFC 7520 4.4's token exactly.
  CHECK(attached == member_text(find_vector("jws_vectors", "rfc7520-4.4-HS256"), "jws"));
  // The JWT path refuses the detached form before any signature work.
  const Outcome jwt = verify(jws, kJwt, keys, alg_bit(Alg::HS256));
  CHECK(jwt.stage == "parse");
  CHECK(jwt.reason == JWTGATE_REASON_MALFORMED);
  CHECK(jwt.subject == "payload");
}

TEST_CASE("RFC 7797: b64 false is refused even with a payload attached", "[rfc]") {
  // The RFC 7797 4.2 header with the payload segment filled in (its
  // unencoded payload "$.02" contains a '.', so the RFC sends it detached;
  // here the base64url form is put in instead): the header alone decides.
  const simdjson::dom::object v = find_vector("jws_vectors", "rfc7797-4.2-HS256-b64-false-detached");
  const std::string jws = member_text(v, "jws");
  const size_t dot = jws.find("..");
  REQUIRE(dot != std::string::npos);
  const std::string attached = jws.substr(0, dot + 1) + base64url_encode("$.02") + jws.substr(dot + 1);
  const KeySet keys = key_set_from_jwk(verification_jwk(v));
  const Outcome o = verify(attached, kPlainJws, keys, alg_bit(Alg::HS256));
  CHECK(o.stage == "parse");
  CHECK(o.reason == JWTGATE_REASON_B64_UNSUPPORTED);
  CHECK(o.subject == "b64");
  CHECK(o.detail.find("RFC 7797") != std::string::npos);
  // The vector as published (detached) is refused as a JWT for its empty
  // payload segment, which the JWT path checks before the header.
  const Outcome jwt = verify(jws, kJwt, keys, alg_bit(Alg::HS256));
  CHECK(jwt.stage == "parse");
  CHECK(jwt.reason == JWTGATE_REASON_MALFORMED);
  CHECK(jwt.subject == "payload");
}

TEST_CASE("RFC 7797: b64 true listed in crit is understood and accepted", "[rfc]") {
  // No vector has this header; it is built with the RFC 7797 key and signed
  // here. The parser's behaviour, asserted: check_crit (token.cpp) accepts
  // "b64" as the one extension it understands, and b64 true is the ordinary
  // base64url encoding, so the token verifies (token.h: "we understand only
  // \"b64\" (RFC 7797), whose value is then checked").
  const simdjson::dom::object v = find_vector("jws_vectors", "rfc7797-4.1-HS256-b64-true");
  const std::string jwk = verification_jwk(v);
  const KeySet keys = key_set_from_jwk(jwk);
  simdjson::dom::parser p;
  simdjson::dom::object key_obj;
  REQUIRE(p.parse(jwk).get(key_obj) == simdjson::SUCCESS);
  std::vector<uint8_t> secret;
  REQUIRE(base64url_decode(member_text(key_obj, "k"), secret));

  auto sign = [&](std::string_view header) {
    const std::string input = base64url_encode(header) + "." + base64url_encode("$.02");
    std::string sig;
    REQUIRE(sign_with_secret(Alg::HS256, secret.data(), secret.size(), input, sig));
    return input + "." + base64url_encode(sig);
  };

  const Outcome with_crit = verify(sign(R"({"alg":"HS256","b64":true,"crit":["b64"]})"), kPlainJws,
                                   keys, alg_bit(Alg::HS256));
  INFO(with_crit.detail);
  CHECK(with_crit.accepted);
  const Outcome without_crit =
      verify(sign(R"({"alg":"HS256","b64":true})"), kPlainJws, keys, alg_bit(Alg::HS256));
  CHECK(without_crit.accepted);
  // Sanity: RFC 7797 4.1 itself is this payload with the plain header.
  CHECK(sign(R"({"alg":"HS256"})") == member_text(v, "jws"));
  // crit naming a member that is absent, or any other extension, is refused.
  const Outcome absent = verify(sign(R"({"alg":"HS256","crit":["b64"]})"), kPlainJws, keys,
                                alg_bit(Alg::HS256));
  CHECK(absent.reason == JWTGATE_REASON_CRIT_UNSUPPORTED);
  const Outcome other = verify(sign(R"({"alg":"HS256","exp2":1,"crit":["exp2"]})"), kPlainJws, keys,
                               alg_bit(Alg::HS256));
  CHECK(other.reason == JWTGATE_REASON_CRIT_UNSUPPORTED);
}

TEST_CASE("RFC JWK vectors load as their expected text says", "[rfc]") {
  simdjson::dom::array items;
  REQUIRE(vectors().root["jwk_vectors"].get(items) == simdjson::SUCCESS);
  std::set<std::string> ids;
  for (simdjson::dom::element item : items) {
    simdjson::dom::object v;
    REQUIRE(item.get(v) == simdjson::SUCCESS);
    const std::string id = member_text(v, "id");
    ids.insert(id);
    // Every "expected" starts with "parses": nothing here is a bad key.
    if (has_member(v, "expected")) {
      INFO(id);
      CHECK(member_text(v, "expected").rfind("parses", 0) == 0);
    }
  }
  CHECK(ids == std::set<std::string>{"rfc7517-A.1-public-jwks", "rfc7517-A.2-ec-private",
                                     "rfc7517-A.3-symmetric", "rfc7638-3.1-thumbprint-rsa",
                                     "rfc8037-A.3-thumbprint-ed25519",
                                     "rfc8037-A.1-A.2-ed25519-keys"});

  SECTION("RFC 7517 A.1: the RSA key loads; the EC key (use enc) is never a verifier") {
    // "parses; 2 keys": the set has two members. jwtgate skips the
    // encryption key with a warning (a JWK Set's "enc" key never verifies a
    // JWS), so it cannot be selected, which is what the vector asks.
    const simdjson::dom::object v = find_vector("jwk_vectors", "rfc7517-A.1-public-jwks");
    const std::string text = member_text(v, "jwks");
    simdjson::dom::parser p;
    simdjson::dom::array members;
    REQUIRE(p.parse(text)["keys"].get(members) == simdjson::SUCCESS);
    CHECK(members.size() == 2);
    const Loaded l = load_jwks(text);
    INFO(l.diag.text());
    REQUIRE(l.ok);
    REQUIRE(l.keys.size() == 1);
    CHECK(l.keys[0].type == KeyType::RSA);
    CHECK(l.keys[0].kid == "2011-04-29");
    CHECK(l.keys[0].alg == "RS256");
    CHECK(l.keys[0].bits == 2048);
    CHECK(l.warned("use is \"enc\""));
  }

  SECTION("RFC 7517 A.2: the EC private key loads as its public key, refused for use enc") {
    const simdjson::dom::object v = find_vector("jwk_vectors", "rfc7517-A.2-ec-private");
    const Loaded l = load_jwk(member_text(v, "jwk"));
    INFO(l.diag.text());
    REQUIRE(l.ok);
    REQUIRE(l.keys.size() == 1);
    CHECK(l.keys[0].type == KeyType::EC);
    CHECK(l.keys[0].bits == 256);
    CHECK(l.keys[0].kid == "1");
    CHECK(l.keys[0].use == "enc");
    CHECK(l.warned("private key members are ignored"));
    CHECK(l.warned("will not verify tokens"));
    std::string why;
    CHECK_FALSE(key_compatible(l.keys[0], Alg::ES256, kRules, &why));
    CHECK(why.find("use \"enc\"") != std::string::npos);
  }

  SECTION("RFC 7517 A.3: the A128KW key is not an HMAC key; the second verifies RFC 7515 A.1") {
    const simdjson::dom::object v = find_vector("jwk_vectors", "rfc7517-A.3-symmetric");
    Loaded l = load_jwks(member_text(v, "jwks"));
    INFO(l.diag.text());
    REQUIRE(l.ok);
    REQUIRE(l.keys.size() == 2);
    CHECK(l.keys[0].type == KeyType::Oct);
    CHECK(l.keys[0].alg == "A128KW");
    CHECK(l.keys[0].bits == 128);
    CHECK(l.keys[1].type == KeyType::Oct);
    CHECK(l.keys[1].kid == "HMAC key used in JWS spec Appendix A.1 example");
    CHECK(l.keys[1].bits == 512);
    std::string why;
    CHECK_FALSE(key_compatible(l.keys[0], Alg::HS256, kRules, &why));
    CHECK(key_compatible(l.keys[1], Alg::HS256, kRules, nullptr));
    const KeySet set(std::move(l.keys));
    const Outcome o = verify(member_text(find_vector("jws_vectors", "rfc7515-A.1-HS256"), "jws"),
                             kPlainJws, set, alg_bit(Alg::HS256));
    CHECK(o.accepted);
    CHECK(o.key == &set.keys()[1]);
  }

  SECTION("RFC 7638 3.1 and RFC 8037 A.3: a key and its canonical (thumbprint) JSON are one key") {
    struct Case {
      const char* id;
      KeyType type;
      int bits;
    };
    for (const Case c : {Case{"rfc7638-3.1-thumbprint-rsa", KeyType::RSA, 2048},
                         Case{"rfc8037-A.3-thumbprint-ed25519", KeyType::OKP, 255}}) {
      INFO(c.id);
      const simdjson::dom::object v = find_vector("jwk_vectors", c.id);
      const Loaded full = load_jwk(member_text(v, "jwk"));
      const Loaded canonical = load_jwk(member_text(v, "canonical_json"));
      INFO(full.diag.text() << canonical.diag.text());
      REQUIRE(full.ok);
      REQUIRE(canonical.ok);
      REQUIRE(full.keys.size() == 1);
      REQUIRE(canonical.keys.size() == 1);
      CHECK(full.keys[0].type == c.type);
      CHECK(full.keys[0].bits == c.bits);
      CHECK(same_public_key(full.keys[0], canonical.keys[0]));
    }
  }

  SECTION("RFC 8037 A.1/A.2: the Ed25519 private key loads as its public key and verifies A.4") {
    const simdjson::dom::object v = find_vector("jwk_vectors", "rfc8037-A.1-A.2-ed25519-keys");
    Loaded l = load_jwk(member_text(v, "jwk"));
    INFO(l.diag.text());
    REQUIRE(l.ok);
    REQUIRE(l.keys.size() == 1);
    CHECK(l.keys[0].type == KeyType::OKP);
    CHECK(l.keys[0].bits == 255);
    CHECK(l.warned("private key members are ignored"));
    const Outcome o = verify(member_text(find_vector("jws_vectors", "rfc8037-A.4-EdDSA"), "jws"),
                             kPlainJws, KeySet(std::move(l.keys)), alg_bit(Alg::EdDSA));
    CHECK(o.accepted);
  }
}
