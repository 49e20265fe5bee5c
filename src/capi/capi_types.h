// The structs behind the opaque C handles, and the helpers every C entry
// point uses: guard() (no exception crosses the C boundary), the
// jwtgate_error **err rule of jwtgate.h (clear_error, fail, warnings_list)
// and new_handle. Only the capi/ sources see them.
//
// Ownership: a new object is held by a std::unique_ptr until it is handed
// out (*out = p.release() as the last step), so an exception on the way
// frees it. No handle is written through a const pointer: a getter on a
// const handle reads what was made when the object was.
#pragma once

#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "jwtgate.h"
#include "jwtgate_experimental.h"
#include "core/diagnostics.h"
#include "keys/key_set.h"
#include "policy/load_options.h"
#include "policy/policy.h"
#include "validate/request.h"
#include "validate/validator.h"
#include "capi/capi_observe.h"
#include "core/latency_clock.h"

// An error list never changes once made: its text is made with it, so that
// jwtgate_error_text, like every getter, only reads and any number of
// threads may read a list (a policy's warnings, say) at once. The
// explanations (jwtgate_error_explain, _json) are the one exception: made on
// the first call that asks for one, once (std::call_once makes concurrent
// first calls wait for it), then only read, so that a list nobody explains
// costs nothing more.
struct jwtgate_error {
  explicit jwtgate_error(jwtgate::Diagnostics d) : diag(std::move(d)), text(diag.text()) {}
  const jwtgate::Diagnostics diag;
  const std::string text;
  // [0] plain text, [1] with ANSI colours, [2] JSON.
  struct Explained {
    std::once_flag once;
    std::string text;
  };
  mutable Explained explained[3];
};

// enum_number: the number a C caller passed for an enum parameter. A C
// caller may pass any int; in C++ a value outside the enum's range is
// undefined behaviour when read as the enum (UBSan's -fsanitize=enum), so the
// check of an argument reads its bytes instead.
template <typename E>
inline int enum_number(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
  int n;
  std::memcpy(&n, &e, sizeof n);
  return n;
}

// ErrorList owns a list; null when there is nothing to say.
using ErrorList = std::unique_ptr<const jwtgate_error>;

struct jwtgate_keyset {
  jwtgate::KeySetPtr set;
  ErrorList warnings;  // the builder's, when built
};

struct jwtgate_keyset_builder {
  std::vector<jwtgate::Key> keys;
  jwtgate::Diagnostics warnings;  // of every add, in order
  ErrorList warnings_list;        // |warnings| as jwtgate_keyset_builder_warnings gives it
};

struct jwtgate_load_options {
  jwtgate::LoadOptions opts;
  jwtgate::Diagnostics warnings;  // of the adds; every policy loaded with these gets them
};

struct jwtgate_policy {
  std::shared_ptr<const jwtgate::Policy> policy;
  std::string json;    // jwtgate_policy_to_json, made at load
  std::string xml;     // jwtgate_policy_to_xml, made at load
  ErrorList warnings;  // jwtgate_policy_warnings, made at load
};

struct jwtgate_validator_options {
  jwtgate::ValidatorOptions opts;
  jwtgate::ObserveOptions observe;
};

struct jwtgate_jws_options {
  jwtgate::AlgSet allowed = jwtgate::kAllAlgs;
  jwtgate::KeyRules rules;
};

struct jwtgate_validator {
  jwtgate_validator(std::shared_ptr<const jwtgate::Policy> p, jwtgate::KeySetPtr k,
                    const jwtgate::ValidatorOptions& o)
      : v(std::move(p), std::move(k), o) {}
  jwtgate::Validator v;
  jwtgate::ObserveOptions observe;
  std::unique_ptr<jwtgate::Metrics> metrics;  // null when turned off
  // Times validations for the metrics and the trace (null when both are off).
  const jwtgate::LatencyClock* clock = nullptr;
};

struct jwtgate_request {
  jwtgate::Request req;
};

namespace jwtgate {

// clear_error starts every function with a jwtgate_error **err parameter
// (jwtgate.h's rule): a list left in *err by an earlier call is freed.
inline void clear_error(jwtgate_error** err) noexcept {
  if (err && *err) {
    delete *err;
    *err = nullptr;
  }
}

// fail ends a failed call: |diag| (given at least one entry: the status's
// text when it has none) goes to the caller through |err|, and |status| is
// returned; JWTGATE_ERR_OUT_OF_MEMORY, with no list, when the list cannot be
// made.
jwtgate_status fail(jwtgate_error** err, jwtgate_status status, Diagnostics&& diag) noexcept;
// fail with one message, "function: message" (|function| is __func__).
jwtgate_status fail(jwtgate_error** err, jwtgate_status status, const char* function,
                    const char* message) noexcept;

// start_out begins a call that makes an object into *out, as jwtgate.h
// asks: *err freed, *out NULL until the object is handed out, and a NULL
// |out| refused (the message names |function|, its __func__). JWTGATE_OK
// when the call may go on.
template <typename T>
jwtgate_status start_out(jwtgate_error** err, T** out, const char* function) noexcept {
  clear_error(err);
  if (out) *out = nullptr;
  if (!out) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, function, "out is NULL");
  return JWTGATE_OK;
}

// warnings_list makes the list an object keeps of |diag|'s warnings (null
// when there are none). Throws std::bad_alloc.
ErrorList warnings_list(const Diagnostics& diag);
// only_warnings: the warnings of |diag|, in order.
Diagnostics only_warnings(const Diagnostics& diag);

// new_handle returns a new T for the _new functions, or NULL when it cannot
// be made (allocation or a constructor that throws).
template <typename T>
T* new_handle() noexcept {
  try {
    return std::make_unique<T>().release();
  } catch (...) {
    return nullptr;
  }
}

// read_whole_file: false if the file cannot be read (size-capped).
bool read_whole_file(const char* path, std::string& out, Diagnostics& diag, size_t cap);

// Every C entry point runs its body through guard(): C++ exceptions
// (std::bad_alloc above all) never cross the C boundary.
template <typename Fn>
jwtgate_status guard(Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return JWTGATE_ERR_OUT_OF_MEMORY;
  } catch (...) {
    return JWTGATE_ERR_INTERNAL;
  }
}

// guard for a function with a jwtgate_error **err: an exception leaves no
// list behind, and an unexpected one (JWTGATE_ERR_INTERNAL) is described.
template <typename Fn>
jwtgate_status guard(jwtgate_error** err, const char* function, Fn&& fn) noexcept {
  const jwtgate_status s = guard(std::forward<Fn>(fn));
  if (s == JWTGATE_ERR_OUT_OF_MEMORY || s == JWTGATE_ERR_INTERNAL) {
    clear_error(err);
    if (s == JWTGATE_ERR_INTERNAL) return fail(err, s, function, "internal error");
  }
  return s;
}

}  // namespace jwtgate
