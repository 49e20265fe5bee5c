#include "policy/policy_json.h"

#include <charconv>
#include <set>

#include <simdjson.h>

#include "core/json_writer.h"
#include "policy/named_values.h"
#include "token/json_members.h"
#include "core/ascii.h"

namespace jwtgate {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Walker reads one policy object, collecting every problem rather than
// stopping at the first.
class Walker {
 public:
  Walker(const LoadOptions& opts, Diagnostics& diag) : opts_(opts), diag_(diag) {}

  void policy(object obj, PolicyKind kind, const std::string& path, Policy& p);

 private:
  bool string_value(element v, const std::string& path, std::string& out, bool expressions_ok);
  bool bool_value(element v, const std::string& path, bool& out);
  bool int_value(element v, const std::string& path, int64_t lo, int64_t hi, int64_t& out);
  void string_list(element v, const std::string& path, std::vector<std::string>& out,
                   bool expressions_ok);
  void openid_configs(element v, const std::string& path, std::vector<OpenIdConfig>& out);
  void keys(element v, const std::string& path, std::vector<PolicyKey>& out, bool signing);
  void claims(element v, const std::string& path, std::vector<RequiredClaim>& out);
  void extensions(element v, const std::string& path, Extensions& ext);
  bool expect_object(element v, const std::string& path, object& out);
  // each_object calls fn(object, its path) for every object of the array v;
  // a v that is not an array, or an item that is not an object, is an error.
  template <typename Fn>
  void each_object(element v, const std::string& path, const char* what, Fn fn);

  const LoadOptions& opts_;
  Diagnostics& diag_;
};

bool Walker::expect_object(element v, const std::string& path, object& out) {
  if (v.type() != element_type::OBJECT) {
    diag_.error("must be a JSON object", path);
    return false;
  }
  out = v.get_object().value_unsafe();
  std::set<std::string_view> seen;
  for (auto field : out) {
    if (!seen.insert(field.key).second)
      diag_.error("member \"" + std::string(field.key) + "\" appears twice", path);
  }
  return true;
}

bool Walker::string_value(element v, const std::string& path, std::string& out,
                          bool expressions_ok) {
  if (v.type() != element_type::STRING) {
    diag_.error("must be a string", path);
    return false;
  }
  std::string_view raw = v.get_string().value_unsafe();
  if (!expressions_ok && is_policy_expression(raw)) {
    diag_.error("policy expressions are not allowed here (APIM forbids them too)", path);
    return false;
  }
  return resolve_policy_value(raw, opts_, out, diag_, path);
}

bool Walker::bool_value(element v, const std::string& path, bool& out) {
  if (v.type() == element_type::BOOL) {
    out = v.get_bool().value_unsafe();
    return true;
  }
  std::string s;
  if (v.type() == element_type::STRING && string_value(v, path, s, true)) {
    // XML attributes and named values carry booleans as text.
    if (ascii_iequals(s, "true")) { out = true; return true; }
    if (ascii_iequals(s, "false")) { out = false; return true; }
    diag_.error("must be true or false, not \"" + s + "\"", path);
    return false;
  }
  if (v.type() != element_type::STRING) diag_.error("must be true or false", path);
  return false;
}

bool Walker::int_value(element v, const std::string& path, int64_t lo, int64_t hi,
                       int64_t& out) {
  int64_t n = 0;
  if (v.type() == element_type::INT64) {
    n = v.get_int64().value_unsafe();
  } else if (v.type() == element_type::UINT64) {
    diag_.error("is out of range", path);
    return false;
  } else if (v.type() == element_type::STRING) {
    std::string s;
    if (!string_value(v, path, s, true)) return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
      diag_.error("must be an integer, not \"" + s + "\"", path);
      return false;
    }
  } else {
    diag_.error("must be an integer", path);
    return false;
  }
  if (n < lo || n > hi) {
    diag_.error("must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                    ", not " + std::to_string(n),
                path);
    return false;
  }
  out = n;
  return true;
}

void Walker::string_list(element v, const std::string& path, std::vector<std::string>& out,
                         bool expressions_ok) {
  if (v.type() != element_type::ARRAY) {
    diag_.error("must be an array of strings", path);
    return;
  }
  size_t i = 0;
  for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
    std::string s;
    if (string_value(item, path + "[" + std::to_string(i) + "]", s, expressions_ok))
      out.push_back(std::move(s));
    ++i;
  }
}

template <typename Fn>
void Walker::each_object(element v, const std::string& path, const char* what, Fn fn) {
  if (v.type() != element_type::ARRAY) {
    diag_.error(std::string("must be an array of ") + what, path);
    return;
  }
  size_t i = 0;
  for (element item : simdjson::dom::array(v.get_array().value_unsafe())) {
    std::string ip = path + "[" + std::to_string(i++) + "]";
    object o;
    if (expect_object(item, ip, o)) fn(o, ip);
  }
}

void Walker::openid_configs(element v, const std::string& path, std::vector<OpenIdConfig>& out) {
  each_object(v, path, "{\"url\": ...} objects", [&](object o, const std::string& ip) {
    OpenIdConfig c;
    bool has_url = false;
    for (auto f : o) {
      std::string fp = ip + "." + std::string(f.key);
      if (f.key == "url") {
        has_url = string_value(f.value, fp, c.url, true);
      } else if (f.key == "validate-connectivity") {
        bool_value(f.value, fp, c.validate_connectivity);
      } else if (f.key == "host") {
        diag_.warn("\"host\" is known only to the APIM schema and is ignored", fp);
      } else {
        diag_.error("unknown member \"" + std::string(f.key) + "\"", ip);
      }
    }
    if (!has_url && !o["url"].error()) return;
    if (!has_url) diag_.error("openid-config needs a url", ip);
    else out.push_back(std::move(c));
  });
}

void Walker::keys(element v, const std::string& path, std::vector<PolicyKey>& out, bool signing) {
  each_object(v, path, "key objects", [&](object o, const std::string& ip) {
    PolicyKey k;
    for (auto f : o) {
      std::string fp = ip + "." + std::string(f.key);
      if (f.key == "id") string_value(f.value, fp, k.id, true);
      else if (f.key == "certificate-id") string_value(f.value, fp, k.certificate_id, true);
      else if (f.key == "n" && signing) string_value(f.value, fp, k.n, false);
      else if (f.key == "e" && signing) string_value(f.value, fp, k.e, false);
      else if (f.key == "value") string_value(f.value, fp, k.value, true);
      else diag_.error("unknown member \"" + std::string(f.key) + "\"", ip);
    }
    int forms = !k.certificate_id.empty() + (!k.n.empty() || !k.e.empty()) + !k.value.empty();
    if (forms != 1) {
      diag_.error("a key needs exactly one of: \"value\" (base64 secret), \"certificate-id\", "
                  "or \"n\" with \"e\"",
                  ip);
      return;
    }
    if ((k.n.empty()) != (k.e.empty())) {
      diag_.error("an RSA key needs both \"n\" and \"e\"", ip);
      return;
    }
    out.push_back(std::move(k));
  });
}

void Walker::claims(element v, const std::string& path, std::vector<RequiredClaim>& out) {
  each_object(v, path, "claim objects", [&](object o, const std::string& ip) {
    RequiredClaim c;
    bool ok = true;
    for (auto f : o) {
      std::string fp = ip + "." + std::string(f.key);
      if (f.key == "name") {
        ok &= string_value(f.value, fp, c.name, true);
      } else if (f.key == "match") {
        std::string m;
        if (string_value(f.value, fp, m, true)) {
          if (m == "all") c.match_all = true;
          else if (m == "any") c.match_all = false;
          else { diag_.error("match must be \"all\" or \"any\", not \"" + m + "\"", fp); ok = false; }
        }
      } else if (f.key == "separator") {
        ok &= string_value(f.value, fp, c.separator, true);
      } else if (f.key == "values") {
        string_list(f.value, fp, c.values, true);
      } else {
        diag_.error("unknown member \"" + std::string(f.key) + "\"", ip);
      }
    }
    if (c.name.empty()) diag_.error("a required claim needs a non-empty \"name\"", ip);
    else if (ok) out.push_back(std::move(c));
  });
}

void Walker::extensions(element v, const std::string& path, Extensions& ext) {
  object o;
  if (!expect_object(v, path, o)) return;
  for (auto f : o) {
    std::string fp = path + "." + std::string(f.key);
    int64_t n = 0;
    if (f.key == "algorithms") {
      std::vector<std::string> names;
      string_list(f.value, fp, names, false);
      AlgSet set = 0;
      for (const auto& name : names) {
        Alg a = alg_from_name(name);
        if (a == Alg::Unknown) diag_.error("\"" + name + "\" is not a JWS algorithm jwtgate implements", fp);
        else set |= alg_bit(a);
      }
      if (names.empty()) diag_.error("must list at least one algorithm", fp);
      ext.algorithms = set;
    } else if (f.key == "typ") {
      string_value(f.value, fp, ext.typ, false);
    } else if (f.key == "min-rsa-bits") {
      if (int_value(f.value, fp, 1024, 16384, n)) ext.key_rules.min_rsa_bits = static_cast<int>(n);
    } else if (f.key == "min-hmac-bits") {
      if (int_value(f.value, fp, 128, 4096, n)) ext.key_rules.min_hmac_bits = static_cast<int>(n);
    } else if (f.key == "max-token-bytes") {
      if (int_value(f.value, fp, 64, 1024 * 1024, n)) ext.limits.max_token_bytes = static_cast<size_t>(n);
    } else if (f.key == "max-json-depth") {
      if (int_value(f.value, fp, 2, 64, n)) ext.limits.max_json_depth = static_cast<size_t>(n);
    } else if (f.key == "reject-future-iat") {
      bool_value(f.value, fp, ext.reject_future_iat);
    } else {
      diag_.error("unknown jwtgate extension \"" + std::string(f.key) + "\"", path);
    }
  }
}

void Walker::policy(object obj, PolicyKind kind, const std::string& path, Policy& p) {
  p = Policy{};
  p.kind = kind;
  const bool jwt = kind == PolicyKind::ValidateJwt;
  int sources = 0;
  for (auto f : obj) {
    const std::string_view k = f.key;
    const std::string fp = path + "." + std::string(k);
    int64_t n = 0;
    if (k == "id") {
      string_value(f.value, fp, p.id, false);
    } else if (k == "header-name") {
      ++sources;
      p.source = TokenSourceKind::Header;
      string_value(f.value, fp, p.header_name, true);
    } else if (k == "query-parameter-name") {
      ++sources;
      p.source = TokenSourceKind::Query;
      string_value(f.value, fp, p.query_parameter_name, true);
    } else if (k == "token-value") {
      ++sources;
      p.source = TokenSourceKind::Value;
      string_value(f.value, fp, p.token_value, true);
    } else if (k == "failed-validation-httpcode") {
      if (int_value(f.value, fp, 100, 599, n)) p.failed_status = static_cast<int>(n);
    } else if (k == "failed-validation-error-message") {
      std::string m;
      if (string_value(f.value, fp, m, true)) p.failed_message = std::move(m);
    } else if (k == "output-token-variable-name") {
      string_value(f.value, fp, p.output_token_variable_name, false);
    } else if (k == "audiences") {
      string_list(f.value, fp, p.audiences, true);
      // APIM: "At least one audience must be specified" when the element is
      // there; an empty list would silently disable the audience check.
      if (f.value.type() == element_type::ARRAY &&
          simdjson::dom::array(f.value.get_array().value_unsafe()).size() == 0)
        diag_.error("audiences is empty: at least one audience must be specified", fp);
    } else if (k == "required-claims") {
      claims(f.value, fp, p.required_claims);
    } else if (k == "decryption-keys") {
      keys(f.value, fp, p.decryption_keys, false);
    } else if (k == "jwtgate") {
      extensions(f.value, fp, p.ext);
    } else if (jwt && k == "require-expiration-time") {
      bool_value(f.value, fp, p.require_expiration_time);
    } else if (jwt && k == "require-scheme") {
      string_value(f.value, fp, p.require_scheme, true);
    } else if (jwt && k == "require-signed-tokens") {
      bool_value(f.value, fp, p.require_signed_tokens);
    } else if (jwt && k == "clock-skew") {
      if (int_value(f.value, fp, 0, 86400, n)) p.clock_skew = n;
    } else if (jwt && k == "openid-config") {
      openid_configs(f.value, fp, p.openid_configs);
    } else if (jwt && k == "issuer-signing-keys") {
      keys(f.value, fp, p.issuer_signing_keys, true);
    } else if (jwt && k == "issuers") {
      string_list(f.value, fp, p.issuers, true);
    } else if (jwt && k == "issuer-signing-tokens") {
      diag_.warn("issuer-signing-tokens is known only to the APIM schema and is ignored", fp);
    } else if (!jwt && k == "tenant-id") {
      string_value(f.value, fp, p.tenant_id, true);
    } else if (!jwt && k == "authentication-endpoint") {
      string_value(f.value, fp, p.authentication_endpoint, true);
    } else if (!jwt && k == "client-application-ids") {
      string_list(f.value, fp, p.client_application_ids, false);
    } else if (!jwt && k == "backend-application-ids") {
      string_list(f.value, fp, p.backend_application_ids, false);
    } else if (!jwt && (k == "require-scheme" || k == "allow-protected-forwarded-tokens" ||
                        k == "allow-proof-of-possession-tokens")) {
      diag_.warn(std::string(k) + " is known only to the APIM schema and is not supported", fp);
    } else {
      diag_.error("unknown member \"" + std::string(k) + "\" for " +
                      (jwt ? "validate-jwt" : "validate-azure-ad-token"),
                  path);
    }
  }
  if (sources > 1)
    diag_.error("give only one of header-name, query-parameter-name and token-value", path);
  if (jwt && sources == 0)
    diag_.error("one of header-name, query-parameter-name or token-value must be specified", path);
  if (!jwt && p.tenant_id.empty()) diag_.error("tenant-id is required", path);
}

}  // namespace

bool load_policy_json(std::string_view text, const LoadOptions& opts, Policy& out,
                      Diagnostics& diag) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element root;
  auto err = parser.parse(padded).get(root);
  if (err) {
    diag.error(std::string("policy is not valid JSON: ") + simdjson::error_message(err));
    return false;
  }
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup)) {
    // Two readers must not see two different policies (RFC 8259 4).
    diag.error("member \"" + std::string(dup) + "\" appears twice in one object");
    return false;
  }
  Walker w(opts, diag);
  object top;
  if (root.type() != element_type::OBJECT) {
    diag.error("a JSON policy must be an object");
    return false;
  }
  top = root.get_object().value_unsafe();

  // Collect the validation elements: one, or a "policies" list.
  struct Candidate { object obj; PolicyKind kind; std::string path; std::string id; };
  std::vector<Candidate> found;
  auto consider = [&](object o, const std::string& base) {
    size_t members = 0;
    for (auto f : o) {
      ++members;
      std::string p = base.empty() ? std::string(f.key) : base + "." + std::string(f.key);
      PolicyKind kind;
      if (f.key == "validate-jwt") kind = PolicyKind::ValidateJwt;
      else if (f.key == "validate-azure-ad-token") kind = PolicyKind::ValidateAzureAdToken;
      else { diag.error("unknown member \"" + std::string(f.key) + "\"; expected validate-jwt or validate-azure-ad-token", base); continue; }
      if (f.value.type() != element_type::OBJECT) { diag.error("must be a JSON object", p); continue; }
      object po = f.value.get_object().value_unsafe();
      std::string id;
      auto idv = po["id"];
      if (!idv.error() && idv.value_unsafe().type() == element_type::STRING)
        id = std::string(idv.value_unsafe().get_string().value_unsafe());
      found.push_back({po, kind, p, id});
    }
    if (members != 1) diag.error("each policy object holds exactly one validation element", base);
  };
  auto policies = top["policies"];
  if (!policies.error()) {
    if (policies.value_unsafe().type() != element_type::ARRAY) {
      diag.error("\"policies\" must be an array", "policies");
      return false;
    }
    size_t i = 0;
    for (element e : simdjson::dom::array(policies.value_unsafe().get_array().value_unsafe())) {
      std::string base = "policies[" + std::to_string(i++) + "]";
      if (e.type() != element_type::OBJECT) { diag.error("must be a JSON object", base); continue; }
      consider(e.get_object().value_unsafe(), base);
    }
  } else {
    consider(top, "");
  }
  if (diag.has_errors()) return false;
  if (found.empty()) {
    diag.error("no validate-jwt or validate-azure-ad-token element found");
    return false;
  }
  const Candidate* chosen = &found[0];
  if (!opts.select.empty()) {
    chosen = nullptr;
    size_t pos = 0;
    auto [ptr, ec] = std::from_chars(opts.select.data(), opts.select.data() + opts.select.size(), pos);
    bool numeric = ec == std::errc() && ptr == opts.select.data() + opts.select.size();
    for (size_t i = 0; i < found.size() && !chosen; ++i)
      if (found[i].id == opts.select) chosen = &found[i];
    if (!chosen && numeric && pos >= 1 && pos <= found.size()) chosen = &found[pos - 1];
    if (!chosen) {
      diag.error("no validation element has id or position \"" + opts.select + "\" (" +
                 std::to_string(found.size()) + " found)");
      return false;
    }
  }
  w.policy(chosen->obj, chosen->kind, chosen->path, out);
  return !diag.has_errors();
}

std::string policy_to_json(const Policy& p) {
  std::string out;
  JsonWriter w(out);
  const bool jwt = p.kind == PolicyKind::ValidateJwt;
  auto list = [&](const char* name, const std::vector<std::string>& v) {
    if (v.empty()) return;
    w.key(name).begin_array();
    for (const auto& s : v) w.value(s);
    w.end_array();
  };
  auto keys = [&](const char* name, const std::vector<PolicyKey>& v) {
    if (v.empty()) return;
    w.key(name).begin_array();
    for (const auto& k : v) {
      w.begin_object();
      if (!k.id.empty()) w.key("id").value(k.id);
      if (!k.certificate_id.empty()) w.key("certificate-id").value(k.certificate_id);
      if (!k.n.empty()) w.key("n").value(k.n).key("e").value(k.e);
      if (!k.value.empty()) w.key("value").value(k.value);
      w.end_object();
    }
    w.end_array();
  };
  w.begin_object().key(jwt ? "validate-jwt" : "validate-azure-ad-token").begin_object();
  if (!p.id.empty()) w.key("id").value(p.id);
  if (!jwt) w.key("tenant-id").value(p.tenant_id);
  switch (p.source) {
    case TokenSourceKind::Header: w.key("header-name").value(p.header_name); break;
    case TokenSourceKind::Query: w.key("query-parameter-name").value(p.query_parameter_name); break;
    case TokenSourceKind::Value: w.key("token-value").value(p.token_value); break;
  }
  if (!jwt && !p.authentication_endpoint.empty())
    w.key("authentication-endpoint").value(p.authentication_endpoint);
  w.key("failed-validation-httpcode").value(p.failed_status);
  if (p.failed_message) w.key("failed-validation-error-message").value(*p.failed_message);
  if (jwt) {
    w.key("require-expiration-time").value(p.require_expiration_time);
    if (!p.require_scheme.empty()) w.key("require-scheme").value(p.require_scheme);
    w.key("require-signed-tokens").value(p.require_signed_tokens);
    w.key("clock-skew").value(p.clock_skew);
  }
  if (!p.output_token_variable_name.empty())
    w.key("output-token-variable-name").value(p.output_token_variable_name);
  // validate-azure-ad-token derives its openid-config and issuers from
  // tenant-id at load; writing them back would make a policy that does not
  // load (those members do not exist for that element).
  if (jwt && !p.openid_configs.empty()) {
    w.key("openid-config").begin_array();
    for (const auto& c : p.openid_configs) {
      w.begin_object().key("url").value(c.url);
      if (!c.validate_connectivity) w.key("validate-connectivity").value(false);
      w.end_object();
    }
    w.end_array();
  }
  keys("issuer-signing-keys", p.issuer_signing_keys);
  keys("decryption-keys", p.decryption_keys);
  list("client-application-ids", p.client_application_ids);
  list("backend-application-ids", p.backend_application_ids);
  list("audiences", p.audiences);
  if (jwt) list("issuers", p.issuers);
  if (!p.required_claims.empty()) {
    w.key("required-claims").begin_array();
    for (const auto& c : p.required_claims) {
      w.begin_object().key("name").value(c.name).key("match").value(c.match_all ? "all" : "any");
      if (!c.separator.empty()) w.key("separator").value(c.separator);
      w.key("values").begin_array();
      for (const auto& v : c.values) w.value(v);
      w.end_array().end_object();
    }
    w.end_array();
  }
  // jwtgate extensions: written only where they differ from the defaults.
  const Extensions def;
  const auto& e = p.ext;
  bool any = e.algorithms || !e.typ.empty() || e.key_rules.min_rsa_bits != def.key_rules.min_rsa_bits ||
             e.key_rules.min_hmac_bits != def.key_rules.min_hmac_bits ||
             e.limits.max_token_bytes != def.limits.max_token_bytes ||
             e.limits.max_json_depth != def.limits.max_json_depth || e.reject_future_iat;
  if (any) {
    w.key("jwtgate").begin_object();
    if (e.algorithms) {
      w.key("algorithms").begin_array();
      for (int i = 0; i < kAlgCount; ++i)
        if (e.algorithms & alg_bit(static_cast<Alg>(i))) w.value(alg_name(static_cast<Alg>(i)));
      w.end_array();
    }
    if (!e.typ.empty()) w.key("typ").value(e.typ);
    if (e.key_rules.min_rsa_bits != def.key_rules.min_rsa_bits)
      w.key("min-rsa-bits").value(e.key_rules.min_rsa_bits);
    if (e.key_rules.min_hmac_bits != def.key_rules.min_hmac_bits)
      w.key("min-hmac-bits").value(e.key_rules.min_hmac_bits);
    if (e.limits.max_token_bytes != def.limits.max_token_bytes)
      w.key("max-token-bytes").value(static_cast<int64_t>(e.limits.max_token_bytes));
    if (e.limits.max_json_depth != def.limits.max_json_depth)
      w.key("max-json-depth").value(static_cast<int64_t>(e.limits.max_json_depth));
    if (e.reject_future_iat) w.key("reject-future-iat").value(true);
    w.end_object();
  }
  w.end_object().end_object();
  return out;
}

}  // namespace jwtgate
