// JweDecryptor: RFC 7516 section 5.2 (message decryption) for the compact
// serialization and, for the library API, the JSON serializations (7.2).
// The steps: size limit; segments; strict base64url; the protected header
// as JSON (depth limit, duplicate names refused); the header rules
// (jwe_header.h); then, with the policy's decryption keys, CEK recovery and
// content decryption.
//
// Everything after the header rules fails with one reason,
// JWTGATE_REASON_JWE_DECRYPTION_FAILED, and one detail: a wrong key, a bad
// key unwrap or OAEP padding, a CEK of the wrong length, an invalid ECDH
// ephemeral key and a bad tag look the same to the token's sender, and take
// comparable time (a failed CEK recovery goes on with a random CEK through
// the content decryption, as RFC 7516 11.5 prescribes for RSA1_5). Which
// step failed is kept apart (step()) for the operator's local diagnosis.
//
// The buffers are the decryptor's and are reused: once warm, decrypting a
// token no larger than the last allocates nothing in jwtgate's code. One
// decryptor per thread (a jwtgate_result owns one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "jwe/decryption_key.h"
#include "jwe/jwe_header.h"
#include "jwe/jwe_rules.h"
#include "jwe/key_management.h"
#include "token/token.h"

namespace jwtgate {

class JweDecryptor {
 public:
  JweDecryptor() = default;
  ~JweDecryptor();
  JweDecryptor(const JweDecryptor&) = delete;
  JweDecryptor& operator=(const JweDecryptor&) = delete;

  // parse_compact: the steps up to and including the header rules, for a
  // token of five segments. Returns false with |fail| set otherwise.
  bool parse_compact(std::string_view compact, const TokenLimits& limits,
                     const JweHeaderRules& rules, ParseFailure& fail);
  // decrypt_parsed: after parse_compact succeeded, recover the content with
  // one of |keys|. On success plaintext() holds it.
  bool decrypt_parsed(const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                      ParseFailure& fail);
  // decrypt_compact: parse_compact then decrypt_parsed.
  bool decrypt_compact(std::string_view compact, const TokenLimits& limits,
                       const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                       ParseFailure& fail);
  // decrypt_json: the general or flattened JSON serialization. With several
  // recipients, each is tried in order: a recipient whose header the rules
  // refuse (an alg jwtgate refuses, say) is skipped; the first that
  // decrypts wins. When none does, the failure of the first recipient whose
  // header passed is reported, else the first header failure.
  bool decrypt_json(std::string_view json, const TokenLimits& limits, const DecryptionKeySet& keys,
                    const JweDecryptOptions& opts, ParseFailure& fail);

  // The decrypted content, valid until the next call (or wipe()).
  std::string_view plaintext() const {
    return {reinterpret_cast<const char*>(plain_.data()), plain_len_};
  }
  // The header as the rules read it, and the protected header's JSON (valid
  // when header_parsed()).
  const JweHeader& header() const { return header_; }
  std::string_view header_json() const {
    return {reinterpret_cast<const char*>(header_buf_.data()), header_len_};
  }
  simdjson::dom::object header_object() const { return header_obj_; }
  bool header_parsed() const { return header_ok_; }
  // For the local diagnosis only: which step failed (None after success),
  // and the key that decrypted the token (nullptr on failure).
  DecryptStep step() const { return step_; }
  const DecryptionKey* key() const { return key_; }
  // wipe clears the plaintext and CEK buffers.
  void wipe();

 private:
  bool decode_parts(std::string_view ek, std::string_view iv, std::string_view ct,
                    std::string_view tag, ParseFailure& fail);
  bool parse_header_json(std::string_view text, size_t levels, simdjson::dom::object* out,
                         ParseFailure& fail);
  bool decrypt_with(const DecryptionKeySet& keys, const JweDecryptOptions& opts,
                    std::string_view aad, ParseFailure& fail);
  bool begin(size_t size, const TokenLimits& limits, std::string_view what, ParseFailure& fail);
  size_t prepare(size_t size, const TokenLimits& limits);

  simdjson::dom::parser parser_;
  simdjson::dom::document header_doc_;
  simdjson::dom::document json_doc_;
  std::vector<uint8_t> header_buf_;  // decoded protected header + SIMDJSON_PADDING
  std::vector<uint8_t> json_buf_;    // the JSON serialization + padding
  std::vector<uint8_t> ek_buf_, iv_buf_, ct_buf_, tag_buf_, plain_;
  std::vector<char> aad_buf_;        // JSON serialization: protected "." aad
  size_t header_len_ = 0, ek_len_ = 0, iv_len_ = 0, ct_len_ = 0, tag_len_ = 0, plain_len_ = 0;
  size_t depth_ = 0;
  std::string_view aad_;  // compact: the header segment
  simdjson::dom::object header_obj_;
  JweHeader header_;
  bool header_ok_ = false;
  DecryptStep step_ = DecryptStep::None;
  const DecryptionKey* key_ = nullptr;
};

// is_compact_jwe: |token| has exactly five dot-separated segments.
bool is_compact_jwe(std::string_view token);

}  // namespace jwtgate
