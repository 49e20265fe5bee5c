// Strict base64url and base64: RFC 4648 vectors, round trips, and every
// deviation that a lenient decoder would let through.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/base64url.h"

using jwtgate::base64_decode;
using jwtgate::base64_encode;
using jwtgate::base64url_decode;
using jwtgate::base64url_decoded_size;
using jwtgate::base64url_encode;

namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::string b64(std::string_view s) {
  return base64_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// decode_url runs both overloads and checks that they agree.
bool decode_url(std::string_view in, std::vector<uint8_t>& out) {
  std::vector<uint8_t> buf(base64url_decoded_size(in.size()), 0xAA);
  size_t len = 12345;
  const bool ok_ptr = base64url_decode(in, buf.data(), &len);
  const bool ok_vec = base64url_decode(in, out);
  REQUIRE(ok_ptr == ok_vec);
  if (ok_ptr) {
    REQUIRE(len == out.size());
    REQUIRE(std::equal(out.begin(), out.end(), buf.begin()));
  } else {
    REQUIRE(out.empty());
  }
  return ok_vec;
}

bool url_ok(std::string_view in) {
  std::vector<uint8_t> out;
  return decode_url(in, out);
}

bool std_ok(std::string_view in, bool ignore_whitespace = false) {
  std::vector<uint8_t> out{1, 2, 3};
  const bool ok = base64_decode(in, out, ignore_whitespace);
  if (!ok) REQUIRE(out.empty());
  return ok;
}

constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kStdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct Vector {
  std::string_view plain, url, standard;
};

// RFC 4648 section 10, with the unpadded base64url form beside the padded
// base64 one.
constexpr Vector kRfc4648Section10[] = {
    {"", "", ""},
    {"f", "Zg", "Zg=="},
    {"fo", "Zm8", "Zm8="},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg", "Zm9vYg=="},
    {"fooba", "Zm9vYmE", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

}  // namespace

TEST_CASE("base64url: RFC 4648 section 10 vectors", "[encoding]") {
  for (const auto& v : kRfc4648Section10) {
    INFO("plain: \"" << v.plain << "\"");
    CHECK(base64url_encode(v.plain) == v.url);
    std::vector<uint8_t> out;
    REQUIRE(decode_url(v.url, out));
    CHECK(out == bytes(v.plain));
  }
}

TEST_CASE("base64url: RFC 4648 section 9 examples use '-' and '_'", "[encoding]") {
  // Section 9's bytes 14 fb 9c 03 d9 7e encode to "FPucA9l+" in base64; the
  // URL alphabet (section 5) swaps '+' for '-' and '/' for '_'.
  const std::vector<uint8_t> a = {0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e};
  CHECK(base64url_encode(a.data(), a.size()) == "FPucA9l-");
  CHECK(base64_encode(a.data(), a.size()) == "FPucA9l+");
  const std::vector<uint8_t> b = {0x14, 0xfb, 0x9c, 0x03, 0xd9};
  CHECK(base64url_encode(b.data(), b.size()) == "FPucA9k");
  const std::vector<uint8_t> c = {0x14, 0xfb, 0x9c, 0x03};
  CHECK(base64url_encode(c.data(), c.size()) == "FPucAw");
  const std::vector<uint8_t> d = {0xfb, 0xff, 0xbf};
  CHECK(base64url_encode(d.data(), d.size()) == "-_-_");
  CHECK(base64_encode(d.data(), d.size()) == "+/+/");

  std::vector<uint8_t> out;
  REQUIRE(decode_url("FPucA9l-", out));
  CHECK(out == a);
  REQUIRE(decode_url("-_-_", out));
  CHECK(out == d);
}

TEST_CASE("base64url: every alphabet character decodes to its index", "[encoding]") {
  for (size_t i = 0; i < 64; ++i) {
    // c followed by 'A's: the top six bits of the first byte are i.
    const std::string s = std::string(1, kUrlAlphabet[i]) + "AAA";
    std::vector<uint8_t> out;
    INFO("char " << s[0]);
    REQUIRE(decode_url(s, out));
    REQUIRE(out.size() == 3);
    CHECK(out[0] >> 2 == static_cast<int>(i));
  }
}

TEST_CASE("base64url: round trips of every length 0..64", "[encoding]") {
  std::mt19937 rng(4648);
  for (size_t len = 0; len <= 64; ++len) {
    for (int rep = 0; rep < 8; ++rep) {
      std::vector<uint8_t> data(len);
      for (auto& b : data) b = static_cast<uint8_t>(rng());
      const std::string enc = base64url_encode(data.data(), data.size());
      INFO("len " << len << " encoded " << enc);
      CHECK(enc.size() == (len * 4 + 2) / 3);
      CHECK(enc.find('=') == std::string::npos);
      CHECK(base64url_decoded_size(enc.size()) >= len);
      std::vector<uint8_t> out;
      REQUIRE(decode_url(enc, out));
      CHECK(out == data);

      const std::string std_enc = base64_encode(data.data(), data.size());
      CHECK(std_enc.size() == (len + 2) / 3 * 4);
      std::vector<uint8_t> std_out;
      REQUIRE(base64_decode(std_enc, std_out));
      CHECK(std_out == data);
    }
  }
}

TEST_CASE("base64url: all 256 byte values round trip", "[encoding]") {
  std::vector<uint8_t> data(256);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> out;
  REQUIRE(decode_url(base64url_encode(data.data(), data.size()), out));
  CHECK(out == data);
}

TEST_CASE("base64url: rejects padding", "[encoding]") {
  CHECK_FALSE(url_ok("Zg=="));
  CHECK_FALSE(url_ok("Zg="));
  CHECK_FALSE(url_ok("Zm8="));
  CHECK_FALSE(url_ok("===="));
  CHECK_FALSE(url_ok("Zm9v===="));
  CHECK_FALSE(url_ok("Zm=v"));
}

TEST_CASE("base64url: rejects the standard alphabet's '+' and '/'", "[encoding]") {
  CHECK_FALSE(url_ok("FPucA9l+"));
  CHECK_FALSE(url_ok("+/+/"));
  CHECK_FALSE(url_ok("Zm/v"));
  CHECK_FALSE(url_ok("Z+9v"));
}

TEST_CASE("base64url: rejects whitespace anywhere", "[encoding]") {
  CHECK_FALSE(url_ok(" Zm9v"));
  CHECK_FALSE(url_ok("Zm9v "));
  CHECK_FALSE(url_ok("Zm9v\n"));
  CHECK_FALSE(url_ok("Zm\r\n9v"));
  CHECK_FALSE(url_ok("Zm9v\tYmFy"));
  CHECK_FALSE(url_ok("Zm 9"));
}

TEST_CASE("base64url: rejects a length of 1 mod 4", "[encoding]") {
  CHECK_FALSE(url_ok("Z"));
  CHECK_FALSE(url_ok("A"));
  CHECK_FALSE(url_ok("Zm9vY"));
  CHECK_FALSE(url_ok("Zm9vYmFyZ"));
  // Not a length the other overload may accept by reading past the input.
  std::vector<uint8_t> out{9};
  CHECK_FALSE(base64url_decode("AAAAA", out));
  CHECK(out.empty());
}

TEST_CASE("base64url: rejects non-zero unused bits (RFC 4648 section 3.5)", "[encoding]") {
  SECTION("two-character tail: the low four bits of the second character") {
    CHECK(url_ok("Zg"));
    CHECK_FALSE(url_ok("Zh"));
    CHECK_FALSE(url_ok("Zv"));
    CHECK_FALSE(url_ok("Zm9vYh"));
    // Exactly the four characters whose low four bits are zero are canonical.
    int accepted = 0;
    for (const char c : kUrlAlphabet) accepted += url_ok(std::string("Z") + c);
    CHECK(accepted == 4);
  }
  SECTION("three-character tail: the low two bits of the third character") {
    CHECK(url_ok("Zm8"));
    CHECK_FALSE(url_ok("Zm9"));
    CHECK_FALSE(url_ok("Zm-"));
    CHECK_FALSE(url_ok("Zm9vYmF"));
    int accepted = 0;
    for (const char c : kUrlAlphabet) accepted += url_ok(std::string("Zm") + c);
    CHECK(accepted == 16);
  }
}

TEST_CASE("base64url: rejects NUL and non-ASCII bytes", "[encoding]") {
  CHECK_FALSE(url_ok(std::string_view("Zm\0v", 4)));
  CHECK_FALSE(url_ok(std::string_view("\0\0\0\0", 4)));
  CHECK_FALSE(url_ok("Zm\xc3\xa9"));
  CHECK_FALSE(url_ok("\xff\xff\xff\xff"));
  CHECK_FALSE(url_ok("Zm9v\x80YmFy"));
}

TEST_CASE("base64url: rejects every byte outside the alphabet in every position",
          "[encoding]") {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (kUrlAlphabet.find(c) != std::string_view::npos) continue;
    for (size_t pos = 0; pos < 8; ++pos) {
      std::string s = "QUJDREVG";  // "ABCDEF"
      s[pos] = c;
      INFO("byte " << b << " at " << pos);
      CHECK_FALSE(url_ok(s));
      CHECK_FALSE(url_ok(s.substr(0, 7)));  // also in a 3-char tail
      CHECK_FALSE(url_ok(s.substr(0, 6)));  // and in a 2-char tail
    }
  }
}

TEST_CASE("base64url: the pointer overload writes no more than the decoded bytes",
          "[encoding]") {
  std::vector<uint8_t> buf(base64url_decoded_size(7) + 4, 0xEE);
  size_t len = 0;
  REQUIRE(base64url_decode("Zm9vYmE", buf.data(), &len));
  CHECK(len == 5);
  CHECK(std::memcmp(buf.data(), "fooba", 5) == 0);
  for (size_t i = 5; i < buf.size(); ++i) CHECK(buf[i] == 0xEE);
}

TEST_CASE("base64: RFC 4648 section 10 vectors with padding", "[encoding]") {
  for (const auto& v : kRfc4648Section10) {
    INFO("plain: \"" << v.plain << "\"");
    CHECK(b64(v.plain) == v.standard);
    std::vector<uint8_t> out;
    REQUIRE(base64_decode(v.standard, out));
    CHECK(out == bytes(v.plain));
  }
}

TEST_CASE("base64: every alphabet character decodes to its index", "[encoding]") {
  for (size_t i = 0; i < 64; ++i) {
    const std::string s = std::string(1, kStdAlphabet[i]) + "AAA";
    std::vector<uint8_t> out;
    REQUIRE(base64_decode(s, out));
    CHECK(out[0] >> 2 == static_cast<int>(i));
  }
}

TEST_CASE("base64: padding is mandatory and only at the end", "[encoding]") {
  CHECK_FALSE(std_ok("Zg"));
  CHECK_FALSE(std_ok("Zm8"));
  CHECK_FALSE(std_ok("Zg="));
  CHECK_FALSE(std_ok("Zg==="));
  CHECK_FALSE(std_ok("Z==="));
  CHECK_FALSE(std_ok("===="));
  CHECK_FALSE(std_ok("Zg==Zg=="));
  CHECK_FALSE(std_ok("Zm=v"));
  CHECK_FALSE(std_ok("Zm9v="));
  CHECK_FALSE(std_ok("Zg=A"));
  CHECK_FALSE(std_ok("Zm9vY"));
  CHECK(std_ok("Zg=="));
  CHECK(std_ok("Zm8="));
  CHECK(std_ok(""));
}

TEST_CASE("base64: rejects the URL alphabet's '-' and '_'", "[encoding]") {
  CHECK(std_ok("FPucA9l+"));
  CHECK_FALSE(std_ok("FPucA9l-"));
  CHECK_FALSE(std_ok("-_-_"));
  CHECK_FALSE(std_ok("Zm_v"));
}

TEST_CASE("base64: rejects non-zero unused bits", "[encoding]") {
  CHECK_FALSE(std_ok("Zh=="));
  CHECK_FALSE(std_ok("Zm9="));
  CHECK_FALSE(std_ok("Zm9vYh=="));
  CHECK_FALSE(std_ok("Zm9vYmF="));
}

TEST_CASE("base64: rejects NUL and non-ASCII bytes", "[encoding]") {
  CHECK_FALSE(std_ok(std::string_view("Zm\0v", 4)));
  CHECK_FALSE(std_ok("Zm\xc3\xa9"));
  CHECK_FALSE(std_ok(std::string_view("Zm\0v", 4), true));
  CHECK_FALSE(std_ok("Zm\xc3\xa9", true));
}

TEST_CASE("base64: whitespace only when asked for, and ASCII whitespace only",
          "[encoding]") {
  const std::string_view wrapped = "Zm9v\r\nYmFy\n Zm9v\tYg==\n";
  CHECK_FALSE(std_ok(wrapped));
  CHECK_FALSE(std_ok(" Zm9v"));
  std::vector<uint8_t> out;
  REQUIRE(base64_decode(wrapped, out, true));
  CHECK(out == bytes("foobarfoob"));
  CHECK(std_ok("Zm9v\f\vYg==", true));
  CHECK(std_ok("  \n", true));
  // U+00A0 (no-break space) and U+2028 are not ASCII whitespace.
  CHECK_FALSE(std_ok("Zm9v\xc2\xa0YmFy", true));
  CHECK_FALSE(std_ok("Zm9v\xe2\x80\xa8YmFy", true));
  // Whitespace does not relax any other rule.
  CHECK_FALSE(std_ok("Zm9v\nYg", true));
  CHECK_FALSE(std_ok("Zh==\n", true));
  CHECK_FALSE(std_ok("Zm_v\n", true));
}
