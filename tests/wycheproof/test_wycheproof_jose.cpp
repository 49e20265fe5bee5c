// Wycheproof JOSE vectors (C2SP/wycheproof testvectors_v1, see
// tests/vectors/README.upstream.md): json_web_signature_test.json,
// json_web_key_test.json and the JWS groups of json_web_crypto_test.json, run
// through exactly the path a JWT takes: TokenParser, then check_signature.
// TokenLimits.payload_is_json is false: these payloads are bytes ("Zm9v" is
// "foo"), not claims sets.
//
// Per group: its "public" JWK or JWK Set, or "private" when the group has no
// "public" (oct keys, mixed key sets), is the only trusted key set
// (parse_jwks for an object with "keys", else parse_jwk). KeyRules:
// min_rsa_bits 2048, HMAC floor at the hash size (RFC 7518 3.2).
//
// Allowed algorithms: exactly the "alg" of the group's JWK(s) as written
// (RFC 7517 4.4), read from the JSON, not from what the library loaded.
// An "alg" that is no JWS algorithm ("ES521", "RSA1_5", "A256GCM") allows
// nothing. A key WITHOUT "alg" (only tcId 353-356, keys marked for
// encryption) allows what its type can verify: oct HS256/384/512, RSA
// RS256..PS512, EC the single ES alg of its curve (RFC 7518 3.4), OKP EdDSA;
// so those vectors fail on the key's use / key_ops, which is what they test.
//
// Outcomes: "valid" must parse and verify; "invalid" (and "acceptable", of
// which these files have none) must fail at parse or at the signature stage.
// A group whose key does not load fails every "valid" test and passes every
// "invalid" one; FileExpectation::key_load_failed pins which groups those are
// (by the tcId of their first test). Compact serialization only: a vector in
// JSON serialization (starts with '{') must be rejected; a "valid" one would be
// listed in kSkips with "JSON serialization is not supported by design"
// (none of the three files has one: tcId 17 of both JWS files is "invalid").
// JWE groups of json_web_crypto_test (jwe_aes, jwe_ec: 34 tests) are not run;
// their number is pinned so that nothing is skipped silently.
//
// Skipped, run but not judged (kSkips): json_web_signature_test tcId 367 and
// 370 (byte-identical to the valid tcId 357; C2SP/wycheproof #236).
// Vector defects, expected outcome overridden to an exact rejection
// (kVectorDefects): tcId 372 and 373 ("valid" with a '?' in a segment, per
// README.upstream.md), and tcId 346/350 and 347/351, RFC 7520 figures 20 and
// 27 whose Wycheproof JWK carries an "alg" that contradicts the token
// ("PS256" for a PS384 token; "ES521", no JWS algorithm, for ES512): a test
// below shows they verify once that "alg" is removed.
//
// Totals per file (valid accepted, invalid rejected, skipped, vector defects,
// and a histogram of where each rejection happened and why) are pinned: any
// drift in the library or the files fails the test. A vector that does not
// behave as expected is listed, with its group's key, in the failure message.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "crypto/algorithm.h"
#include "crypto/key_material.h"
#include "jwtgate.h"
#include "crypto/key.h"
#include "keys/key_parsers.h"
#include "keys/key_set.h"
#include "test_support.h"
#include "token/token.h"
#include "validate/signature_stage.h"

using namespace jwtgate;

namespace {

constexpr const char* kSigFile = "json_web_signature_test.json";
constexpr const char* kKeyFile = "json_web_key_test.json";
constexpr const char* kCryptoFile = "json_web_crypto_test.json";

// Vectors that are run but whose outcome is not judged, by tcId, with the
// reason (README.upstream.md "Known defects").
struct Skip {
  const char* file;
  int tc_id;
  const char* reason;
};
const Skip kSkips[] = {
    {kSigFile, 367,
     "invalidBase64Padding is marked invalid but is byte-identical to tcId 357 (valid): "
     "C2SP/wycheproof issue #236"},
    {kSigFile, 370,
     "invalidBase64PaddingInPayload is marked invalid but is byte-identical to tcId 357 (valid): "
     "C2SP/wycheproof issue #236"},
};

// Vector defects: vectors marked "valid" that a strict validator must reject.
// The expected outcome is overridden to a rejection with exactly |reason|.
struct VectorDefect {
  const char* file;
  int tc_id;
  const char* stage;  // "parse" or "signature"
  jwtgate_reason reason;
  const char* why;
};
const VectorDefect kVectorDefects[] = {
    {kSigFile, 372, "parse", JWTGATE_REASON_BAD_BASE64URL,
     "InvalidCharacterInsertedInHeader: a '?' sits in the header segment and the MAC does not "
     "cover the token as sent (README.upstream.md: expect reject)"},
    {kSigFile, 373, "parse", JWTGATE_REASON_BAD_BASE64URL,
     "InvalidCharacterInsertedInPayload: a '?' sits in the payload segment and the MAC does not "
     "cover the token as sent (README.upstream.md: expect reject)"},
    {kSigFile, 346, "signature", JWTGATE_REASON_ALG_NOT_ALLOWED,
     "RFC 7520 Figure 20 is signed PS384, but the group's JWK says alg \"PS256\" (RFC 7520's "
     "key has no alg; Wycheproof added it): RFC 7517 4.4 restricts the key to PS256"},
    {kSigFile, 350, "signature", JWTGATE_REASON_ALG_NOT_ALLOWED,
     "as tcId 346 (same token, same contradictory alg \"PS256\", with key_ops [verify])"},
    {kSigFile, 347, "signature", JWTGATE_REASON_ALG_NOT_ALLOWED,
     "RFC 7520 Figure 27 is ES512, but the group's JWK says alg \"ES521\", which is no JWS "
     "algorithm (RFC 7518 3.1 calls ECDSA P-521 SHA-512 \"ES512\")"},
    {kSigFile, 351, "signature", JWTGATE_REASON_ALG_NOT_ALLOWED,
     "as tcId 347 (same token, same invalid alg \"ES521\", with key_ops [verify])"},
};

const Skip* find_skip(std::string_view file, int64_t id) {
  for (const auto& s : kSkips)
    if (file == s.file && s.tc_id == id) return &s;
  return nullptr;
}

const VectorDefect* find_defect(std::string_view file, int64_t id) {
  for (const auto& d : kVectorDefects)
    if (file == d.file && d.tc_id == id) return &d;
  return nullptr;
}

// What happened to one vector.
struct Verdict {
  bool accepted = false;
  std::string stage;  // "accepted", "key-load", "parse", "signature"
  jwtgate_reason reason = JWTGATE_REASON_NONE;
  std::string detail;

  std::string bucket() const {
    if (accepted || stage == "key-load") return stage;
    return stage + ":" + jwtgate_reason_str(reason);
  }
};

// algs_of_jwk: the algorithms one JWK (as written) allows: its "alg" alone,
// or without one what its kty (and crv) can verify.
AlgSet algs_of_jwk(simdjson::dom::object jwk) {
  std::string_view alg, kty, crv;
  if (jwk["alg"].get(alg) == simdjson::SUCCESS) {
    const Alg a = alg_from_name(alg);
    return a == Alg::Unknown ? 0 : alg_bit(a);
  }
  if (jwk["kty"].get(kty) != simdjson::SUCCESS) kty = {};
  if (jwk["crv"].get(crv) != simdjson::SUCCESS) crv = {};
  if (kty == "oct") return alg_bit(Alg::HS256) | alg_bit(Alg::HS384) | alg_bit(Alg::HS512);
  if (kty == "RSA")
    return alg_bit(Alg::RS256) | alg_bit(Alg::RS384) | alg_bit(Alg::RS512) | alg_bit(Alg::PS256) |
           alg_bit(Alg::PS384) | alg_bit(Alg::PS512);
  if (kty == "EC")
    return crv == "P-256"   ? alg_bit(Alg::ES256)
           : crv == "P-384" ? alg_bit(Alg::ES384)
           : crv == "P-521" ? alg_bit(Alg::ES512)
                            : 0;
  if (kty == "OKP" && (crv == "Ed25519" || crv == "Ed448")) return alg_bit(Alg::EdDSA);
  return 0;
}

// allowed_algs: the union over a JWK or every member of a JWK Set, taken from
// the JSON rather than from what the library loaded, so that a key the
// library skips does not change what the "policy" allows.
AlgSet allowed_algs(simdjson::dom::element jwk) {
  AlgSet set = 0;
  simdjson::dom::array keys;
  if (jwk["keys"].get(keys) == simdjson::SUCCESS) {
    for (simdjson::dom::element k : keys) {
      simdjson::dom::object o;
      if (k.get(o) == simdjson::SUCCESS) set |= algs_of_jwk(o);
    }
    return set;
  }
  simdjson::dom::object o;
  REQUIRE(jwk.get(o) == simdjson::SUCCESS);
  return algs_of_jwk(o);
}

struct GroupKeys {
  bool loaded = false;
  KeySet set;
  AlgSet allowed = 0;
  std::string text;  // the JWK / JWKS as loaded
  std::string diag;
};

GroupKeys load_group_keys(simdjson::dom::object group) {
  GroupKeys g;
  simdjson::dom::element jwk;
  if (group["public"].get(jwk) != simdjson::SUCCESS)
    REQUIRE(group["private"].get(jwk) == simdjson::SUCCESS);
  g.text = simdjson::minify(jwk);
  simdjson::dom::element ignored;
  const bool is_set = jwk["keys"].get(ignored) == simdjson::SUCCESS;
  std::vector<Key> keys;
  Diagnostics diag;
  g.loaded = is_set ? parse_jwks(g.text, keys, diag) : parse_jwk(g.text, keys, diag);
  g.diag = diag.text();
  g.allowed = allowed_algs(jwk);
  g.set = KeySet(std::move(keys));
  return g;
}

const TokenLimits kPlainJws{.payload_is_json = false};
const KeyRules kRules{.min_rsa_bits = 2048};

Verdict verify_jws(TokenParser& parser, std::string_view jws, const KeySet& keys,
                   AlgSet allowed) {
  Verdict v;
  ParsedToken t;
  ParseFailure pf;
  if (!parser.parse(jws, kPlainJws, t, pf)) {
    v.stage = "parse";
    v.reason = pf.reason;
    v.detail = pf.detail;
    return v;
  }
  const KeySet* sets[] = {&keys};
  FailureList failures;
  if (check_signature(t, SignatureInput{sets, 1, allowed, &kRules}, failures) != nullptr) {
    v.accepted = true;
    v.stage = "accepted";
    return v;
  }
  v.stage = "signature";
  REQUIRE(failures.size() == 1);
  v.reason = failures[0].reason;
  v.detail = failures[0].detail;
  return v;
}

struct Totals {
  int tests = 0;  // every test in the file, JWE included
  int valid = 0, invalid = 0, acceptable = 0;  // JWS tests by "result"
  int valid_accepted = 0, invalid_rejected = 0;  // judged tests that met the expectation
  std::vector<int> skipped, defects;  // tcIds
  std::vector<int> json_serialization;
  std::vector<int> key_load_failed;  // first tcId of each group whose key did not load
  int key_load_failed_tests = 0;
  int jwe_groups = 0, jwe_tests = 0;
  // Verdict::bucket() of every JWS test that met its expectation (skips
  // included); the others are in |mismatches| instead.
  std::map<std::string, int> buckets;
  std::map<int, Verdict> verdicts;
  std::map<int, std::string> jws;
  std::map<int, std::string> key_text;  // the group key, by tcId
  std::vector<std::string> mismatches;
};

std::string tc_label(int64_t id, std::string_view comment) {
  return "tcId " + std::to_string(id) + " (" + std::string(comment) + ")";
}

Totals run_file(const char* file) {
  Totals out;
  const std::string text = jwtgate_test::read_data(std::string("vectors/wycheproof/") + file);
  simdjson::dom::parser json;
  simdjson::dom::element root;
  REQUIRE(json.parse(text).get(root) == simdjson::SUCCESS);
  simdjson::dom::array groups;
  REQUIRE(root["testGroups"].get(groups) == simdjson::SUCCESS);

  TokenParser parser;
  for (simdjson::dom::element group_el : groups) {
    simdjson::dom::object group;
    REQUIRE(group_el.get(group) == simdjson::SUCCESS);
    simdjson::dom::array tests;
    REQUIRE(group["tests"].get(tests) == simdjson::SUCCESS);
    std::string_view group_comment;
    REQUIRE(group["comment"].get(group_comment) == simdjson::SUCCESS);

    // JWE groups: counted, never run. Their tests carry "jwe", not "jws".
    if (group_comment.substr(0, 4) == "jwe_") {
      ++out.jwe_groups;
      for (simdjson::dom::element test : tests) {
        simdjson::dom::element ignored;
        CHECK(test["jwe"].get(ignored) == simdjson::SUCCESS);
        CHECK(test["jws"].get(ignored) != simdjson::SUCCESS);
        ++out.jwe_tests;
        ++out.tests;
      }
      continue;
    }

    const GroupKeys keys = load_group_keys(group);
    bool first = true;
    for (simdjson::dom::element test : tests) {
      ++out.tests;
      int64_t id = 0;
      std::string_view result, comment;
      REQUIRE(test["tcId"].get(id) == simdjson::SUCCESS);
      REQUIRE(test["result"].get(result) == simdjson::SUCCESS);
      REQUIRE(test["comment"].get(comment) == simdjson::SUCCESS);
      const int tc = static_cast<int>(id);
      if (first && !keys.loaded) out.key_load_failed.push_back(tc);
      first = false;

      // "jws" is a string, or (JSON serialization, crypto file) an object.
      simdjson::dom::element jws_el;
      REQUIRE(test["jws"].get(jws_el) == simdjson::SUCCESS);
      const std::string jws = jws_el.is_string() ? std::string(jws_el.get_string().value_unsafe())
                                                 : simdjson::minify(jws_el);
      out.jws[tc] = jws;
      out.key_text[tc] = keys.text;
      const bool json_form = !jws.empty() && jws[0] == '{';
      if (json_form) out.json_serialization.push_back(tc);

      Verdict v;
      if (keys.loaded) {
        v = verify_jws(parser, jws, keys.set, keys.allowed);
      } else {
        v.stage = "key-load";
        v.detail = keys.diag;
        ++out.key_load_failed_tests;
      }
      out.verdicts[tc] = v;

      const bool valid = result == "valid";
      if (valid) ++out.valid;
      else if (result == "invalid") ++out.invalid;
      else if (result == "acceptable") ++out.acceptable;
      else out.mismatches.push_back(tc_label(id, comment) + ": unknown result " + std::string(result));

      std::string problem;  // empty when the vector met its expectation
      const std::string got = v.bucket() + (v.detail.empty() ? "" : " [" + v.detail + "]");
      if (find_skip(file, id) != nullptr) {
        out.skipped.push_back(tc);
      } else if (const VectorDefect* d = find_defect(file, id)) {
        if (!valid)
          problem = "listed as a defect of a valid vector, but it is " + std::string(result);
        else if (v.accepted || v.stage != d->stage || v.reason != d->reason)
          problem = std::string("documented defect expects ") + d->stage + ":" +
                    jwtgate_reason_str(d->reason) + ", got " + got;
        else
          out.defects.push_back(tc);
      } else if (json_form && valid) {
        problem = "valid JSON-serialization vector not listed in kSkips (\"JSON serialization is "
                  "not supported by design\")";
      } else if (valid) {
        if (v.accepted) ++out.valid_accepted;
        else problem = "valid, but rejected: " + got;
      } else {
        if (!v.accepted) ++out.invalid_rejected;
        else problem = std::string(result) + ", but accepted";
      }
      if (problem.empty()) ++out.buckets[v.bucket()];
      else out.mismatches.push_back(tc_label(id, comment) + ": " + problem + "; key: " + keys.text);
    }
  }
  return out;
}

// results runs each file once; the test cases below read the same totals.
const Totals& results(const char* file) {
  static std::map<std::string, Totals> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, run_file(file)).first;
  return it->second;
}

std::string histogram_text(const std::map<std::string, int>& m) {
  std::ostringstream s;
  for (const auto& [k, n] : m) s << k << "=" << n << "\n";
  return s.str();
}

struct FileExpectation {
  const char* file;
  int tests, valid, invalid;  // as in the file (README.upstream.md)
  int valid_accepted, invalid_rejected;
  std::vector<int> skipped, defects, json_serialization, key_load_failed;
  int key_load_failed_tests;
  int jwe_groups, jwe_tests;
  std::map<std::string, int> buckets;
};

void check_file(const FileExpectation& e) {
  const Totals& t = results(e.file);
  {
    std::string all;
    for (const auto& m : t.mismatches) all += m + "\n";
    INFO(e.file << ": " << t.mismatches.size() << " vector(s) not as expected:\n" << all);
    CHECK(t.mismatches.empty());
  }
  CHECK(t.tests == e.tests);
  CHECK(t.valid == e.valid);
  CHECK(t.invalid == e.invalid);
  CHECK(t.acceptable == 0);
  CHECK(t.valid_accepted == e.valid_accepted);
  CHECK(t.invalid_rejected == e.invalid_rejected);
  CHECK(t.skipped == e.skipped);
  CHECK(t.defects == e.defects);
  CHECK(t.json_serialization == e.json_serialization);
  CHECK(t.key_load_failed == e.key_load_failed);
  CHECK(t.key_load_failed_tests == e.key_load_failed_tests);
  CHECK(t.jwe_groups == e.jwe_groups);
  CHECK(t.jwe_tests == e.jwe_tests);
  // Every JWS test is accounted for exactly once.
  CHECK(e.valid_accepted + e.invalid_rejected + static_cast<int>(e.skipped.size() + e.defects.size()) ==
        e.tests - e.jwe_tests);
  CHECK(histogram_text(t.buckets) == histogram_text(e.buckets));
  // Every JSON-serialization vector is refused whatever its label.
  for (int id : t.json_serialization) {
    INFO("tcId " << id);
    CHECK_FALSE(t.verdicts.at(id).accepted);
  }
}

}  // namespace

TEST_CASE("Wycheproof json_web_signature_test: compact JWS through parse and signature stage",
          "[wycheproof]") {
  check_file({kSigFile, 401, 46, 355,
              /*valid_accepted=*/40, /*invalid_rejected=*/353,
              /*skipped=*/{367, 370},
              /*defects=*/{346, 347, 350, 351, 372, 373},
              /*json_serialization=*/{17},
              /*key_load_failed=*/{}, 0,
              /*jwe=*/0, 0,
              {{"accepted", 42},
               {"parse:alg_none", 5},
               {"parse:bad_base64url", 14},
               {"parse:embedded_key", 1},
               {"parse:malformed", 24},
               {"signature:alg_not_allowed", 10},
               {"signature:key_not_found", 3},
               {"signature:signature_invalid", 299},
               {"signature:signature_missing", 3}}});
}

TEST_CASE("Wycheproof json_web_key_test: the key set decides what verifies", "[wycheproof]") {
  // Groups whose key set does not load (their only tests are invalid): 1
  // (MixedKeySet: an oct secret beside an EC public key, refused whole), and
  // sets whose only key is skipped, leaving no usable key: 6 and 21 (use
  // "enc"), 7 (ROCA), 9 (e = 1), 16-18 (empty "k"), 22 (point off P-256),
  // 23 (P-256 coordinates under crv P-384), 24 (kty RSA with EC members),
  // and 4, whose second key, skipped, shares the first one's kid (a kid
  // that names a key which could not be read is ambiguous: its keys go too).
  check_file({kKeyFile, 26, 5, 21,
              /*valid_accepted=*/5, /*invalid_rejected=*/21,
              /*skipped=*/{}, /*defects=*/{},
              /*json_serialization=*/{},
              /*key_load_failed=*/{1, 4, 6, 7, 9, 16, 17, 18, 21, 22, 23, 24}, 12,
              /*jwe=*/0, 0,
              {{"accepted", 5},
               {"key-load", 12},
               {"signature:alg_not_allowed", 4},
               {"signature:signature_invalid", 5}}});
}

TEST_CASE("Wycheproof json_web_crypto_test: JWS groups (JWE groups counted, not run)",
          "[wycheproof]") {
  // 83 tests: 49 JWS (1-49) judged here; 34 JWE (50-83, groups jwe_aes and
  // jwe_ec) counted only: jwtgate verifies JWS and refuses every JWE.
  check_file({kCryptoFile, 83, 4, 45,
              /*valid_accepted=*/4, /*invalid_rejected=*/45,
              /*skipped=*/{}, /*defects=*/{},
              /*json_serialization=*/{17},
              /*key_load_failed=*/{46, 47}, 2,  // 46: ROCA key; 47: MixedKeySet
              /*jwe=*/2, 34,
              {{"accepted", 4},
               {"key-load", 2},
               {"parse:alg_none", 1},
               {"parse:embedded_key", 1},
               {"parse:malformed", 24},
               {"signature:alg_not_allowed", 1},
               {"signature:key_not_found", 3},
               {"signature:signature_invalid", 10},
               {"signature:signature_missing", 3}}});
}

TEST_CASE("Wycheproof JOSE: attack vectors are refused at the right stage for the right reason",
          "[wycheproof]") {
  struct Spot {
    const char* file;
    int tc_id;
    const char* bucket;
    const char* detail;  // a piece of the failure's sentence ("" = not checked)
  };
  const Spot spots[] = {
      {kSigFile, 2, "signature:signature_invalid", "does not verify"},
      {kSigFile, 3, "signature:signature_missing", "empty signature segment"},
      {kSigFile, 4, "parse:malformed", "2 segments"},
      // An empty payload is a legal JWS payload; the MAC was over "foo".
      {kSigFile, 6, "signature:signature_invalid", "does not verify"},
      {kSigFile, 8, "signature:key_not_found", "Xid-aes-sign"},
      {kSigFile, 9, "parse:malformed", "header segment is empty"},
      {kSigFile, 14, "parse:malformed", "4 segments"},
      {kSigFile, 16, "parse:alg_none", "\"none\""},
      {kSigFile, 17, "parse:malformed", "JSON serialization is not supported"},
      // HS256 keyed with the EC key's bytes: the EC key allows ES256 only.
      {kSigFile, 31, "signature:alg_not_allowed", "allowed: ES256"},
      {kSigFile, 32, "parse:embedded_key", "\"jwk\""},
      {kSigFile, 46, "signature:signature_invalid", "does not verify"},  // PKCS#1 DER edit
      {kSigFile, 281, "signature:signature_invalid", "does not verify"},  // PSS salt length
      {kSigFile, 331, "signature:signature_invalid", "does not verify"},  // RS256 sig as PS512
      {kSigFile, 332, "signature:alg_not_allowed", "allowed: PS512"},
      {kSigFile, 342, "parse:alg_none", "\"NONE\""},
      {kSigFile, 353, "signature:signature_invalid", "use \"enc\""},
      {kSigFile, 354, "signature:signature_invalid", "use \"enc\""},
      {kSigFile, 355, "signature:signature_invalid", "key_ops without \"verify\""},
      {kSigFile, 356, "signature:signature_invalid", "key_ops without \"verify\""},
      {kSigFile, 360, "parse:bad_base64url", "whitespace"},
      {kSigFile, 365, "parse:bad_base64url", "header segment"},
      {kSigFile, 369, "parse:bad_base64url", "payload segment"},
      {kSigFile, 374, "parse:bad_base64url", "unused low bits"},
      {kSigFile, 376, "accepted", ""},  // JSON whitespace in the header is fine
      {kSigFile, 379, "signature:signature_invalid", ""},  // ES256 signature too long
      {kSigFile, 386, "signature:signature_invalid", ""},  // r = s = 0
      {kSigFile, 401, "signature:signature_invalid", ""},  // r = s = n
      {kKeyFile, 4, "key-load", "which could not be used, has the same kid"},
      {kKeyFile, 6, "key-load", "skipped: use is \"enc\""},  // the set's only key
      {kKeyFile, 7, "key-load", "ROCA"},
      {kKeyFile, 8, "signature:signature_invalid", "at least 2048 bits"},
      {kKeyFile, 9, "key-load", "exponent"},
      {kKeyFile, 10, "signature:signature_invalid", "needs at least 256 bits"},
      {kKeyFile, 11, "signature:signature_invalid", "needs at least 384 bits"},
      {kKeyFile, 12, "signature:signature_invalid", "needs at least 512 bits"},
      {kKeyFile, 16, "key-load", "\"k\" is empty"},
      {kKeyFile, 19, "signature:alg_not_allowed", "allowed: )"},  // key alg "ES521"
      {kKeyFile, 20, "signature:alg_not_allowed", "allowed: )"},  // key alg "ES224"
      {kKeyFile, 21, "key-load", "skipped: use is \"enc\""},  // the set's only key
      {kKeyFile, 22, "key-load", "not on P-256"},
      {kKeyFile, 23, "key-load", "48 bytes"},
      {kKeyFile, 24, "key-load", "no \"n\"/\"e\""},
      {kKeyFile, 25, "signature:alg_not_allowed", "allowed: )"},  // key alg A256GCM
      {kKeyFile, 26, "signature:alg_not_allowed", "allowed: )"},  // key alg A256KW
      {kCryptoFile, 17, "parse:malformed", "JSON serialization is not supported"},
      {kCryptoFile, 31, "signature:alg_not_allowed", "allowed: ES256"},
      {kCryptoFile, 32, "parse:embedded_key", "\"jwk\""},
      {kCryptoFile, 46, "key-load", "ROCA"},
  };
  for (const Spot& s : spots) {
    const Totals& t = results(s.file);
    INFO(s.file << " tcId " << s.tc_id);
    REQUIRE(t.verdicts.count(s.tc_id) == 1);
    const Verdict& v = t.verdicts.at(s.tc_id);
    INFO(v.detail);
    CHECK(v.bucket() == s.bucket);
    CHECK(v.detail.find(s.detail) != std::string::npos);
  }
}

TEST_CASE("Wycheproof JOSE: json_web_key_test tcId 4 is refused: the kid of its usable key is "
          "also the kid of a key that could not be read", "[wycheproof]") {
  // rejectsDuplicateKid (DuplicateKid, Ambiguous): the set lists kid
  // "kid-aes-sign" twice, the second key with non-canonical base64url.
  const Totals& t = results(kKeyFile);
  std::vector<Key> keys;
  Diagnostics diag;
  CHECK_FALSE(parse_jwks(t.key_text.at(4), keys, diag));
  INFO(diag.text());
  CHECK(keys.empty());
  CHECK_THAT(diag.text(), Catch::Contains("JWKS key #2 (kid \"kid-aes-sign\") skipped: \"k\" is not base64url"));
  CHECK_THAT(diag.text(), Catch::Contains("JWKS key #1 (kid \"kid-aes-sign\") skipped: JWKS key #2 (kid "
                                          "\"kid-aes-sign\"), which could not be used, has the same kid"));
  CHECK_FALSE(t.verdicts.at(4).accepted);
}

TEST_CASE("Wycheproof JOSE: tcId 367 and 370 are byte-identical to the valid tcId 357",
          "[wycheproof]") {
  // The reason they are skipped (C2SP/wycheproof #236): both are marked
  // invalid yet carry exactly the token of a valid vector.
  const Totals& t = results(kSigFile);
  CHECK(t.jws.at(367) == t.jws.at(357));
  CHECK(t.jws.at(370) == t.jws.at(357));
  CHECK(t.verdicts.at(357).accepted);
}

TEST_CASE("Wycheproof JOSE: RFC 7520 figures 20 and 27 verify once the contradictory JWK alg "
          "is removed",
          "[wycheproof]") {
  // Proves tcIds 346/347/350/351 are defects of the key metadata only: the
  // same JWK without its "alg" verifies the token with the token's alg.
  struct Case {
    int tc_id;
    Alg alg;
  };
  const Case cases[] = {{346, Alg::PS384}, {350, Alg::PS384}, {347, Alg::ES512}, {351, Alg::ES512}};
  const Totals& t = results(kSigFile);
  for (const Case& c : cases) {
    INFO("tcId " << c.tc_id);
    simdjson::dom::parser json;
    simdjson::dom::object jwk;
    REQUIRE(json.parse(t.key_text.at(c.tc_id)).get(jwk) == simdjson::SUCCESS);
    std::string without_alg = "{";
    for (const auto field : jwk) {
      if (field.key == "alg") continue;
      if (without_alg.size() > 1) without_alg += ",";
      without_alg += "\"" + std::string(field.key) + "\":" + simdjson::minify(field.value);
    }
    without_alg += "}";
    std::vector<Key> keys;
    Diagnostics diag;
    const bool loaded = parse_jwk(without_alg, keys, diag);
    INFO(without_alg << "\n" << diag.text());
    REQUIRE(loaded);
    TokenParser parser;
    const Verdict v = verify_jws(parser, t.jws.at(c.tc_id), KeySet(std::move(keys)), alg_bit(c.alg));
    INFO(v.bucket() << " " << v.detail);
    CHECK(v.accepted);
  }
}

TEST_CASE("Wycheproof JOSE: the keysize_too_small key loads and is refused for its size",
          "[wycheproof]") {
  // json_web_key_test tcId 8: the 1024-bit key is a well-formed key (it
  // loads); it is the KeyRules floor that refuses it, for every RS/PS alg.
  const Totals& t = results(kKeyFile);
  std::vector<Key> keys;
  Diagnostics diag;
  REQUIRE(parse_jwks(t.key_text.at(8), keys, diag));
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].bits == 1024);
  for (const Alg alg : {Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512}) {
    std::string why;
    CHECK_FALSE(key_compatible(keys[0], alg, kRules, &why));
    CHECK(why.find("at least 2048 bits") != std::string::npos);
  }
}
