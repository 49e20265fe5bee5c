// Plain JWS (RFC 7515): the format and signature stages of a validation,
// for content that is not a JWT claims set. Both calls go through the same
// TokenParser and check_signature a validation uses (validate/signature_stage.h
// was kept apart from the validator for this), so a JOSE library's JWS API
// built on them refuses what jwtgate refuses.
#include <string>
#include <string_view>

#include "capi/capi_types.h"
#include "capi/result_handle.h"
#include "crypto/algorithm.h"
#include "validate/signature_stage.h"

using namespace jwtgate;

namespace {

// The widest limits jwtgate validates with (jwtgate_decode uses them too):
// a JWS API signs documents, not only bearer tokens.
TokenLimits plain_jws_limits() {
  TokenLimits limits;
  limits.max_token_bytes = 1024 * 1024;
  limits.max_json_depth = 64;
  limits.payload_is_json = false;
  return limits;
}

const jwtgate_jws_options& options_or_default(const jwtgate_jws_options* o) {
  static const jwtgate_jws_options kDefaults;
  return o ? *o : kDefaults;
}

// verify runs check_signature on |t| against |keys| and records the outcome
// in |res| as a validation's finish does (status 401 on failure).
jwtgate_status verify(Result& res, const jwtgate_keyset* keys, const jwtgate_jws_options& o,
                      const ParsedToken& t) {
  const KeySet* set = keys ? keys->set.get() : nullptr;
  SignatureInput in{&set, 1, o.allowed, &o.rules};
  res.key = check_signature(t, in, res.failures);
  res.keys_alive = keys ? keys->set : nullptr;  // |key| points into this set
  res.valid = res.key != nullptr;
  res.reason = res.valid ? JWTGATE_REASON_NONE : res.failures[0].reason;
  res.http_status = res.valid ? 200 : 401;
  return res.valid ? JWTGATE_OK : JWTGATE_INVALID_TOKEN;
}

}  // namespace

extern "C" {

jwtgate_jws_options* jwtgate_jws_options_new(void) { return new (std::nothrow) jwtgate_jws_options; }

void jwtgate_jws_options_free(jwtgate_jws_options* o) { delete o; }

jwtgate_status jwtgate_jws_options_set_algorithms(jwtgate_jws_options* o, const char* algorithms) {
  if (!o || !algorithms) return JWTGATE_ERR_INVALID_ARGUMENT;
  AlgSet set = 0;
  std::string_view rest(algorithms);
  while (true) {
    const size_t comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    const Alg a = alg_from_name(name);
    if (a == Alg::Unknown) return JWTGATE_ERR_INVALID_ARGUMENT;
    set |= alg_bit(a);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  o->allowed = set;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_jws_options_set_min_hmac_bits(jwtgate_jws_options* o, unsigned bits) {
  // The floor the policy's min-hmac-bits allows: APIM's 128 bits at least.
  if (!o || (bits != 0 && (bits < 128 || bits > 4096))) return JWTGATE_ERR_INVALID_ARGUMENT;
  o->rules.min_hmac_bits = static_cast<int>(bits);
  return JWTGATE_OK;
}

jwtgate_status jwtgate_verify_jws(jwtgate_result* r, const jwtgate_keyset* keys,
                                  const jwtgate_jws_options* opts, const char* token,
                                  size_t token_len) {
  if (!r || (!token && token_len)) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    Result& res = r->r;
    res.reset();
    res.policy = nullptr;
    res.token_source = "token";
    static const TokenLimits kLimits = plain_jws_limits();
    ParseFailure pf;
    const bool parsed = res.parser.parse(std::string_view(token ? token : "", token_len), kLimits,
                                         res.token, pf);
    res.header_available = res.parser.header_parsed();
    // parse() starts from an empty ParsedToken and points payload_json into
    // its buffer once the payload segment decoded (even to no bytes).
    res.payload_available = res.token.payload_json.data() != nullptr;
    if (!parsed) {
      res.failures.add(pf.reason, pf.subject) = std::move(pf.detail);
      res.reason = pf.reason;
      res.http_status = 401;
      return JWTGATE_INVALID_TOKEN;
    }
    return verify(res, keys, options_or_default(opts), res.token);
  });
}

jwtgate_status jwtgate_verify_signature(jwtgate_result* r, const jwtgate_keyset* keys,
                                        const jwtgate_jws_options* opts, const char* alg,
                                        const void* signing_input, size_t signing_input_len,
                                        const void* sig, size_t sig_len) {
  if (!r || !alg || (!signing_input && signing_input_len) || (!sig && sig_len))
    return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    Result& res = r->r;
    res.reset();
    res.policy = nullptr;
    res.token_source = "signature";
    // A token of which only what the signature stage reads is known: the
    // alg, no kid (every key that may verify the alg is tried), the signing
    // input and the signature.
    ParsedToken t;
    t.alg_name = alg;
    t.alg = alg_from_name(t.alg_name);
    t.signing_input =
        std::string_view(static_cast<const char*>(signing_input ? signing_input : ""), signing_input_len);
    t.signature = static_cast<const uint8_t*>(sig);
    t.signature_len = sig_len;
    if (is_none_alg(t.alg_name)) {
      res.failures.add(JWTGATE_REASON_ALG_NONE, "alg") =
          "alg \"none\" is an unsecured JWS (RFC 7518 3.6); jwtgate never accepts it";
      res.reason = JWTGATE_REASON_ALG_NONE;
      res.http_status = 401;
      return JWTGATE_INVALID_TOKEN;
    }
    const jwtgate_status s = verify(res, keys, options_or_default(opts), t);
    res.token = ParsedToken{};  // |t| and its views end here
    return s;
  });
}

}  // extern "C"
