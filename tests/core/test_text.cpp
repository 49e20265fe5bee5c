// core/text_match.h, core/url_text.h and core/enum_text.h: the shared text
// helpers the diagnosis and the policy loader read names and lists with.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "core/enum_text.h"
#include "core/text_match.h"
#include "core/url_text.h"

using namespace jwtgate;

TEST_CASE("contains, joined, add_unique, trim_ascii_space", "[core]") {
  CHECK(contains("https://login.microsoftonline.com/{tenantid}/v2.0", "{tenantid}"));
  CHECK_FALSE(contains("api.read", " "));
  CHECK(contains("x", ""));

  CHECK(joined({}, "; ") == "");
  CHECK(joined({"claim \"nonce\""}, "; ") == "claim \"nonce\"");
  CHECK(joined({"a", "b", "c"}, "; ") == "a; b; c");

  std::vector<std::string> list;
  add_unique(list, "https://sts.windows.net/t/");
  add_unique(list, "https://login.microsoftonline.com/t/v2.0");
  add_unique(list, "https://sts.windows.net/t/");
  CHECK(list == std::vector<std::string>{"https://sts.windows.net/t/", "https://login.microsoftonline.com/t/v2.0"});

  CHECK(trim_ascii_space(" \t\r\n\v\fapi://x \n") == "api://x");
  CHECK(trim_ascii_space("a b") == "a b");
  CHECK(trim_ascii_space(" \t ") == "");
}

TEST_CASE("url_authority and url_host", "[core]") {
  CHECK(url_authority("https://user:pw@Login.Example.com:8443/a/b?q#f") == "user:pw@Login.Example.com:8443");
  CHECK(url_authority("https://host?x=/y") == "host");
  CHECK(url_authority("https://host#/y") == "host");
  CHECK(url_authority("accounts.google.com") == "");
  CHECK(url_authority("") == "");

  CHECK(url_host("https://user:pw@Login.Example.com:8443/a/b?q#f") == "Login.Example.com");
  CHECK(url_host("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/") == "sts.windows.net");
  CHECK(url_host("http://[::1]:8080/realms/x") == "[::1]");
  CHECK(url_host("http://[::1]/x") == "[::1]");
  CHECK(url_host("http://[::1") == "[::1");
  CHECK(url_host("https://") == "");
  CHECK(url_host("api://6e74172b-be56-4843-9ff4-e66a39bb12e3") == "6e74172b-be56-4843-9ff4-e66a39bb12e3");
  CHECK(url_host("6e74172b-be56-4843-9ff4-e66a39bb12e3") == "");
}

TEST_CASE("url_path and url_path_segments", "[core]") {
  CHECK(url_path("https://login.microsoftonline.com/tfp/contoso/B2C_1_signin/v2.0/?p=1#x") ==
        "/tfp/contoso/B2C_1_signin/v2.0/");
  CHECK(url_path("https://host") == "");
  CHECK(url_path("https://host?a=/b") == "");
  CHECK(url_path("no scheme/a/b") == "");

  CHECK(url_path_segments("https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/") ==
        std::vector<std::string_view>{"72f988bf-86f1-41af-91ab-2d7cd011db47"});
  CHECK(url_path_segments("https://kc.example//realms/acme/?x=/y") ==
        std::vector<std::string_view>{"realms", "acme"});
  CHECK(url_path_segments("https://host").empty());
  CHECK(url_path_segments("host/a").empty());
}

namespace jwtgate {

#define JWTGATE_ENUM Colour
#define JWTGATE_ENUM_LIST "core/test_colours.def"
#include "core/enum_with_words.inc"

}  // namespace jwtgate

namespace {

constexpr auto& kColourText = EnumWords<Colour>::table;
static_assert(std::size(kColourText) == 3);
static_assert(static_cast<int>(Colour::Green) == 2);
static_assert(code_of(Colour::Red) == "red");
static_assert(words_of(Colour::Green) == "a shade of green");

}  // namespace

TEST_CASE("enum_text: a value's row, the first row for a number outside the enum", "[core]") {
  CHECK(enum_text(kColourText, Colour::Green).code == "green");
  CHECK(enum_text(kColourText, Colour::Green).name == "a shade of green");
  CHECK(enum_text(kColourText, Colour::Red).name == "red");
  Colour outside;
  const uint8_t seven = 7;
  std::memcpy(&outside, &seven, 1);  // what a C caller's stray number becomes
  CHECK(enum_text(kColourText, outside).code == "unknown");
}
