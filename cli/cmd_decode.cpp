// jwtgate decode: show a token's header and claims the way jwt.ms does, with
// what each claim means, times in UTC and relative to now, and the token's
// version and issuer type. It never judges the token.
#include <chrono>
#include <cmath>
#include <iostream>
#include <tuple>

#include <simdjson.h>

#include "claims/claim_text.h"
#include "commands.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "core/time_format.h"
#include "diagnose/claim_catalog.h"
#include "json_pretty.h"
#include "jwtgate.hpp"
#include "setup.h"

namespace cli {

namespace {

struct Colors {
  const char* key = "";
  const char* dim = "";
  const char* warn = "";
  const char* off = "";
};

std::string relative(int64_t t, int64_t now) {
  const int64_t d = t - now;
  if (d == 0) return "now";
  return d > 0 ? "in " + jwtgate::format_duration(d) : jwtgate::format_duration(-d) + " ago";
}

// Names and values are the token's text: a name is escaped
// (core/quote.h), a value is its JSON text with what JSON leaves raw
// escaped too (DEL, U+2028, bidirectional controls), so that a line shows
// one member and nothing reaches the terminal as a control.
void print_members(const std::string& json, bool header, int64_t now, const Colors& c) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(json).get(obj)) {
    std::cout << jwtgate::controls_escaped(json) << "\n";
    return;
  }
  for (auto field : obj) {
    std::string value;
    jwtgate::append_json_text(value, simdjson::minify(field.value), 200);
    std::cout << "  " << c.key << jwtgate::escaped(field.key, 200) << c.off << ": " << value;
    double t = 0;
    if (!header && jwtgate::is_time_claim(field.key) && !field.value.get_double().get(t) && std::isfinite(t) &&
        t >= 0 && t < 253402300800.0) {
      const auto secs = static_cast<int64_t>(t);
      std::cout << "  " << c.dim << jwtgate::format_utc(secs) << ", " << relative(secs, now) << c.off;
      if (field.key == "exp" && secs <= now) std::cout << " " << c.warn << "(expired)" << c.off;
      if (field.key == "nbf" && secs > now) std::cout << " " << c.warn << "(not yet valid)" << c.off;
    }
    std::string_view meaning = jwtgate::claim_meaning(field.key, header);
    if (!meaning.empty()) std::cout << "\n      " << c.dim << meaning << c.off;
    std::cout << "\n";
  }
}

}  // namespace

int cmd_decode(Args& args) {
  if (args.flag("help")) {
    std::cout << "usage: jwtgate decode [--json] [--now UNIX_SECONDS] [--no-color] (TOKEN | -)\n"
                 "\n"
                 "Prints the token's header and claims with what each known claim means (Entra ID,\n"
                 "OpenID Connect, RFC 7519), times in UTC and relative to now, and the token's\n"
                 "version and issuer type. Nothing is verified: a decoded token is not a valid one.\n"
                 "Exit status: 0 decoded, 1 not a well-formed token, 2 usage.\n";
    return kExitValid;
  }
  const bool json = args.flag("json");
  const bool no_color = args.flag("no-color");
  auto now_opt = args.value("now");
  args.finish();
  auto pos = args.positionals();
  if (pos.size() != 1) throw UsageError{"give one token (or - for standard input)"};
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  if (now_opt) {
    try {
      now = std::stoll(*now_opt);
    } catch (...) {
      throw UsageError{"--now takes Unix seconds"};
    }
  }
  std::string token = pos[0] == "-" ? read_text("-") : pos[0];
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token.erase(0, 7);

  jwtgate_cpp::Result r = jwtgate_cpp::make_result();
  jwtgate_status st = jwtgate_decode(r.get(), token.data(), token.size());
  const char* text = nullptr;
  size_t len = 0;
  bool has_h = jwtgate_result_part_json(r.get(), JWTGATE_PART_HEADER, &text, &len) == JWTGATE_OK;
  std::string header = has_h ? std::string(text, len) : "";
  bool has_c = jwtgate_result_part_json(r.get(), JWTGATE_PART_CLAIMS, &text, &len) == JWTGATE_OK;
  std::string claims = has_c ? std::string(text, len) : "";
  std::string version, issuer;
  if (has_c) {
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    if (!parser.parse(claims).get(obj)) {
      version = jwtgate::token_version(obj);
      std::string_view iss;
      if (!obj["iss"].get_string().get(iss)) issuer = jwtgate::issuer_type(iss);
    }
  }
  if (json) {
    // Through the JSON writer, member by member: one valid line whatever the
    // token's JSON holds (its own whitespace and raw characters included).
    std::string out;
    jwtgate::JsonWriter w(out);
    w.begin_object().key("verified").value(false).key("token_version").value(version);
    w.key("issuer_type").value(issuer);
    for (const auto& [name, has, text] : {std::tuple{"header", has_h, &header}, std::tuple{"claims", has_c, &claims}}) {
      w.key(name);
      simdjson::dom::parser parser;
      simdjson::dom::object obj;
      if (has && !parser.parse(*text).get(obj)) jwtgate::write_json_object(w, obj);
      else w.null();
    }
    w.end_object();
    std::cout << out << "\n";
  } else {
    Colors c;
    if (want_color(no_color)) c = {"\033[36m", "\033[2m", "\033[33m", "\033[0m"};
    std::cout << c.warn << "NOT VALIDATED: this shows what the token says, not whether it is true." << c.off << "\n";
    if (!version.empty() || !issuer.empty())
      std::cout << "token: " << (version.empty() ? "not an Entra ID token" : version)
                << (issuer.empty() ? "" : ", issuer " + issuer) << "\n";
    if (has_h) {
      std::cout << "header:\n";
      print_members(header, true, now, c);
    }
    if (has_c) {
      std::cout << "claims:\n";
      print_members(claims, false, now, c);
    }
  }
  if (st != JWTGATE_OK) {
    std::cerr << "jwtgate: not a well-formed token: " << jwtgate_reason_str(jwtgate_result_reason(r.get()))
              << ": " << jwtgate::controls_escaped(jwtgate_result_detail(r.get())) << "\n";
    return kExitInvalid;
  }
  return kExitValid;
}

}  // namespace cli
