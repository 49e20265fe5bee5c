// Compact JWS parsing (RFC 7515 section 7.1, RFC 7519 section 7.2).
//
// TokenParser turns "header.payload.signature" into a ParsedToken whose JSON
// lives in the parser's reusable buffers: once warm, parsing allocates
// nothing. One TokenParser per thread (a jwtgate_result owns one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "crypto/algorithm.h"
#include "jwtgate.h"
#include "encoding/json_members.h"
#include "token/parse_failure.h"
#include "token/token_limits.h"

namespace jwtgate {

// HeaderFields: what the header rules read out of the JOSE header. A
// function of the header's bytes alone (TokenParser's header memo keeps it).
struct HeaderFields {
  std::string_view alg_name;  // header "alg" as written
  Alg alg = Alg::Unknown;     // Unknown if not one we implement
  std::string_view kid;       // header "kid", empty if absent
  bool has_kid = false;
  std::string_view typ;       // header "typ", empty if absent
  bool has_typ = false;
  bool has_nonce = false;     // header "nonce" (Microsoft Graph tokens)
};

struct ParsedToken : HeaderFields {
  std::string_view compact;        // the whole token as given
  std::string_view signing_input;  // "header.payload" (the bytes that were signed)
  std::string_view header_json;    // decoded header bytes
  std::string_view payload_json;   // decoded payload bytes
  simdjson::dom::object header;    // valid after a successful parse
  simdjson::dom::object payload;
  // The payload's members by name, for the claim checks (claims/claims_view.h);
  // nullptr when parse() did not build it (a cache hit's reparse, a payload of
  // more than MemberIndex::kMaxMembers members): then look in |payload|.
  const MemberIndex* claims_index = nullptr;
  const uint8_t* signature = nullptr;  // decoded signature bytes
  size_t signature_len = 0;

};

class TokenParser {
 public:
  TokenParser();
  TokenParser(const TokenParser&) = delete;
  TokenParser& operator=(const TokenParser&) = delete;

  // parse checks, in order: size limit; segment count (5 segments: JWE, its
  // own reason; anything but 3: malformed); strict base64url of each segment;
  // header and payload are JSON objects within the depth limit, without
  // duplicate member names (at any depth); header "alg" present, a string,
  // not "none" in any spelling; "crit" (RFC 7515 4.1.11: must be a non-empty
  // array of strings naming present, non-registered members that we
  // understand; we understand only "b64" (RFC 7797), whose value is then
  // checked; any other crit entry is refused); "jwk", "jku",
  // "x5u", "x5c" refused (a token never supplies its own key); "b64" false
  // refused (RFC 7797); "kid" and "typ" must be strings when present.
  // An unknown but well-formed alg is NOT a parse failure: out.alg is
  // Alg::Unknown and the validator reports it.
  // Returns true on success; on failure fills |fail| and |out| holds whatever
  // was parsed (header/payload may be usable for diagnostics: see
  // header_parsed()/payload_parsed()).
  bool parse(std::string_view compact, const TokenLimits& limits, ParsedToken& out,
             ParseFailure& fail);

  // reparse_accepted rebuilds |out| for a token that parse() accepted
  // before under the same |limits| (a verified-token cache hit): the two
  // JSON trees and the header fields only, none of the checks, which gave
  // their verdict on these very bytes. The JSON is the one load_decoded
  // supplied just before, if it did, else decoded again. The signature is
  // left empty (out.signature_len 0): nothing reads it once the token has
  // been verified. Returns false if the token does not parse after all; the
  // caller then validates it in full.
  bool reparse_accepted(std::string_view compact, const TokenLimits& limits, ParsedToken& out);
  // load_decoded copies the decoded header and payload JSON of |compact|
  // (as parse() produced them) for the next reparse_accepted.
  void load_decoded(std::string_view compact, const TokenLimits& limits,
                    std::string_view header_json, std::string_view payload_json);

  bool header_parsed() const { return header_ok_; }
  bool payload_parsed() const { return payload_ok_; }
  // forget: nothing is parsed (for a token that goes elsewhere than parse(),
  // an encrypted one, so that the last token's header and claims are not
  // read as this one's).
  void forget() { header_ok_ = payload_ok_ = false; }

 private:
  // prepare sizes the buffers for a token of |token_size| bytes and sets
  // the depth limit; returns the depth in our levels.
  size_t prepare(size_t token_size, const TokenLimits& limits);

  simdjson::dom::parser parser_;
  simdjson::dom::document header_doc_;
  simdjson::dom::document payload_doc_;
  std::vector<uint8_t> header_buf_;   // decoded + SIMDJSON_PADDING
  std::vector<uint8_t> payload_buf_;
  std::vector<uint8_t> sig_buf_;
  MemberIndex payload_index_;  // ParsedToken::claims_index points here
  size_t depth_limit_ = 0;
  // The header of the last token parse() accepted, and what parse() read
  // from it: a token whose header segment is the same text (all tokens of
  // one issuer and key, as a rule) reuses the header's decoded JSON, its
  // tree and its verdict instead of decoding, parsing and checking it again.
  // Every header rule is a function of those bytes and of the depth limit
  // alone. Valid only while header_buf_ and header_doc_ still hold that
  // header: anything that writes them clears it. Headers longer than
  // kHeaderMemoBytes are not remembered.
  static constexpr size_t kHeaderMemoBytes = 512;
  struct HeaderMemo {
    bool valid = false;
    size_t segment_len = 0;
    char segment[kHeaderMemoBytes];
    size_t levels = 0;
    size_t json_len = 0;
    simdjson::dom::object header;
    HeaderFields fields;
  };
  HeaderMemo header_memo_;
  // Set by load_decoded, consumed by the next reparse_accepted.
  bool loaded_ = false;
  size_t loaded_header_len_ = 0;
  size_t loaded_payload_len_ = 0;
  bool header_ok_ = false;
  bool payload_ok_ = false;
};

}  // namespace jwtgate
