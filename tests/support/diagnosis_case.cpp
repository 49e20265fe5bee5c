#include "diagnosis_case.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "jwk_text.h"
#include "test_support.h"

namespace jwtgate_test {

using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// write: |e| as JSON text, with "$now", "$now+N" and "$now-N" strings
// written as the number they stand for.
void write(element e, int64_t now, std::string& out) {
  switch (e.type()) {
    case element_type::OBJECT: {
      out += '{';
      bool first = true;
      for (auto [k, v] : simdjson::dom::object(e.get_object().value_unsafe())) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        write(v, now, out);
      }
      out += '}';
      return;
    }
    case element_type::ARRAY: {
      out += '[';
      bool first = true;
      for (element v : simdjson::dom::array(e.get_array().value_unsafe())) {
        if (!first) out += ',';
        first = false;
        write(v, now, out);
      }
      out += ']';
      return;
    }
    case element_type::STRING: {
      const std::string_view s = e.get_string().value_unsafe();
      if (s.substr(0, 4) == "$now") {
        out += std::to_string(now + (s.size() > 4 ? std::stoll(std::string(s.substr(4))) : 0));
        return;
      }
      append_json_string(out, s);
      return;
    }
    default:
      out += simdjson::minify(e);
  }
}

std::string text_of(element e, int64_t now) {
  std::string out;
  write(e, now, out);
  return out;
}

std::string private_pem(const std::string& name) { return read_data("data/keys/" + name + ".pem"); }

// jwk_set: {"key": "rsa2048", "kid": "k1", "extra": "\"alg\":\"RS256\""} or
// {"oct": "secret", "kid": "h1"} entries, as a JWK Set.
std::string jwk_set_of(element list) {
  std::vector<std::string> jwks;
  simdjson::dom::array a;
  if (list.get_array().get(a)) return jwtgate_test::jwk_set({});
  for (element k : a) {
    const std::string kid = case_string(k, "kid");
    if (!case_string(k, "oct").empty()) jwks.push_back(oct_jwk(case_string(k, "oct"), kid));
    else jwks.push_back(public_jwk(private_pem(case_string(k, "key")), kid, case_string(k, "extra")));
  }
  return jwtgate_test::jwk_set(jwks);
}

std::string mint(element c, int64_t now) {
  if (!case_string(c, "token_text").empty()) return case_string(c, "token_text");
  element t;
  if (c["token"].get(t)) return "";
  const std::string header = text_of(t["header"].value(), now);
  const std::string claims = text_of(t["claims"].value(), now);
  element spec;
  if (t["sign"].get(spec)) throw std::runtime_error("token without \"sign\"");
  simdjson::dom::parser p;
  const std::string alg = case_string(p.parse(header).value(), "alg");
  std::string token;
  if (!case_string(spec, "hs").empty()) token = make_token(header, claims, alg, case_string(spec, "hs"));
  else if (!case_string(spec, "key").empty()) token = make_token(header, claims, alg, private_pem(case_string(spec, "key")));
  else token = b64url(header) + "." + b64url(claims) + ".";  // unsigned
  // Edits after signing: what a person does in a decoder.
  element tamper;
  if (!t["tamper"].get(tamper)) {
    const size_t d1 = token.find('.'), d2 = token.find('.', d1 + 1);
    std::string h = token.substr(0, d1), pl = token.substr(d1 + 1, d2 - d1 - 1), sig = token.substr(d2 + 1);
    element x;
    if (!tamper["header"].get(x)) h = b64url(text_of(x, now));
    if (!tamper["claims"].get(x)) pl = b64url(text_of(x, now));
    if (case_string(tamper, "signature") == "truncate") sig = sig.substr(0, sig.size() / 2);
    if (case_string(tamper, "signature") == "zero") sig = b64url(std::string(256, '\x01'));
    token = h + "." + pl + "." + sig;
  }
  return token;
}

}  // namespace

std::string case_string(element obj, std::string_view name, std::string fallback) {
  std::string_view v;
  if (obj[name].get_string().get(v)) return fallback;
  return std::string(v);
}

std::vector<std::string> case_strings(element obj, std::string_view name) {
  std::vector<std::string> out;
  simdjson::dom::array a;
  if (obj[name].get_array().get(a)) return out;
  for (element v : a) out.emplace_back(v.get_string().value());
  return out;
}

CaseInputs case_inputs(element c) {
  CaseInputs in;
  in.name = case_string(c, "name");
  in.url = case_string(c, "url");
  in.example = case_string(c, "example");
  int64_t n;
  if (!c["now"].get_int64().get(n)) in.now = n;
  simdjson::dom::array openid;
  if (!c["openid"].get_array().get(openid))
    for (element o : openid) {
      OpenIdDocument d;
      d.url = case_string(o, "url");
      d.jwks_uri = case_string(o, "jwks_uri", d.url.substr(0, d.url.find("/.well-known")) + "/discovery/keys");
      d.discovery = discovery_json(case_string(o, "issuer"), d.jwks_uri);
      d.jwks = jwk_set_of(o["keys"].value());
      in.openid.push_back(std::move(d));
    }
  // A JWK Set given where the discovery document belongs.
  if (const std::string url = case_string(c, "jwks_as_discovery"); !url.empty())
    in.openid.push_back({url, jwk_set({public_jwk(private_pem("rsa2048"), "k1")}), "", ""});
  in.policy = case_string(c, "policy_xml");
  in.policy_is_xml = !in.policy.empty();
  if (!in.policy_is_xml) in.policy = text_of(c["policy"].value(), in.now);
  bool b = false;
  in.load_fails = !c["load_fails"].get_bool().get(b) && b;
  element keys;
  if (!c["keys"].get(keys)) in.keys = jwk_set_of(keys);
  in.token = mint(c, in.now);
  element req;
  if (!c["request"].get(req)) {
    in.has_request = true;
    const auto fill = [&](std::string_view member, auto& raw, auto& values) {
      simdjson::dom::array a;
      if (req[member].get_array().get(a)) return;
      for (element pair : a) {
        std::string name(pair.at(0).get_string().value());
        std::string value(pair.at(1).get_string().value());
        raw.emplace_back(name, value);
        for (size_t at; (at = value.find("{token}")) != std::string::npos;) value.replace(at, 7, in.token);
        values.emplace_back(name, value);
      }
    };
    fill("headers", in.headers, in.header_values);
    fill("query", in.query, in.query_values);
  }
  return in;
}

std::vector<std::string> case_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(data_path("diagnose/cases")))
    if (e.path().extension() == ".json") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace jwtgate_test
