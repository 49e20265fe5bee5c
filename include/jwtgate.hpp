// jwtgate.hpp - header-only C++ RAII wrapper over the C API in jwtgate.h.
// It adds ownership and std::string_view convenience; it adds no behaviour.
#ifndef JWTGATE_HPP
#define JWTGATE_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "jwtgate.h"

namespace jwtgate_cpp {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};

using Error = std::unique_ptr<jwtgate_error, Deleter<jwtgate_error, jwtgate_error_free>>;
using KeySet = std::unique_ptr<jwtgate_keyset, Deleter<jwtgate_keyset, jwtgate_keyset_free>>;
using KeySetBuilder =
    std::unique_ptr<jwtgate_keyset_builder, Deleter<jwtgate_keyset_builder, jwtgate_keyset_builder_free>>;
using LoadOptions =
    std::unique_ptr<jwtgate_load_options, Deleter<jwtgate_load_options, jwtgate_load_options_free>>;
using Policy = std::unique_ptr<jwtgate_policy, Deleter<jwtgate_policy, jwtgate_policy_free>>;
using Validator = std::unique_ptr<jwtgate_validator, Deleter<jwtgate_validator, jwtgate_validator_free>>;
using Request = std::unique_ptr<jwtgate_request, Deleter<jwtgate_request, jwtgate_request_free>>;
using Result = std::unique_ptr<jwtgate_result, Deleter<jwtgate_result, jwtgate_result_free>>;
using ValidatorOptions = std::unique_ptr<jwtgate_validator_options,
                                         Deleter<jwtgate_validator_options, jwtgate_validator_options_free>>;
// TokenRequest's deleter wipes the client secret before freeing.
using TokenRequest =
    std::unique_ptr<jwtgate_token_request, Deleter<jwtgate_token_request, jwtgate_token_request_free>>;
using TokenResponse =
    std::unique_ptr<jwtgate_token_response, Deleter<jwtgate_token_response, jwtgate_token_response_free>>;

// error_text returns every entry of |e| as text ("" for none).
inline std::string error_text(const Error& e) { return e ? jwtgate_error_text(e.get()) : ""; }

// load_policy loads |text| or returns nullptr with *err filled.
inline Policy load_policy(std::string_view text, const jwtgate_load_options* opts, Error* err) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  jwtgate_policy_load(&p, &e, text.data(), text.size(), opts);
  if (err) err->reset(e);
  else jwtgate_error_free(e);
  return Policy(p);
}

inline Validator make_validator(const Policy& p, const KeySet& keys) {
  jwtgate_validator* v = nullptr;
  jwtgate_validator_new(&v, nullptr, p.get(), keys.get());
  return Validator(v);
}

inline Result make_result() { return Result(jwtgate_result_new()); }
inline Request make_request() { return Request(jwtgate_request_new()); }

// validate returns true if |token| is valid; |r| says why not.
[[nodiscard]] inline bool validate(const Validator& v, const Result& r, std::string_view token,
                                   int64_t now = JWTGATE_NOW) {
  return jwtgate_validate_token(v.get(), r.get(), token.data(), token.size(), now) == JWTGATE_OK;
}

// claim_string returns a string claim, or an empty view when absent.
inline std::string_view claim_string(const Result& r, const char* name,
                                     jwtgate_part part = JWTGATE_PART_CLAIMS) {
  const char* s = nullptr;
  size_t n = 0;
  if (jwtgate_result_get_string(r.get(), part, name, &s, &n) != JWTGATE_OK) return {};
  return {s, n};
}

}  // namespace jwtgate_cpp

#endif  // JWTGATE_HPP
