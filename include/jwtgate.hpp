// jwtgate.hpp - header-only C++ wrapper over the C API (C++17 or later).
// It adds ownership, exceptions and std::string_view convenience; it adds no
// behaviour, and everything it calls is in jwtgate.h (and, for the part at
// the end, jwtgate_experimental.h).
//
// Ownership: jwtgate::X owns a jwtgate_X. Each is a std::unique_ptr whose
// deleter is the matching _free function, for every handle type (error_list,
// keyset, keyset_builder, load_options, policy, validator_options,
// validator, request, result; token_request and token_response with the
// experimental header). .get() gives the C handle for any C call.
//
// Errors: the functions that make something throw when the C call fails:
// std::bad_alloc for JWTGATE_ERR_OUT_OF_MEMORY, jwtgate::error (status() and
// the error list, list()) for anything else, so a failure cannot be
// ignored; they never return an empty handle. Warnings are not errors: the
// object keeps them (jwtgate::warnings). An invalid token is not an error
// either: validate() returns false and the result says why.
//
// The experimental part (at the end) is compiled when jwtgate_experimental.h
// was included before this header, or JWTGATE_EXPERIMENTAL is defined.
//
// namespace jwtgate_cpp, the names before 0.1, is kept for a while as a
// deprecated alias of some of them (at the end of the stable part).
#ifndef JWTGATE_HPP
#define JWTGATE_HPP

#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "jwtgate.h"

namespace jwtgate {

// deleter calls Free, a jwtgate _free function (which accepts NULL).
template <auto Free>
struct deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using error_list = std::unique_ptr<jwtgate_error, deleter<jwtgate_error_free>>;
using keyset = std::unique_ptr<jwtgate_keyset, deleter<jwtgate_keyset_free>>;
using keyset_builder = std::unique_ptr<jwtgate_keyset_builder, deleter<jwtgate_keyset_builder_free>>;
using load_options = std::unique_ptr<jwtgate_load_options, deleter<jwtgate_load_options_free>>;
using policy = std::unique_ptr<jwtgate_policy, deleter<jwtgate_policy_free>>;
using validator_options =
    std::unique_ptr<jwtgate_validator_options, deleter<jwtgate_validator_options_free>>;
using validator = std::unique_ptr<jwtgate_validator, deleter<jwtgate_validator_free>>;
using request = std::unique_ptr<jwtgate_request, deleter<jwtgate_request_free>>;
using result = std::unique_ptr<jwtgate_result, deleter<jwtgate_result_free>>;

// error_text returns every entry of |e| as "line:col: path: message" lines
// ("" for NULL).
inline std::string error_text(const jwtgate_error* e) { return jwtgate_error_text(e); }

// error: a C call failed. what() is "function: status text" followed by
// the list's text; list() is the list itself (NULL when the call gave
// none).
class error : public std::runtime_error {
 public:
  error(jwtgate_status status, const char* function, jwtgate_error* list)
      : std::runtime_error(std::string(function) + ": " + jwtgate_status_str(status) +
                           (list ? "\n" + error_text(list) : std::string())),
        status_(status),
        list_(list, jwtgate_error_free) {}
  jwtgate_status status() const noexcept { return status_; }
  const jwtgate_error* list() const noexcept { return list_.get(); }

 private:
  jwtgate_status status_;
  std::shared_ptr<jwtgate_error> list_;  // shared: an exception is copied
};

namespace detail {

// check throws for a failed call, taking over its error list.
inline void check(jwtgate_status s, const char* function, jwtgate_error* list = nullptr) {
  if (s == JWTGATE_OK) return;
  if (s == JWTGATE_ERR_OUT_OF_MEMORY) {
    jwtgate_error_free(list);
    throw std::bad_alloc();
  }
  throw error(s, function, list);
}

// made returns |p| as its owner, or throws std::bad_alloc for NULL (what a
// _new function returns only when memory runs out).
template <typename Owner, typename T>
Owner made(T* p) {
  if (!p) throw std::bad_alloc();
  return Owner(p);
}

}  // namespace detail

inline result make_result() { return detail::made<result>(jwtgate_result_new()); }
inline request make_request() { return detail::made<request>(jwtgate_request_new()); }
inline load_options make_load_options() { return detail::made<load_options>(jwtgate_load_options_new()); }
inline validator_options make_validator_options() {
  return detail::made<validator_options>(jwtgate_validator_options_new());
}
inline keyset_builder make_keyset_builder() {
  return detail::made<keyset_builder>(jwtgate_keyset_builder_new());
}

// warnings returns what an object was made despite, or NULL; owned by it.
inline const jwtgate_error* warnings(const policy& p) { return jwtgate_policy_warnings(p.get()); }
inline const jwtgate_error* warnings(const keyset& k) { return jwtgate_keyset_warnings(k.get()); }
inline const jwtgate_error* warnings(const keyset_builder& b) {
  return jwtgate_keyset_builder_warnings(b.get());
}

// load_policy loads a policy (XML or JSON) or throws jwtgate::error listing
// every problem found. |opts| may be NULL.
inline policy load_policy(std::string_view text, const jwtgate_load_options* opts = nullptr) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_policy_load(&p, &e, text.data(), text.size(), opts);
  detail::check(s, "jwtgate_policy_load", e);
  return policy(p);
}
inline policy load_policy(std::string_view text, const load_options& opts) {
  return load_policy(text, opts.get());
}
inline policy load_policy_file(const std::string& path, const jwtgate_load_options* opts = nullptr) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_policy_load_file(&p, &e, path.c_str(), opts);
  detail::check(s, "jwtgate_policy_load_file", e);
  return policy(p);
}

// add_keys adds every key of |data| to |b| (nothing on failure: throws).
inline void add_keys(const keyset_builder& b, std::string_view data,
                     jwtgate_key_format format = JWTGATE_KEY_AUTO, const char* kid = nullptr) {
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_keyset_builder_add(b.get(), &e, format, data.data(), data.size(), kid);
  detail::check(s, "jwtgate_keyset_builder_add", e);
}
inline void add_key_file(const keyset_builder& b, const std::string& path) {
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_keyset_builder_add_file(b.get(), &e, path.c_str());
  detail::check(s, "jwtgate_keyset_builder_add_file", e);
}
// build makes an immutable key set of what |b| holds.
inline keyset build(const keyset_builder& b) {
  jwtgate_keyset* k = nullptr;
  detail::check(jwtgate_keyset_builder_build(b.get(), &k), "jwtgate_keyset_builder_build");
  return keyset(k);
}
// load_keyset is make_keyset_builder + add_keys + build.
inline keyset load_keyset(std::string_view data, jwtgate_key_format format = JWTGATE_KEY_AUTO) {
  jwtgate_keyset* k = nullptr;
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_keyset_from_data(&k, &e, format, data.data(), data.size());
  detail::check(s, "jwtgate_keyset_from_data", e);
  return keyset(k);
}

// add_certificate registers certificate bytes under |id| (throws on failure).
inline void add_certificate(const load_options& o, const std::string& id, std::string_view data) {
  jwtgate_error* e = nullptr;
  const jwtgate_status s =
      jwtgate_load_options_add_certificate(o.get(), &e, id.c_str(), data.data(), data.size());
  detail::check(s, "jwtgate_load_options_add_certificate", e);
}

// make_validator combines a policy and, optionally, a key set and options;
// throws jwtgate::error when the C call refuses (no policy, say).
inline validator make_validator(const jwtgate_policy* p, const jwtgate_keyset* keys = nullptr,
                                const jwtgate_validator_options* opts = nullptr) {
  jwtgate_validator* v = nullptr;
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_validator_new_with_options(&v, &e, p, keys, opts);
  detail::check(s, "jwtgate_validator_new_with_options", e);
  return validator(v);
}
inline validator make_validator(const policy& p, const keyset& keys = keyset(),
                                const validator_options& opts = validator_options()) {
  return make_validator(p.get(), keys.get(), opts.get());
}

// validate returns true if |token| is valid and false if not (|r| says
// why); a bad argument throws jwtgate::error.
[[nodiscard]] inline bool validate(const validator& v, const result& r, std::string_view token,
                                   int64_t now = JWTGATE_NOW) {
  const jwtgate_status s = jwtgate_validate_token(v.get(), r.get(), token.data(), token.size(), now);
  if (s == JWTGATE_INVALID_TOKEN) return false;
  detail::check(s, "jwtgate_validate_token");
  return true;
}
// validate takes the token from |req| as the policy says.
[[nodiscard]] inline bool validate(const validator& v, const result& r, const request& req,
                                   int64_t now = JWTGATE_NOW) {
  const jwtgate_status s = jwtgate_validate_request(v.get(), r.get(), req.get(), now);
  if (s == JWTGATE_INVALID_TOKEN) return false;
  detail::check(s, "jwtgate_validate_request");
  return true;
}

// claim_string returns a string claim, or an empty view when absent.
inline std::string_view claim_string(const result& r, const char* name,
                                     jwtgate_part part = JWTGATE_PART_CLAIMS) {
  const char* s = nullptr;
  size_t n = 0;
  if (jwtgate_result_get_string(r.get(), part, name, &s, &n) != JWTGATE_OK) return {};
  return {s, n};
}

}  // namespace jwtgate

// Deprecated: the wrapper's names before 0.1, kept so that code written
// against them still builds; use namespace jwtgate. Removed in 1.0.
namespace jwtgate_cpp {
using Error = jwtgate::error_list;
using KeySet = jwtgate::keyset;
using KeySetBuilder = jwtgate::keyset_builder;
using LoadOptions = jwtgate::load_options;
using Policy = jwtgate::policy;
using Validator = jwtgate::validator;
using ValidatorOptions = jwtgate::validator_options;
using Request = jwtgate::request;
using Result = jwtgate::result;
inline std::string error_text(const Error& e) { return jwtgate_error_text(e.get()); }
// load_policy returns nullptr on failure, with the errors in *err (if
// |err| is not NULL); the policy's warnings are jwtgate_policy_warnings'.
inline Policy load_policy(std::string_view text, const jwtgate_load_options* opts, Error* err) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  jwtgate_policy_load(&p, &e, text.data(), text.size(), opts);
  if (err) err->reset(e);
  else jwtgate_error_free(e);
  return Policy(p);
}
inline Result make_result() { return Result(jwtgate_result_new()); }
inline Request make_request() { return Request(jwtgate_request_new()); }
}  // namespace jwtgate_cpp

#endif  // JWTGATE_HPP

// ------------------------------------------------------------ experimental
// Compiled once, when jwtgate_experimental.h is in (or asked for with
// JWTGATE_EXPERIMENTAL); none of it is frozen, like the C part.
#if defined(JWTGATE_EXPERIMENTAL) && !defined(JWTGATE_EXPERIMENTAL_H)
#include "jwtgate_experimental.h"
#endif
#if defined(JWTGATE_EXPERIMENTAL_H) && !defined(JWTGATE_HPP_EXPERIMENTAL)
#define JWTGATE_HPP_EXPERIMENTAL

namespace jwtgate {

// token_request's deleter wipes the client secret before freeing;
// token_response's wipes the access token.
using token_request = std::unique_ptr<jwtgate_token_request, deleter<jwtgate_token_request_free>>;
using token_response = std::unique_ptr<jwtgate_token_response, deleter<jwtgate_token_response_free>>;
// fetch: a document the host is asked to fetch (jwtgate_validator_next_fetch).
using fetch = std::unique_ptr<jwtgate_fetch, deleter<jwtgate_fetch_free>>;

inline token_request make_token_request() {
  return detail::made<token_request>(jwtgate_token_request_new());
}

// client_credentials sends |t|; throws jwtgate::error (status and the
// provider's explanation) when the request is incomplete or refused.
inline token_response client_credentials(const token_request& t) {
  jwtgate_token_response* r = nullptr;
  jwtgate_error* e = nullptr;
  const jwtgate_status s = jwtgate_client_credentials(&r, &e, t.get());
  detail::check(s, "jwtgate_client_credentials", e);
  return token_response(r);
}

// key_errors returns the fetcher's last errors (an empty list: nothing).
inline error_list key_errors(const validator& v) {
  jwtgate_error* e = nullptr;
  detail::check(jwtgate_validator_key_errors(v.get(), &e), "jwtgate_validator_key_errors");
  return error_list(e);
}

}  // namespace jwtgate

#endif  // JWTGATE_HPP_EXPERIMENTAL
