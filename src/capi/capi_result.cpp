// Result getters. A result that never ran, or whose token did not parse,
// answers "invalid" and JWTGATE_ERR_NOT_FOUND: it never reads as valid.
#include <type_traits>

#include "capi/capi_types.h"
#include "capi/result_handle.h"
#include "diagnose/diagnosis.h"
#include "encoding/json_dom.h"

using namespace jwtgate;

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

// read_member: the steps every typed getter shares (|out| given, the member
// found, jwtgate.h's statuses for each miss), then |read| converts the
// member's value into *out.
template <typename Read>
jwtgate_status read_member(const jwtgate_result* r, jwtgate_part part, const char* name,
                           const void* out, Read&& read) {
  if (!out) return JWTGATE_ERR_INVALID_ARGUMENT;
  element v;
  if (jwtgate_status s = member(r, part, name, &v)) return s;
  return read(v);
}

// convert: a member's value as the typed getter of |out|'s type gives it
// (jwtgate.h): int64_t an integer (JWTGATE_ERR_RANGE past INT64_MAX), double
// any number, int a boolean as 0 or 1, size_t an array's length.
template <typename T>
jwtgate_status convert(element v, T* out) {
  if constexpr (std::is_same_v<T, int64_t>) {
    if (v.type() == element_type::UINT64) return JWTGATE_ERR_RANGE;
    if (v.type() != element_type::INT64) return JWTGATE_ERR_TYPE;
    *out = v.get_int64().value_unsafe();
  } else if constexpr (std::is_same_v<T, double>) {
    if (!v.is_number()) return JWTGATE_ERR_TYPE;
    *out = v.get_double().value_unsafe();
  } else if constexpr (std::is_same_v<T, int>) {
    bool b;
    if (v.get_bool().get(b)) return JWTGATE_ERR_TYPE;
    *out = b ? 1 : 0;
  } else {
    static_assert(std::is_same_v<T, size_t>, "a typed getter's out type");
    array a;
    if (v.get_array().get(a)) return JWTGATE_ERR_TYPE;
    *out = a.size();
  }
  return JWTGATE_OK;
}

// read_member with the conversion of |out|'s type.
template <typename T>
jwtgate_status read_member(const jwtgate_result* r, jwtgate_part part, const char* name, T* out) {
  return read_member(r, part, name, out, [out](element v) { return convert(v, out); });
}

// string_out hands out the string |v| in place.
jwtgate_status string_out(element v, const char** out, size_t* out_len) {
  std::string_view sv;
  if (v.get_string().get(sv)) return JWTGATE_ERR_TYPE;
  *out = sv.data();  // simdjson keeps DOM strings NUL-terminated
  if (out_len) *out_len = sv.size();
  return JWTGATE_OK;
}

// scratch_out hands out the text just written into the result's buffer.
jwtgate_status scratch_out(jwtgate_result* r, const char** out, size_t* out_len) {
  *out = r->r.scratch.c_str();
  if (out_len) *out_len = r->r.scratch.size();
  return JWTGATE_OK;
}

// explained_result: the diagnosis of |r| in the form |render| makes, in the
// result's buffer; |none| when no validation has run (or, with
// |none_when_valid|, when the token was valid); NULL on an exception.
template <typename Render>
const char* explained_result(jwtgate_result* r, const char* none, bool none_when_valid,
                             Render&& render) {
  if (!r) return nullptr;
  try {
    if (!r->r.policy || (none_when_valid && r->r.valid)) return none;
    r->r.scratch = render(diagnose(r->r, *r->r.policy));
    return r->r.scratch.c_str();
  } catch (...) {
    return nullptr;
  }
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
  return read_member(r, part, name, out, [&](element v) { return string_out(v, out, out_len); });
}

// The typed getters (jwtgate_result_get_int64, _double, _bool,
// _array_size): one definition, one exported instance per out type; what
// each type reads is convert()'s.
#define JWTGATE_TYPED_GETTER(SUFFIX, T)                                                      \
  jwtgate_status jwtgate_result_get_##SUFFIX(const jwtgate_result* r, jwtgate_part part,    \
                                             const char* name, T* out) {                     \
    return read_member(r, part, name, out);                                                  \
  }
JWTGATE_TYPED_GETTER(int64, int64_t)
JWTGATE_TYPED_GETTER(double, double)
JWTGATE_TYPED_GETTER(bool, int)
JWTGATE_TYPED_GETTER(array_size, size_t)
#undef JWTGATE_TYPED_GETTER

jwtgate_status jwtgate_result_get_array_string(const jwtgate_result* r, jwtgate_part part,
                                               const char* name, size_t index, const char** out,
                                               size_t* out_len) {
  return read_member(r, part, name, out, [&](element v) {
    array a;
    if (v.get_array().get(a)) return JWTGATE_ERR_TYPE;
    element item;
    if (a.at(index).get(item)) return JWTGATE_ERR_RANGE;
    return string_out(item, out, out_len);
  });
}

// jwtgate_result_get_json and jwtgate_result_part_json write the text into
// the result's buffer, so they take it non-const (a result belongs to one
// thread, jwtgate.h).
jwtgate_status jwtgate_result_get_json(jwtgate_result* r, jwtgate_part part, const char* name,
                                       const char** out, size_t* out_len) {
  return read_member(r, part, name, out, [&](element v) {
    return guard([&] {
      r->r.scratch = simdjson::minify(v);
      return scratch_out(r, out, out_len);
    });
  });
}

jwtgate_status jwtgate_result_part_json(jwtgate_result* r, jwtgate_part part,
                                        const char** out, size_t* out_len) {
  if (!r || !out) return JWTGATE_ERR_INVALID_ARGUMENT;
  if (part != JWTGATE_PART_HEADER && part != JWTGATE_PART_CLAIMS && part != JWTGATE_PART_PAYLOAD)
    return JWTGATE_ERR_INVALID_ARGUMENT;
  const bool header = part == JWTGATE_PART_HEADER;
  // A JWT's payload bytes are its claims' JSON; a plain JWS has only bytes.
  const bool available = header ? r->r.header_available
                         : part == JWTGATE_PART_CLAIMS
                             ? r->r.claims_available
                             : r->r.claims_available || r->r.payload_available;
  if (!available) return JWTGATE_ERR_NOT_FOUND;
  std::string_view sv = header ? r->r.token.header_json : r->r.token.payload_json;
  return guard([&] {
    r->r.scratch.assign(sv);  // a NUL-terminated copy
    return scratch_out(r, out, out_len);
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
  return explained_result(r, "no validation has run on this result\n", false,
                          [&](const auto& d) { return diagnosis_text(d, color != 0); });
}

extern "C" const char* jwtgate_result_explain_json(jwtgate_result* r) {
  return explained_result(r, "{}", false, [](const auto& d) { return diagnosis_json(d); });
}

extern "C" const char* jwtgate_result_explain_line(jwtgate_result* r) {
  return explained_result(r, "", true, [](const auto& d) { return diagnosis_line(d); });
}

extern "C" const char* jwtgate_error_code(const jwtgate_error* e, size_t i) {
  if (!e || i >= e->diag.items().size()) return nullptr;
  return e->diag.items()[i].code.c_str();
}

namespace {

// The explanation |form| of |e| (0 text, 1 coloured text, 2 JSON), made
// once: see jwtgate_error in capi_types.h.
const char* explained(const jwtgate_error* e, int form) {
  if (!e) return nullptr;
  auto& x = e->explained[form];
  try {
    std::call_once(x.once, [&] {
      auto d = diagnose_policy_errors(e->diag);
      x.text = form == 2 ? diagnosis_json(d) : diagnosis_text(d, form == 1);
    });
    return x.text.c_str();
  } catch (...) {
    return nullptr;  // an exception leaves the flag unset: a later call tries again
  }
}

}  // namespace

extern "C" const char* jwtgate_error_explain(const jwtgate_error* e, int color) {
  return explained(e, color ? 1 : 0);
}

extern "C" const char* jwtgate_error_explain_json(const jwtgate_error* e) { return explained(e, 2); }
