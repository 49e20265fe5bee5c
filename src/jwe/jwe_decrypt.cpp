// RFC 7516 5.2, message decryption, in the order of its steps.
#include "jwe/jwe_decrypt.h"

#include <algorithm>
#include <cstring>
#include <new>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "encoding/base64url.h"
#include "jwe/content_cipher.h"
#include "encoding/json_members.h"
#include "encoding/json_dom.h"

namespace jwtgate {
namespace {

// The one detail of every failure after the header rules: it says nothing
// about which step failed (jwe_decrypt.h).
constexpr const char* kDecryptionFailed =
    "the encrypted token (JWE) could not be decrypted with the policy's decryption keys";

bool decode(std::string_view seg, std::vector<uint8_t>& buf, size_t* len) {
  if (buf.size() < base64url_decoded_size(seg.size())) buf.resize(base64url_decoded_size(seg.size()));
  return base64url_decode(seg, buf.data(), len);
}

}  // namespace

bool is_compact_jwe(std::string_view token) {
  size_t dots = 0;
  for (size_t p = token.find('.'); p != std::string_view::npos; p = token.find('.', p + 1))
    if (++dots > 4) return false;
  return dots == 4;
}

JweDecryptor::~JweDecryptor() { wipe(); }

void JweDecryptor::wipe() {
  if (!plain_.empty()) OPENSSL_cleanse(plain_.data(), plain_.size());
  plain_len_ = 0;
}

// begin starts a call: nothing parsed, decrypted or chosen yet, and the
// input's |size| within the limit.
bool JweDecryptor::begin(size_t size, const TokenLimits& limits, std::string_view what,
                         ParseFailure& fail) {
  header_ok_ = false;
  header_len_ = 0;
  step_ = DecryptStep::None;
  key_ = nullptr;
  wipe();
  return within_limit(fail, what, size, limits.max_token_bytes);
}

size_t JweDecryptor::prepare(size_t size, const TokenLimits& limits) {
  const size_t capacity =
      std::max(base64url_decoded_size(size), simdjson::dom::MINIMAL_DOCUMENT_CAPACITY);
  const size_t levels = std::max<size_t>(limits.max_json_depth, 1);
  if (header_buf_.size() < capacity + simdjson::SIMDJSON_PADDING || depth_ != levels + 1) {
    if (parser_.allocate(std::max(capacity, parser_.capacity()), levels + 1) ||
        header_doc_.allocate(capacity))
      throw std::bad_alloc();
    depth_ = levels + 1;
    header_buf_.resize(std::max(header_buf_.size(), capacity + simdjson::SIMDJSON_PADDING));
  }
  return levels;
}

bool JweDecryptor::parse_header_json(std::string_view text, size_t levels, object* out,
                                     ParseFailure& fail) {
  element root;
  const simdjson::error_code err =
      parser_
          .parse_into_document(header_doc_, reinterpret_cast<const uint8_t*>(text.data()),
                               text.size(), false)
          .get(root);
  if (err == simdjson::MEMALLOC) throw std::bad_alloc();
  if (err == simdjson::DEPTH_ERROR)
    return fail_with(fail, JWTGATE_REASON_JSON_TOO_DEEP, "header",
                     "the JWE header nests deeper than the limit of " + std::to_string(levels) +
                         " levels");
  if (err)
    return fail_with(fail, JWTGATE_REASON_BAD_JSON, "header",
                     std::string("the JWE header is not valid JSON: ") +
                         simdjson::error_message(err));
  if (root.type() != element_type::OBJECT)
    return fail_with(fail, JWTGATE_REASON_NOT_JSON_OBJECT, "header",
                     "the JWE header is not a JSON object (RFC 7516 section 4)");
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup))
    return fail_with(fail, JWTGATE_REASON_DUPLICATE_MEMBER, dup,
                     "the JWE header repeats a member name (RFC 7516 section 4: names must be "
                     "unique)");
  *out = root.get_object().value_unsafe();
  return true;
}

bool JweDecryptor::decode_parts(std::string_view ek, std::string_view iv, std::string_view ct,
                                std::string_view tag, ParseFailure& fail) {
  // The IV and tag are fixed by enc (checked with the keys, below); they
  // are still decoded strictly here, as every segment is.
  const struct {
    std::string_view seg;
    std::vector<uint8_t>* buf;
    size_t* len;
    const char* name;
  } parts[] = {{ek, &ek_buf_, &ek_len_, "encrypted key"},
               {iv, &iv_buf_, &iv_len_, "initialization vector"},
               {ct, &ct_buf_, &ct_len_, "ciphertext"},
               {tag, &tag_buf_, &tag_len_, "authentication tag"}};
  for (const auto& p : parts)
    if (!decode(p.seg, *p.buf, p.len))
      return fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, p.name,
                       std::string("the JWE ") + p.name + " segment is not strict base64url");
  return true;
}

bool JweDecryptor::parse_compact(std::string_view compact, const TokenLimits& limits,
                                 const JweHeaderRules& rules, ParseFailure& fail) {
  if (!begin(compact.size(), limits, "token", fail)) return false;
  // RFC 7516 7.1: BASE64URL(protected) . encrypted key . IV . ciphertext . tag
  std::string_view seg[5];
  size_t start = 0, n = 0;
  for (size_t i = 0; i <= compact.size(); ++i) {
    if (i == compact.size() || compact[i] == '.') {
      if (n == 5)
        return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                         "a compact JWE has 5 segments (RFC 7516 section 7.1)");
      seg[n++] = compact.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n != 5)
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                     "a compact JWE has 5 segments (RFC 7516 section 7.1), not " + std::to_string(n));
  if (seg[0].empty())
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "header", "the JWE header segment is empty");
  const size_t levels = prepare(compact.size(), limits);
  if (!base64url_decode(seg[0], header_buf_.data(), &header_len_))
    return fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, "header",
                     "the JWE header segment is not strict base64url");
  if (!decode_parts(seg[1], seg[2], seg[3], seg[4], fail)) return false;
  if (!parse_header_json(header_json(), levels, &header_obj_, fail)) return false;
  header_ok_ = true;
  if (!check_jwe_header(&header_obj_, 1, rules, header_, fail)) return false;
  aad_ = seg[0];  // RFC 7516 5.2 step 14: ASCII(BASE64URL(protected header))
  return true;
}

bool JweDecryptor::decrypt_parsed(const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                                  ParseFailure& fail) {
  return decrypt_with(keys, opts, aad_, fail);
}

bool JweDecryptor::decrypt_compact(std::string_view compact, const TokenLimits& limits,
                                   const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                                   ParseFailure& fail) {
  return parse_compact(compact, limits, opts.header, fail) && decrypt_parsed(keys, opts, fail);
}

bool JweDecryptor::decrypt_with(const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                                std::string_view aad, ParseFailure& fail) {
  const JweHeader& h = header_;
  key_ = nullptr;
  plain_len_ = 0;
  // The keys that fit alg and enc; with a kid that some of them carry, only
  // those (the kid is a hint: with no key of that id, every fitting key is
  // tried, as for signing keys).
  const DecryptionKey* candidates[16];
  size_t count = 0, by_kid = 0;
  for (const DecryptionKey& k : keys) {
    if (!decryption_key_fits(k, h.alg, h.enc, opts.key_rules, nullptr)) continue;
    const bool kid_match = h.has_kid && k.has_kid && k.kid == h.kid;
    if (kid_match && by_kid == 0) count = 0;  // drop the others tried so far
    if (kid_match || by_kid == 0) {
      if (count < 16) candidates[count++] = &k;
      by_kid += kid_match;
    }
  }
  const auto failed = [&](DecryptStep s) {
    step_ = s;
    return fail_with(fail, JWTGATE_REASON_JWE_DECRYPTION_FAILED, "", kDecryptionFailed);
  };
  if (count == 0) return failed(DecryptStep::NoKey);
  // RFC 7518 5.2.2.1 / 5.3: the IV and tag lengths are fixed by enc.
  if (iv_len_ != enc_iv_bytes(h.enc) || tag_len_ != enc_tag_bytes(h.enc))
    return failed(DecryptStep::Structure);
  if (plain_.size() < ct_len_ + 16) plain_.resize(ct_len_ + 16);

  ContentInput in;
  in.iv = iv_buf_.data();
  in.iv_len = iv_len_;
  in.aad = aad;
  in.ciphertext = ct_buf_.data();
  in.ciphertext_len = ct_len_;
  in.tag = tag_buf_.data();
  in.tag_len = tag_len_;
  DecryptStep first = DecryptStep::None;
  uint8_t cek[kMaxCekBytes];
  for (size_t i = 0; i < count; ++i) {
    size_t cek_len = 0;
    DecryptStep s = DecryptStep::None;
    const bool unwrapped = unwrap_cek(*candidates[i], h, ek_buf_.data(), ek_len_, cek, &cek_len, &s);
    if (!unwrapped) {
      if (first == DecryptStep::None) first = s;
      if (s == DecryptStep::Structure) continue;  // lengths only: no secret involved
      // RFC 7516 11.5: go on with a random CEK, so that a failed unwrap
      // costs what a failed tag check costs and the two look the same.
      cek_len = enc_cek_bytes(h.enc);
      if (RAND_bytes(cek, static_cast<int>(cek_len)) != 1) std::memset(cek, 0, cek_len);
    }
    in.cek = cek;
    size_t out_len = 0;
    const bool opened = decrypt_content(h.enc, in, plain_.data(), &out_len);
    OPENSSL_cleanse(cek, sizeof cek);
    if (unwrapped && opened) {
      plain_len_ = out_len;
      key_ = candidates[i];
      step_ = DecryptStep::None;
      return true;
    }
    if (unwrapped && first == DecryptStep::None) first = DecryptStep::Tag;
  }
  return failed(first == DecryptStep::None ? DecryptStep::Tag : first);
}

bool JweDecryptor::decrypt_json(std::string_view json, const TokenLimits& limits,
                                const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                                ParseFailure& fail) {
  if (!begin(json.size(), limits, "the JWE", fail)) return false;
  const size_t levels = prepare(json.size(), limits);
  if (json_buf_.size() < json.size() + simdjson::SIMDJSON_PADDING)
    json_buf_.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(json_buf_.data(), json.data(), json.size());
  if (json_doc_.capacity() < json.size() && json_doc_.allocate(std::max(json.size(), size_t{64})))
    throw std::bad_alloc();
  element root;
  if (parser_.parse_into_document(json_doc_, json_buf_.data(), json.size(), false).get(root) ||
      root.type() != element_type::OBJECT)
    return fail_with(fail, JWTGATE_REASON_BAD_JSON, "",
                     "the JWE JSON serialization is not a JSON object (RFC 7516 section 7.2)");
  std::string_view dup;
  if (json_find_duplicate_member(root, &dup))
    return fail_with(fail, JWTGATE_REASON_DUPLICATE_MEMBER, dup,
                     "the JWE JSON serialization repeats a member name");
  const object top = root.get_object().value_unsafe();
  const auto str = [](object o, const char* name, std::string_view* out) {
    element v;
    if (o[name].get(v)) return 0;                          // absent
    return v.get_string().get(*out) ? -1 : 1;              // not a string : present
  };
  std::string_view prot, iv, ct, tag, aad;
  const int has_prot = str(top, "protected", &prot);
  const int has_aad = str(top, "aad", &aad);
  if (has_prot < 0 || str(top, "iv", &iv) != 1 || str(top, "ciphertext", &ct) != 1 ||
      str(top, "tag", &tag) != 1 || has_aad < 0)
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                     "the JWE JSON serialization needs string members iv, ciphertext and tag "
                     "(RFC 7516 section 7.2.1)");
  object parts[3];
  size_t part_count = 0;
  if (has_prot == 1) {
    if (!base64url_decode(prot, header_buf_.data(), &header_len_))
      return fail_with(fail, JWTGATE_REASON_BAD_BASE64URL, "protected",
                       "the JWE protected header is not strict base64url");
    if (!parse_header_json(header_json(), levels, &parts[0], fail)) return false;
    header_obj_ = parts[0];
    header_ok_ = true;
    ++part_count;
  }
  element v;
  if (!top["unprotected"].get(v)) {
    if (v.type() != element_type::OBJECT)
      return fail_with(fail, JWTGATE_REASON_HEADER_INVALID, "unprotected",
                       "the JWE unprotected header is not a JSON object");
    parts[part_count++] = v.get_object().value_unsafe();
  }
  // RFC 7516 5.2 step 14 / 7.2.1: the AAD is BASE64URL(protected), then
  // "." and the aad member when there is one.
  aad_buf_.assign(prot.begin(), prot.end());
  if (has_aad == 1) {
    aad_buf_.push_back('.');
    aad_buf_.insert(aad_buf_.end(), aad.begin(), aad.end());
  }
  const std::string_view full_aad(aad_buf_.data(), aad_buf_.size());

  // The recipients: "recipients" (general), or "header" and
  // "encrypted_key" at the top (flattened, 7.2.2).
  simdjson::dom::array recipients;
  const bool general = !top["recipients"].get_array().get(recipients);
  element flat_header;
  const bool has_flat_header = !top["header"].get(flat_header);
  std::string_view flat_ek;
  const int has_flat_ek = str(top, "encrypted_key", &flat_ek);
  if (general && (has_flat_header || has_flat_ek != 0))
    return fail_with(fail, JWTGATE_REASON_MALFORMED, "",
                     "a JWE JSON serialization has either recipients or header and "
                     "encrypted_key, not both (RFC 7516 section 7.2.2)");
  ParseFailure first_header_fail, first_decrypt_fail;
  bool any_header_ok = false;
  const auto try_recipient = [&](const element* hdr, std::string_view enc_key) {
    size_t pc = part_count;
    object local[3] = {parts[0], parts[1], parts[2]};
    if (hdr) {
      if (hdr->type() != element_type::OBJECT) {
        if (first_header_fail.reason == JWTGATE_REASON_NONE)
          fail_with(first_header_fail, JWTGATE_REASON_HEADER_INVALID, "header",
                    "a JWE per-recipient header is not a JSON object");
        return false;
      }
      local[pc++] = hdr->get_object().value_unsafe();
    }
    ParseFailure f;
    if (!check_jwe_header(local, pc, opts.header, header_, f)) {
      if (first_header_fail.reason == JWTGATE_REASON_NONE) first_header_fail = std::move(f);
      return false;
    }
    if (!decode_parts(enc_key, iv, ct, tag, f) || !decrypt_with(keys, opts, full_aad, f)) {
      if (!any_header_ok) first_decrypt_fail = std::move(f);
      any_header_ok = true;
      return false;
    }
    return true;
  };
  if (general) {
    if (recipients.size() == 0)
      return fail_with(fail, JWTGATE_REASON_MALFORMED, "recipients",
                       "the JWE has an empty recipients array");
    for (element r : recipients) {
      object ro;
      if (r.get_object().get(ro)) continue;
      element rh;
      std::string_view rek;
      const bool has_rh = !ro["header"].get(rh);
      element rek_v;
      if (!ro["encrypted_key"].get(rek_v) && rek_v.get_string().get(rek)) continue;
      if (try_recipient(has_rh ? &rh : nullptr, rek)) return true;
    }
  } else {
    if (has_flat_ek < 0)
      return fail_with(fail, JWTGATE_REASON_MALFORMED, "encrypted_key",
                       "the JWE encrypted_key is not a string");
    if (try_recipient(has_flat_header ? &flat_header : nullptr, flat_ek)) return true;
  }
  fail = any_header_ok ? std::move(first_decrypt_fail) : std::move(first_header_fail);
  if (fail.reason == JWTGATE_REASON_NONE)
    fail_with(fail, JWTGATE_REASON_MALFORMED, "recipients", "the JWE has no usable recipient");
  return false;
}

}  // namespace jwtgate
