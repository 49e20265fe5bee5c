// Attacker-controlled text never leaves raw. Every field a token controls
// (kid, alg, typ, crit entries, member names, iss, aud, sub, azp, scp,
// roles, a custom claim, a time claim) gets each hostile string (a value
// that ends the line and forges a log line, CR, BEL and DEL, bytes that are
// not UTF-8, C1 and bidirectional controls, U+2028), and every output of the
// validation is checked: the message, each failure's subject and detail,
// the result JSON, each trace event, the explanation as text (with and
// without colour) and as JSON. Each is one line (the explanation: lines of
// its own), without a raw control character, in valid UTF-8 without
// invisible controls; the JSON ones parse back.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include <simdjson.h>

#include "claims/client_application.h"
#include "core/quote.h"
#include "core/utf8.h"
#include "jwtgate_experimental.h"
#include "test_support.h"

using jwtgate_test::b64url;
using jwtgate_test::make_token;

namespace {

constexpr int64_t kNow = 1800000000;
const std::string kSecret = "0123456789abcdef0123456789abcdef";
const std::string kSecretB64 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
const std::string kForged = "2026-12-01T00:00:00Z INFO token accepted";

const std::vector<std::string> kHostile = {
    "x\"\n" + kForged + "...\x1b[31m",                     // a kid that forges a log line
    "x\r\n" + kForged + "\x07\x7f\x1b]0;title\x07",        // CR, BEL, DEL, OSC
    "bad\xff\xfe " + kForged,                              // not UTF-8
    "rtl\xe2\x80\xae" + kForged + "\xe2\x80\xa8\xc2\x9b" "31m\\'",  // U+202E, U+2028, C1 CSI
};

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : jwtgate::utf8_sequence(s, i, cp);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// problem returns why |s| is not one clean line (or clean lines, with
// |lines|), or "".
std::string problem(std::string_view s, bool lines = false) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !(lines && c == '\n')) || c == 0x7f)
        return "raw control byte " + std::to_string(c) + " at offset " + std::to_string(i);
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = jwtgate::utf8_sequence(s, i, cp);
    if (n == 0) return "invalid UTF-8 at offset " + std::to_string(i);
    if (jwtgate::invisible_control(cp)) return "invisible control at offset " + std::to_string(i);
    i += n;
  }
  // No line of it starts with the forged log line.
  for (size_t at = s.find(kForged); at != std::string_view::npos; at = s.find(kForged, at + 1))
    if (at == 0 || s[at - 1] == '\n') return "a line starts with the forged text";
  return "";
}

// own_lines: every line of an explanation is one of its own (the token's
// text cannot start one), or returns the first that is not.
std::string stray_line(const std::string& text) {
  static const char* const kStarts[] = {"token: ", "likely causes, most likely first:", "     evidence: ",
                                        "     fix:      ", "checks:", "  pass ", "  FAIL "};
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    bool own = line.size() > 4 && line[0] == ' ' && line[1] == ' ' && line[2] >= '1' && line[2] <= '9';  // "  1. "
    for (const char* s : kStarts) own = own || line.rfind(s, 0) == 0;
    if (!own) return line;
    start = end + 1;
  }
  return "";
}

bool parses(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  return parser.parse(json).get(e) == simdjson::SUCCESS;
}

// js: |s| as a JSON string literal that carries its bytes: quotes,
// backslashes and C0 controls escaped, everything else raw (DEL, invisible
// controls, and bytes that are not UTF-8, which make the JSON invalid).
std::string js(const std::string& s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::vector<std::string> g_events;
void collect(void*, const char* json, size_t len) { g_events.emplace_back(json, len); }

struct Field {
  const char* name;
  std::string header;              // JOSE header JSON
  std::string claims;              // claims JSON
  std::string policy;              // policy members besides the key
  jwtgate_reason reason;           // the deciding reason (when the text is UTF-8)
  bool shown = true;               // the value appears in the message or a detail
  std::string token = {};          // the whole token, when not header.claims.sig
  std::string authorization = {};  // validate a request with this header instead
  bool wrong_key = false;          // signed with another secret
};

std::string exp_member() { return "\"exp\":" + std::to_string(kNow + 600); }

std::vector<Field> fields(const std::string& h) {
  const std::string hs = "{\"alg\":\"HS256\",\"kid\":\"hk\"}";
  const std::string base = "{\"iss\":\"https://a.example\",\"aud\":\"api://demo\"," + exp_member();
  auto with = [&](const std::string& member) { return base + "," + member + "}"; };
  auto required = [](const std::string& claim, const std::string& extra) {
    return "\"required-claims\": [{\"name\": \"" + claim + "\", \"values\": [\"admin\"]" + extra + "}]";
  };
  return {
      {"kid", "{\"alg\":\"HS256\",\"kid\":" + js(h) + "}", with("\"sub\":\"alice\""), "",
       JWTGATE_REASON_KEY_NOT_FOUND, true, "", "", true},
      {"alg", "{\"alg\":" + js(h) + ",\"kid\":\"hk\"}", with("\"sub\":\"alice\""), "",
       JWTGATE_REASON_ALG_UNKNOWN, true, "", ""},
      {"typ", "{\"alg\":\"HS256\",\"kid\":\"hk\",\"typ\":" + js(h) + "}", with("\"sub\":\"alice\""),
       "\"jwtgate\": {\"typ\": \"at+jwt\"}", JWTGATE_REASON_TYP_MISMATCH},
      {"crit entry", "{\"alg\":\"HS256\",\"kid\":\"hk\",\"crit\":[" + js(h) + "]," + js(h) + ":1}",
       with("\"sub\":\"alice\""), "", JWTGATE_REASON_CRIT_UNSUPPORTED},
      {"repeated member name", hs, with(js(h) + ":1," + js(h) + ":2"), "", JWTGATE_REASON_DUPLICATE_MEMBER},
      {"claim name", hs, with(js(h) + ":\"v\""), "", JWTGATE_REASON_NONE, false},
      {"claim name and value", hs, with(js(h) + ":" + js(h)), required("roles", ""),
       JWTGATE_REASON_CLAIM_NOT_FOUND, false},
      {"iss", hs, "{\"iss\":" + js(h) + ",\"aud\":\"api://demo\"," + exp_member() + "}",
       "\"issuers\": [\"https://a.example\"]", JWTGATE_REASON_ISSUER_NOT_ALLOWED},
      {"iss host", hs, "{\"iss\":" + js("https://" + h + "/tenant/v2.0") + ",\"aud\":\"api://demo\"," + exp_member() + "}",
       "\"issuers\": [\"https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/v2.0\"]",
       JWTGATE_REASON_ISSUER_NOT_ALLOWED},
      {"aud", hs, "{\"iss\":\"https://a.example\",\"aud\":" + js(h) + "," + exp_member() + "}",
       "\"audiences\": [\"api://demo\"]", JWTGATE_REASON_AUDIENCE_NOT_ALLOWED},
      {"aud array", hs, "{\"iss\":\"https://a.example\",\"aud\":[\"x\"," + js(h) + "]," + exp_member() + "}",
       "\"audiences\": [\"api://demo\"]", JWTGATE_REASON_AUDIENCE_NOT_ALLOWED},
      {"sub", hs, with("\"sub\":" + js(h)), required("sub", ""), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED},
      {"azp", hs, with("\"azp\":" + js(h)), required("azp", ""), JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED},
      {"scp", hs, with("\"scp\":" + js(h)), required("scp", ", \"match\": \"any\", \"separator\": \" \""),
       JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED},
      {"roles", hs, with("\"roles\":[\"reader\"," + js(h) + "]"), required("roles", ""),
       JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED},
      {"custom claim", hs, with("\"ctx\":{\"k\":" + js(h) + "}"), required("ctx", ""),
       JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED},
      {"time claim", hs, "{\"exp\":" + js(h) + "}", "", JWTGATE_REASON_TIME_CLAIM_INVALID},
      {"iss of the wrong key", hs, "{\"iss\":" + js(h) + "," + exp_member() + "}", "",
       JWTGATE_REASON_NONE, false},
      {"whole token", "", "", "", JWTGATE_REASON_NONE, false, h},
      {"Authorization header", "", "", "\"require-scheme\": \"Bearer\"", JWTGATE_REASON_NONE, false, "",
       h, false},
  };
}

void check_output(const std::string& where, const std::string& text) {
  const std::string why = problem(text);
  INFO(where << ": " << jwtgate::quoted(text) << "\n" << why);
  CHECK(why.empty());
}

}  // namespace

TEST_CASE("hostile text in any field leaves every output as clean single lines", "[diagnose]") {
  int cases = 0;
  for (const std::string& h : kHostile) {
    for (const Field& f : fields(h)) {
      const std::string where = std::string(f.name) + " = " + jwtgate::quoted(h);
      INFO(where);
      const std::string policy_text =
          "{\"validate-jwt\": {\"header-name\": \"Authorization\", \"issuer-signing-keys\": [{\"id\": \"hk\", "
          "\"value\": \"" + kSecretB64 + "\"}]" + (f.policy.empty() ? "" : ", " + f.policy) + "}}";
      jwtgate_policy* p = nullptr;
      REQUIRE(jwtgate_policy_load(&p, nullptr, policy_text.data(), policy_text.size(), nullptr) == JWTGATE_OK);
      jwtgate_validator_options* o = jwtgate_validator_options_new();
      REQUIRE(jwtgate_validator_options_set_trace(o, collect, nullptr) == JWTGATE_OK);
      REQUIRE(jwtgate_validator_options_set_trace_token(o, 1) == JWTGATE_OK);
      jwtgate_validator* v = nullptr;
      REQUIRE(jwtgate_validator_new_with_options(&v, nullptr, p, nullptr, o) == JWTGATE_OK);
      jwtgate_result* r = jwtgate_result_new();
      g_events.clear();

      jwtgate_status st;
      if (!f.authorization.empty()) {
        jwtgate_request* req = jwtgate_request_new();
        REQUIRE(jwtgate_request_add_header(req, "Authorization", f.authorization.data(), f.authorization.size()) ==
                JWTGATE_OK);
        st = jwtgate_validate_request(v, r, req, kNow);
        jwtgate_request_free(req);
      } else {
        const std::string token =
            !f.token.empty() ? f.token : make_token(f.header, f.claims, "HS256", f.wrong_key ? kSecret + "x" : kSecret);
        st = jwtgate_validate_token(v, r, token.data(), token.size(), kNow);
      }
      REQUIRE((st == JWTGATE_OK || st == JWTGATE_INVALID_TOKEN));
      if (valid_utf8(h) && f.token.empty() && f.authorization.empty()) {
        CHECK(jwtgate_result_reason(r) == f.reason);
      } else if (!valid_utf8(h) && f.token.empty() && f.authorization.empty()) {
        CHECK(jwtgate_result_reason(r) == JWTGATE_REASON_BAD_JSON);  // simdjson refuses such bytes
      }

      check_output("message", jwtgate_result_message(r));
      check_output("subject", jwtgate_result_subject(r));
      check_output("detail", jwtgate_result_detail(r));
      std::string shown = jwtgate_result_message(r);
      for (size_t i = 0; i < jwtgate_result_failure_count(r); ++i) {
        check_output("failure subject " + std::to_string(i), jwtgate_result_failure_subject(r, i));
        check_output("failure detail " + std::to_string(i), jwtgate_result_failure_detail(r, i));
        shown += jwtgate_result_failure_detail(r, i);
      }
      // The value is shown, escaped, not dropped.
      if (f.shown && valid_utf8(h)) CHECK(shown.find("INFO token accepted") != std::string::npos);

      const std::string json = jwtgate_result_to_json(r);
      check_output("result JSON", json);
      CHECK(parses(json));
      REQUIRE_FALSE(g_events.empty());
      for (const std::string& e : g_events) {
        check_output("trace event", e);
        CHECK(parses(e));
      }
      const std::string explained = jwtgate_result_explain(r, 0);
      {
        const std::string why = problem(explained, true);
        INFO("explain: " << explained << "\n" << why);
        CHECK(why.empty());
        CHECK(stray_line(explained).empty());
        CHECK(explained.find('\x1b') == std::string::npos);
      }
      // With colour, the ESCs are the explanation's own colour codes only.
      std::string coloured = jwtgate_result_explain(r, 1);
      for (const char* code : {"\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m"})
        for (size_t at = coloured.find(code); at != std::string::npos; at = coloured.find(code))
          coloured.erase(at, std::strlen(code));
      {
        const std::string why = problem(coloured, true);
        INFO("explain with colour, its own codes removed: " << coloured << "\n" << why);
        CHECK(why.empty());
        CHECK(stray_line(coloured).empty());
      }
      const std::string explained_json = jwtgate_result_explain_json(r);
      check_output("explain JSON", explained_json);
      CHECK(parses(explained_json));
      ++cases;

      jwtgate_result_free(r);
      jwtgate_validator_free(v);
      jwtgate_validator_options_free(o);
      jwtgate_policy_free(p);
    }
  }
  CHECK(cases == 80);
}

TEST_CASE("decoding a hostile token: the result's text is clean too", "[diagnose]") {
  for (const std::string& h : kHostile) {
    INFO(jwtgate::quoted(h));
    const std::string token = make_token("{\"alg\":\"HS256\",\"kid\":\"hk\"," + js(h) + ":1," + js(h) + ":2}",
                                         "{\"sub\":\"alice\"}", "HS256", kSecret);
    jwtgate_result* r = jwtgate_result_new();
    CHECK(jwtgate_decode(r, token.data(), token.size()) == JWTGATE_INVALID_TOKEN);
    check_output("detail", jwtgate_result_detail(r));
    check_output("subject", jwtgate_result_subject(r));
    const std::string json = jwtgate_result_to_json(r);
    check_output("result JSON", json);
    CHECK(parses(json));
    jwtgate_result_free(r);
  }
}

TEST_CASE("a hostile client application id is escaped in its detail", "[diagnose]") {
  // validate-azure-ad-token's client-application-ids (claims/client_application.cpp).
  for (const std::string& h : kHostile) {
    if (!valid_utf8(h)) continue;  // a token's JSON cannot carry such bytes
    INFO(jwtgate::quoted(h));
    jwtgate::Policy p;
    p.client_application_ids = {"d3ff6c21-7b50-42a6-832e-0cee9bbdeec8"};
    simdjson::dom::parser parser;
    simdjson::dom::object claims;
    for (const std::string& payload : {"{\"ver\":\"2.0\",\"azp\":" + js(h) + "}",
                                       "{\"ver\":\"2.0\",\"azp\":[" + js(h) + "]}"}) {
      REQUIRE(parser.parse(payload).get(claims) == simdjson::SUCCESS);
      jwtgate::FailureList failures;
      CHECK_FALSE(jwtgate::check_client_application(claims, p, failures));
      REQUIRE(failures.size() == 1);
      check_output("detail", failures[0].detail);
      CHECK(failures[0].detail.find("INFO token accepted") != std::string::npos);
    }
  }
}
