// Duplicate member names at any depth (RFC 7515 section 4, RFC 7519 section
// 4), across the pairwise, stack-sorted and heap-sorted paths.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "encoding/json_members.h"

using jwtgate::json_find_duplicate_member;
using jwtgate::json_find_duplicate_member_indexed;
using jwtgate::MemberIndex;

namespace {

struct Dup {
  bool found = false;
  std::string name;
};

// check parses |json| (which must be valid) and runs both entry points.
Dup check(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(json).get(root) == simdjson::SUCCESS);
  Dup d;
  std::string_view name;
  d.found = json_find_duplicate_member(root, &name);
  if (root.is_object()) {
    std::string_view indexed_name;
    MemberIndex index;
    REQUIRE(json_find_duplicate_member_indexed(root.get_object().value_unsafe(), &indexed_name,
                                               &index) == d.found);
    if (d.found) REQUIRE(indexed_name == name);
  }
  if (d.found) d.name = std::string(name);
  return d;
}

// object_with builds {"k0":0,"k1":1,...} with |n| members, then appends
// |extra| (already formatted, e.g. ",\"k3\":9").
std::string object_with(size_t n, const std::string& extra = "") {
  std::string s = "{";
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ",";
    s += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return s + extra + "}";
}

std::string five_digits(size_t i) {
  const std::string s = std::to_string(i);
  return std::string(5 - s.size(), '0') + s;
}

}  // namespace

TEST_CASE("json members: no duplicates", "[encoding]") {
  CHECK_FALSE(check("{}").found);
  CHECK_FALSE(check("[]").found);
  CHECK_FALSE(check("1").found);
  CHECK_FALSE(check("\"a\"").found);
  CHECK_FALSE(check("null").found);
  CHECK_FALSE(check(R"({"a":1,"b":2,"c":{"a":1,"b":2}})").found);
  // The same name in sibling or nested objects is not a repeat.
  CHECK_FALSE(check(R"({"a":{"a":{"a":1}}})").found);
  CHECK_FALSE(check(R"([{"a":1},{"a":2}])").found);
  // Names are compared exactly: case and embedded NUL matter.
  CHECK_FALSE(check(R"({"alg":1,"ALG":2,"Alg":3})").found);
  CHECK_FALSE(check(R"({"a\u0000b":1,"a\u0000c":2,"a":3})").found);
  CHECK_FALSE(check(R"({"":1,"a":2})").found);
}

TEST_CASE("json members: duplicate at the top level", "[encoding]") {
  const Dup d = check(R"({"alg":"HS256","typ":"JWT","alg":"none"})");
  CHECK(d.found);
  CHECK(d.name == "alg");
  const Dup empty = check(R"({"":1,"":2})");
  CHECK(empty.found);
  CHECK(empty.name.empty());
}

TEST_CASE("json members: duplicate in a nested object", "[encoding]") {
  const Dup d = check(R"({"a":1,"b":{"c":{"x":1,"y":2,"x":3}}})");
  CHECK(d.found);
  CHECK(d.name == "x");
}

TEST_CASE("json members: duplicate in an object inside an array", "[encoding]") {
  const Dup d = check(R"({"keys":[{"kid":"1"},{"kid":"2","n":"a","kid":"3"}]})");
  CHECK(d.found);
  CHECK(d.name == "kid");
  const Dup top = check(R"([[[{"q":1,"q":1}]]])");
  CHECK(top.found);
  CHECK(top.name == "q");
}

TEST_CASE("json members: names are compared after unescaping", "[encoding]") {
  // "a\u006cg" is "alg": a parser that compared raw text would see two
  // different names where every JSON reader sees one.
  const Dup d = check(R"({"alg":"HS256","a\u006cg":"none"})");
  CHECK(d.found);
  CHECK(d.name == "alg");
  const Dup slash = check(R"({"a/b":1,"a\/b":2})");
  CHECK(slash.found);
  CHECK(slash.name == "a/b");
  const Dup nul = check(R"({"a\u0000":1,"a\u0000":2})");
  CHECK(nul.found);
  CHECK(nul.name == std::string("a\0", 2));
}

TEST_CASE("json members: objects of every size path", "[encoding]") {
  // Up to 8 members compare pairwise, 9..256 hash on the stack, more hash in
  // vectors; each path must find a repeat at either end and report no false
  // one.
  for (const size_t n : {2u, 7u, 8u, 9u, 16u, 100u, 255u, 256u, 257u, 1000u}) {
    INFO("members " << n);
    CHECK_FALSE(check(object_with(n)).found);
    const Dup last = check(object_with(n - 1, ",\"k0\":true"));
    CHECK(last.found);
    CHECK(last.name == "k0");
    const Dup mid = check(object_with(n - 1, ",\"k" + std::to_string((n - 1) / 2) + "\":1"));
    CHECK(mid.found);
    CHECK(mid.name == "k" + std::to_string((n - 1) / 2));
  }
}

TEST_CASE("json members: a repeat deep inside a large document", "[encoding]") {
  std::string json = "{\"a\":[";
  for (int i = 0; i < 50; ++i) json += object_with(20) + ",";
  json += R"({"z":{"deep":[1,2,{"m":1,"m":2}]}}]})";
  const Dup d = check(json);
  CHECK(d.found);
  CHECK(d.name == "m");
}

TEST_CASE("json members: deep nesting without repeats", "[encoding]") {
  std::string json;
  for (int i = 0; i < 500; ++i) json += (i % 2) ? "[" : "{\"a\":";
  json += "1";
  for (int i = 499; i >= 0; --i) json += (i % 2) ? "]" : "}";
  CHECK_FALSE(check(json).found);
}

TEST_CASE("json members: names that differ only in the middle", "[encoding]") {
  // Same length, same first and last four bytes: a hash that sampled only
  // the ends of a name would put them all in one slot.
  const auto colliding = [](size_t n, bool repeat) {
    std::string s = "{";
    for (size_t i = 0; i < n; ++i) {
      s += std::string(i ? "," : "") + "\"abcd" + five_digits(repeat && i == n - 1 ? n / 3 : i) +
           "wxyz\":1";
    }
    return s + "}";
  };
  for (const size_t n : {9u, 40u, 256u, 600u}) {
    INFO("members " << n);
    CHECK_FALSE(check(colliding(n, false)).found);
    const Dup d = check(colliding(n, true));
    CHECK(d.found);
    CHECK(d.name == "abcd" + five_digits(n / 3) + "wxyz");
  }
}

TEST_CASE("json members: names crafted to share one hash slot", "[encoding]") {
  // Names whose hashes agree in the low 12 bits all land in one slot of any
  // table up to 4096 slots: probing would turn quadratic, so the probe
  // budget runs out and the names are sorted instead. The answer must not
  // change.
  std::vector<std::string> names;
  for (uint64_t i = 0; names.size() < 700; ++i) {
    std::string k = "n" + std::to_string(i);
    if ((jwtgate::json_member_name_hash(k) & 0xfff) == 0) names.push_back(std::move(k));
  }
  for (const size_t n : {40u, 256u, 700u}) {
    INFO("members " << n);
    std::string json = "{", with_repeat = "{";
    for (size_t i = 0; i < n; ++i) {
      json += std::string(i ? "," : "") + "\"" + names[i] + "\":1";
      with_repeat += std::string(i ? "," : "") + "\"" + names[i == n - 1 ? n / 2 : i] + "\":1";
    }
    CHECK_FALSE(check(json + "}").found);
    const Dup d = check(with_repeat + "}");
    CHECK(d.found);
    CHECK(d.name == names[n / 2]);
  }
}
