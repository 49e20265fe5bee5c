#include "claims/required_claims.h"

#include <charconv>
#include <string>

#include "core/quote.h"
#include "encoding/json_dom.h"

namespace jwtgate {

namespace {

// Scalar text: strings as themselves, numbers and booleans as their JSON text
// (APIM exposes every claim as strings: Jwt.Claims is string[]).
// |buf| holds formatted numbers; |heap| holds minified objects (rare).
std::string_view scalar_text(element v, char (&buf)[32], std::string& heap) {
  switch (v.type()) {
    case element_type::STRING: return v.get_string().value_unsafe();
    case element_type::INT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_int64().value_unsafe());
      return {buf, static_cast<size_t>(r.ptr - buf)};
    }
    case element_type::UINT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_uint64().value_unsafe());
      return {buf, static_cast<size_t>(r.ptr - buf)};
    }
    case element_type::DOUBLE: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.get_double().value_unsafe());
      return {buf, static_cast<size_t>(r.ptr - buf)};
    }
    case element_type::BOOL: return v.get_bool().value_unsafe() ? "true" : "false";
    case element_type::NULL_VALUE: return "null";
    default: heap = simdjson::minify(v); return heap;
  }
}

// for_each_piece calls fn(piece) for every value of the claim after the
// separator split; stops early when fn returns true, and returns that.
template <typename Fn>
bool for_each_piece(element claim, const std::string& sep, Fn&& fn) {
  char buf[32];
  std::string heap;
  auto split = [&](std::string_view text) {
    if (sep.empty()) return fn(text);
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t next = text.find(sep, pos);
      if (next == std::string_view::npos) next = text.size();
      std::string_view piece = text.substr(pos, next - pos);
      // "a  b" split on " " holds an empty piece; it is not a value.
      if (!piece.empty() && fn(piece)) return true;
      pos = next + sep.size();
    }
    return false;
  };
  if (claim.type() == element_type::ARRAY) {
    for (element item : simdjson::dom::array(claim.get_array().value_unsafe()))
      if (split(scalar_text(item, buf, heap))) return true;
    return false;
  }
  return split(scalar_text(claim, buf, heap));
}

}  // namespace

bool claim_matches(element value, const RequiredClaim& rule) {
  if (rule.values.empty()) return true;  // presence is all that is asked
  if (rule.match_all) {
    for (const auto& want : rule.values) {
      bool found = for_each_piece(value, rule.separator,
                                  [&](std::string_view piece) { return piece == want; });
      if (!found) return false;
    }
    return true;
  }
  return for_each_piece(value, rule.separator, [&](std::string_view piece) {
    for (const auto& want : rule.values)
      if (piece == want) return true;
    return false;
  });
}

void check_required_claims(ClaimsView claims, const std::vector<RequiredClaim>& rules,
                           FailureList& failures) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const RequiredClaim& rule = rules[i];
    const FailureEvidence evidence{Compared::RequiredClaim, rule.values.data(), rule.values.size(),
                                   rule.name, static_cast<int>(i)};
    element v;
    // A JSON null carries no value: treated as absent rather than as "null".
    if (claims[rule.name].get(v) || v.type() == element_type::NULL_VALUE) {
      failures.add(JWTGATE_REASON_CLAIM_NOT_FOUND, rule.name) =
          "the token has no " + jwtgate::quoted(rule.name) + " claim";
      failures.last().evidence = evidence;
      continue;
    }
    if (claim_matches(v, rule)) continue;
    std::string& d = failures.add(JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED, rule.name);
    Failure& failure = failures.last();
    failure.evidence = evidence;
    // The policy's values, each quoted; which of them the token holds is
    // part of a masked claim's value, so a masked claim lists none as
    // present.
    std::string found, missing;
    for (const auto& want : rule.values) {
      bool has = for_each_piece(v, rule.separator, [&](std::string_view p) { return p == want; });
      ++(has ? failure.evidence.present : failure.evidence.missing);
      std::string& list = has ? found : missing;
      if (!list.empty()) list += ", ";
      append_quoted(list, want);
    }
    d = "claim " + jwtgate::quoted(rule.name) + " is " + claims.value(rule.name, v);
    if (!rule.separator.empty()) d += " (split on " + jwtgate::quoted(rule.separator) + ")";
    if (rule.match_all) {
      d += "; match=\"all\" needs every policy value, and these are missing: " + missing;
      if (!found.empty() && !claims.masked(rule.name)) d += " (present: " + found + ")";
    } else {
      d += "; match=\"any\" needs one of " + missing + ", and the token has none";
    }
  }
}

}  // namespace jwtgate
