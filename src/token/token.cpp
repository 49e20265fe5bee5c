// Compact JWS parsing: the syntactic steps of RFC 7515 section 5.2 and RFC
// 7519 section 7.2 (everything but checking the signature and the claims),
// plus the header rules that keep a token from choosing how it is verified
// (RFC 8725).
#include "token/token.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <utility>

#include "core/ascii.h"
#include "core/quote.h"
#include "encoding/base64url.h"
#include "encoding/json_members.h"
#include "encoding/json_dom.h"

namespace jwtgate {
namespace {

// Header Parameters defined by RFC 7515 section 4.1 for JWS (RFC 7518 adds
// none for JWS). RFC 7515 section 4.1.11 forbids listing them in "crit".
constexpr std::array<std::string_view, 11> kRegisteredHeaders = {
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"};

const char* json_type_name(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "an unknown JSON value";
}

constexpr bool in_base64url_alphabet(char c) { return is_ascii_alnum(c) || c == '-' || c == '_'; }

// base64url_defect explains why |seg| failed strict decoding. It runs only on
// failure. It names a character class and an offset, never the segment's
// bytes: the signature segment must not leak into details.
std::string base64url_defect(std::string_view seg) {
  for (size_t i = 0; i < seg.size(); ++i) {
    const auto c = static_cast<unsigned char>(seg[i]);
    if (in_base64url_alphabet(seg[i])) continue;
    const std::string at = " at offset " + std::to_string(i);
    if (c == '=') return "'=' padding" + at + " (RFC 7515 section 2: base64url without padding)";
    if (c == '+' || c == '/')
      return std::string("'") + static_cast<char>(c) + "'" + at +
             ": standard base64, not base64url (RFC 4648 section 5)";
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
      return "whitespace" + at + " (RFC 7515 section 2 allows none)";
    if (c >= 0x80) return "a non-ASCII byte" + at;
    return "a character outside the base64url alphabet" + at;
  }
  if (seg.size() % 4 == 1)
    return "its length, " + std::to_string(seg.size()) +
           ", is one more than a multiple of 4, which no byte string encodes to";
  return "the unused low bits of its last character are not zero, a non-canonical "
         "encoding (RFC 4648 section 3.5)";
}

bool decode_segment(std::string_view seg, std::vector<uint8_t>& buf, size_t* len) {
  return base64url_decode(seg, buf.data(), len);
}

std::string_view as_text(const std::vector<uint8_t>& buf, size_t len) {
  return {reinterpret_cast<const char*>(buf.data()), len};
}

// parse_object parses one decoded segment and requires a JSON object without
// repeated member names. |fail| is null when an earlier check has already
// failed: the segment is still parsed so that diagnostics can show it, but
// the first failure is the one reported.
bool parse_object(simdjson::dom::parser& parser, simdjson::dom::document& doc,
                  std::string_view text, std::string_view part, size_t depth_limit,
                  object* out, ParseFailure* fail, MemberIndex* index = nullptr) {
  element root;
  // The caller's buffer carries SIMDJSON_PADDING bytes after the text, so
  // simdjson reads it in place (realloc_if_needed = false).
  const simdjson::error_code err =
      parser
          .parse_into_document(doc, reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                               false)
          .get(root);
  if (err == simdjson::MEMALLOC) throw std::bad_alloc();
  if (err) {
    if (!fail) return false;
    if (err == simdjson::DEPTH_ERROR)
      return fail_with(*fail, JWTGATE_REASON_JSON_TOO_DEEP, part,
                       std::string(part) + " nests objects and arrays deeper than the limit of " +
                           std::to_string(depth_limit) +
                           (depth_limit == 1 ? " level" : " levels"));
    return fail_with(*fail, JWTGATE_REASON_BAD_JSON, part,
                     std::string(part) + " is not valid JSON: " + simdjson::error_message(err));
  }
  if (root.type() != element_type::OBJECT) {
    if (!fail) return false;
    // RFC 7515 section 4 (the JOSE Header) and RFC 7519 section 7.2 step 10
    // (the claims) are both JSON objects.
    return fail_with(*fail, JWTGATE_REASON_NOT_JSON_OBJECT, part,
                     std::string(part) + " is " + json_type_name(root.type()) +
                         ", not a JSON object");
  }
  std::string_view dup;
  // With |index| (the claims), the pass that looks for repeated names also
  // files the top-level members by name for the claim checks.
  if (index ? json_find_duplicate_member_indexed(root.get_object().value_unsafe(), &dup, index)
            : json_find_duplicate_member(root, &dup)) {
    if (!fail) return false;
    return fail_with(*fail, JWTGATE_REASON_DUPLICATE_MEMBER, dup,
                     std::string(part) + " repeats the member name " + jwtgate::quoted(dup, kMaxQuoted) +
                         " (RFC 7515 section 4, RFC 7519 section 4: names must be unique)");
  }
  *out = root.get_object().value_unsafe();
  return true;
}

// A header member found in the single pass over the header.
struct Member {
  element value;
  bool present = false;
  void set(element v) {
    value = v;
    present = true;
  }
};

struct HeaderMembers {
  Member alg, crit, jwk, jku, x5u, x5c, b64, kid, typ, nonce;
};

// collect_members visits every header member once; the checks below then run
// in their documented order regardless of member order.
void collect_members(object header, HeaderMembers& m) {
  for (const key_value_pair field : header) {
    const std::string_view k = field.key;
    if (k.size() == 3) {
      if (k == "alg") m.alg.set(field.value);
      else if (k == "kid") m.kid.set(field.value);
      else if (k == "typ") m.typ.set(field.value);
      else if (k == "jwk") m.jwk.set(field.value);
      else if (k == "jku") m.jku.set(field.value);
      else if (k == "x5u") m.x5u.set(field.value);
      else if (k == "x5c") m.x5c.set(field.value);
      else if (k == "b64") m.b64.set(field.value);
    } else if (k == "crit") {
      m.crit.set(field.value);
    } else if (k == "nonce") {
      m.nonce.set(field.value);
    }
  }
}

bool wrong_type(ParseFailure& fail, std::string_view name, element v, const char* expected,
                const char* rfc) {
  return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, name,
                   "header " + jwtgate::quoted(name, kMaxQuoted) + " is " + json_type_name(v.type()) + ", not " +
                       expected + " (" + rfc + ")");
}

// check_crit applies RFC 7515 section 4.1.11. The only extension jwtgate
// understands is RFC 7797's "b64", and only so that a token that follows RFC
// 7797 section 6 (b64 listed in crit) is refused for what it is, an
// unencoded payload, or accepted when b64 is true (the ordinary encoding).
bool check_crit(object header, element crit, ParseFailure& fail) {
  if (crit.type() != element_type::ARRAY)
    return wrong_type(fail, "crit", crit, "an array of member names", "RFC 7515 section 4.1.11");
  const simdjson::dom::array list = crit.get_array().value_unsafe();
  if (list.size() == 0)
    return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                     "header \"crit\" is an empty array, which RFC 7515 section 4.1.11 forbids");
  size_t index = 0;
  for (const element entry : list) {
    if (entry.type() != element_type::STRING)
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "crit",
                       "header \"crit\" lists " + std::string(json_type_name(entry.type())) +
                           "; every entry must be a member name (RFC 7515 section 4.1.11)");
    const std::string_view name = entry.get_string().value_unsafe();
    if (std::find(kRegisteredHeaders.begin(), kRegisteredHeaders.end(), name) !=
        kRegisteredHeaders.end())
      return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                       "header \"crit\" lists " + jwtgate::quoted(name, kMaxQuoted) +
                           ", a header parameter of RFC 7515 itself, which section 4.1.11 "
                           "forbids listing");
    size_t earlier = 0;
    for (const element prev : list) {
      if (earlier++ == index) break;
      if (prev.get_string().value_unsafe() == name)
        return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                         "header \"crit\" lists " + jwtgate::quoted(name, kMaxQuoted) +
                             " twice (RFC 7515 section 4.1.11 forbids duplicates)");
    }
    ++index;
    if (header.at_key(name).error())
      return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                       "header \"crit\" lists " + jwtgate::quoted(name, kMaxQuoted) +
                           ", which is not a member of the header (RFC 7515 section 4.1.11)");
    if (name != "b64")
      return fail_with(fail, JWTGATE_REASON_CRIT_UNSUPPORTED, "crit",
                       "header \"crit\" lists " + jwtgate::quoted(name, kMaxQuoted) +
                           ", an extension jwtgate does not implement");
  }
  return true;
}

// read_header_fields fills alg_name, kid, typ and has_nonce from |m|, as far
// as they have the right type.
void read_header_fields(const HeaderMembers& m, ParsedToken& out) {
  if (m.alg.present && m.alg.value.type() == element_type::STRING)
    out.alg_name = m.alg.value.get_string().value_unsafe();
  if (m.kid.present && m.kid.value.type() == element_type::STRING) {
    out.kid = m.kid.value.get_string().value_unsafe();
    out.has_kid = true;
  }
  if (m.typ.present && m.typ.value.type() == element_type::STRING) {
    out.typ = m.typ.value.get_string().value_unsafe();
    out.has_typ = true;
  }
  out.has_nonce = m.nonce.present;
}

bool check_header(object header, ParsedToken& out, ParseFailure& fail) {
  HeaderMembers m;
  collect_members(header, m);

  // Fill what diagnostics may want before any check can stop the parse.
  read_header_fields(m, out);

  // RFC 7515 section 4.1.1: "alg" is required and is a string.
  if (!m.alg.present)
    return fail_with(fail, JWTGATE_REASON_ALG_MISSING, "alg",
                     "header has no \"alg\" member (RFC 7515 section 4.1.1 requires one)");
  if (m.alg.value.type() != element_type::STRING)
    return wrong_type(fail, "alg", m.alg.value, "a string", "RFC 7515 section 4.1.1");
  // An unsecured JWT is never accepted, in any letter case: RFC 8725 section
  // 2.1 describes tokens that switched "alg" to "none" (or "nOnE") to skip
  // verification.
  if (is_none_alg(out.alg_name))
    return fail_with(fail, JWTGATE_REASON_ALG_NONE, "alg",
                     "header \"alg\" is " + jwtgate::quoted(out.alg_name, kMaxQuoted) +
                         ", an unsecured JWT (RFC 7518 section 3.6); refused");
  // An unknown name is not a parse failure: the validator reports it with the
  // policy's allowed algorithms in view.
  out.alg = alg_from_name(out.alg_name);

  if (m.crit.present && !check_crit(header, m.crit.value, fail)) return false;

  // A token never supplies or points to its own verification key: accepting
  // one lets the signer pick the key it is checked with (RFC 8725 section
  // 3.10 warns about such header-directed key lookups).
  if (m.jwk.present)
    return fail_with(fail, JWTGATE_REASON_EMBEDDED_KEY, "jwk",
                     "header member \"jwk\" would embed a key; refused");
  if (m.jku.present)
    return fail_with(fail, JWTGATE_REASON_EMBEDDED_KEY, "jku",
                     "header member \"jku\" would fetch keys from a URL the token chooses; "
                     "refused");
  if (m.x5u.present)
    return fail_with(fail, JWTGATE_REASON_EMBEDDED_KEY, "x5u",
                     "header member \"x5u\" would fetch a certificate from a URL the token "
                     "chooses; refused");
  if (m.x5c.present)
    return fail_with(fail, JWTGATE_REASON_EMBEDDED_KEY, "x5c",
                     "header member \"x5c\" would embed a certificate chain; refused");

  // RFC 7797 section 3: b64 false means the payload segment is the raw
  // payload, which this parser would misread; true is the default encoding.
  if (m.b64.present) {
    if (m.b64.value.type() != element_type::BOOL)
      return wrong_type(fail, "b64", m.b64.value, "a boolean", "RFC 7797 section 3");
    if (!m.b64.value.get_bool().value_unsafe())
      return fail_with(fail, JWTGATE_REASON_B64_UNSUPPORTED, "b64",
                       "header \"b64\" is false: unencoded payloads (RFC 7797) are not supported");
  }

  if (m.kid.present && !out.has_kid)
    return wrong_type(fail, "kid", m.kid.value, "a string", "RFC 7515 section 4.1.4");
  if (m.typ.present && !out.has_typ)
    return wrong_type(fail, "typ", m.typ.value, "a string", "RFC 7515 section 4.1.9");
  return true;
}

}  // namespace

TokenParser::TokenParser() = default;

size_t TokenParser::prepare(size_t token_size, const TokenLimits& limits) {
  // Size every buffer for the whole token, so that once a token of this size
  // has been seen no later token up to it allocates, whatever its split
  // between header and payload. simdjson never uses less than
  // MINIMAL_DOCUMENT_CAPACITY; a smaller document would be regrown each time.
  const size_t capacity =
      std::max(base64url_decoded_size(token_size), simdjson::dom::MINIMAL_DOCUMENT_CAPACITY);
  // simdjson's max_depth counts the document itself plus each non-empty
  // container around a value, so "[[1]]" needs 3; our limit counts the
  // top-level object as level 1 ({"a":{"b":1}} is 2 levels), hence the +1.
  // (simdjson does not count an empty {} or [] as a level, so one may sit a
  // level below the limit: harmless, as it holds nothing to recurse into.)
  // A limit of 0 is treated as 1: a header is always an object.
  const size_t levels = std::max<size_t>(limits.max_json_depth, 1);
  const size_t depth = levels + 1;
  if (header_buf_.size() < capacity + simdjson::SIMDJSON_PADDING) {
    header_memo_.valid = false;  // the buffers and documents move
    if (parser_.allocate(capacity, depth) || header_doc_.allocate(capacity) ||
        payload_doc_.allocate(capacity))
      throw std::bad_alloc();
    depth_limit_ = depth;
    // Resized last: their size records that the documents have grown.
    sig_buf_.resize(capacity);
    payload_buf_.resize(capacity + simdjson::SIMDJSON_PADDING);
    header_buf_.resize(capacity + simdjson::SIMDJSON_PADDING);
  } else if (depth_limit_ != depth) {
    if (parser_.allocate(parser_.capacity(), depth)) throw std::bad_alloc();
    depth_limit_ = depth;
  }
  return levels;
}

bool TokenParser::reparse_accepted(std::string_view compact, const TokenLimits& limits,
                                   ParsedToken& out) {
  // The caller vouches that these exact bytes passed parse() under these
  // limits, and every rule parse() applies (segments, strict base64url, JSON
  // objects, depth, duplicate names, the header rules) depends on nothing
  // else. Only what a result is read through is rebuilt: the two JSON trees
  // and the header fields.
  const bool loaded = std::exchange(loaded_, false);
  header_memo_.valid = false;  // header_buf_ and header_doc_ are rewritten
  out = ParsedToken{};
  out.compact = compact;
  header_ok_ = payload_ok_ = false;
  const size_t dot1 = compact.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : compact.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || !limits.payload_is_json) return false;
  out.signing_input = compact.substr(0, dot2);
  prepare(compact.size(), limits);
  size_t header_len = loaded_header_len_, payload_len = loaded_payload_len_;
  if (!loaded &&
      (!decode_segment(compact.substr(0, dot1), header_buf_, &header_len) ||
       !decode_segment(compact.substr(dot1 + 1, dot2 - dot1 - 1), payload_buf_, &payload_len)))
    return false;
  element header, payload;
  out.header_json = as_text(header_buf_, header_len);
  out.payload_json = as_text(payload_buf_, payload_len);
  const auto parse_in_place = [this](simdjson::dom::document& doc, std::string_view text,
                                     element& root) {
    const simdjson::error_code err =
        parser_.parse_into_document(doc, reinterpret_cast<const uint8_t*>(text.data()), text.size(), false)
            .get(root);
    if (err == simdjson::MEMALLOC) throw std::bad_alloc();
    return !err && root.type() == element_type::OBJECT;
  };
  if (!parse_in_place(header_doc_, out.header_json, header) ||
      !parse_in_place(payload_doc_, out.payload_json, payload))
    return false;
  out.header = header.get_object().value_unsafe();
  out.payload = payload.get_object().value_unsafe();
  header_ok_ = payload_ok_ = true;
  HeaderMembers m;
  collect_members(out.header, m);
  read_header_fields(m, out);
  out.alg = alg_from_name(out.alg_name);
  return true;
}

void TokenParser::load_decoded(std::string_view compact, const TokenLimits& limits,
                               std::string_view header_json, std::string_view payload_json) {
  prepare(compact.size(), limits);
  // The decoded JSON of a token is shorter than the token: the buffers,
  // sized for the token, hold it. Anything else is not this token's.
  loaded_ = header_json.size() + payload_json.size() <= base64url_decoded_size(compact.size());
  if (!loaded_) return;
  header_memo_.valid = false;  // header_buf_ is rewritten
  std::memcpy(header_buf_.data(), header_json.data(), header_json.size());
  std::memcpy(payload_buf_.data(), payload_json.data(), payload_json.size());
  loaded_header_len_ = header_json.size();
  loaded_payload_len_ = payload_json.size();
}

bool TokenParser::parse(std::string_view compact, const TokenLimits& limits, ParsedToken& out,
                        ParseFailure& fail) {
  loaded_ = false;
  out = ParsedToken{};
  out.compact = compact;
  fail.reason = JWTGATE_REASON_NONE;
  fail.subject.clear();
  fail.detail.clear();
  header_ok_ = false;
  payload_ok_ = false;

  // The size limit comes first so that an oversized token costs neither
  // scanning nor buffer growth.
  if (!within_limit(fail, "token", compact.size(), limits.max_token_bytes)) return false;

  // The JSON serializations (RFC 7515 7.2, RFC 7516 7.2) are objects; only
  // the compact form travels in an Authorization header, so only it is read.
  if (!compact.empty() && compact.front() == '{')
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                     "token is a JSON object: the JWS/JWE JSON serialization is not supported; "
                     "send the compact form header.payload.signature");

  // RFC 7515 section 7.1: three segments. Five is the JWE compact form (RFC
  // 7516 section 9 tells the two apart by segment count).
  const size_t dot1 = compact.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : compact.find('.', dot1 + 1);
  size_t dots = (dot1 != std::string_view::npos) + (dot2 != std::string_view::npos);
  // Any further dot is found with memchr; only then are they counted (for
  // the message): std::count over every signature is a measurable cost
  // (docs/performance.md).
  if (dot2 != std::string_view::npos && compact.find('.', dot2 + 1) != std::string_view::npos)
    dots += static_cast<size_t>(std::count(compact.begin() + dot2 + 1, compact.end(), '.'));
  if (dots == 4)
    return fail_with(fail, JWTGATE_REASON_JWE_NOT_SUPPORTED, "",
                     "token has 5 segments: an encrypted JWE (RFC 7516), which only a policy "
                     "with decryption keys decrypts");
  if (dots != 2)
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                     "token has " + std::to_string(dots + 1) +
                         (dots == 0 ? " segment" : " segments") +
                         "; a compact JWS has 3 (RFC 7515 section 7.1)");
  const std::string_view header_seg = compact.substr(0, dot1);
  const std::string_view payload_seg = compact.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view sig_seg = compact.substr(dot2 + 1);
  if (header_seg.empty())
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "header", "header segment is empty");
  // A JWS may sign an empty payload (RFC 7515 allows it, Wycheproof tests
  // it); a JWT may not, since its claims must be a JSON object (RFC 7519 7.2).
  // RFC 7515 appendix F's detached content also arrives as an empty payload:
  // as a JWT it is malformed.
  if (payload_seg.empty() && limits.payload_is_json)
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "payload", "payload segment is empty");
  out.signing_input = compact.substr(0, dot2);
  const size_t levels = prepare(compact.size(), limits);

  // Every segment is decoded and every decoded JSON part parsed even after a
  // failure, so that diagnostics can show what did parse; the first failure
  // in the documented order is the one reported.
  bool ok = true;
  size_t header_len = 0, payload_len = 0, sig_len = 0;
  // The same header as the last accepted token: its JSON is still in
  // header_buf_, its tree in header_doc_, and it passed every header rule.
  const bool memo_hit = header_memo_.valid && header_memo_.levels == levels &&
                        header_seg.size() == header_memo_.segment_len &&
                        std::memcmp(header_seg.data(), header_memo_.segment, header_seg.size()) == 0;
  if (!memo_hit) header_memo_.valid = false;  // header_buf_ is about to change
  const bool header_decoded =
      memo_hit ? (header_len = header_memo_.json_len, true)
               : decode_segment(header_seg, header_buf_, &header_len);
  if (!header_decoded)
    ok = fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, "header",
                   "header segment is not strict base64url: " + base64url_defect(header_seg));
  const bool payload_decoded = decode_segment(payload_seg, payload_buf_, &payload_len);
  if (!payload_decoded && ok)
    ok = fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, "payload",
                   "payload segment is not strict base64url: " + base64url_defect(payload_seg));
  // An empty signature segment decodes to nothing; the validator reports it
  // as SIGNATURE_MISSING with the policy in view.
  if (decode_segment(sig_seg, sig_buf_, &sig_len)) {
    out.signature = sig_buf_.data();
    out.signature_len = sig_len;
  } else if (ok) {
    ok = fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, "signature",
                   "signature segment is not strict base64url: " + base64url_defect(sig_seg));
  }

  if (memo_hit) {
    out.header_json = as_text(header_buf_, header_len);
    out.header = header_memo_.header;
    header_ok_ = true;
  } else if (header_decoded) {
    out.header_json = as_text(header_buf_, header_len);
    header_ok_ = parse_object(parser_, header_doc_, out.header_json, "header", levels,
                              &out.header, ok ? &fail : nullptr);
    ok = ok && header_ok_;
  }
  if (payload_decoded) {
    out.payload_json = as_text(payload_buf_, payload_len);
    if (limits.payload_is_json) {
      payload_ok_ = parse_object(parser_, payload_doc_, out.payload_json, "payload", levels,
                                 &out.payload, ok ? &fail : nullptr, &payload_index_);
      if (payload_ok_ && payload_index_.complete) out.claims_index = &payload_index_;
      ok = ok && payload_ok_;
    }
  }
  if (!ok) return false;
  if (memo_hit) {
    static_cast<HeaderFields&>(out) = header_memo_.fields;
    return true;
  }
  if (!check_header(out.header, out, fail)) return false;
  if (header_seg.size() <= kHeaderMemoBytes) {
    HeaderMemo& m = header_memo_;
    std::memcpy(m.segment, header_seg.data(), header_seg.size());
    m.segment_len = header_seg.size();
    m.levels = levels;
    m.json_len = header_len;
    m.header = out.header;
    m.fields = static_cast<const HeaderFields&>(out);
    m.valid = true;
  }
  return true;
}

}  // namespace jwtgate
