// TokenParser: every rejection with its exact reason and subject, the fields
// of a good token, and no buffer growth once warm.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/base64url.h"
#include "token/token.h"

using jwtgate::Alg;
using jwtgate::ParsedToken;
using jwtgate::ParseFailure;
using jwtgate::TokenLimits;
using jwtgate::TokenParser;

namespace {

std::string b64(std::string_view s) { return jwtgate::base64url_encode(s); }

constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::string_view kPayload = R"({"sub":"alice","exp":1300819380})";
// base64url("signature!"); any valid segment will do where the signature
// does not matter.
const std::string kSig = b64("signature!");

std::string token(std::string_view header_json, std::string_view payload_json = kPayload,
                  std::string_view sig_segment = kSig) {
  return b64(header_json) + "." + b64(payload_json) + "." + std::string(sig_segment);
}

struct Run {
  TokenParser parser;
  ParsedToken out;
  ParseFailure fail;
  TokenLimits limits;
  bool ok = false;

  bool parse(std::string_view compact) {
    ok = parser.parse(compact, limits, out, fail);
    if (ok) {
      CHECK(fail.reason == JWTGATE_REASON_NONE);
      CHECK(fail.detail.empty());
    } else {
      CHECK(fail.reason != JWTGATE_REASON_NONE);
      CHECK_FALSE(fail.detail.empty());
    }
    return ok;
  }
};

// rejects parses |compact| and requires exactly |reason| and |subject|.
ParseFailure rejects(std::string_view compact, jwtgate_reason reason, std::string_view subject,
                     const TokenLimits& limits = {}) {
  Run r;
  r.limits = limits;
  INFO("token: " << compact);
  const bool ok = r.parse(compact);
  INFO("detail: " << r.fail.detail);
  REQUIRE_FALSE(ok);
  CHECK(r.fail.reason == reason);
  CHECK(r.fail.subject == subject);
  return r.fail;
}

ParsedToken accepts(Run& r, std::string_view compact) {
  INFO("token: " << compact);
  const bool ok = r.parse(compact);
  INFO("detail: " << r.fail.detail);
  REQUIRE(ok);
  return r.out;
}

std::string header_with(std::string_view members) {
  return std::string(R"({"alg":"RS256",)") + std::string(members) + "}";
}

}  // namespace

// ---------------------------------------------------------------- structure

TEST_CASE("token: segment counts other than 3 are malformed", "[token]") {
  const std::string h = b64(kHeader), p = b64(kPayload);
  rejects(h, JWTGATE_REASON_MALFORMED, "");
  rejects(h + "." + p, JWTGATE_REASON_MALFORMED, "");
  rejects(h + "." + p + "." + kSig + "." + kSig, JWTGATE_REASON_MALFORMED, "");
  rejects(h + "." + p + "." + kSig + ".a.b.c", JWTGATE_REASON_MALFORMED, "");
  rejects("....", JWTGATE_REASON_JWE_NOT_SUPPORTED, "");  // five empty segments
  rejects(".....", JWTGATE_REASON_MALFORMED, "");
  rejects("", JWTGATE_REASON_MALFORMED, "");
  const ParseFailure f = rejects(h + "." + p, JWTGATE_REASON_MALFORMED, "");
  CHECK(f.detail == "token has 2 segments; a compact JWS has 3 (RFC 7515 section 7.1)");
}

TEST_CASE("token: five segments is a JWE", "[token]") {
  // RFC 7516 appendix A.3's protected header, with placeholder segments.
  const std::string jwe = b64(R"({"alg":"A128KW","enc":"A128CBC-HS256"})") + "." +
                          b64("key") + "." + b64("iv") + "." + b64("ct") + "." + b64("tag");
  const ParseFailure f = rejects(jwe, JWTGATE_REASON_JWE_NOT_SUPPORTED, "");
  CHECK(f.detail.find("JWE") != std::string::npos);
}

TEST_CASE("token: empty header or payload segment is malformed", "[token]") {
  rejects("." + b64(kPayload) + "." + kSig, JWTGATE_REASON_MALFORMED, "header");
  rejects(b64(kHeader) + ".." + kSig, JWTGATE_REASON_MALFORMED, "payload");
  rejects("..", JWTGATE_REASON_MALFORMED, "header");
  const ParseFailure f = rejects(b64(kHeader) + ".." + kSig, JWTGATE_REASON_MALFORMED, "payload");
  CHECK(f.detail == "payload segment is empty");
}

TEST_CASE("token: an empty signature segment is not a parse failure", "[token]") {
  Run r;
  const std::string compact = token(kHeader, kPayload, "");
  const ParsedToken t = accepts(r, compact);
  CHECK(t.signature_len == 0);
  CHECK(t.signing_input == b64(kHeader) + "." + b64(kPayload));
}

TEST_CASE("token: size limit", "[token]") {
  const std::string t = token(kHeader);
  TokenLimits limits;
  limits.max_token_bytes = t.size() - 1;
  const ParseFailure f = rejects(t, JWTGATE_REASON_TOO_LARGE, "", limits);
  CHECK(f.detail == "token is " + std::to_string(t.size()) +
                        " bytes, more than the limit of " + std::to_string(t.size() - 1));
  // The size check comes first: a too-large malformed token is too large.
  rejects(std::string(100, 'x'), JWTGATE_REASON_TOO_LARGE, "", limits);
  rejects(std::string(20 * 1024, 'A'), JWTGATE_REASON_TOO_LARGE, "");

  Run r;
  r.limits.max_token_bytes = t.size();
  accepts(r, t);
}

// ---------------------------------------------------------------- base64url

TEST_CASE("token: each base64url defect in each segment", "[token]") {
  struct Defect {
    const char* what;
    std::string segment;
  };
  const std::vector<Defect> defects = {
      {"padding", b64(kHeader).substr(0, 2) + "=="},
      {"trailing padding", "Zm9vYg=="},
      {"plus", "Zm+v"},
      {"slash", "Zm/v"},
      {"space", "Zm9v Zm9v"},
      {"newline", "Zm9v\n"},
      {"tab", "\tZm9v"},
      {"length 1 mod 4", "Zm9vY"},
      {"non-zero bits in a 2-character tail", "Zh"},
      {"non-zero bits in a 3-character tail", "Zm9"},
      {"NUL", std::string("Zm\0v", 4)},
      {"non-ASCII", "Zm\xc3\xa9"},
  };
  const std::string h = b64(kHeader), p = b64(kPayload);
  for (const auto& d : defects) {
    INFO("defect: " << d.what);
    rejects(d.segment + "." + p + "." + kSig, JWTGATE_REASON_BAD_BASE64URL, "header");
    rejects(h + "." + d.segment + "." + kSig, JWTGATE_REASON_BAD_BASE64URL, "payload");
    const ParseFailure f =
        rejects(h + "." + p + "." + d.segment, JWTGATE_REASON_BAD_BASE64URL, "signature");
    // Signature bytes never reach a detail, encoded or not.
    CHECK(f.detail.find(d.segment) == std::string::npos);
  }
}

TEST_CASE("token: base64url details name the defect", "[token]") {
  const std::string p = b64(kPayload);
  CHECK(rejects("Zm9vYg==." + p + "." + kSig, JWTGATE_REASON_BAD_BASE64URL, "header").detail ==
        "header segment is not strict base64url: '=' padding at offset 6 (RFC 7515 section 2: "
        "base64url without padding)");
  CHECK(rejects("Zh." + p + "." + kSig, JWTGATE_REASON_BAD_BASE64URL, "header").detail ==
        "header segment is not strict base64url: the unused low bits of its last character "
        "are not zero, a non-canonical encoding (RFC 4648 section 3.5)");
  CHECK(rejects("Zm9vY." + p + "." + kSig, JWTGATE_REASON_BAD_BASE64URL, "header").detail ==
        "header segment is not strict base64url: its length, 5, is one more than a multiple of "
        "4, which no byte string encodes to");
  const std::string secret_sig = "c2VjcmV0c2ln+w";
  const ParseFailure f = rejects(b64(kHeader) + "." + p + "." + secret_sig,
                                 JWTGATE_REASON_BAD_BASE64URL, "signature");
  CHECK(f.detail.find("c2VjcmV0") == std::string::npos);
  CHECK(f.detail.find("offset 12") != std::string::npos);
}

TEST_CASE("token: the first defect in segment order is reported", "[token]") {
  rejects("Zh.Zh.Zh", JWTGATE_REASON_BAD_BASE64URL, "header");
  rejects(b64("[1]") + ".Zh.Zh", JWTGATE_REASON_BAD_BASE64URL, "payload");
  // base64url comes before JSON: a header that is not JSON loses to a bad
  // signature encoding.
  rejects(b64("not json") + "." + b64(kPayload) + ".Zh", JWTGATE_REASON_BAD_BASE64URL,
          "signature");
}

// ---------------------------------------------------------------- JSON

TEST_CASE("token: header or payload not a JSON object", "[token]") {
  rejects(token("[1,2]"), JWTGATE_REASON_NOT_JSON_OBJECT, "header");
  rejects(token(R"("alg")"), JWTGATE_REASON_NOT_JSON_OBJECT, "header");
  rejects(token("42"), JWTGATE_REASON_NOT_JSON_OBJECT, "header");
  rejects(token("null"), JWTGATE_REASON_NOT_JSON_OBJECT, "header");
  rejects(token(kHeader, "[]"), JWTGATE_REASON_NOT_JSON_OBJECT, "payload");
  rejects(token(kHeader, R"("sub")"), JWTGATE_REASON_NOT_JSON_OBJECT, "payload");
  const ParseFailure f = rejects(token("[1,2]"), JWTGATE_REASON_NOT_JSON_OBJECT, "header");
  CHECK(f.detail == "header is an array, not a JSON object");
}

TEST_CASE("token: invalid JSON", "[token]") {
  rejects(token(R"({"alg":"HS256")"), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token(R"({"alg":"HS256",})"), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token(R"({'alg':'HS256'})"), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token("foo"), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token("   "), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token(R"({"alg":"HS256"} {})"), JWTGATE_REASON_BAD_JSON, "header");
  rejects(token("{\"alg\":\"HS\xff\"}"), JWTGATE_REASON_BAD_JSON, "header");  // not UTF-8
  rejects(token(kHeader, R"({"sub":})"), JWTGATE_REASON_BAD_JSON, "payload");
  rejects(token(kHeader, "{\"sub\":\"a\nb\"}"), JWTGATE_REASON_BAD_JSON, "payload");
  const ParseFailure f = rejects(token("foo"), JWTGATE_REASON_BAD_JSON, "header");
  CHECK(f.detail.rfind("header is not valid JSON: ", 0) == 0);
}

TEST_CASE("token: duplicate member names", "[token]") {
  SECTION("header, top level") {
    const ParseFailure f = rejects(token(R"({"alg":"HS256","alg":"none"})"),
                                   JWTGATE_REASON_DUPLICATE_MEMBER, "alg");
    CHECK(f.detail ==
          "header repeats the member name \"alg\" (RFC 7515 section 4, RFC 7519 section 4: "
          "names must be unique)");
  }
  SECTION("header, the same name escaped") {
    rejects(token(R"({"alg":"HS256","a\u006cg":"none"})"), JWTGATE_REASON_DUPLICATE_MEMBER,
            "alg");
  }
  SECTION("header, nested") {
    rejects(token(R"({"alg":"HS256","ext":{"a":1,"a":2}})"), JWTGATE_REASON_DUPLICATE_MEMBER,
            "a");
  }
  SECTION("payload, top level") {
    rejects(token(kHeader, R"({"sub":"alice","aud":"x","sub":"admin"})"),
            JWTGATE_REASON_DUPLICATE_MEMBER, "sub");
  }
  SECTION("payload, nested in an array") {
    rejects(token(kHeader, R"({"roles":[{"n":"a"},{"n":"b","n":"c"}]})"),
            JWTGATE_REASON_DUPLICATE_MEMBER, "n");
  }
  SECTION("a hostile name is quoted safely in the detail") {
    const ParseFailure f = rejects(token(R"({"alg":"HS256","a\"\n":1,"a\"\n":2})"),
                                   JWTGATE_REASON_DUPLICATE_MEMBER, "a\"\n");
    CHECK(f.detail.find("\"a\\\"\\n\"") != std::string::npos);
    CHECK(f.detail.find('\n') == std::string::npos);
  }
}

TEST_CASE("token: depth limit", "[token]") {
  TokenLimits limits;
  limits.max_json_depth = 3;
  // Depth counts the top-level object as 1: a limit of 3 admits an object
  // in an object in the payload object.
  Run r;
  r.limits = limits;
  accepts(r, token(kHeader, R"({"a":{"b":{"c":1}}})"));
  accepts(r, token(kHeader, R"({"a":[[1]]})"));
  rejects(token(kHeader, R"({"a":{"b":{"c":{"d":1}}}})"), JWTGATE_REASON_JSON_TOO_DEEP,
          "payload", limits);
  rejects(token(kHeader, R"({"a":[[[1]]]})"), JWTGATE_REASON_JSON_TOO_DEEP, "payload", limits);
  rejects(token(kHeader, R"({"a":[[[{}],1]]})"), JWTGATE_REASON_JSON_TOO_DEEP, "payload",
          limits);
  // simdjson does not count an empty container as a level of its own, so an
  // empty one just below the limit passes (it holds nothing to recurse into).
  accepts(r, token(kHeader, R"({"a":{"b":{"c":{}}}})"));
  const ParseFailure f = rejects(token(R"({"alg":"HS256","x":[[[[]]]]})"),
                                 JWTGATE_REASON_JSON_TOO_DEEP, "header", limits);
  CHECK(f.detail == "header nests objects and arrays deeper than the limit of 3 levels");

  SECTION("the default limit of 16") {
    std::string deep16 = R"({"a":)", deep17 = R"({"a":)";
    // The payload object plus 15 (or 16) arrays around the value 1.
    deep16 += std::string(15, '[') + "1" + std::string(15, ']') + "}";
    deep17 += std::string(16, '[') + "1" + std::string(16, ']') + "}";
    Run d;
    accepts(d, token(kHeader, deep16));
    rejects(token(kHeader, deep17), JWTGATE_REASON_JSON_TOO_DEEP, "payload");
  }
  SECTION("changing the limit on a warm parser takes effect") {
    Run w;
    const std::string t = token(kHeader, R"({"a":{"b":{"c":{"d":1}}}})");
    accepts(w, t);
    w.limits.max_json_depth = 3;
    REQUIRE_FALSE(w.parse(t));
    CHECK(w.fail.reason == JWTGATE_REASON_JSON_TOO_DEEP);
    w.limits.max_json_depth = 4;
    CHECK(w.parse(t));
  }
}

// ---------------------------------------------------------------- header

TEST_CASE("token: alg missing, not a string, or none", "[token]") {
  rejects(token(R"({"typ":"JWT"})"), JWTGATE_REASON_ALG_MISSING, "alg");
  rejects(token("{}"), JWTGATE_REASON_ALG_MISSING, "alg");
  rejects(token(R"({"ALG":"HS256"})"), JWTGATE_REASON_ALG_MISSING, "alg");
  const ParseFailure num = rejects(token(R"({"alg":256})"), JWTGATE_REASON_HEADER_INVALID, "alg");
  CHECK(num.detail == "header \"alg\" is a number, not a string (RFC 7515 section 4.1.1)");
  rejects(token(R"({"alg":null})"), JWTGATE_REASON_HEADER_INVALID, "alg");
  CHECK(rejects(token(R"({"alg":true})"), JWTGATE_REASON_HEADER_INVALID, "alg").detail ==
        "header \"alg\" is a boolean, not a string (RFC 7515 section 4.1.1)");
  rejects(token(R"({"alg":["HS256"]})"), JWTGATE_REASON_HEADER_INVALID, "alg");
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    INFO(none);
    const ParseFailure f = rejects(token(std::string(R"({"alg":")") + none + "\"}"),
                                   JWTGATE_REASON_ALG_NONE, "alg");
    CHECK(f.detail.find(std::string("\"") + none + "\"") != std::string::npos);
  }
  // "none" written with an escape is still "none".
  rejects(token(R"({"alg":"n\u006fne"})"), JWTGATE_REASON_ALG_NONE, "alg");
}

TEST_CASE("token: crit", "[token]") {
  SECTION("empty") {
    rejects(token(header_with(R"("crit":[])")), JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
  }
  SECTION("not an array") {
    const ParseFailure f =
        rejects(token(header_with(R"("crit":"exp","exp":1)")), JWTGATE_REASON_HEADER_INVALID,
                "crit");
    CHECK(f.detail ==
          "header \"crit\" is a string, not an array of member names (RFC 7515 section "
          "4.1.11)");
    rejects(token(header_with(R"("crit":{})")), JWTGATE_REASON_HEADER_INVALID, "crit");
  }
  SECTION("an entry that is not a string") {
    rejects(token(header_with(R"("crit":[1])")), JWTGATE_REASON_HEADER_INVALID, "crit");
    rejects(token(header_with(R"("crit":["b64",null],"b64":true)")),
            JWTGATE_REASON_HEADER_INVALID, "crit");
  }
  SECTION("lists an absent member") {
    const ParseFailure f = rejects(token(header_with(R"("crit":["exp-ext"])")),
                                   JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
    CHECK(f.detail ==
          "header \"crit\" lists \"exp-ext\", which is not a member of the header (RFC 7515 "
          "section 4.1.11)");
  }
  SECTION("lists a registered header parameter") {
    const ParseFailure f = rejects(token(header_with(R"("crit":["alg"])")),
                                   JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
    CHECK(f.detail.find("\"alg\"") != std::string::npos);
    rejects(token(header_with(R"("kid":"k","crit":["kid"])")), JWTGATE_REASON_CRIT_UNSUPPORTED,
            "crit");
  }
  SECTION("lists an unknown extension that is present") {
    const ParseFailure f = rejects(token(header_with(R"("crit":["exp-ext"],"exp-ext":1)")),
                                   JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
    CHECK(f.detail ==
          "header \"crit\" lists \"exp-ext\", an extension jwtgate does not implement");
  }
  SECTION("lists a name twice") {
    rejects(token(header_with(R"("crit":["b64","b64"],"b64":true)")),
            JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
  }
  SECTION("b64 is understood: RFC 7797 section 6 requires it in crit") {
    Run r;
    accepts(r, token(header_with(R"("crit":["b64"],"b64":true)")));
    rejects(token(header_with(R"("crit":["b64"],"b64":false)")),
            JWTGATE_REASON_B64_UNSUPPORTED, "b64");
    rejects(token(header_with(R"("crit":["b64"])")), JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
    rejects(token(header_with(R"("crit":["b64","exp-ext"],"b64":true,"exp-ext":1)")),
            JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
  }
}

TEST_CASE("token: long names are cut in details, on a UTF-8 boundary", "[token]") {
  // 63 ASCII bytes, then a two-byte character straddling the 64-byte cut.
  const std::string name = std::string(63, 'x') + "\xc3\xa9" + std::string(100, 'y');
  const ParseFailure f =
      rejects(token(header_with("\"crit\":[\"" + name + "\"],\"" + name + "\":1")),
              JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
  // core/quote.h: the character that starts before the limit is kept whole,
  // and "..." follows the closing quote.
  CHECK(f.detail == "header \"crit\" lists \"" + std::string(63, 'x') +
                        "\xc3\xa9\"..., an extension jwtgate does not implement");
  // The subject of a duplicate is the whole name; only the sentence is cut.
  const ParseFailure d = rejects(token(header_with("\"" + name + "\":1,\"" + name + "\":2")),
                                 JWTGATE_REASON_DUPLICATE_MEMBER, name);
  CHECK(d.detail.find("...") != std::string::npos);
}

TEST_CASE("token: embedded or remote keys are refused", "[token]") {
  const ParseFailure jwk =
      rejects(token(header_with(R"("jwk":{"kty":"oct","k":"AAAA"})")),
              JWTGATE_REASON_EMBEDDED_KEY, "jwk");
  CHECK(jwk.detail == "header member \"jwk\" would embed a key; refused");
  rejects(token(header_with(R"("jku":"https://attacker.example/jwks")")),
          JWTGATE_REASON_EMBEDDED_KEY, "jku");
  rejects(token(header_with(R"("x5u":"https://attacker.example/cert")")),
          JWTGATE_REASON_EMBEDDED_KEY, "x5u");
  rejects(token(header_with(R"("x5c":["MIIB"])")), JWTGATE_REASON_EMBEDDED_KEY, "x5c");
  // Any value, even one of the wrong type, is refused.
  rejects(token(header_with(R"("jwk":null)")), JWTGATE_REASON_EMBEDDED_KEY, "jwk");
}

TEST_CASE("token: b64", "[token]") {
  const ParseFailure f =
      rejects(token(header_with(R"("b64":false)")), JWTGATE_REASON_B64_UNSUPPORTED, "b64");
  CHECK(f.detail == "header \"b64\" is false: unencoded payloads (RFC 7797) are not supported");
  rejects(token(header_with(R"("b64":"false")")), JWTGATE_REASON_HEADER_INVALID, "b64");
  rejects(token(header_with(R"("b64":0)")), JWTGATE_REASON_HEADER_INVALID, "b64");
  Run r;
  accepts(r, token(header_with(R"("b64":true)")));
}

TEST_CASE("token: kid and typ must be strings", "[token]") {
  const ParseFailure kid =
      rejects(token(header_with(R"("kid":1)")), JWTGATE_REASON_HEADER_INVALID, "kid");
  CHECK(kid.detail == "header \"kid\" is a number, not a string (RFC 7515 section 4.1.4)");
  rejects(token(header_with(R"("kid":null)")), JWTGATE_REASON_HEADER_INVALID, "kid");
  const ParseFailure typ =
      rejects(token(header_with(R"("typ":{})")), JWTGATE_REASON_HEADER_INVALID, "typ");
  CHECK(typ.detail == "header \"typ\" is an object, not a string (RFC 7515 section 4.1.9)");
  rejects(token(header_with(R"("typ":["JWT"])")), JWTGATE_REASON_HEADER_INVALID, "typ");
}

TEST_CASE("token: header checks run in the documented order", "[token]") {
  // alg before crit before embedded keys before b64 before kid/typ,
  // whatever the member order.
  rejects(token(R"({"kid":1,"jwk":{},"crit":[],"alg":"none"})"), JWTGATE_REASON_ALG_NONE,
          "alg");
  rejects(token(R"({"kid":1,"b64":false,"jwk":{},"crit":[],"alg":"HS256"})"),
          JWTGATE_REASON_CRIT_UNSUPPORTED, "crit");
  rejects(token(R"({"kid":1,"b64":false,"x5c":[],"jwk":{},"alg":"HS256"})"),
          JWTGATE_REASON_EMBEDDED_KEY, "jwk");
  rejects(token(R"({"typ":1,"kid":1,"b64":false,"alg":"HS256"})"),
          JWTGATE_REASON_B64_UNSUPPORTED, "b64");
  rejects(token(R"({"typ":1,"kid":1,"alg":"HS256"})"), JWTGATE_REASON_HEADER_INVALID, "kid");
  // JSON problems in the header come before JSON problems in the payload,
  // and both before header members.
  rejects(token(R"({"alg":"none","a":1,"a":2})", "[]"), JWTGATE_REASON_DUPLICATE_MEMBER, "a");
  rejects(token(R"({"alg":"none"})", "[]"), JWTGATE_REASON_NOT_JSON_OBJECT, "payload");
}

// ---------------------------------------------------------------- success

TEST_CASE("token: fields of a good token", "[token]") {
  const std::string header =
      R"({"alg":"RS256","kid":"key-1","typ":"at+jwt","nonce":"n-0S6_WzA2Mj","x5t":"abc"})";
  const std::string payload = R"({"iss":"https://issuer.example","sub":"alice","n":[1,2]})";
  std::mt19937 rng(7515);
  std::string sig(256, '\0');
  for (auto& c : sig) c = static_cast<char>(rng());
  const std::string compact = b64(header) + "." + b64(payload) + "." + b64(sig);

  Run r;
  const ParsedToken t = accepts(r, compact);
  CHECK(t.compact == compact);
  CHECK(t.signing_input == b64(header) + "." + b64(payload));
  CHECK(t.signing_input.data() == t.compact.data());
  CHECK(t.header_json == header);
  CHECK(t.payload_json == payload);
  REQUIRE(t.signature_len == 256);
  CHECK(std::string_view(reinterpret_cast<const char*>(t.signature), t.signature_len) == sig);
  CHECK(t.alg == Alg::RS256);
  CHECK(t.alg_name == "RS256");
  CHECK(t.has_kid);
  CHECK(t.kid == "key-1");
  CHECK(t.has_typ);
  CHECK(t.typ == "at+jwt");
  CHECK(t.has_nonce);
  CHECK(r.parser.header_parsed());
  CHECK(r.parser.payload_parsed());

  std::string_view iss;
  REQUIRE(t.payload["iss"].get(iss) == simdjson::SUCCESS);
  CHECK(iss == "https://issuer.example");
  std::string_view x5t;
  REQUIRE(t.header["x5t"].get(x5t) == simdjson::SUCCESS);
  CHECK(x5t == "abc");
}

TEST_CASE("token: optional header members absent", "[token]") {
  Run r;
  const ParsedToken t = accepts(r, token(R"({"alg":"ES256"})"));
  CHECK(t.alg == Alg::ES256);
  CHECK_FALSE(t.has_kid);
  CHECK(t.kid.empty());
  CHECK_FALSE(t.has_typ);
  CHECK(t.typ.empty());
  CHECK_FALSE(t.has_nonce);
}

TEST_CASE("token: every implemented alg name maps to its Alg", "[token]") {
  const std::pair<const char*, Alg> algs[] = {
      {"HS256", Alg::HS256}, {"HS384", Alg::HS384}, {"HS512", Alg::HS512},
      {"RS256", Alg::RS256}, {"RS384", Alg::RS384}, {"RS512", Alg::RS512},
      {"PS256", Alg::PS256}, {"PS384", Alg::PS384}, {"PS512", Alg::PS512},
      {"ES256", Alg::ES256}, {"ES384", Alg::ES384}, {"ES512", Alg::ES512},
      {"EdDSA", Alg::EdDSA}, {"ES256K", Alg::ES256K},
  };
  Run r;
  for (const auto& [name, alg] : algs) {
    INFO(name);
    const ParsedToken t = accepts(r, token(std::string(R"({"alg":")") + name + "\"}"));
    CHECK(t.alg == alg);
  }
}

TEST_CASE("token: an unknown alg is Alg::Unknown, not a failure", "[token]") {
  Run r;
  for (const char* name : {"XY999", "hs256", "RSA-OAEP", "", "none2"}) {
    INFO(name);
    const ParsedToken t = accepts(r, token(std::string(R"({"alg":")") + name + "\"}"));
    CHECK(t.alg == Alg::Unknown);
    CHECK(t.alg_name == name);
  }
}

TEST_CASE("token: a payload that is not JSON, when allowed", "[token]") {
  Run r;
  r.limits.payload_is_json = false;
  // RFC 7515 appendix A.1's header signs the payload "foo" in our vectors.
  const std::string compact = b64(R"({"alg":"HS256"})") + ".Zm9v." + kSig;
  const ParsedToken t = accepts(r, compact);
  CHECK(t.payload_json == "foo");
  CHECK(r.parser.header_parsed());
  CHECK_FALSE(r.parser.payload_parsed());
  // The same token with JSON payloads required is refused.
  rejects(compact, JWTGATE_REASON_BAD_JSON, "payload");
}

TEST_CASE("token: what parsed is available after a failure", "[token]") {
  Run r;
  REQUIRE_FALSE(r.parse(token(R"({"alg":"none","kid":"k1"})")));
  CHECK(r.fail.reason == JWTGATE_REASON_ALG_NONE);
  CHECK(r.parser.header_parsed());
  CHECK(r.parser.payload_parsed());
  CHECK(r.out.alg_name == "none");
  CHECK(r.out.kid == "k1");
  std::string_view sub;
  REQUIRE(r.out.payload["sub"].get(sub) == simdjson::SUCCESS);
  CHECK(sub == "alice");

  // A bad signature encoding still leaves header and claims readable.
  REQUIRE_FALSE(r.parse(token(kHeader, kPayload, "Zh")));
  CHECK(r.fail.subject == "signature");
  CHECK(r.parser.header_parsed());
  CHECK(r.parser.payload_parsed());
  CHECK(r.out.header_json == kHeader);

  REQUIRE_FALSE(r.parse(token(kHeader, "[]")));
  CHECK(r.parser.header_parsed());
  CHECK_FALSE(r.parser.payload_parsed());

  REQUIRE_FALSE(r.parse(token(R"({"alg":"HS256","alg":"RS256"})")));
  CHECK_FALSE(r.parser.header_parsed());
  CHECK(r.parser.payload_parsed());

  REQUIRE_FALSE(r.parse("Zh." + b64(kPayload) + "." + kSig));
  CHECK_FALSE(r.parser.header_parsed());
  CHECK(r.parser.payload_parsed());

  REQUIRE_FALSE(r.parse("a.b"));
  CHECK_FALSE(r.parser.header_parsed());
  CHECK_FALSE(r.parser.payload_parsed());
}

TEST_CASE("token: a reused parser keeps nothing from the previous token", "[token]") {
  Run r;
  REQUIRE_FALSE(r.parse(token(header_with(R"("kid":"old","jwk":{})"))));
  CHECK(r.fail.reason == JWTGATE_REASON_EMBEDDED_KEY);
  const ParsedToken t = accepts(r, token(R"({"alg":"HS256"})"));
  CHECK_FALSE(t.has_kid);
  CHECK(t.kid.empty());
  CHECK(r.fail.subject.empty());
}

TEST_CASE("token: warm parses do not grow any buffer", "[token]") {
  const std::string big = token(R"({"alg":"RS256","kid":"warm-key","typ":"JWT"})",
                                R"({"sub":"warm-subject","scope":")" + std::string(600, 's') +
                                    "\"}",
                                b64(std::string(256, 'x')));
  // No longer, with far more in the header and less in the payload.
  const std::string reshaped = token(
      R"({"alg":"RS256","kid":"warm-key","typ":"JWT","pad":")" + std::string(450, 'p') + "\"}",
      R"({"sub":"warm-subject","scope":")" + std::string(600 - 460, 's') + "\"}",
      b64(std::string(256, 'x')));
  REQUIRE(reshaped.size() <= big.size());
  REQUIRE(reshaped.size() > big.size() - 16);
  const std::string small = token(R"({"alg":"HS256","kid":"k"})", R"({"sub":"s"})");

  Run r;
  accepts(r, big);
  const char* header_buf = r.out.header_json.data();
  const char* payload_buf = r.out.payload_json.data();
  const uint8_t* sig_buf = r.out.signature;
  // Strings from the DOM point into each document's string buffer: stable
  // pointers mean the documents were not reallocated.
  const char* header_strings = r.out.kid.data();
  std::string_view sub;
  REQUIRE(r.out.payload["sub"].get(sub) == simdjson::SUCCESS);
  const char* payload_strings = sub.data();

  for (int i = 0; i < 1000; ++i) {
    const std::string& t = i % 3 == 0 ? big : i % 3 == 1 ? reshaped : small;
    REQUIRE(r.parser.parse(t, r.limits, r.out, r.fail));
    REQUIRE(r.out.header_json.data() == header_buf);
    REQUIRE(r.out.payload_json.data() == payload_buf);
    REQUIRE(r.out.signature == sig_buf);
    REQUIRE(r.out.kid.data() == header_strings);
    REQUIRE(r.out.payload["sub"].get(sub) == simdjson::SUCCESS);
    REQUIRE(sub.data() == payload_strings);
  }
  CHECK(r.out.kid == "warm-key");  // i = 999 parsed |big|
}
