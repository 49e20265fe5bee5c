#include "diagnose/token_description.h"

#include <cmath>

#include "claims/claim_text.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "core/time_format.h"
#include "diagnose/claim_catalog.h"

namespace jwtgate {

namespace {

// Beyond 9999-12-31T23:59:59Z a NumericDate is shown as its number only.
constexpr double kLastShownTime = 253402300800.0;

struct Kind {
  std::string version;  // token_version, or ""
  std::string issuer;   // issuer_type, or ""
};

// kind reads the token's version and issuer type from its claims, unless
// the claims they come from are masked: nothing derived from a masked claim
// is shown.
Kind kind(const Result& r) {
  Kind k;
  if (!r.claims_available) return k;
  const ClaimMask* mask = r.mask.get();
  if (!masked(mask, "ver") && !masked(mask, "iss")) k.version = token_version(r.token.payload);
  std::string_view iss;
  if (!masked(mask, "iss") && !r.token.payload["iss"].get_string().get(iss)) k.issuer = issuer_type(iss);
  return k;
}

// TimeNote: a NumericDate claim (RFC 7519 section 2) in UTC and relative to now.
struct TimeNote {
  bool shown = false;
  std::string utc;
  std::string relative;
  const char* state = "";  // "expired", "not yet valid" or ""
};

TimeNote time_note(std::string_view name, simdjson::dom::element value, int64_t now) {
  TimeNote n;
  double t = 0;
  if (!is_time_claim(name) || value.get_double().get(t) || !std::isfinite(t) || t < 0 || t >= kLastShownTime)
    return n;
  const auto secs = static_cast<int64_t>(t);
  n.shown = true;
  n.utc = format_utc(secs);
  const int64_t d = secs - now;
  n.relative = d == 0 ? "now" : d > 0 ? "in " + format_duration(d) : format_duration(-d) + " ago";
  if (name == "exp" && secs <= now) n.state = "expired";
  if (name == "nbf" && secs > now) n.state = "not yet valid";
  return n;
}

struct Colors {
  const char* key = "";
  const char* dim = "";
  const char* warn = "";
  const char* off = "";
};

void members_text(std::string& out, simdjson::dom::object obj, bool header, const ClaimMask* mask,
                  int64_t now, const Colors& c) {
  for (const simdjson::dom::key_value_pair field : obj) {
    const bool hidden = !header && masked(mask, field.key);
    out += "  ";
    out += c.key;
    append_escaped(out, field.key, 200);
    out += c.off;
    out += ": ";
    if (hidden) out += kMasked;
    else append_value_text(out, field.value);
    if (!hidden) {
      const TimeNote t = time_note(field.key, field.value, now);
      if (t.shown) {
        out += "  ";
        out += c.dim;
        out += t.utc + ", " + t.relative;
        out += c.off;
        if (*t.state) {
          out += ' ';
          out += c.warn;
          out += '(';
          out += t.state;
          out += ')';
          out += c.off;
        }
      }
    }
    const std::string_view meaning = claim_meaning(field.key, header);
    if (!meaning.empty()) {
      out += "\n      ";
      out += c.dim;
      out += meaning;
      out += c.off;
    }
    out += '\n';
  }
}

void about_json(JsonWriter& w, simdjson::dom::object obj, bool header, const ClaimMask* mask,
                int64_t now) {
  w.begin_object();
  for (const simdjson::dom::key_value_pair field : obj) {
    const std::string_view meaning = claim_meaning(field.key, header);
    const TimeNote t = header || masked(mask, field.key) ? TimeNote{} : time_note(field.key, field.value, now);
    if (meaning.empty() && !t.shown) continue;
    w.key(field.key).begin_object();
    if (!meaning.empty()) w.key("meaning").value(meaning);
    if (t.shown) {
      w.key("utc").value(t.utc).key("relative").value(t.relative);
      if (*t.state) w.key("state").value(t.state);
    }
    w.end_object();
  }
  w.end_object();
}

}  // namespace

std::string describe_text(const Result& r, int64_t now, bool color) {
  Colors c;
  if (color) c = {"\033[36m", "\033[2m", "\033[33m", "\033[0m"};
  std::string out;
  const Kind k = kind(r);
  if (!k.version.empty() || !k.issuer.empty()) {
    out += "token: ";
    out += k.version.empty() ? "not an Entra ID token" : k.version;
    if (!k.issuer.empty()) out += ", issuer " + k.issuer;
    out += '\n';
  }
  if (r.header_available) {
    out += "header:\n";
    members_text(out, r.token.header, true, nullptr, now, c);
  }
  if (r.claims_available) {
    out += "claims:\n";
    members_text(out, r.token.payload, false, r.mask.get(), now, c);
  }
  return out;
}

std::string describe_json(const Result& r, int64_t now) {
  std::string out;
  JsonWriter w(out);
  const Kind k = kind(r);
  w.begin_object().key("verified").value(r.valid);
  w.key("token_version").value(k.version).key("issuer_type").value(k.issuer);
  w.key("header");
  if (r.header_available) write_json_object(w, r.token.header);
  else w.null();
  w.key("claims");
  if (r.claims_available) write_json_object(w, r.token.payload, r.mask.get());
  else w.null();
  w.key("about").begin_object();
  if (r.header_available) {
    w.key("header");
    about_json(w, r.token.header, true, nullptr, now);
  }
  if (r.claims_available) {
    w.key("claims");
    about_json(w, r.token.payload, false, r.mask.get(), now);
  }
  w.end_object().end_object();
  return out;
}

}  // namespace jwtgate
