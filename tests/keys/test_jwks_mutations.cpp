// A generator of JWK Sets with one bad key among good ones: for each key type
// (RSA, EC P-256/384/521, Ed25519, Ed448, oct), one key of that type is
// mutated in every way a published set goes wrong (a coordinate of the wrong
// length, an unknown or wrong kty, a missing or unknown crv, a missing
// member, bad base64url, a use other than "sig", a duplicate member, a
// member of the wrong JSON type) and put at every position among the good
// keys. Always: the set loads, exactly the good keys are loaded, in order,
// and the bad one is named in a warning (its index, its kid, why).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "encoding/base64url.h"
#include "jwk_text.h"
#include "keys/key_parsers.h"
#include "test_support.h"

using namespace jwtgate;
using jwtgate_test::oct_jwk;
using jwtgate_test::public_jwk;
using jwtgate_test::read_data;

namespace {

// A JWK as its members in order, each value as JSON text.
using Members = std::vector<std::pair<std::string, std::string>>;

Members members_of(const std::string& jwk) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  REQUIRE(parser.parse(jwk).get(o) == simdjson::SUCCESS);
  Members m;
  for (auto field : o) m.emplace_back(std::string(field.key), simdjson::minify(field.value));
  return m;
}

std::string text_of(const Members& m) {
  std::string out = "{";
  for (size_t i = 0; i < m.size(); ++i) out += (i ? ",\"" : "\"") + m[i].first + "\":" + m[i].second;
  return out + "}";
}

bool has(const Members& m, const std::string& name) {
  for (const auto& kv : m)
    if (kv.first == name) return true;
  return false;
}

Members set(Members m, const std::string& name, const std::string& value) {
  for (auto& kv : m)
    if (kv.first == name) {
      kv.second = value;
      return m;
    }
  m.emplace_back(name, value);
  return m;
}

Members drop(Members m, const std::string& name) {
  for (size_t i = 0; i < m.size(); ++i)
    if (m[i].first == name) {
      m.erase(m.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  return m;
}

std::string unquoted(const std::string& json_string) { return json_string.substr(1, json_string.size() - 2); }

// resized: the base64url |value| with its decoded bytes one shorter (the
// last byte dropped) or one longer (a zero byte in front).
std::string resized(const std::string& value, bool longer) {
  std::vector<uint8_t> bytes;
  REQUIRE(base64url_decode(value, bytes));
  if (longer) bytes.insert(bytes.begin(), 0);
  else bytes.pop_back();
  return "\"" + base64url_encode(bytes.data(), bytes.size()) + "\"";
}

struct Mutation {
  std::string name;
  Members jwk;
};

// mutations of |good| (a JWK with kid "bad"); only those that apply to its kty.
std::vector<Mutation> mutations(const Members& good) {
  const std::string kty = unquoted(good[0].second);
  // The member that carries the key bytes.
  const std::string data = kty == "RSA" ? "n" : kty == "oct" ? "k" : "x";
  const std::string value = unquoted([&] {
    for (const auto& kv : good)
      if (kv.first == data) return kv.second;
    return std::string("\"\"");
  }());
  std::vector<Mutation> out;
  // The wrong length or value of the key material.
  if (kty == "EC" || kty == "OKP")
    out.push_back({"coordinate one byte short", set(good, "x", resized(value, false))});
  if (kty == "EC") {
    // x with a zero byte in front (a 65-byte P-521 coordinate, "one byte
    // short" above, is the opposite mistake: a leading zero dropped).
    out.push_back({"coordinate one byte long", set(good, "x", resized(value, true))});
  }
  if (kty == "RSA") out.push_back({"exponent 1", set(good, "e", "\"AQ\"")});
  if (kty == "oct") out.push_back({"empty secret", set(good, "k", "\"\"")});
  // kty: unknown (RFC 7517 5: ignored), and the wrong one.
  out.push_back({"unknown kty", set(good, "kty", "\"XYZ\"")});
  out.push_back({"wrong kty", set(good, "kty", kty == "RSA" ? "\"EC\"" : kty == "oct" ? "\"RSA\"" : "\"RSA\"")});
  out.push_back({"no kty", drop(good, "kty")});
  // crv: missing, unknown.
  if (has(good, "crv")) {
    out.push_back({"no crv", drop(good, "crv")});
    out.push_back({"unknown crv", set(good, "crv", "\"P-999\"")});
    out.push_back({"crv not a string", set(good, "crv", "256")});
  }
  // A missing member.
  out.push_back({"no " + data, drop(good, data)});
  if (kty == "EC") out.push_back({"no y", drop(good, "y")});
  if (kty == "RSA") out.push_back({"no e", drop(good, "e")});
  // Bad base64url: standard base64 characters, padding, a space.
  out.push_back({"'+' in " + data, set(good, data, "\"+" + value.substr(1) + "\"")});
  out.push_back({"padding on " + data, set(good, data, "\"" + value + "=\"")});
  out.push_back({"space in " + data, set(good, data, "\"" + value.substr(0, 4) + " " + value.substr(4) + "\"")});
  out.push_back({data + " not a string", set(good, data, "42")});
  // use other than sig; key_ops that repeat; alg empty.
  out.push_back({"use enc", set(good, "use", "\"enc\"")});
  out.push_back({"use empty", set(good, "use", "\"\"")});
  out.push_back({"key_ops repeated", set(good, "key_ops", "[\"verify\",\"verify\"]")});
  out.push_back({"alg empty", set(good, "alg", "\"\"")});
  // A member twice (RFC 7517 4), at the top of the key and nested.
  Members twice = good;
  twice.emplace_back(data, "\"" + value + "\"");
  out.push_back({"duplicate member", twice});
  out.push_back({"duplicate nested member", set(good, "ext", "{\"a\":1,\"a\":2}")});
  if (kty != "oct") out.push_back({"x5c not base64", set(good, "x5c", "[\"***\"]")});
  return out;
}

struct Type {
  const char* name;
  Members bad;                     // the key to mutate, kid "bad"
  std::vector<std::string> good;   // good keys of the set, kids g0, g1, ...
};

std::vector<Type> types() {
  std::vector<std::string> public_good;
  const char* files[] = {"rsa2048.pem", "ec256.pem", "ec384.pem", "ec521.pem", "ed25519.pem", "ed448.pem"};
  for (size_t i = 0; i < 6; ++i)
    public_good.push_back(public_jwk(read_data(std::string("data/keys/") + files[i]), "g" + std::to_string(i)));
  const std::vector<std::string> oct_good = {oct_jwk(std::string(32, 'a'), "g0"), oct_jwk(std::string(48, 'b'), "g1"),
                                             oct_jwk(std::string(64, 'c'), "g2")};
  auto bad = [](const char* file) { return members_of(public_jwk(read_data(std::string("data/keys/") + file), "bad")); };
  return {
      {"RSA", bad("rsa2048b.pem"), public_good},
      {"EC P-256", bad("ec256.pem"), public_good},
      {"EC P-384", bad("ec384.pem"), public_good},
      {"EC P-521", bad("ec521.pem"), public_good},
      {"Ed25519", bad("ed25519.pem"), public_good},
      {"Ed448", bad("ed448.pem"), public_good},
      {"oct", members_of(oct_jwk(std::string(32, 'z'), "bad")), oct_good},
  };
}

}  // namespace

TEST_CASE("JWKS mutations: one bad key among good ones is skipped and named; the good ones load",
          "[keys]") {
  size_t sets = 0;
  for (const Type& type : types()) {
    // The unmutated key loads: the mutation is what makes it bad.
    {
      std::vector<Key> keys;
      Diagnostics diag;
      REQUIRE(parse_jwk(text_of(type.bad), keys, diag));
    }
    for (const Mutation& m : mutations(type.bad)) {
      for (size_t at = 0; at <= type.good.size(); ++at) {
        std::vector<std::string> entries = type.good;
        entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), text_of(m.jwk));
        const std::string text = jwtgate_test::jwk_set(entries);
        std::vector<Key> keys;
        Diagnostics diag;
        const bool ok = parse_jwks(text, keys, diag);
        INFO(type.name << ", " << m.name << ", at index " << at << "\n" << text << "\n" << diag.text());
        ++sets;
        REQUIRE(ok);
        CHECK_FALSE(diag.has_errors());
        REQUIRE(keys.size() == type.good.size());
        for (size_t i = 0; i < keys.size(); ++i) CHECK(keys[i].kid == "g" + std::to_string(i));
        // Named: its index, its kid, and why.
        const std::string label = "JWKS key #" + std::to_string(at + 1) + " (kid \"bad\") skipped: ";
        bool named = false;
        for (const auto& d : diag.items())
          named = named || (d.warning && d.message.rfind(label, 0) == 0 && d.message.size() > label.size() + 10);
        CHECK(named);
      }
    }
  }
  CHECK(sets > 500);
}
