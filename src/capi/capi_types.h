// The structs behind the opaque C handles. Only the capi/ sources see them.
#pragma once

#include <memory>
#include <new>
#include <string>

#include "jwtgate.h"
#include "core/diagnostics.h"
#include "keys/key_set.h"
#include "policy/load_options.h"
#include "policy/policy.h"
#include "validate/request.h"
#include "validate/validator.h"
#include "capi/capi_observe.h"
#include "core/latency_clock.h"

struct jwtgate_error {
  jwtgate::Diagnostics diag;
  std::string text;
};

struct jwtgate_keyset {
  jwtgate::KeySetPtr set;
};

struct jwtgate_keyset_builder {
  std::vector<jwtgate::Key> keys;
};

struct jwtgate_load_options {
  jwtgate::LoadOptions opts;
};

struct jwtgate_policy {
  std::shared_ptr<const jwtgate::Policy> policy;
  std::string json;  // jwtgate_policy_to_json, made at load
  std::string xml;   // jwtgate_policy_to_xml, made at load
};

struct jwtgate_validator_options {
  jwtgate::ValidatorOptions opts;
  jwtgate::ObserveOptions observe;
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

// hand_over_diagnostics gives |diag| to the caller through |err| when it holds
// anything (errors or warnings) and |err| is not NULL.
void hand_over_diagnostics(jwtgate_error** err, Diagnostics&& diag);

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

}  // namespace jwtgate
