// Result getters. A result that never ran, or whose token did not parse,
// answers "invalid" and JWTGATE_ERR_NOT_FOUND: it never reads as valid.
#include "capi/capi_types.h"
#include "capi/result_handle.h"
#include "diagnose/diagnosis.h"

using namespace jwtgate;
using simdjson::dom::element;
using simdjson::dom::element_type;

namespace {

const Failure* failure_at(const jwtgate_result* r, size_t i) {
  return (r && i < r->r.failures.size()) ? &r->r.failures[i] : nullptr;
}

// member finds |name| in the header or the claims.
jwtgate_status member(const jwtgate_result* r, jwtgate_part part, const char* name, element* out) {
  if (!r || !name) return JWTGATE_ERR_INVALID_ARGUMENT;
  if (part != JWTGATE_PART_HEADER && part != JWTGATE_PART_CLAIMS) return JWTGATE_ERR_INVALID_ARGUMENT;
  const bool header = part == JWTGATE_PART_HEADER;
  if (header ? !r->r.header_available : !r->r.claims_available) return JWTGATE_ERR_NOT_FOUND;
  auto obj = header ? r->r.token.header : r->r.token.payload;
  if (obj[name].get(*out)) return JWTGATE_ERR_NOT_FOUND;
  return JWTGATE_OK;
}

}  // namespace

extern "C" {

jwtgate_result* jwtgate_result_new(void) { return new_handle<jwtgate_result>(); }
void jwtgate_result_free(jwtgate_result* r) { delete r; }

int jwtgate_result_valid(const jwtgate_result* r) { return r && r->r.valid ? 1 : 0; }

jwtgate_reason jwtgate_result_reason(const jwtgate_result* r) {
  if (!r) return JWTGATE_REASON_TOKEN_NOT_PRESENT;
  if (!r->r.valid && r->r.failures.empty()) return JWTGATE_REASON_TOKEN_NOT_PRESENT;  // never ran
  return r->r.reason;
}

int jwtgate_result_http_status(const jwtgate_result* r) {
  if (!r || (!r->r.valid && r->r.failures.empty())) return 401;
  return r->r.http_status;
}

const char* jwtgate_result_message(const jwtgate_result* r) { return r ? r->r.message.c_str() : ""; }

const char* jwtgate_result_detail(const jwtgate_result* r) {
  const Failure* f = failure_at(r, 0);
  return f ? f->detail.c_str() : "";
}

const char* jwtgate_result_subject(const jwtgate_result* r) {
  const Failure* f = failure_at(r, 0);
  return f ? f->subject.c_str() : "";
}

size_t jwtgate_result_failure_count(const jwtgate_result* r) { return r ? r->r.failures.size() : 0; }

jwtgate_reason jwtgate_result_failure_reason(const jwtgate_result* r, size_t i) {
  const Failure* f = failure_at(r, i);
  return f ? f->reason : JWTGATE_REASON_NONE;
}
const char* jwtgate_result_failure_subject(const jwtgate_result* r, size_t i) {
  const Failure* f = failure_at(r, i);
  return f ? f->subject.c_str() : nullptr;
}
const char* jwtgate_result_failure_detail(const jwtgate_result* r, size_t i) {
  const Failure* f = failure_at(r, i);
  return f ? f->detail.c_str() : nullptr;
}

jwtgate_status jwtgate_result_get_string(const jwtgate_result* r, jwtgate_part part,
                                         const char* name, const char** out, size_t* out_len) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  std::string_view sv;
  if (v.get_string().get(sv)) return JWTGATE_ERR_TYPE;
  *out = sv.data();  // simdjson keeps DOM strings NUL-terminated
  if (out_len) *out_len = sv.size();
  return JWTGATE_OK;
}

jwtgate_status jwtgate_result_get_int64(const jwtgate_result* r, jwtgate_part part,
                                        const char* name, int64_t* out) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  if (v.type() == element_type::UINT64) return JWTGATE_ERR_RANGE;
  if (v.type() != element_type::INT64) return JWTGATE_ERR_TYPE;
  *out = v.get_int64().value_unsafe();
  return JWTGATE_OK;
}

jwtgate_status jwtgate_result_get_double(const jwtgate_result* r, jwtgate_part part,
                                         const char* name, double* out) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  if (!v.is_number()) return JWTGATE_ERR_TYPE;
  *out = v.get_double().value_unsafe();
  return JWTGATE_OK;
}

jwtgate_status jwtgate_result_get_bool(const jwtgate_result* r, jwtgate_part part,
                                       const char* name, int* out) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  bool b;
  if (v.get_bool().get(b)) return JWTGATE_ERR_TYPE;
  *out = b ? 1 : 0;
  return JWTGATE_OK;
}

jwtgate_status jwtgate_result_get_array_size(const jwtgate_result* r, jwtgate_part part,
                                             const char* name, size_t* out) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  simdjson::dom::array a;
  if (v.get_array().get(a)) return JWTGATE_ERR_TYPE;
  *out = a.size();
  return JWTGATE_OK;
}

jwtgate_status jwtgate_result_get_array_string(const jwtgate_result* r, jwtgate_part part,
                                               const char* name, size_t index, const char** out,
                                               size_t* out_len) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  simdjson::dom::array a;
  if (v.get_array().get(a)) return JWTGATE_ERR_TYPE;
  element item;
  if (a.at(index).get(item)) return JWTGATE_ERR_RANGE;
  std::string_view sv;
  if (item.get_string().get(sv)) return JWTGATE_ERR_TYPE;
  *out = sv.data();
  if (out_len) *out_len = sv.size();
  return JWTGATE_OK;
}

// jwtgate_result_get_json and jwtgate_result_part_json write the text into
// the result's buffer, so they take it non-const (a result belongs to one
// thread, jwtgate.h).
jwtgate_status jwtgate_result_get_json(jwtgate_result* r, jwtgate_part part, const char* name,
                                       const char** out, size_t* out_len) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  return guard([&] {
    r->r.scratch = simdjson::minify(v);
    *out = r->r.scratch.c_str();
    if (out_len) *out_len = r->r.scratch.size();
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_result_part_json(jwtgate_result* r, jwtgate_part part,
                                        const char** out, size_t* out_len) {
  if (!r || !out) return JWTGATE_ERR_INVALID_ARGUMENT;
  if (part != JWTGATE_PART_HEADER && part != JWTGATE_PART_CLAIMS) return JWTGATE_ERR_INVALID_ARGUMENT;
  const bool header = part == JWTGATE_PART_HEADER;
  if (header ? !r->r.header_available : !r->r.claims_available) return JWTGATE_ERR_NOT_FOUND;
  std::string_view sv = header ? r->r.token.header_json : r->r.token.payload_json;
  return guard([&] {
    r->r.scratch.assign(sv);  // a NUL-terminated copy
    *out = r->r.scratch.c_str();
    if (out_len) *out_len = r->r.scratch.size();
    return JWTGATE_OK;
  });
}

const char* jwtgate_result_to_json(jwtgate_result* r) {
  if (!r) return nullptr;
  try {
    return r->r.to_json().c_str();
  } catch (...) {
    return nullptr;
  }
}

}  // extern "C"

extern "C" const char* jwtgate_result_explain(jwtgate_result* r, int color) {
  if (!r) return nullptr;
  try {
    if (!r->r.policy) return "no validation has run on this result\n";
    r->r.scratch = diagnosis_text(diagnose(r->r, *r->r.policy), color != 0);
    return r->r.scratch.c_str();
  } catch (...) {
    return nullptr;
  }
}

extern "C" const char* jwtgate_result_explain_json(jwtgate_result* r) {
  if (!r) return nullptr;
  try {
    if (!r->r.policy) return "{}";
    r->r.scratch = diagnosis_json(diagnose(r->r, *r->r.policy));
    return r->r.scratch.c_str();
  } catch (...) {
    return nullptr;
  }
}
