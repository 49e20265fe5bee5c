// jwtgate serve's reading of the original request target (request_target.h)
// and its choice of route (route_match.h): which paths are refused as not in
// normal form, how the query is split, and a generator that checks the
// point of it all: a path jwtgate accepts is under the same route whichever
// way a server behind nginx reads it.
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "../../cli/serve/request_target.h"
#include "../../cli/serve/route_match.h"

using namespace cli::serve;

namespace {

TargetProblem parse(const std::string& uri, RequestTarget& t) {
  std::string why;
  return parse_request_target(uri, t, why);
}

TargetProblem problem(const std::string& uri) {
  RequestTarget t;
  return parse(uri, t);
}

const std::vector<std::string> kPrefixes = {"/api/v1/", "/admin/", "/public/", "/"};  // longest first

}  // namespace

TEST_CASE("paths in normal form are decoded and routed as before", "[serve]") {
  RequestTarget t;
  REQUIRE(parse("/public/x", t) == TargetProblem::none);
  CHECK(t.path == "/public/x");
  CHECK(choose_route(kPrefixes, t.path).index == 2);
  REQUIRE(parse("/public/My%20Doc%C3%A9.pdf?x=1", t) == TargetProblem::none);
  CHECK(t.path == "/public/My Doc\xC3\xA9.pdf");
  REQUIRE(parse("/admin/", t) == TargetProblem::none);
  CHECK(choose_route(kPrefixes, t.path).index == 1);
  REQUIRE(parse("/api/v1/orders/7/", t) == TargetProblem::none);
  CHECK(choose_route(kPrefixes, t.path).index == 0);
  // Dots inside a segment are no dot segments.
  CHECK(problem("/public/a..b/.well-known/x.") == TargetProblem::none);
  CHECK(problem("/") == TargetProblem::none);
}

TEST_CASE("a path not in normal form is refused", "[serve]") {
  for (const char* uri : {"/admin/../public/x", "/admin%2F..%2Fpublic/x", "//admin", "/admin/./x", "/public%2e%2e/",
                          "/public/%2e%2e/admin/", "/public/..", "/public/.", "/public//x", "/public\\..\\admin\\",
                          "/public%5c..%5cadmin", "/public/..;/admin/", "/admin;x=1/", "/public/%3b/", "/public/%252e%252e/admin/",
                          "/%61dmin/x", "/public/%7Euser", "/public/%2d", "/../x", "/public/../../x"}) {
    INFO(uri);
    CHECK(problem(uri) == TargetProblem::not_normal);
  }
  for (const char* uri : {"", "admin/x", "*", "http://host/admin/", "/public/%zz", "/public/%4", "/public/%00x",
                          "/public/x?a=%zz", "/public/x?%zz=1", "/public/x?a=%00"}) {
    INFO(uri);
    CHECK(problem(uri) == TargetProblem::malformed);
  }
  std::string why;
  RequestTarget t;
  CHECK(parse_request_target("/admin/../public/x", t, why) == TargetProblem::not_normal);
  CHECK(why == "the path is not in normal form: a \".\" or \"..\" segment");
  CHECK(parse_request_target("/admin%2F..%2Fpublic/x", t, why) == TargetProblem::not_normal);
  CHECK(why == "the path is not in normal form: an encoded \"/\" (%2F)");
}

TEST_CASE("the query keeps every entry, names as sent, values decoded", "[serve]") {
  RequestTarget t;
  REQUIRE(parse("/x?access_token=a.b.c&b=%41+1&access%5Ftoken=&&flag;access_token=d#frag", t) == TargetProblem::none);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"access_token", "a.b.c"}, {"b", "A 1"}, {"access%5Ftoken", ""}, {"flag", ""}, {"access_token", "d"}};
  CHECK(t.query == want);
}

TEST_CASE("routes: the prefix without its slash, and letter case", "[serve]") {
  CHECK(choose_route(kPrefixes, "/admin").index == 1);
  CHECK(choose_route(kPrefixes, "/admin").kind == RouteChoice::found);
  CHECK(choose_route(kPrefixes, "/adminx").index == 3);
  CHECK(choose_route(kPrefixes, "/ADMIN/x").kind == RouteChoice::case_split);
  CHECK(choose_route(kPrefixes, "/Admin").kind == RouteChoice::case_split);
  CHECK(choose_route(kPrefixes, "/Public/x").kind == RouteChoice::case_split);
  CHECK(choose_route(kPrefixes, "/other").kind == RouteChoice::found);
  const std::vector<std::string> no_root = {"/admin/"};
  CHECK(choose_route(no_root, "/public/").kind == RouteChoice::none);
  CHECK(choose_route(no_root, "/ADMIN/").kind == RouteChoice::case_split);
  const std::vector<std::string> two_cases = {"/Admin/", "/admin/"};
  CHECK(choose_route(two_cases, "/admin/x").index == 1);
  CHECK(choose_route(two_cases, "/Admin/x").index == 0);
  CHECK(choose_route(two_cases, "/ADMIN/x").kind == RouteChoice::case_split);
}

TEST_CASE("route prefixes that no accepted path could match are named", "[serve]") {
  CHECK(prefix_problem("/api/") == nullptr);
  CHECK(prefix_problem("/") == nullptr);
  CHECK(prefix_problem("api/") != nullptr);
  CHECK(prefix_problem("/a%20b/") != nullptr);
  CHECK(prefix_problem("/a//b/") != nullptr);
  CHECK(prefix_problem("/a/../b/") != nullptr);
  CHECK(prefix_problem("/a;b/") != nullptr);
}

// ---------------------------------------------------------------- generator

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decode: one round of percent-decoding; a broken escape stays as it is.
std::string decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// normalize: "//" merged and dot segments resolved (RFC 3986 5.2.4), as
// nginx and most frameworks do; above the root stays at the root.
std::string normalize(const std::string& p) {
  std::vector<std::string> segs;
  size_t pos = 0;
  std::string last;
  while (pos <= p.size()) {
    size_t end = p.find('/', pos);
    if (end == std::string::npos) end = p.size();
    last = p.substr(pos, end - pos);
    if (last == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!last.empty() && last != ".") {
      segs.push_back(last);
    }
    pos = end + 1;
  }
  std::string out;
  for (const auto& s : segs) out += "/" + s;
  if (out.empty() || last.empty() || last == "." || last == "..") out += "/";
  return out;
}

std::string replace_all(std::string s, char from, char to) {
  for (char& c : s)
    if (c == from) c = to;
  return s;
}

// strip_params: Tomcat's reading: ";..." removed from every segment.
std::string strip_params(const std::string& p) {
  std::string out;
  bool in_param = false;
  for (char c : p) {
    if (c == '/') in_param = false;
    else if (c == ';') in_param = true;
    if (!in_param) out += c;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// The route a server reading the path as |path| would pick: plain prefix
// matching (or the prefix without its slash).
std::optional<size_t> upstream_route(const std::string& path, bool ignore_case) {
  const std::string p = ignore_case ? lower(path) : path;
  for (size_t i = 0; i < kPrefixes.size(); ++i) {
    const std::string pre = ignore_case ? lower(kPrefixes[i]) : kPrefixes[i];
    if (p.compare(0, pre.size(), pre) == 0 || (pre.size() > 1 && p + "/" == pre)) return i;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("generated: an accepted path has one route, however the upstream reads it", "[serve]") {
  const char* const atoms[] = {"admin", "ADMIN", "Admin", "public", "api", "v1", "x", "a b", ".", "..", "%2e", "%2E%2E",
                               "%2f", "%2F", "%5c", "\\", ";", "..;", "%3b", "%25", "%252e%252e", "%252F", "%61dmin",
                               "%41", "%7e", "~", "%20", "a%20b", "%C3%A9", "", "%2d", "a.b", "%00", "%zz"};
  const uint32_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  size_t accepted = 0, refused = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string raw;
    const int n = 1 + static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) {
      raw += rng() % 8 == 0 ? "//" : "/";
      raw += atoms[rng() % (sizeof atoms / sizeof atoms[0])];
    }
    if (rng() % 4 == 0) raw += "/";
    RequestTarget t;
    std::string why;
    if (parse_request_target(raw, t, why) != TargetProblem::none) {
      ++refused;
      continue;
    }
    const RouteChoice c = choose_route(kPrefixes, t.path);
    if (c.kind != RouteChoice::found) {
      ++refused;
      continue;
    }
    ++accepted;
    INFO("path " << raw << " -> " << t.path << " routed under " << kPrefixes[c.index]);
    // jwtgate's decoding is nginx's: no further normalisation changes it.
    CHECK(normalize(t.path) == t.path);
    // Each way a server may read the raw path picks the same route.
    const std::string readings[] = {
        raw,                                              // literally
        normalize(decode(raw)),                           // decoded, then normalised (nginx)
        normalize(decode(decode(raw))),                   // decoded twice
        normalize(decode(replace_all(raw, '\\', '/'))),  // "\" as "/"
        normalize(decode(strip_params(raw))),             // path parameters stripped
        normalize(raw),                                   // normalised before decoding
    };
    for (const std::string& r : readings) {
      INFO("read as " << r);
      CHECK(upstream_route(r, false) == c.index);
      CHECK(upstream_route(decode(r), true) == c.index);  // ignoring case
    }
  }
  // The generator must reach both sides.
  CHECK(accepted > 1000);
  CHECK(refused > 1000);
}
