// The APIM XML form of a policy (policy_xml.h), read with pugixml.
//
// The XML loader accepts what the JSON loader (policy_json.cpp) accepts, with
// the same defaults and messages, so that both forms load to the same Policy:
// attributes and elements here are the members there, and repeated child
// elements are the arrays. One rule is stricter here: an empty <audiences>
// is refused ("At least one audience must be specified", APIM reference).
// What is XML-only:
//   - positions: every diagnostic carries the 1-based line and column of the
//     element's '<', the attribute's name, or the first non-blank character
//     of the element text it is about, and an element path such as
//     "validate-jwt/required-claims/claim[2]/@match" (1-based, like XPath);
//   - the policy document: a bare <validate-jwt> or <validate-azure-ad-token>,
//     a <policies> document or a lone <inbound> section (as articles quote
//     policies), where the policy is a direct child of <inbound>;
//   - XML hygiene: DOCTYPE refused, duplicate attributes refused, stray text
//     refused, more than one top-level element refused.
// Element text is kept exactly as written, whitespace included (what .NET's
// XElement.Value returns); surrounding whitespace around a value is reported
// as a warning because a token value would have to contain it to match.
#include "policy/policy_xml.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "policy/named_values.h"
#include "core/ascii.h"

namespace jwtgate {
namespace {

using pugi::xml_attribute;
using pugi::xml_node;

constexpr const char* kJwt = "validate-jwt";
constexpr const char* kAad = "validate-azure-ad-token";

struct Pos {
  unsigned line = 0;
  unsigned column = 0;
};

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_xml_space);
}

// snippet: text as a message shows it, on one line and at most 40 characters.
std::string snippet(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_xml_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 40) out = out.substr(0, 40) + "...";
  return out;
}

// TextPositions turns pugixml's byte offsets into 1-based line and column.
// The document is parsed in place from a copy of the text, so a name or value
// pointer minus the buffer start is its offset in the original text (pugixml
// only ever shortens strings from their end when it unescapes). Columns count
// characters (UTF-8 code points), as editors do; a tab counts as one. Line
// breaks are LF, CRLF or a lone CR (XML 1.0 section 2.11).
class TextPositions {
 public:
  TextPositions(std::string_view text, const char* buffer) : text_(text), buffer_(buffer) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
        line_starts_.push_back(i + 1);
    }
  }

  Pos at(size_t offset) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<unsigned>(it - line_starts_.begin());
    size_t start = *(it - 1);
    // A UTF-8 byte order mark is not a column an editor shows.
    if (start == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF" && offset >= 3) start = 3;
    unsigned column = 1;
    for (size_t i = start; i < offset; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return {line, column};
  }

  // of(element) is its '<'; of(text node) its first non-blank character.
  Pos of(xml_node n) const {
    const ptrdiff_t off = n.offset_debug();
    if (off < 0) return {};
    if (n.type() == pugi::node_element) return at(off > 0 ? static_cast<size_t>(off - 1) : 0);
    size_t o = static_cast<size_t>(off);
    size_t skip = o;
    while (skip < text_.size() && is_xml_space(text_[skip])) ++skip;
    // All blank: point at the text itself.
    return at(skip < text_.size() && text_[skip] != '<' ? skip : o);
  }

  Pos of(xml_attribute a) const { return from_pointer(a.name()); }

  // doctype: the "<!" that opens it (pugixml points at its value).
  Pos doctype(xml_node n) const {
    const ptrdiff_t off = n.offset_debug();
    if (off < 0) return {};
    const size_t open = text_.rfind("<!", static_cast<size_t>(off));
    return at(open == std::string_view::npos ? static_cast<size_t>(off) : open);
  }

 private:
  Pos from_pointer(const char* p) const {
    if (p < buffer_ || p >= buffer_ + text_.size()) return {};
    return at(static_cast<size_t>(p - buffer_));
  }

  std::string_view text_;
  const char* buffer_;
  std::vector<size_t> line_starts_;
};

// Where APIM refuses policy expressions (apim-semantics 1.7), and where
// jwtgate needs the value itself at load time (id selects the policy; the
// jwtgate extensions configure the parser).
enum class Expr { Allowed, ApimForbids, NeededAtLoad };

bool policy_kind(std::string_view name, PolicyKind& kind) {
  if (name == kJwt) kind = PolicyKind::ValidateJwt;
  else if (name == kAad) kind = PolicyKind::ValidateAzureAdToken;
  else return false;
  return true;
}

// Walker reads one validation element, collecting every problem rather than
// stopping at the first (the JSON loader's Walker, over XML).
class Walker {
 public:
  Walker(const TextPositions& pos, const LoadOptions& opts, Diagnostics& diag)
      : pos_(pos), opts_(opts), diag_(diag) {}

  void policy(xml_node el, PolicyKind kind, Policy& p);

 private:
  template <typename Node>
  void error(Node at, std::string message, const std::string& path) {
    const Pos p = pos_.of(at);
    diag_.error(std::move(message), path, p.line, p.column);
  }
  template <typename Node>
  void warn(Node at, std::string message, const std::string& path) {
    const Pos p = pos_.of(at);
    diag_.warn(std::move(message), path, p.line, p.column);
  }

  bool resolve(std::string_view raw, const std::string& what, Expr rule, const std::string& path,
               Pos at, std::string& out);
  bool attr_string(xml_attribute a, const std::string& path, std::string& out, Expr rule);
  bool attr_bool(xml_attribute a, const std::string& path, bool& out);
  bool attr_int(xml_attribute a, const std::string& path, int64_t lo, int64_t hi, int64_t& out);
  bool collect_text(xml_node el, const std::string& path, std::string& raw, xml_node& first);
  bool text(xml_node el, const std::string& path, std::string& out, Expr rule);

  template <typename Fn>
  void children(xml_node el, const std::string& path, Fn&& fn);
  void no_children(xml_node el, const std::string& path);
  void no_attributes(xml_node el, const std::string& path);
  void unique_attributes(xml_node el, const std::string& path);
  void unknown_attribute(xml_attribute a, const std::string& path, std::string_view owner,
                         const char* hint = nullptr);
  void unknown_element(xml_node c, const std::string& path, std::string_view owner,
                       const char* hint = nullptr);

  void string_list(xml_node el, const char* item, const std::string& path,
                   std::vector<std::string>& out, Expr rule, bool at_least_one);
  void openid_config(xml_node el, const std::string& path, std::vector<OpenIdConfig>& out);
  void keys(xml_node el, const std::string& path, std::vector<PolicyKey>& out, bool signing);
  void claims(xml_node el, const std::string& path, std::vector<RequiredClaim>& out);
  void extensions(xml_node el, const std::string& path, Extensions& ext);

  const TextPositions& pos_;
  const LoadOptions& opts_;
  Diagnostics& diag_;
};

bool Walker::resolve(std::string_view raw, const std::string& what, Expr rule,
                     const std::string& path, Pos at, std::string& out) {
  if (rule != Expr::Allowed && is_policy_expression(raw)) {
    diag_.error("policy expressions are not allowed in " + what +
                    (rule == Expr::ApimForbids ? " (APIM forbids them too)"
                                               : " (jwtgate needs its value when the policy loads)"),
                path, at.line, at.column);
    return false;
  }
  return resolve_policy_value(raw, opts_, out, diag_, path, at.line, at.column);
}

bool Walker::attr_string(xml_attribute a, const std::string& path, std::string& out, Expr rule) {
  return resolve(a.value(), a.name(), rule, path, pos_.of(a), out);
}

bool Walker::attr_bool(xml_attribute a, const std::string& path, bool& out) {
  std::string s;
  if (!attr_string(a, path, s, Expr::Allowed)) return false;
  // Case-insensitive like the JSON loader (bool.Parse); the XSD's "1"/"0"
  // are refused.
  if (ascii_iequals(s, "true")) { out = true; return true; }
  if (ascii_iequals(s, "false")) { out = false; return true; }
  error(a, "must be true or false, not \"" + s + "\"", path);
  return false;
}

bool Walker::attr_int(xml_attribute a, const std::string& path, int64_t lo, int64_t hi,
                      int64_t& out) {
  std::string s;
  if (!attr_string(a, path, s, Expr::Allowed)) return false;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
    error(a, "must be an integer, not \"" + s + "\"", path);
    return false;
  }
  if (n < lo || n > hi) {
    error(a, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " +
                 std::to_string(n),
          path);
    return false;
  }
  out = n;
  return true;
}

// collect_text gathers an element's character data (text and CDATA), which
// must be all it holds; |first| is the first text node, for positions.
bool Walker::collect_text(xml_node el, const std::string& path, std::string& raw,
                          xml_node& first) {
  bool ok = true;
  for (xml_node c : el.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      if (!first) first = c;
      raw += c.value();
    } else if (c.type() == pugi::node_element) {
      unknown_element(c, path, el.name());
      ok = false;
    }
  }
  return ok;
}

// text reads a text-only element such as <audience> and resolves it. Values
// are compared with token claims, so surrounding whitespace (kept, as .NET's
// XElement.Value keeps it) is almost always a layout accident: warn.
bool Walker::text(xml_node el, const std::string& path, std::string& out, Expr rule) {
  std::string raw;
  xml_node first;
  no_attributes(el, path);
  if (!collect_text(el, path, raw, first)) return false;
  const Pos at = first ? pos_.of(first) : pos_.of(el);
  if (!raw.empty() && (is_xml_space(raw.front()) || is_xml_space(raw.back())))
    diag_.warn("the value has leading or trailing whitespace, which is kept: a token value "
               "matches only if it has the same whitespace",
               path, at.line, at.column);
  return resolve(raw, "<" + std::string(el.name()) + ">", rule, path, at, out);
}

// children calls fn(child) for every child element; text other than layout
// whitespace has no place in a container element.
template <typename Fn>
void Walker::children(xml_node el, const std::string& path, Fn&& fn) {
  for (xml_node c : el.children()) {
    if (c.type() == pugi::node_element) {
      fn(c);
    } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
               !is_blank(c.value())) {
      error(c, "unexpected text \"" + snippet(c.value()) + "\" in <" + std::string(el.name()) + ">",
            path);
    }
  }
}

void Walker::no_children(xml_node el, const std::string& path) {
  children(el, path, [&](xml_node c) { unknown_element(c, path, el.name()); });
}

void Walker::no_attributes(xml_node el, const std::string& path) {
  for (xml_attribute a : el.attributes()) unknown_attribute(a, path, el.name());
}

// XML 1.0 section 3.1 (Unique Att Spec): pugixml does not check it.
void Walker::unique_attributes(xml_node el, const std::string& path) {
  std::set<std::string_view> seen;
  for (xml_attribute a : el.attributes())
    if (!seen.insert(a.name()).second)
      error(a, "attribute \"" + std::string(a.name()) + "\" appears twice", path);
}

void Walker::unknown_attribute(xml_attribute a, const std::string& path, std::string_view owner,
                               const char* hint) {
  error(a,
        "unknown attribute \"" + std::string(a.name()) + "\" for " + std::string(owner) +
            (hint ? std::string(" (") + hint + ")" : std::string()),
        path);
}

void Walker::unknown_element(xml_node c, const std::string& path, std::string_view owner,
                             const char* hint) {
  error(c,
        "unknown element <" + std::string(c.name()) + "> in " + std::string(owner) +
            (hint ? std::string(" (") + hint + ")" : std::string()),
        path);
}

std::string indexed(const std::string& path, const char* item, size_t i) {
  return path + "/" + item + "[" + std::to_string(i) + "]";
}

void Walker::string_list(xml_node el, const char* item, const std::string& path,
                         std::vector<std::string>& out, Expr rule, bool at_least_one) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    if (std::string_view(c.name()) != item) {
      unknown_element(c, path, el.name());
      return;
    }
    const std::string ip = indexed(path, item, ++n);
    std::string s;
    if (text(c, ip, s, rule)) out.push_back(std::move(s));
  });
  // validate-jwt reference: "At least one audience must be specified."
  if (at_least_one && n == 0)
    error(el, "At least one " + std::string(item) + " must be specified (an empty <" +
                  std::string(el.name()) + "> is refused, as in APIM)",
          path);
}

void Walker::openid_config(xml_node el, const std::string& path, std::vector<OpenIdConfig>& out) {
  unique_attributes(el, path);
  no_children(el, path);
  OpenIdConfig c;
  c.line = pos_.of(el).line;
  bool has_url = false, url_given = false;
  for (xml_attribute a : el.attributes()) {
    const std::string_view k = a.name();
    const std::string ap = path + "/@" + std::string(k);
    if (k == "url") {
      url_given = true;
      has_url = attr_string(a, ap, c.url, Expr::Allowed);
    } else if (k == "validate-connectivity") {
      attr_bool(a, ap, c.validate_connectivity);
    } else if (k == "host") {
      warn(a, "\"host\" is known only to the APIM schema and is ignored", ap);
    } else {
      unknown_attribute(a, path, "openid-config");
    }
  }
  if (url_given && !has_url) return;  // the url's own error says why
  if (!has_url) error(el, "openid-config needs a url", path);
  else out.push_back(std::move(c));
}

void Walker::keys(xml_node el, const std::string& path, std::vector<PolicyKey>& out,
                  bool signing) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    const std::string_view name = c.name();
    if (signing && name == "zumo-master-key") {
      // XSD: a choice of <key> and <zumo-master-key> (Mobile Services, legacy).
      warn(c, "zumo-master-key is known only to the APIM schema and is ignored",
           path + "/zumo-master-key");
      return;
    }
    if (name != "key") {
      unknown_element(c, path, el.name());
      return;
    }
    const std::string kp = indexed(path, "key", ++n);
    unique_attributes(c, kp);
    PolicyKey k;
    k.line = pos_.of(c).line;
    for (xml_attribute a : c.attributes()) {
      const std::string_view an = a.name();
      const std::string ap = kp + "/@" + std::string(an);
      if (an == "id") attr_string(a, ap, k.id, Expr::Allowed);
      else if (an == "certificate-id") attr_string(a, ap, k.certificate_id, Expr::Allowed);
      else if (an == "n" && signing) attr_string(a, ap, k.n, Expr::ApimForbids);
      else if (an == "e" && signing) attr_string(a, ap, k.e, Expr::ApimForbids);
      else unknown_attribute(a, kp, "key");
    }
    // The element text is the base64 secret ("value" in JSON). Layout
    // whitespace next to another key form is not a second form.
    std::string raw;
    xml_node first;
    if (!collect_text(c, kp, raw, first)) return;
    const bool other_form = !k.certificate_id.empty() || !k.n.empty() || !k.e.empty();
    if (!raw.empty() && !(other_form && is_blank(raw)) &&
        !resolve(raw, "<key>", Expr::Allowed, kp, pos_.of(first), k.value))
      return;
    const int forms =
        !k.certificate_id.empty() + (!k.n.empty() || !k.e.empty()) + !k.value.empty();
    if (forms != 1) {
      error(c,
            "a key needs exactly one of: base64 element text, \"certificate-id\", or \"n\" with "
            "\"e\"",
            kp);
      return;
    }
    if (k.n.empty() != k.e.empty()) {
      error(c, "an RSA key needs both \"n\" and \"e\"", kp);
      return;
    }
    out.push_back(std::move(k));
  });
}

void Walker::claims(xml_node el, const std::string& path, std::vector<RequiredClaim>& out) {
  no_attributes(el, path);
  size_t n = 0;
  children(el, path, [&](xml_node c) {
    if (std::string_view(c.name()) != "claim") {
      unknown_element(c, path, el.name());
      return;
    }
    const std::string cp = indexed(path, "claim", ++n);
    unique_attributes(c, cp);
    RequiredClaim rc;
    bool ok = true;
    for (xml_attribute a : c.attributes()) {
      const std::string_view k = a.name();
      const std::string ap = cp + "/@" + std::string(k);
      if (k == "name") {
        ok &= attr_string(a, ap, rc.name, Expr::Allowed);
      } else if (k == "match") {
        std::string m;
        if (attr_string(a, ap, m, Expr::Allowed)) {
          if (m == "all") rc.match_all = true;
          else if (m == "any") rc.match_all = false;
          else {
            error(a, "match must be \"all\" or \"any\", not \"" + m + "\"", ap);
            ok = false;
          }
        }
      } else if (k == "separator") {
        ok &= attr_string(a, ap, rc.separator, Expr::Allowed);
      } else {
        unknown_attribute(a, cp, "claim");
      }
    }
    size_t v = 0;
    children(c, cp, [&](xml_node vc) {
      if (std::string_view(vc.name()) != "value") {
        unknown_element(vc, cp, "claim");
        return;
      }
      std::string s;
      if (text(vc, indexed(cp, "value", ++v), s, Expr::Allowed))
        rc.values.push_back(std::move(s));
    });
    if (rc.name.empty()) {
      if (!c.attribute("name") || ok) error(c, "a required claim needs a non-empty \"name\"", cp);
    } else if (ok) {
      out.push_back(std::move(rc));
    }
  });
}

void Walker::extensions(xml_node el, const std::string& path, Extensions& ext) {
  unique_attributes(el, path);
  no_children(el, path);
  for (xml_attribute a : el.attributes()) {
    const std::string_view k = a.name();
    const std::string ap = path + "/@" + std::string(k);
    int64_t n = 0;
    if (k == "algorithms") {
      // Space-separated JWS names, the XML spelling of the JSON array.
      std::string list;
      if (!attr_string(a, ap, list, Expr::NeededAtLoad)) continue;
      AlgSet set = 0;
      size_t count = 0, pos = 0;
      while (pos < list.size()) {
        while (pos < list.size() && is_xml_space(list[pos])) ++pos;
        size_t end = pos;
        while (end < list.size() && !is_xml_space(list[end])) ++end;
        if (end == pos) break;
        const std::string name = list.substr(pos, end - pos);
        ++count;
        const Alg alg = alg_from_name(name);
        if (alg == Alg::Unknown)
          error(a, "\"" + name + "\" is not a JWS algorithm jwtgate implements", ap);
        else
          set |= alg_bit(alg);
        pos = end;
      }
      if (count == 0) error(a, "must list at least one algorithm", ap);
      ext.algorithms = set;
    } else if (k == "typ") {
      attr_string(a, ap, ext.typ, Expr::NeededAtLoad);
    } else if (k == "min-rsa-bits") {
      if (attr_int(a, ap, 1024, 16384, n)) ext.key_rules.min_rsa_bits = static_cast<int>(n);
    } else if (k == "min-hmac-bits") {
      if (attr_int(a, ap, 128, 4096, n)) ext.key_rules.min_hmac_bits = static_cast<int>(n);
    } else if (k == "max-token-bytes") {
      if (attr_int(a, ap, 64, 1024 * 1024, n)) ext.limits.max_token_bytes = static_cast<size_t>(n);
    } else if (k == "max-json-depth") {
      if (attr_int(a, ap, 2, 64, n)) ext.limits.max_json_depth = static_cast<size_t>(n);
    } else if (k == "reject-future-iat") {
      attr_bool(a, ap, ext.reject_future_iat);
    } else {
      error(a, "unknown jwtgate extension \"" + std::string(k) + "\"", path);
    }
  }
}

// Attributes and elements that belong to the other validation policy, for a
// hint in the "unknown" message.
bool jwt_only(std::string_view k) {
  return k == "require-expiration-time" || k == "require-signed-tokens" || k == "clock-skew" ||
         k == "openid-config" || k == "issuer-signing-keys" || k == "issuers" ||
         k == "issuer-signing-tokens";
}
bool aad_only(std::string_view k) {
  return k == "tenant-id" || k == "authentication-endpoint" || k == "client-application-ids" ||
         k == "backend-application-ids" || k == "allow-protected-forwarded-tokens" ||
         k == "allow-proof-of-possession-tokens";
}

void Walker::policy(xml_node el, PolicyKind kind, Policy& p) {
  p = Policy{};
  p.kind = kind;
  const bool jwt = kind == PolicyKind::ValidateJwt;
  const std::string root = jwt ? kJwt : kAad;
  const char* other = jwt ? "it belongs to validate-azure-ad-token" : "it belongs to validate-jwt";
  int sources = 0;
  bool tenant_ok = true;  // false: tenant-id's own error was reported
  unique_attributes(el, root);
  for (xml_attribute a : el.attributes()) {
    const std::string_view k = a.name();
    const std::string ap = root + "/@" + std::string(k);
    int64_t n = 0;
    if (k == "id") {
      attr_string(a, ap, p.id, Expr::NeededAtLoad);
    } else if (k == "header-name") {
      ++sources;
      p.source = TokenSourceKind::Header;
      attr_string(a, ap, p.header_name, Expr::Allowed);
    } else if (k == "query-parameter-name") {
      ++sources;
      p.source = TokenSourceKind::Query;
      attr_string(a, ap, p.query_parameter_name, Expr::Allowed);
    } else if (k == "token-value") {
      ++sources;
      p.source = TokenSourceKind::Value;
      attr_string(a, ap, p.token_value, Expr::Allowed);
    } else if (k == "failed-validation-httpcode") {
      if (attr_int(a, ap, 100, 599, n)) p.failed_status = static_cast<int>(n);
    } else if (k == "failed-validation-error-message") {
      std::string m;
      if (attr_string(a, ap, m, Expr::Allowed)) p.failed_message = std::move(m);
    } else if (k == "output-token-variable-name") {
      attr_string(a, ap, p.output_token_variable_name, Expr::ApimForbids);
    } else if (jwt && k == "require-expiration-time") {
      attr_bool(a, ap, p.require_expiration_time);
    } else if (jwt && k == "require-scheme") {
      attr_string(a, ap, p.require_scheme, Expr::Allowed);
    } else if (jwt && k == "require-signed-tokens") {
      attr_bool(a, ap, p.require_signed_tokens);
    } else if (jwt && k == "clock-skew") {
      if (attr_int(a, ap, 0, 86400, n)) p.clock_skew = n;
    } else if (!jwt && k == "tenant-id") {
      tenant_ok = attr_string(a, ap, p.tenant_id, Expr::Allowed);
    } else if (!jwt && k == "authentication-endpoint") {
      attr_string(a, ap, p.authentication_endpoint, Expr::Allowed);
    } else if (!jwt && (k == "require-scheme" || k == "allow-protected-forwarded-tokens" ||
                        k == "allow-proof-of-possession-tokens")) {
      warn(a, std::string(k) + " is known only to the APIM schema and is not supported", ap);
    } else {
      unknown_attribute(a, root, root, (jwt ? aad_only(k) : jwt_only(k)) ? other : nullptr);
    }
  }

  // APIM's XSD orders validate-jwt's children (xs:sequence) but its own
  // documentation example does not: any order is accepted. Elements that
  // the XSD allows once are refused when repeated.
  std::set<std::string_view> seen;
  size_t openid = 0;
  children(el, root, [&](xml_node c) {
    const std::string_view k = c.name();
    const std::string cp = root + "/" + std::string(k);
    const bool known_once =
        k == "audiences" || k == "required-claims" || k == "decryption-keys" || k == "jwtgate" ||
        (jwt ? k == "issuer-signing-keys" || k == "issuers" || k == "issuer-signing-tokens"
             : k == "client-application-ids" || k == "backend-application-ids");
    if (known_once && !seen.insert(k).second) {
      error(c, "<" + std::string(k) + "> appears twice", cp);
      return;
    }
    if (k == "audiences") {
      string_list(c, "audience", cp, p.audiences, Expr::Allowed, true);
    } else if (k == "required-claims") {
      claims(c, cp, p.required_claims);
    } else if (k == "decryption-keys") {
      keys(c, cp, p.decryption_keys, false);
    } else if (k == "jwtgate") {
      extensions(c, cp, p.ext);
    } else if (jwt && k == "openid-config") {
      openid_config(c, root + "/openid-config[" + std::to_string(++openid) + "]",
                    p.openid_configs);
    } else if (jwt && k == "issuer-signing-keys") {
      keys(c, cp, p.issuer_signing_keys, true);
    } else if (jwt && k == "issuers") {
      string_list(c, "issuer", cp, p.issuers, Expr::Allowed, false);
    } else if (jwt && k == "issuer-signing-tokens") {
      warn(c, "issuer-signing-tokens is known only to the APIM schema and is ignored", cp);
    } else if (!jwt && k == "client-application-ids") {
      string_list(c, "application-id", cp, p.client_application_ids, Expr::ApimForbids, false);
    } else if (!jwt && k == "backend-application-ids") {
      string_list(c, "application-id", cp, p.backend_application_ids, Expr::ApimForbids, false);
    } else {
      unknown_element(c, root, root, (jwt ? aad_only(k) : jwt_only(k)) ? other : nullptr);
    }
  });

  if (sources > 1)
    error(el, "give only one of header-name, query-parameter-name and token-value", root);
  if (jwt && sources == 0)
    error(el, "one of header-name, query-parameter-name or token-value must be specified", root);
  if (!jwt && p.tenant_id.empty() && tenant_ok) error(el, "tenant-id is required", root);
}

struct Candidate {
  xml_node el;
  PolicyKind kind;
  std::string id;
};

// for_each_nested calls fn(el) for every validation element below |top|,
// without descending into one. Iterative: a pasted document may nest deeply.
template <typename Fn>
void for_each_nested(xml_node top, Fn&& fn) {
  xml_node n = top.first_child();
  while (n) {
    PolicyKind kind;
    const bool element = n.type() == pugi::node_element;
    if (element && policy_kind(n.name(), kind)) fn(n);
    else if (element && n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n != top && !n.next_sibling()) n = n.parent();
    if (n == top) break;
    n = n.next_sibling();
  }
}

bool is_section(std::string_view name) {
  return name == "inbound" || name == "backend" || name == "outbound" || name == "on-error";
}

// collect_section finds the validation elements of one section of a policy
// document that can be chosen: the direct children of <inbound>. APIM allows
// validate-jwt and validate-azure-ad-token in the inbound section only
// (apim-semantics 1.1), so one elsewhere makes the document invalid. One
// nested in <choose> is legal APIM, but jwtgate cannot evaluate its
// condition: it is reported and not offered.
void collect_section(xml_node section, const std::string& base, const TextPositions& pos,
                     Diagnostics& diag, std::vector<Candidate>& found) {
  const std::string sname = section.name();
  const std::string spath = base + sname;
  if (sname != "inbound") {
    for_each_nested(section, [&](xml_node v) {
      const Pos p = pos.of(v);
      diag.error("<" + std::string(v.name()) + "> is in <" + sname +
                     ">: APIM allows it in the inbound section only",
                 spath + "/" + v.name(), p.line, p.column);
    });
    return;
  }
  PolicyKind kind;
  for (xml_node c : section.children()) {
    if (c.type() != pugi::node_element) continue;
    if (policy_kind(c.name(), kind)) {
      found.push_back({c, kind, c.attribute("id").value()});
      continue;
    }
    const std::string holder = c.name();
    for_each_nested(c, [&](xml_node v) {
      const Pos p = pos.of(v);
      diag.warn("<" + std::string(v.name()) + "> inside <" + holder +
                    "> is not used: jwtgate does not evaluate policy conditions, so only "
                    "direct children of <inbound> can be selected",
                spath + "/" + holder, p.line, p.column);
    });
  }
}

// collect_policies: a whole <policies> document, whose children are the
// sections.
void collect_policies(xml_node policies, const TextPositions& pos, Diagnostics& diag,
                      std::vector<Candidate>& found) {
  for (xml_node section : policies.children()) {
    if (section.type() != pugi::node_element) continue;
    PolicyKind kind;
    if (policy_kind(section.name(), kind)) {
      const Pos p = pos.of(section);
      diag.error("<" + std::string(section.name()) +
                     "> must be inside <inbound>: APIM allows it in the inbound section only",
                 std::string("policies/") + section.name(), p.line, p.column);
      continue;
    }
    collect_section(section, "policies/", pos, diag, found);
  }
}

// choose applies opts.select: an id, else a 1-based position (as the JSON
// loader does), and lists what exists when nothing matches.
const Candidate* choose(const std::vector<Candidate>& found, const std::string& select,
                        const TextPositions& pos, Diagnostics& diag) {
  if (select.empty()) return &found[0];
  for (const Candidate& c : found)
    if (c.id == select) return &c;
  size_t n = 0;
  auto [ptr, ec] = std::from_chars(select.data(), select.data() + select.size(), n);
  if (ec == std::errc() && ptr == select.data() + select.size() && n >= 1 && n <= found.size())
    return &found[n - 1];
  std::string list;
  for (size_t i = 0; i < found.size(); ++i) {
    list += (i ? "; " : "") + std::to_string(i + 1) + ": <" + found[i].el.name() + ">";
    if (!found[i].id.empty()) list += " id=\"" + found[i].id + "\"";
    list += " at line " + std::to_string(pos.of(found[i].el).line);
  }
  diag.error("no validation element has id or position \"" + select + "\" (" +
             std::to_string(found.size()) + " found: " + list + ")");
  return nullptr;
}

// ---- writing ----

// escape makes |s| safe as XML character data. Whitespace other than space
// in an attribute would be normalised to spaces when read back (XML 1.0
// section 3.3.3), and a CR in text would become LF (section 2.11), so those
// are written as character references, which both rules leave alone.
std::string escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '"' && attribute) out += "&quot;";
    else if (c < 0x20 && (attribute || (ch != '\t' && ch != '\n')))
      out += "&#" + std::to_string(c) + ";";
    else out += ch;
  }
  return out;
}

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

void set_attr(xml_node n, const char* name, std::string_view value) {
  n.append_attribute(name).set_value(escape(value, true).c_str());
}

void add_text_element(xml_node parent, const char* name, std::string_view value) {
  xml_node e = parent.append_child(name);
  if (!value.empty()) e.append_child(pugi::node_pcdata).set_value(escape(value, false).c_str());
}

void add_list(xml_node parent, const char* name, const char* item,
              const std::vector<std::string>& values) {
  if (values.empty()) return;
  xml_node list = parent.append_child(name);
  for (const auto& v : values) add_text_element(list, item, v);
}

void add_keys(xml_node parent, const char* name, const std::vector<PolicyKey>& keys) {
  if (keys.empty()) return;
  xml_node list = parent.append_child(name);
  for (const PolicyKey& k : keys) {
    xml_node e = list.append_child("key");
    if (!k.id.empty()) set_attr(e, "id", k.id);
    if (!k.certificate_id.empty()) set_attr(e, "certificate-id", k.certificate_id);
    if (!k.n.empty()) {
      set_attr(e, "n", k.n);
      set_attr(e, "e", k.e);
    }
    if (!k.value.empty()) e.append_child(pugi::node_pcdata).set_value(escape(k.value, false).c_str());
  }
}

}  // namespace

bool load_policy_xml(std::string_view text, const LoadOptions& opts, Policy& out,
                     Diagnostics& diag) {
  // XML 1.0 section 2.2: U+0000 is not a character; pugixml would stop there.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const Pos p = TextPositions(text, nullptr).at(nul);
    diag.error("policy contains a NUL byte, which XML does not allow", {}, p.line, p.column);
    return false;
  }
  // Parsed in place from a copy so that node offsets are offsets in |text|.
  // parse_fragment keeps top-level text so that it can be refused;
  // parse_doctype keeps the DOCTYPE so that it can be refused (pugixml never
  // expands entities, but a DTD has no business in a policy);
  // parse_ws_pcdata_single keeps <value> </value> as the space it holds.
  // pugixml overwrites the buffer's last byte with its terminator; the extra
  // NUL is that byte, so no character of the document is lost.
  std::string buffer(text);
  buffer.push_back('\0');
  pugi::xml_document doc;
  const unsigned options = pugi::parse_default | pugi::parse_ws_pcdata_single |
                           pugi::parse_doctype | pugi::parse_fragment;
  const pugi::xml_parse_result r =
      doc.load_buffer_inplace(buffer.data(), buffer.size(), options, pugi::encoding_utf8);
  const TextPositions pos(text, buffer.data());
  static const char* const kNoDoctype =
      "a policy must not contain a DOCTYPE declaration (DTDs and entity definitions are refused)";
  if (!r) {
    const Pos p = pos.at(static_cast<size_t>(std::max<ptrdiff_t>(r.offset, 0)));
    if (r.status == pugi::status_bad_doctype)
      diag.error(kNoDoctype, {}, p.line, p.column);
    else
      diag.error(std::string("policy is not well-formed XML: ") + r.description(), {}, p.line,
                 p.column);
    return false;
  }

  xml_node root;
  bool doctype = false;
  for (xml_node c : doc.children()) {
    if (c.type() == pugi::node_doctype) {
      const Pos p = pos.doctype(c);
      diag.error(kNoDoctype, {}, p.line, p.column);
      doctype = true;
    } else if (c.type() == pugi::node_element) {
      if (!root) {
        root = c;
      } else {
        const Pos p = pos.of(c);
        diag.error("a policy has one top-level element; <" + std::string(c.name()) +
                       "> follows <" + root.name() + ">",
                   c.name(), p.line, p.column);
      }
    } else if ((c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) &&
               !is_blank(c.value())) {
      const Pos p = pos.of(c);
      diag.error("text \"" + snippet(c.value()) + "\" outside the top-level element", {}, p.line,
                 p.column);
    }
  }
  if (doctype) return false;
  if (!root) {
    diag.error("policy has no XML element");
    return false;
  }

  std::vector<Candidate> found;
  PolicyKind kind;
  if (policy_kind(root.name(), kind)) {
    found.push_back({root, kind, root.attribute("id").value()});
  } else if (std::string_view(root.name()) == "policies") {
    collect_policies(root, pos, diag, found);
  } else if (is_section(root.name())) {
    // A section on its own, as articles quote policies ("<inbound>...").
    collect_section(root, "", pos, diag, found);
  } else {
    const Pos p = pos.of(root);
    diag.error("the top-level element is <" + std::string(root.name()) +
                   ">; expected validate-jwt, validate-azure-ad-token, policies or inbound",
               root.name(), p.line, p.column);
    return false;
  }
  if (found.empty()) {
    if (!diag.has_errors())
      diag.error("no validate-jwt or validate-azure-ad-token element found as a direct child "
                 "of <inbound>");
    return false;
  }
  const Candidate* chosen = choose(found, opts.select, pos, diag);
  if (!chosen) return false;
  Walker w(pos, opts, diag);
  w.policy(chosen->el, chosen->kind, out);
  return !diag.has_errors();
}

std::string policy_to_xml(const Policy& p) {
  const bool jwt = p.kind == PolicyKind::ValidateJwt;
  pugi::xml_document doc;
  xml_node root = doc.append_child(jwt ? kJwt : kAad);

  // Attributes in one fixed order (the JSON writer's), defaults written out
  // so that the effective settings are visible.
  if (!p.id.empty()) set_attr(root, "id", p.id);
  if (!jwt) set_attr(root, "tenant-id", p.tenant_id);
  switch (p.source) {
    case TokenSourceKind::Header: set_attr(root, "header-name", p.header_name); break;
    case TokenSourceKind::Query: set_attr(root, "query-parameter-name", p.query_parameter_name); break;
    case TokenSourceKind::Value: set_attr(root, "token-value", p.token_value); break;
  }
  if (!jwt && !p.authentication_endpoint.empty())
    set_attr(root, "authentication-endpoint", p.authentication_endpoint);
  set_attr(root, "failed-validation-httpcode", std::to_string(p.failed_status));
  if (p.failed_message) set_attr(root, "failed-validation-error-message", *p.failed_message);
  if (jwt) {
    set_attr(root, "require-expiration-time", p.require_expiration_time ? "true" : "false");
    if (!p.require_scheme.empty()) set_attr(root, "require-scheme", p.require_scheme);
    set_attr(root, "require-signed-tokens", p.require_signed_tokens ? "true" : "false");
    set_attr(root, "clock-skew", std::to_string(p.clock_skew));
  }
  if (!p.output_token_variable_name.empty())
    set_attr(root, "output-token-variable-name", p.output_token_variable_name);

  // Children in the order of APIM's policy statements. validate-azure-ad-token
  // has no openid-config, issuers or issuer-signing-keys: what derive_azure_ad
  // put there is derived from tenant-id and is derived again on load.
  if (jwt) {
    for (const OpenIdConfig& c : p.openid_configs) {
      xml_node e = root.append_child("openid-config");
      set_attr(e, "url", c.url);
      if (!c.validate_connectivity) set_attr(e, "validate-connectivity", "false");
    }
    add_keys(root, "issuer-signing-keys", p.issuer_signing_keys);
    add_keys(root, "decryption-keys", p.decryption_keys);
    add_list(root, "audiences", "audience", p.audiences);
    add_list(root, "issuers", "issuer", p.issuers);
  } else {
    add_list(root, "client-application-ids", "application-id", p.client_application_ids);
    add_list(root, "backend-application-ids", "application-id", p.backend_application_ids);
    add_list(root, "audiences", "audience", p.audiences);
  }
  if (!p.required_claims.empty()) {
    xml_node list = root.append_child("required-claims");
    for (const RequiredClaim& c : p.required_claims) {
      xml_node e = list.append_child("claim");
      set_attr(e, "name", c.name);
      set_attr(e, "match", c.match_all ? "all" : "any");
      if (!c.separator.empty()) set_attr(e, "separator", c.separator);
      for (const auto& v : c.values) add_text_element(e, "value", v);
    }
  }
  if (!jwt) add_keys(root, "decryption-keys", p.decryption_keys);

  // jwtgate extensions: written only where they differ from the defaults.
  const Extensions def;
  const Extensions& e = p.ext;
  xml_node ext;
  auto ext_attr = [&](const char* name, std::string_view value) {
    if (!ext) ext = root.append_child("jwtgate");
    set_attr(ext, name, value);
  };
  if (e.algorithms) {
    std::string names;
    for (int i = 0; i < kAlgCount; ++i)
      if (e.algorithms & alg_bit(static_cast<Alg>(i)))
        names += (names.empty() ? "" : " ") + std::string(alg_name(static_cast<Alg>(i)));
    ext_attr("algorithms", names);
  }
  if (!e.typ.empty()) ext_attr("typ", e.typ);
  if (e.key_rules.min_rsa_bits != def.key_rules.min_rsa_bits)
    ext_attr("min-rsa-bits", std::to_string(e.key_rules.min_rsa_bits));
  if (e.key_rules.min_hmac_bits != def.key_rules.min_hmac_bits)
    ext_attr("min-hmac-bits", std::to_string(e.key_rules.min_hmac_bits));
  if (e.limits.max_token_bytes != def.limits.max_token_bytes)
    ext_attr("max-token-bytes", std::to_string(e.limits.max_token_bytes));
  if (e.limits.max_json_depth != def.limits.max_json_depth)
    ext_attr("max-json-depth", std::to_string(e.limits.max_json_depth));
  if (e.reject_future_iat) ext_attr("reject-future-iat", "true");

  std::string out;
  StringWriter writer(out);
  doc.save(writer, "    ", pugi::format_indent | pugi::format_no_declaration | pugi::format_no_escapes,
           pugi::encoding_utf8);
  return out;
}

}  // namespace jwtgate
