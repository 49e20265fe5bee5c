#include "diagnose/diagnosis.h"

#include <algorithm>

#include "claims/claim_text.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "core/reasons.h"
#include "diagnose/facts.h"
#include "diagnose/finding_rules.h"
#include "validate/messages.h"

namespace jwtgate {

namespace {

// ---------------------------------------------------------------- checks

void list_checks(const Facts& f, std::vector<Check>& checks) {
  const Result& r = f.r;
  auto failure_text = [&](std::initializer_list<jwtgate_reason> reasons, std::string_view subject = {}) {
    for (const Failure& x : r.failures)
      for (jwtgate_reason want : reasons)
        if (x.reason == want && (subject.empty() || subject_is(x.subject, subject))) return x.detail;
    return std::string();
  };
  auto check = [&](std::string name, std::string fail, std::string pass_evidence) {
    checks.push_back({std::move(name), fail.empty(), fail.empty() ? std::move(pass_evidence) : std::move(fail)});
  };
  const auto source_failures = {JWTGATE_REASON_TOKEN_NOT_PRESENT, JWTGATE_REASON_SCHEME_MISMATCH,
                                 JWTGATE_REASON_DUPLICATE_TOKEN};
  check("token present", failure_text(source_failures), "from " + r.token_source);
  if (failure_text(source_failures).size()) return;
  // An encrypted token: decryption comes first; the checks below are those
  // of the signed token inside it.
  const auto jwe_failures = {JWTGATE_REASON_JWE_DECRYPTION_FAILED, JWTGATE_REASON_JWE_ALGORITHM_REFUSED,
                             JWTGATE_REASON_ENCRYPTION_REQUIRED, JWTGATE_REASON_ENCRYPTION_FORBIDDEN,
                             JWTGATE_REASON_JWE_NOT_SUPPORTED};
  const std::string jwe_fail = failure_text(jwe_failures);
  if (!jwe_fail.empty()) {
    check("decryption", jwe_fail, "");
    return;
  }
  if (r.encrypted && r.jwe.key())
    check("decryption", "",
          "JWE " + escaped(r.jwe.header().alg_name) + " + " + escaped(r.jwe.header().enc_name) +
              " decrypted with " + r.jwe.key()->origin);
  std::string format_fail;
  for (const Failure& x : r.failures)
    if (x.reason >= JWTGATE_REASON_MALFORMED && x.reason <= JWTGATE_REASON_B64_UNSUPPORTED &&
        x.reason != JWTGATE_REASON_ALG_UNKNOWN && x.reason != JWTGATE_REASON_ALG_NOT_ALLOWED) {
      format_fail = std::string(reason_name(x.reason)) + ": " + x.detail;
      break;
    }
  check("format", format_fail, "compact JWS, strict base64url, JSON objects, header accepted");
  if (!format_fail.empty()) return;
  check("algorithm", failure_text({JWTGATE_REASON_ALG_UNKNOWN, JWTGATE_REASON_ALG_NOT_ALLOWED}),
        "alg " + escaped(r.token.alg_name) + " is allowed");
  if (!f.p.ext.typ.empty())
    check("typ", failure_text({JWTGATE_REASON_TYP_MISMATCH}), "typ matches " + jwtgate::quoted(f.p.ext.typ));
  std::string sig_ok = r.cache_hit ? "verified earlier (cache)"
                                   : "verified" + (r.key ? " with " + r.key->origin : std::string());
  check("signature",
        failure_text({JWTGATE_REASON_SIGNATURE_MISSING, JWTGATE_REASON_SIGNATURE_INVALID, JWTGATE_REASON_KEY_NOT_FOUND,
                      JWTGATE_REASON_NO_KEYS, JWTGATE_REASON_KEYS_UNAVAILABLE}),
        sig_ok);
  check("claim types", failure_text({JWTGATE_REASON_CLAIM_TYPE_INVALID}),
        "iss, sub and jti are strings, aud a string or an array of strings (RFC 7519 section 4.1)");
  std::string exp_fail = failure_text({JWTGATE_REASON_EXPIRED, JWTGATE_REASON_EXP_MISSING,
                                       JWTGATE_REASON_TIME_CLAIM_INVALID}, "exp");
  check("exp", exp_fail, f.has("exp") ? "exp " + f.json("exp") + " is in the future" : "no exp (not required)");
  if (f.has("nbf") || f.failed(JWTGATE_REASON_NOT_YET_VALID))
    check("nbf", failure_text({JWTGATE_REASON_NOT_YET_VALID, JWTGATE_REASON_TIME_CLAIM_INVALID}, "nbf"),
          "nbf " + f.json("nbf") + " has passed");
  if (f.has("iat") || f.failed(JWTGATE_REASON_TIME_CLAIM_INVALID, "iat") || f.failed(JWTGATE_REASON_IAT_IN_FUTURE))
    check("iat", failure_text({JWTGATE_REASON_IAT_IN_FUTURE, JWTGATE_REASON_TIME_CLAIM_INVALID}, "iat"),
          "iat " + f.json("iat") + " is a NumericDate");
  if (!f.p.audiences.empty())
    check("aud", failure_text({JWTGATE_REASON_AUDIENCE_NOT_ALLOWED}),
          "aud " + f.json("aud") + " is among " + quoted_values(f.p.audiences));
  if (const std::vector<std::string> issuers = f.allowed_issuers(); !issuers.empty())
    check("iss", failure_text({JWTGATE_REASON_ISSUER_NOT_ALLOWED}),
          "iss " + f.json("iss") + " is among " + quoted_values(issuers));
  for (const RequiredClaim& c : f.p.required_claims)
    check("claim " + escaped(c.name),
          failure_text({JWTGATE_REASON_CLAIM_NOT_FOUND, JWTGATE_REASON_CLAIM_VALUE_NOT_ALLOWED}, c.name),
          escaped(c.name) + " " + f.json(c.name) + " satisfies match=\"" + (c.match_all ? "all" : "any") +
              "\" of " + quoted_values(c.values));
  if (!f.p.client_application_ids.empty())
    check("client application", failure_text({JWTGATE_REASON_CLIENT_NOT_ALLOWED}),
          "azp/appid is among " + quoted_values(f.p.client_application_ids));
}

// -------------------------------------------------------------- profile

// principal: app-only (client credentials) or delegated (a user), as the
// token says (Entra's idtyp and scp; RFC 9068's sub equal to client_id).
std::string principal(const Facts& f) {
  if (!f.has_claims()) return "";
  const std::string idtyp = f.str("idtyp");
  if (idtyp == "app") return "app-only";
  if (idtyp == "user") return "delegated";
  if (f.entra()) {
    if (f.has("scp")) return "delegated";
    if (f.has("azp") || f.has("appid")) return "app-only";
    return "";
  }
  const std::string sub = f.str("sub");
  for (std::string_view c : {"client_id", "cid", "azp"})
    if (!sub.empty() && f.str(c) == sub) return "app-only";
  if (f.has("scp") || f.has("scope")) return sub.empty() ? "" : "delegated";
  return "";
}

// client_type: how the client authenticated (Entra's azpacr / appidacr: 0
// public, 1 secret, 2 certificate).
std::string client_type(const Facts& f) {
  std::string acr = f.str("azpacr");
  if (acr.empty()) acr = f.str("appidacr");
  if (acr == "0") return "public client";
  if (acr == "1") return "confidential client (secret)";
  if (acr == "2") return "confidential client (certificate)";
  return "";
}

}  // namespace

Diagnosis diagnose(const Result& r, const Policy& p) {
  Diagnosis d;
  Facts f(r, p);
  d.valid = r.valid;
  d.token_version = f.version;
  if (r.claims_available && f.family() != IssuerFamily::Unknown) {
    d.issuer_type = issuer_label(f.issuer);
    d.issuer_family = std::string(code_of(f.family()));
  } else if (r.claims_available && !f.masked("iss") && f.has("iss")) {
    d.issuer_type = "unknown (no iss URL)";
  }
  if (f.kind.kind != TokenKind::Unknown && (f.kind.strong || f.kind.kind == TokenKind::Access)) {
    std::string_view name = words_of(f.kind.kind);
    d.token_kind = std::string(name.substr(name.find(' ') + 1));  // without the article
  }
  d.principal = principal(f);
  d.client_type = client_type(f);
  list_checks(f, d.checks);
  if (!r.valid) {
    Findings found(f);
    find_token_location(f, found);
    find_token_kind(f, found);
    find_signature(f, found);
    find_lifetime(f, found);
    find_comparisons(f, found);
    d.findings = std::move(found.list());
    std::stable_sort(d.findings.begin(), d.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.rank < b.rank; });
  }
  return d;
}

std::vector<Check> diagnose_checks(const Result& r, const Policy& p) {
  std::vector<Check> checks;
  list_checks(Facts(r, p), checks);
  return checks;
}

Diagnosis diagnose_policy_errors(const Diagnostics& errors) {
  Diagnosis d;
  const std::string text = errors.text();
  bool named = false, expression = false, openid = false, jwks = false;
  for (const Diagnostic& e : errors.items()) {
    if (e.warning) continue;
    named = named || e.code == "named_value_undefined";
    expression = expression || e.code == "policy_expression";
    jwks = jwks || e.code == "discovery_document_is_jwks";
    openid = openid || e.code == "discovery_document_invalid" || e.code == "discovery_document_is_jwks" ||
             e.code == "openid_config_document_missing" || e.code == "openid_config_jwks_missing";
  }
  const auto add = [&](int rank, std::string_view code, std::string title, std::string fix) {
    Finding x;
    x.code = std::string(code);
    x.title = std::move(title);
    x.evidence = text;
    x.fix = std::move(fix);
    x.rank = rank;
    x.multiline = true;  // the error list, a line per error
    const FindingRule* rule = finding_rule(code);
    x.group = rule ? std::string(rule->group) : "policy";
    d.findings.push_back(std::move(x));
  };
  if (named)
    add(1, "named_value_unresolved", "The policy uses a named value that was not supplied",
        "Supply it (--named-value NAME=VALUE or --named-values FILE). In APIM, check the named value exists "
        "with exactly that display name; a literal {{...}} left in a URL or issuer breaks validation for every "
        "token.");
  if (expression)
    add(2, "policy_expression", "The policy holds a policy expression",
        "Expressions are C# that only APIM runs: supply the value it stands for with "
        "--expression-value '@(...)=VALUE'.");
  if (openid)
    add(3, "openid_config_unusable", "The openid-config metadata is unusable",
        jwks ? "The document given for openid-config is a JWK Set: point openid-config at "
               ".../.well-known/openid-configuration, whose jwks_uri names the key set."
             : "Point openid-config at .../.well-known/openid-configuration (not at the JWKS URL), and check the "
               "gateway can reach it (offline: supply the document and its key set).");
  if (d.findings.empty())
    add(50, "policy_invalid", "The policy does not load", "Fix the errors listed (line:column: element path: message).");
  return d;
}

namespace {

// field appends one field of a finding or check for a person. Values in it
// are escaped where they quote the token already; what still is a control
// character is escaped here (a second line of defence: a line break too),
// except in a |multiline| field (a policy's error list), whose lines
// continue indented by |indent|. Every line of the text is one of its own.
void field(std::string& out, std::string_view text, std::string_view indent, bool multiline = false) {
  const std::string safe = controls_escaped(text, multiline);
  size_t start = 0;
  while (start <= safe.size()) {
    size_t end = safe.find('\n', start);
    if (end == std::string::npos) end = safe.size();
    if (start > 0) {
      if (end == start && end == safe.size()) break;  // a final newline
      out += '\n';
      out += indent;
    }
    out.append(safe, start, end - start);
    start = end + 1;
  }
}

}  // namespace

std::string diagnosis_text(const Diagnosis& d, bool color) {
  const char* red = color ? "\033[31m" : "";
  const char* green = color ? "\033[32m" : "";
  const char* bold = color ? "\033[1m" : "";
  const char* off = color ? "\033[0m" : "";
  constexpr std::string_view kIndent = "               ";
  std::string out;
  if (!d.token_version.empty() || !d.issuer_type.empty() || !d.token_kind.empty()) {
    // "Entra ID v1.0 access token (app-only, confidential client (secret)), issuer Entra ID (public cloud)"
    std::string what = d.token_version;
    if (!d.token_kind.empty()) what += (what.empty() ? "" : " ") + d.token_kind;
    if (what.empty()) what = "JWT";
    std::string about = d.principal;
    if (!d.client_type.empty()) about += (about.empty() ? "" : ", ") + d.client_type;
    if (!about.empty()) what += " (" + about + ")";
    out += "token: ";
    field(out, what, kIndent);
    if (!d.issuer_type.empty()) {
      out += ", issuer ";
      field(out, d.issuer_type, kIndent);
    }
    out += "\n";
  }
  // A section heading, and a finding's labelled line ("     fix:      ...").
  const auto heading = [&](std::string_view title) { out.append(bold).append(title).append(off).append(":\n"); };
  const auto labelled = [&](std::string_view label, std::string_view text, bool multiline = false) {
    out.append("     ").append(label).append(":").append(kIndent.size() - 6 - label.size(), ' ');
    field(out, text, kIndent, multiline);
    out += "\n";
  };
  if (!d.findings.empty()) {
    heading("likely causes, most likely first");
    int n = 0;
    for (const Finding& f : d.findings) {
      out += std::string("  ") + std::to_string(++n) + ". " + bold;
      field(out, f.title, kIndent);
      out += std::string(off) + "\n";
      labelled("evidence", f.evidence, f.multiline);
      labelled("fix", f.fix);
      if (!f.next.empty()) labelled("next", f.next);
    }
  }
  if (!d.checks.empty()) {
    heading("checks");
    for (const Check& c : d.checks) {
      out.append("  ").append(c.passed ? green : red).append(c.passed ? "pass " : "FAIL ").append(off);
      field(out, c.name, kIndent);
      out += ": ";
      field(out, c.evidence, kIndent);
      out += "\n";
    }
  }
  return out;
}

std::string diagnosis_json(const Diagnosis& d) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("valid").value(d.valid);
  w.key("token_version").value(d.token_version);
  w.key("issuer_type").value(d.issuer_type);
  w.key("issuer_family").value(d.issuer_family);
  w.key("token_kind").value(d.token_kind);
  w.key("principal").value(d.principal);
  w.key("client_type").value(d.client_type);
  w.key("findings").begin_array();
  for (const Finding& f : d.findings) {
    w.begin_object()
        .key("code").value(f.code)
        .key("group").value(f.group)
        .key("title").value(f.title)
        .key("evidence").value(f.evidence)
        .key("fix").value(f.fix);
    if (!f.next.empty()) w.key("next").value(f.next);
    w.end_object();
  }
  w.end_array();
  w.key("checks").begin_array();
  for (const Check& c : d.checks)
    w.begin_object().key("name").value(c.name).key("passed").value(c.passed).key("evidence").value(c.evidence).end_object();
  w.end_array();
  w.end_object();
  return out;
}

std::string diagnosis_line(const Diagnosis& d) {
  if (d.findings.empty()) return "";
  const Finding& f = d.findings[0];
  // One line whatever the fields hold: line breaks and controls escaped.
  return controls_escaped(f.code + ": " + f.title + " (" + f.evidence + ")");
}

}  // namespace jwtgate
