// _jwtgate: the Python extension of jwtgate. It calls the public C API only
// (jwtgate.h, and jwtgate_experimental.h for key counters and errors, the
// key-text detector and explanations), the surface native gateways link, and
// owns its handles with the C++ wrapper's types (jwtgate.hpp); it keeps
// everything Python-specific (argument conversion, result objects, the GIL)
// here. The pure-Python package jwtgate/ builds the public API on top.
//
// Threads: a validator is shared by any number of threads; each call takes a
// jwtgate_result and a jwtgate_request from a per-thread slot (a fresh one if
// the slot is busy, e.g. when a finalizer run by the garbage collector
// validates in the middle of another validation on the same thread), and the
// GIL is released while the library verifies the signature and checks the
// claims. Policy loading and key parsing release it too.
#include <openssl/crypto.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "jwtgate_experimental.h"  // before jwtgate.hpp
#include "jwtgate.hpp"

namespace py = pybind11;

namespace {

// ------------------------------------------------------------ ownership
// The C++ wrapper's owners (jwtgate.hpp): each frees with the matching _free.
using ErrorPtr = jwtgate::error_list;
using ResultPtr = jwtgate::result;
using RequestPtr = jwtgate::request;

[[noreturn]] void raise_status(jwtgate_status s, const char* what) {
  if (s == JWTGATE_ERR_OUT_OF_MEMORY) throw std::bad_alloc();
  throw std::runtime_error(std::string(what) + ": " + jwtgate_status_str(s));
}

// issues turns a jwtgate_error list, from entry |first| on, into a list of
// (message, line, column, path, is_warning) tuples.
py::list issues(const jwtgate_error* err, size_t first = 0) {
  py::list out;
  const size_t n = jwtgate_error_count(err);
  for (size_t i = first; i < n; ++i) {
    const char* m = jwtgate_error_message(err, i);
    const char* p = jwtgate_error_path(err, i);
    out.append(py::make_tuple(py::str(m ? m : ""), jwtgate_error_line(err, i),
                              jwtgate_error_column(err, i), py::str(p ? p : ""),
                              jwtgate_error_is_warning(err, i) != 0));
  }
  return out;
}

// ------------------------------------------------------------ text input
// Bytes holds the bytes of a str (UTF-8) or a bytes-like object. For str and
// bytes it points into the (immutable) object, which the caller keeps alive;
// anything mutable (bytearray, memoryview) is copied so that releasing the
// GIL cannot expose it to a concurrent writer.
struct Bytes {
  const char* data = nullptr;
  size_t size = 0;
  std::string copy;
  py::object keep;  // keeps an encoded temporary alive
};

bool get_bytes(py::handle obj, Bytes& out) {
  PyObject* o = obj.ptr();
  if (PyUnicode_Check(o)) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == nullptr) {
      // Lone surrogates cannot be UTF-8; such text is never a valid token, so
      // it goes to the library as it is (surrogatepass) and is rejected
      // there instead of raising.
      PyErr_Clear();
      PyObject* enc = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
      if (enc == nullptr) throw py::error_already_set();
      out.keep = py::reinterpret_steal<py::object>(enc);
      out.data = PyBytes_AS_STRING(enc);
      out.size = static_cast<size_t>(PyBytes_GET_SIZE(enc));
      return true;
    }
    out.data = s;
    out.size = static_cast<size_t>(n);
    return true;
  }
  if (PyBytes_Check(o)) {
    out.data = PyBytes_AS_STRING(o);
    out.size = static_cast<size_t>(PyBytes_GET_SIZE(o));
    return true;
  }
  if (PyObject_CheckBuffer(o)) {
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_SIMPLE) != 0) throw py::error_already_set();
    out.copy.assign(static_cast<const char*>(view.buf), static_cast<size_t>(view.len));
    PyBuffer_Release(&view);
    out.data = out.copy.data();
    out.size = out.copy.size();
    return true;
  }
  return false;
}

Bytes require_bytes(py::handle obj, const char* what) {
  Bytes b;
  if (!get_bytes(obj, b))
    throw py::type_error(std::string(what) + " must be str or bytes, not " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  return b;
}

std::string require_text(py::handle obj, const char* what) {
  Bytes b = require_bytes(obj, what);
  return std::string(b.data, b.size);
}

// require_name is for C strings (names, ids, URLs): str only, no NUL.
std::string require_name(py::handle obj, const char* what) {
  if (!PyUnicode_Check(obj.ptr()))
    throw py::type_error(std::string(what) + " must be str, not " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  std::string s = obj.cast<std::string>();
  if (s.find('\0') != std::string::npos)
    throw py::value_error(std::string(what) + " must not contain NUL characters");
  return s;
}

// ------------------------------------------------------------ time
int64_t to_now(py::handle now) {
  if (now.is_none()) return JWTGATE_NOW;
  PyObject* o = now.ptr();
  if (PyBool_Check(o)) throw py::type_error("now must be a number of Unix seconds or a datetime, not bool");
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    if (overflow != 0 || v == std::numeric_limits<long long>::min())
      throw py::value_error("now is out of range for a 64-bit Unix time");
    return static_cast<int64_t>(v);
  }
  if (PyFloat_Check(o)) {
    double d = PyFloat_AS_DOUBLE(o);
    // Whole seconds, rounded down: a token is expired from exp on.
    if (!std::isfinite(d) || d <= -9.2e18 || d >= 9.2e18)
      throw py::value_error("now is out of range for a 64-bit Unix time");
    return static_cast<int64_t>(std::floor(d));
  }
  // datetime and anything else with .timestamp(). A naive datetime is taken
  // as UTC (as PyJWT does for claims), never as local time.
  if (py::hasattr(now, "timestamp")) {
    py::object dt = py::reinterpret_borrow<py::object>(now);
    if (py::hasattr(dt, "tzinfo") && dt.attr("tzinfo").is_none() && py::hasattr(dt, "replace")) {
      py::object utc = py::module_::import("datetime").attr("timezone").attr("utc");
      dt = dt.attr("replace")(py::arg("tzinfo") = utc);
    }
    return to_now(dt.attr("timestamp")());
  }
  throw py::type_error("now must be None, Unix seconds (int or float) or a datetime, not " +
                       std::string(py::str(py::type::handle_of(now).attr("__name__"))));
}

// ------------------------------------------------------------ per-thread scratch
// A slot lends its object to one call at a time; a re-entrant call on the same
// thread (rare) gets a fresh object that is freed afterwards.
template <class T, class Owner, T* (*New)()>
class ThreadSlot {
 public:
  class Lease {
   public:
    explicit Lease(Owner& slot) : slot_(slot) {
      if (slot_) {
        obj_ = std::move(slot_);
      } else {
        obj_.reset(New());
        if (!obj_) throw std::bad_alloc();
      }
    }
    ~Lease() {
      if (!slot_) slot_ = std::move(obj_);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    T* get() const { return obj_.get(); }

   private:
    Owner& slot_;
    Owner obj_;
  };
};

thread_local ResultPtr t_result;
thread_local RequestPtr t_request;
using ResultSlot = ThreadSlot<jwtgate_result, ResultPtr, jwtgate_result_new>;
using RequestSlot = ThreadSlot<jwtgate_request, RequestPtr, jwtgate_request_new>;

// ------------------------------------------------------------ Result
struct FailureData {
  int reason;
  std::string subject;
  std::string detail;
};

// Module-level Python objects, set once at import: the Reason members by
// number, the Failure class and json.loads.
struct Globals {
  std::vector<py::object> reasons;  // indexed by reason number (None for gaps)
  py::object reason_enum;  // Reason
  py::object failure_cls;  // Failure(reason, subject, detail)
  py::object json_loads;
};
Globals* g = nullptr;

py::object reason_object(int reason) {
  if (reason >= 0 && static_cast<size_t>(reason) < g->reasons.size()) {
    const py::object& r = g->reasons[static_cast<size_t>(reason)];
    if (r && !r.is_none()) return r;
  }
  if (g->reason_enum && !g->reason_enum.is_none()) return g->reason_enum(reason);
  return py::int_(reason);
}

// ------------------------------------------------------------ JSON to Python
// The claims and header the library hands out are JSON it has parsed already
// (valid UTF-8, no duplicate member names). Building the dict here from a
// simdjson DOM costs a fraction of json.loads; anything this builder cannot
// represent exactly as json.loads would (a number out of 64-bit range, a
// string that is not UTF-8) makes it give up, and json.loads decides.
class JsonBuilder {
 public:
  // build returns a new reference, or nullptr (no Python error set) to give up.
  static PyObject* build(simdjson::dom::element e) {
    switch (e.type()) {
      case simdjson::dom::element_type::OBJECT: {
        PyObject* d = PyDict_New();
        if (d == nullptr) return fail();
        simdjson::dom::object obj = e.get_object().value_unsafe();
        for (auto field : obj) {
          PyObject* k = PyUnicode_DecodeUTF8(field.key.data(), static_cast<Py_ssize_t>(field.key.size()), nullptr);
          PyObject* v = k ? build(field.value) : nullptr;
          const bool ok = v != nullptr && PyDict_SetItem(d, k, v) == 0;
          Py_XDECREF(k);
          Py_XDECREF(v);
          if (!ok) {
            Py_DECREF(d);
            return fail();
          }
        }
        return d;
      }
      case simdjson::dom::element_type::ARRAY: {
        simdjson::dom::array a = e.get_array().value_unsafe();
        PyObject* l = PyList_New(static_cast<Py_ssize_t>(a.size()));
        if (l == nullptr) return fail();
        Py_ssize_t i = 0;
        for (simdjson::dom::element item : a) {
          PyObject* v = build(item);
          if (v == nullptr) {
            Py_DECREF(l);
            return fail();
          }
          PyList_SET_ITEM(l, i++, v);
        }
        return l;
      }
      case simdjson::dom::element_type::STRING: {
        std::string_view sv = e.get_string().value_unsafe();
        PyObject* o = PyUnicode_DecodeUTF8(sv.data(), static_cast<Py_ssize_t>(sv.size()), nullptr);
        return o ? o : fail();
      }
      case simdjson::dom::element_type::INT64:
        return PyLong_FromLongLong(e.get_int64().value_unsafe());
      case simdjson::dom::element_type::UINT64:
        return PyLong_FromUnsignedLongLong(e.get_uint64().value_unsafe());
      case simdjson::dom::element_type::DOUBLE: {
        // json.loads gives an int for "-0" (an integer literal); simdjson a
        // double. Every other double both parse to the same correctly
        // rounded value.
        const double d = e.get_double().value_unsafe();
        if (d == 0.0 && std::signbit(d)) return nullptr;
        return PyFloat_FromDouble(d);
      }
      case simdjson::dom::element_type::BOOL:
        return PyBool_FromLong(e.get_bool().value_unsafe() ? 1 : 0);
      case simdjson::dom::element_type::NULL_VALUE:
        Py_RETURN_NONE;
    }
    return nullptr;
  }

 private:
  static PyObject* fail() {
    PyErr_Clear();
    return nullptr;
  }
};

// json_to_python: json.loads(text), built from a simdjson DOM when it can be.
// The per-thread parser is leased: building objects may run a garbage
// collection whose finalizers parse JSON on this same thread.
thread_local std::unique_ptr<simdjson::dom::parser> t_json;

py::object json_to_python(const char* data, size_t size);

py::object json_to_python(const char* data, size_t size) {
  std::unique_ptr<simdjson::dom::parser> parser = std::move(t_json);
  if (!parser) parser = std::make_unique<simdjson::dom::parser>();
  simdjson::dom::element root;
  PyObject* built = nullptr;
  if (!parser->parse(data, size, /*realloc_if_needed=*/true).get(root)) built = JsonBuilder::build(root);
  if (!t_json) t_json = std::move(parser);
  if (built != nullptr) return py::reinterpret_steal<py::object>(built);
  PyObject* text = PyUnicode_DecodeUTF8(data, static_cast<Py_ssize_t>(size), "surrogatepass");
  if (text == nullptr) throw py::error_already_set();
  return g->json_loads(py::reinterpret_steal<py::object>(text));
}

// ------------------------------------------------------------ Result
class Validator;

class Result {
 public:
  bool valid = false;
  int status = 401;
  int reason = JWTGATE_REASON_TOKEN_NOT_PRESENT;
  std::string message;
  std::vector<FailureData> failures;
  bool has_header = false, has_claims = false, has_payload = false;
  std::string header_json, claims_json, payload;

  // What explain() needs to run the same validation again: the validator,
  // the inputs and the time (see explain()).
  py::object replay_validator, replay_token, replay_headers, replay_query;
  int64_t replay_now = 0;

  // read copies what a Python result needs out of |r|; no Python calls, so
  // it runs without the GIL.
  void read(jwtgate_result* r) {
    valid = jwtgate_result_valid(r) != 0;
    status = jwtgate_result_http_status(r);
    reason = static_cast<int>(jwtgate_result_reason(r));
    if (!valid) {
      message = jwtgate_result_message(r);
      const size_t n = jwtgate_result_failure_count(r);
      failures.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        const char* s = jwtgate_result_failure_subject(r, i);
        const char* d = jwtgate_result_failure_detail(r, i);
        failures.push_back({static_cast<int>(jwtgate_result_failure_reason(r, i)), s ? s : "",
                            d ? d : ""});
      }
    }
    const char* text = nullptr;
    size_t len = 0;
    if (jwtgate_result_part_json(r, JWTGATE_PART_HEADER, &text, &len) == JWTGATE_OK) {
      has_header = true;
      header_json.assign(text, len);
    }
    if (jwtgate_result_part_json(r, JWTGATE_PART_CLAIMS, &text, &len) == JWTGATE_OK) {
      has_claims = true;
      claims_json.assign(text, len);
    }
  }

  // read_payload copies the payload bytes of a plain JWS (jwtgate_verify_jws).
  void read_payload(jwtgate_result* r) {
    const char* text = nullptr;
    size_t len = 0;
    if (jwtgate_result_part_json(r, JWTGATE_PART_PAYLOAD, &text, &len) == JWTGATE_OK) {
      has_payload = true;
      payload.assign(text, len);
    }
  }

  py::object payload_bytes() const {
    if (!has_payload) return py::none();
    return py::bytes(payload.data(), payload.size());
  }

  // explain: jwtgate_result_explain (or _explain_json) of this validation.
  // The library explains the jwtgate_result it validated into, which this
  // thread reuses for the next validation; so the validation runs again,
  // with the same validator, inputs and time, into a result of its own, and
  // the library explains that one. Only a key set replaced or refreshed in
  // between can make the two differ.
  std::string explain(bool json, bool color) const;

  py::object reason_obj() const { return reason_object(reason); }

  py::object failures_obj() {
    if (failures_cache_) return failures_cache_;
    py::tuple t(failures.size());
    for (size_t i = 0; i < failures.size(); ++i) {
      const FailureData& f = failures[i];
      t[i] = g->failure_cls(reason_object(f.reason), decode(f.subject), decode(f.detail));
    }
    failures_cache_ = t;
    return failures_cache_;
  }

  py::object header() { return part(has_header, header_json, header_cache_); }
  py::object claims() { return part(has_claims, claims_json, claims_cache_); }

  py::object header_text() const { return has_header ? decode(header_json) : py::none(); }
  py::object claims_text() const { return has_claims ? decode(claims_json) : py::none(); }

  // The deciding failure's detail and subject ("" when valid).
  py::object detail() const { return failures.empty() ? py::str("") : decode(failures.front().detail); }
  py::object subject() const { return failures.empty() ? py::str("") : decode(failures.front().subject); }

  std::string repr() const {
    if (valid) return "<jwtgate.Result valid>";
    return "<jwtgate.Result invalid " + py::str(reason_obj().attr("code")).cast<std::string>() +
           " status=" + std::to_string(status) + ">";
  }

  // to_dict: the result as plain Python data, the fields of the C API's
  // jwtgate_result_to_json.
  py::dict to_dict() {
    py::dict d;
    const py::object r = reason_obj();
    d["valid"] = valid;
    d["status"] = status;
    d["reason"] = r.attr("code");
    d["apim_reason"] = r.attr("apim");
    d["message"] = decode(message);
    py::list fs;
    for (const FailureData& f : failures) {
      const py::object fr = reason_object(f.reason);
      py::dict fd;
      fd["code"] = fr.attr("code");
      fd["apim_reason"] = fr.attr("apim");
      fd["subject"] = decode(f.subject);
      fd["detail"] = decode(f.detail);
      fs.append(fd);
    }
    d["failures"] = fs;
    d["header"] = has_header ? header() : py::none();
    d["claims"] = has_claims ? claims() : py::none();
    return d;
  }

 private:
  static py::object decode(const std::string& s) {
    // The library hands out valid UTF-8 (it rejects anything else), but
    // "replace" keeps a surprise from turning into an exception.
    PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
    if (o == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
  }

  py::object part(bool has, const std::string& json, py::object& cache) {
    if (cache) return cache;
    if (!has) {
      cache = py::dict();
    } else {
      cache = json_to_python(json.data(), json.size());
      // A token's header and payload are JSON objects; the library refuses
      // anything else before a part is available, so this is a dict.
    }
    return cache;
  }

  py::object failures_cache_, header_cache_, claims_cache_;
};

// ------------------------------------------------------------ Policy, KeySet
class Policy {
 public:
  explicit Policy(jwtgate_policy* p) : p_(jwtgate::policy(p)) {}
  const jwtgate_policy* get() const { return p_.get(); }
  std::string to_json() const {
    const char* s = jwtgate_policy_to_json(p_.get());
    return s ? s : "";
  }
  std::string to_xml() const {
    const char* s = jwtgate_policy_to_xml(p_.get());
    return s ? s : "";
  }

 private:
  std::shared_ptr<jwtgate_policy> p_;
};

class KeySet {
 public:
  explicit KeySet(jwtgate_keyset* k) : k_(jwtgate::keyset(k)) {}
  const jwtgate_keyset* get() const { return k_.get(); }
  size_t count() const { return jwtgate_keyset_count(k_.get()); }

 private:
  std::shared_ptr<jwtgate_keyset> k_;
};

// KeySetBuilder collects keys; add_* return (status, issues): the errors of
// a failed add, or the warnings this add left on the builder
// (jwtgate_keyset_builder_warnings keeps those of every add).
struct KeyLoadFailure {
  int status;
  py::list issues;
};

class KeySetBuilder {
 public:
  KeySetBuilder() : b_(jwtgate::make_keyset_builder()) {}

  py::tuple add(int format, py::handle data, py::handle kid) {
    if (format < JWTGATE_KEY_AUTO || format > JWTGATE_KEY_PEM_MAP)
      throw py::value_error("unknown key format " + std::to_string(format));
    std::string bytes = require_text(data, "key data");
    const std::optional<std::string> k = kid_name(kid);
    return added([&](jwtgate_error** e) {
      return jwtgate_keyset_builder_add(b_.get(), e, static_cast<jwtgate_key_format>(format), bytes.data(),
                                        bytes.size(), k ? k->c_str() : nullptr);
    });
  }

  py::tuple add_rsa_components(py::handle n, py::handle e_, py::handle kid) {
    std::string ns = require_name(n, "n"), es = require_name(e_, "e");
    const std::optional<std::string> k = kid_name(kid);
    return added([&](jwtgate_error** e) {
      return jwtgate_keyset_builder_add_rsa_components(b_.get(), e, ns.c_str(), es.c_str(),
                                                       k ? k->c_str() : nullptr);
    });
  }

  py::tuple add_file(const std::string& path) {
    if (path.find('\0') != std::string::npos) throw py::value_error("path must not contain NUL");
    return added([&](jwtgate_error** e) { return jwtgate_keyset_builder_add_file(b_.get(), e, path.c_str()); });
  }

  KeySet build() {
    jwtgate_keyset* k = nullptr;
    jwtgate_status s = jwtgate_keyset_builder_build(b_.get(), &k);
    if (s != JWTGATE_OK || k == nullptr) raise_status(s, "building the key set");
    return KeySet(k);
  }

 private:
  size_t warnings() const { return jwtgate_error_count(jwtgate_keyset_builder_warnings(b_.get())); }
  // kid_name: the kid an add is given (None: the key's own, if any).
  static std::optional<std::string> kid_name(py::handle kid) {
    if (kid.is_none()) return std::nullopt;
    return require_name(kid, "kid");
  }
  // added: one add (|add| is given the error list to fill), made without the
  // GIL, and its outcome.
  template <typename Add>
  py::tuple added(Add add) {
    jwtgate_error* e = nullptr;
    jwtgate_status s;
    const size_t warned = warnings();
    {
      py::gil_scoped_release nogil;
      s = add(&e);
    }
    return outcome(s, e, warned);
  }
  // outcome: a failed add's errors, or the warnings from entry |warned| on.
  py::tuple outcome(jwtgate_status s, jwtgate_error* e, size_t warned) const {
    ErrorPtr err(e);
    if (s != JWTGATE_OK) return py::make_tuple(static_cast<int>(s), issues(err.get()));
    return py::make_tuple(static_cast<int>(s), issues(jwtgate_keyset_builder_warnings(b_.get()), warned));
  }

  jwtgate::keyset_builder b_;
};

// JwsOptions: jwtgate_jws_options, made once per set of allowed algorithms
// and HMAC floor (the compat layer caches them).
class JwsOptions {
 public:
  JwsOptions(py::handle algorithms, unsigned min_hmac_bits) : o_(jwtgate::make_jws_options()) {
    if (!algorithms.is_none()) {
      std::string names = require_name(algorithms, "algorithms");
      if (jwtgate_jws_options_set_algorithms(o_.get(), names.c_str()) != JWTGATE_OK)
        throw py::value_error("algorithms must name JWS algorithms jwtgate implements: " + names);
    }
    if (jwtgate_jws_options_set_min_hmac_bits(o_.get(), min_hmac_bits) != JWTGATE_OK)
      throw py::value_error("min_hmac_bits must be 0 or 128 to 4096");
  }
  const jwtgate_jws_options* get() const { return o_.get(); }

 private:
  jwtgate::jws_options o_;
};

// load_policy: (text or path) plus load options -> (status, Policy | None,
// issues). Errors are returned, not raised, so the Python layer can raise
// its own exception classes with every issue attached.
py::tuple load_policy(py::handle text, py::handle path, py::list named_values,
                      py::list expressions, py::list certificates, py::list documents,
                      py::handle select, py::list decryption_keys) {
  jwtgate::load_options o = jwtgate::make_load_options();
  auto check = [](jwtgate_status s, const char* what) {
    if (s != JWTGATE_OK) raise_status(s, what);
  };
  // refused: the outcome of an add the library refused, its errors or, when
  // it listed none, the status said of |what|.
  auto refused = [](jwtgate_status s, const jwtgate_error* err, const std::string& what) {
    py::list l = issues(err);
    if (l.size() == 0)
      l.append(py::make_tuple(py::str(what + ": " + jwtgate_status_str(s)), 0, 0, py::str(""), false));
    return py::make_tuple(static_cast<int>(s), py::none(), l);
  };
  for (auto item : named_values) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    check(jwtgate_load_options_set_named_value(o.get(), require_name(t[0], "named value name").c_str(),
                                               require_name(t[1], "named value").c_str()),
          "named value");
  }
  for (auto item : expressions) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    check(jwtgate_load_options_set_expression_value(o.get(), require_name(t[0], "expression").c_str(),
                                                    require_name(t[1], "expression value").c_str()),
          "expression value");
  }
  for (auto item : certificates) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    std::string id = require_name(t[0], "certificate id");
    std::string data = require_text(t[1], "certificate");
    jwtgate_error* e = nullptr;
    jwtgate_status s = jwtgate_load_options_add_certificate(o.get(), &e, id.c_str(), data.data(),
                                                            data.size());
    ErrorPtr err(e);
    if (s != JWTGATE_OK) return refused(s, err.get(), "certificate " + id);
  }
  // (certificate id, key data, password or None): the private keys of
  // <decryption-keys><key certificate-id>. The copies are wiped once loaded.
  for (auto item : decryption_keys) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    std::string id = require_name(t[0], "decryption key id");
    std::string data = require_text(t[1], "decryption key");
    std::string password = t[2].is_none() ? std::string() : require_text(t[2], "decryption key password");
    jwtgate_error* e = nullptr;
    jwtgate_status s = jwtgate_load_options_add_decryption_key(
        o.get(), &e, id.c_str(), data.data(), data.size(), password.c_str());
    OPENSSL_cleanse(data.data(), data.size());
    OPENSSL_cleanse(password.data(), password.size());
    ErrorPtr err(e);
    if (s != JWTGATE_OK) return refused(s, err.get(), "decryption key " + id);
  }
  for (auto item : documents) {
    py::tuple t = py::reinterpret_borrow<py::tuple>(item);
    std::string url = require_name(t[0], "document URL");
    const auto kind = static_cast<jwtgate_document_kind>(t[1].cast<int>());  // checked by the call
    std::string data = require_text(t[2], "document");
    check(jwtgate_load_options_set_document(o.get(), url.c_str(), kind, data.data(), data.size()),
          "document");
  }
  if (!select.is_none())
    check(jwtgate_load_options_select(o.get(), require_name(select, "select").c_str()), "select");

  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  jwtgate_status s;
  if (!path.is_none()) {
    std::string path_s = require_name(path, "path");
    py::gil_scoped_release nogil;
    s = jwtgate_policy_load_file(&p, &e, path_s.c_str(), o.get());
  } else {
    std::string text_s = require_text(text, "policy text");
    py::gil_scoped_release nogil;
    s = jwtgate_policy_load(&p, &e, text_s.data(), text_s.size(), o.get());
  }
  ErrorPtr err(e);
  jwtgate::policy owned(p);
  if (s != JWTGATE_OK || !owned) return py::make_tuple(static_cast<int>(s), py::none(), issues(err.get()));
  // Loaded: the issues are the policy's warnings.
  py::list l = issues(jwtgate_policy_warnings(owned.get()));
  return py::make_tuple(static_cast<int>(s), py::cast(Policy(owned.release())), l);
}

// ------------------------------------------------------------ Validator
class Validator {
 public:
  // |cache_entries| sizes the verified-token cache (0: off); |settings| are
  // (jwtgate_key_setting, value) pairs for fetched keys.
  Validator(const Policy& policy, const KeySet* keys, size_t cache_entries,
            const std::vector<std::pair<int, uint64_t>>& settings, bool never_wait) {
    jwtgate::validator_options o = jwtgate::make_validator_options();
    if (jwtgate_validator_options_set_cache_entries(o.get(), cache_entries) != JWTGATE_OK)
      throw py::value_error("cache_entries is out of range");
    // jwtgate.h (experimental block): no validation ever waits for keys.
    if (never_wait && jwtgate_validator_options_set_never_wait(o.get(), 1) != JWTGATE_OK)
      throw py::value_error("never_wait could not be set");
    for (const auto& [setting, value] : settings) {
      if (jwtgate_validator_options_set_key_setting(o.get(), static_cast<jwtgate_key_setting>(setting), value) !=
          JWTGATE_OK)
        throw py::value_error("key setting " + std::to_string(setting) + " = " + std::to_string(value) +
                              " is out of range");
    }
    jwtgate_validator* v = nullptr;
    jwtgate_error* e = nullptr;
    jwtgate_status s =
        jwtgate_validator_new_with_options(&v, &e, policy.get(), keys ? keys->get() : nullptr, o.get());
    ErrorPtr err(e);
    if (s != JWTGATE_OK || v == nullptr) {
      const char* text = jwtgate_error_text(err.get());
      if (s == JWTGATE_ERR_OUT_OF_MEMORY) throw std::bad_alloc();
      throw std::runtime_error(std::string("cannot create the validator: ") +
                               jwtgate_status_str(s) + (text && *text ? std::string(": ") + text : ""));
    }
    v_.reset(v);
  }

  // refresh_keys: (status, issues); the fetches run without the GIL.
  py::tuple refresh_keys(bool force) {
    jwtgate_error* e = nullptr;
    jwtgate_status s;
    {
      py::gil_scoped_release nogil;
      s = jwtgate_validator_refresh_keys(v_.get(), &e, force ? 1 : 0);
    }
    ErrorPtr err(e);
    return py::make_tuple(static_cast<int>(s), issues(err.get()));
  }

  ~Validator() {
    // Freeing stops the refresh thread, which may be in a fetch: wait for it
    // without holding the GIL.
    if (refresh_started_ && v_ && Py_IsInitialized()) {
      py::gil_scoped_release nogil;
      v_.reset();
    }
  }
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  void start_refresh_thread() {
    refresh_started_ = true;
    jwtgate_status s = jwtgate_validator_start_refresh_thread(v_.get());
    if (s != JWTGATE_OK) raise_status(s, "starting the key refresh thread");
  }

  void stop_refresh_thread() {
    jwtgate_status s;
    {
      py::gil_scoped_release nogil;  // joins a thread that may be in a fetch
      s = jwtgate_validator_stop_refresh_thread(v_.get());
    }
    if (s != JWTGATE_OK) raise_status(s, "stopping the key refresh thread");
  }

  // keys_state: jwtgate_validator_wait_keys, waiting at most |timeout_ms|
  // (0: never) without the GIL; returns the jwtgate_keys_state number.
  int keys_state(uint64_t timeout_ms) const {
    jwtgate_keys_state state = JWTGATE_KEYS_STATE_NONE_NEEDED;
    jwtgate_status s;
    {
      py::gil_scoped_release nogil;
      s = jwtgate_validator_wait_keys(v_.get(), timeout_ms, &state);
    }
    if (s != JWTGATE_OK) raise_status(s, "reading the key state");
    return static_cast<int>(state);
  }

  py::dict key_counters() const {
    jwtgate_key_counters c{};
    c.struct_size = sizeof c;
    jwtgate_status s = jwtgate_validator_get_key_counters(v_.get(), &c);
    if (s != JWTGATE_OK) raise_status(s, "reading the key counters");
    py::dict d;
    d["fetches"] = c.fetches;
    d["failures"] = c.failures;
    d["kid_misses"] = c.kid_misses;
    d["keys_loaded"] = c.keys_loaded;
    d["sources"] = c.sources;
    d["sources_usable"] = c.sources_usable;
    d["last_success"] = c.last_success;
    d["last_failure"] = c.last_failure;
    d["next_fetch"] = c.next_fetch;
    return d;
  }

  py::list key_errors() const {
    jwtgate_error* e = nullptr;
    jwtgate_status s = jwtgate_validator_key_errors(v_.get(), &e);
    ErrorPtr err(e);
    if (s != JWTGATE_OK) raise_status(s, "reading the key errors");
    return issues(err.get());
  }

  void set_keys(const KeySet* keys) {
    jwtgate_status s = jwtgate_validator_set_keys(v_.get(), keys ? keys->get() : nullptr);
    if (s != JWTGATE_OK) raise_status(s, "replacing the key set");
  }

  // validate: the hot path. Arguments are converted with the GIL held; the
  // library runs without it; the result's data is copied out before the GIL
  // is taken back.
  Result validate(py::handle self, py::handle token, py::handle headers, py::handle query,
                  py::handle now_obj) {
    int64_t now;
    if (now_obj.is_none() && clock && !clock.is_none()) now = to_now(clock());
    else now = to_now(now_obj);
    if (now == JWTGATE_NOW) now = wall_clock_now();
    Result out = run(token, headers, query, now);
    out.replay_validator = py::reinterpret_borrow<py::object>(self);
    out.replay_token = py::reinterpret_borrow<py::object>(token);
    out.replay_headers = py::reinterpret_borrow<py::object>(headers);
    out.replay_query = py::reinterpret_borrow<py::object>(query);
    out.replay_now = now;
    return out;
  }

  // decode: for jwtgate.compat.pyjwt's decode(): the claims as a dict when the
  // token is valid (built from the validated JSON while the result is still
  // leased), else the Result saying why.
  py::object decode(py::handle self, py::handle token, int64_t now) {
    Bytes b;
    if (!get_bytes(token, b))
      throw py::type_error("token must be str or bytes, not " +
                           std::string(py::str(py::type::handle_of(token).attr("__name__"))));
    ResultSlot::Lease result(t_result);
    jwtgate_status s;
    const char* claims = nullptr;
    size_t claims_len = 0;
    Result out;
    {
      py::gil_scoped_release nogil;
      s = jwtgate_validate_token(v_.get(), result.get(), b.data, b.size, now);
      if (s == JWTGATE_OK) {
        if (jwtgate_result_part_json(result.get(), JWTGATE_PART_CLAIMS, &claims, &claims_len) != JWTGATE_OK)
          claims = nullptr;
      } else if (s == JWTGATE_INVALID_TOKEN) {
        out.read(result.get());
      }
    }
    if (s == JWTGATE_OK && claims != nullptr) return json_to_python(claims, claims_len);
    if (s != JWTGATE_INVALID_TOKEN) raise_status(s, "validation failed");
    out.replay_validator = py::reinterpret_borrow<py::object>(self);
    out.replay_token = py::reinterpret_borrow<py::object>(token);
    out.replay_headers = py::none();
    out.replay_query = py::none();
    out.replay_now = now;
    return py::cast(std::move(out));
  }

  // explain_into: the validation of Result::explain, into |r|.
  jwtgate_status replay(jwtgate_result* r, py::handle token, py::handle headers, py::handle query,
                        int64_t now) const {
    if (!token.is_none()) {
      Bytes b = require_bytes(token, "token");
      py::gil_scoped_release nogil;
      return jwtgate_validate_token(v_.get(), r, b.data, b.size, now);
    }
    RequestPtr request(jwtgate_request_new());
    if (!request) throw std::bad_alloc();
    add_pairs(request.get(), headers, true);
    add_pairs(request.get(), query, false);
    py::gil_scoped_release nogil;
    return jwtgate_validate_request(v_.get(), r, request.get(), now);
  }

 private:
  static int64_t wall_clock_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  Result run(py::handle token, py::handle headers, py::handle query, int64_t now) {
    Result out;
    ResultSlot::Lease result(t_result);
    jwtgate_status s;
    if (!token.is_none()) {
      if (!headers.is_none() || !query.is_none())
        throw py::type_error("give either token or headers/query, not both");
      Bytes b;
      if (!get_bytes(token, b))
        throw py::type_error("token must be str or bytes, not " +
                             std::string(py::str(py::type::handle_of(token).attr("__name__"))));
      py::gil_scoped_release nogil;
      s = jwtgate_validate_token(v_.get(), result.get(), b.data, b.size, now);
      if (s == JWTGATE_OK || s == JWTGATE_INVALID_TOKEN) out.read(result.get());
    } else {
      RequestSlot::Lease request(t_request);
      jwtgate_request_clear(request.get());
      add_pairs(request.get(), headers, true);
      add_pairs(request.get(), query, false);
      py::gil_scoped_release nogil;
      s = jwtgate_validate_request(v_.get(), result.get(), request.get(), now);
      if (s == JWTGATE_OK || s == JWTGATE_INVALID_TOKEN) out.read(result.get());
      jwtgate_request_clear(request.get());  // drop the token text now
    }
    if (s != JWTGATE_OK && s != JWTGATE_INVALID_TOKEN) raise_status(s, "validation failed");
    return out;
  }

 public:
  py::object clock;  // optional callable giving Unix seconds when now is None

 private:
  static void add_pairs(jwtgate_request* req, py::handle src, bool header) {
    if (src.is_none()) return;
    const char* what = header ? "headers" : "query";
    if (PyUnicode_Check(src.ptr()) || PyBytes_Check(src.ptr()))
      throw py::type_error(std::string(what) + " must be a mapping or an iterable of (name, value) pairs");
    py::object items;
    if (py::hasattr(src, "items")) items = src.attr("items")();
    else items = py::reinterpret_borrow<py::object>(src);
    py::iterator it;
    try {
      it = py::iter(items);
    } catch (py::error_already_set&) {
      throw py::type_error(std::string(what) + " must be a mapping or an iterable of (name, value) pairs");
    }
    for (; it != py::iterator::sentinel(); ++it) {
      py::handle pair = *it;
      if (!PyTuple_Check(pair.ptr()) && !PyList_Check(pair.ptr()))
        throw py::type_error(std::string(what) + " items must be (name, value) pairs");
      py::sequence seq = py::reinterpret_borrow<py::sequence>(pair);
      if (seq.size() != 2) throw py::type_error(std::string(what) + " items must be (name, value) pairs");
      std::string name = require_name(seq[0], header ? "header name" : "query parameter name");
      py::object value = seq[1];
      auto add_one = [&](py::handle v) {
        Bytes b = require_bytes(v, header ? "header value" : "query value");
        jwtgate_status s = header ? jwtgate_request_add_header(req, name.c_str(), b.data, b.size)
                                  : jwtgate_request_add_query(req, name.c_str(), b.data, b.size);
        if (s != JWTGATE_OK) raise_status(s, "adding to the request");
      };
      // A list or tuple of values: the name repeated (several headers).
      if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
        for (auto v : value) add_one(v);
      } else {
        add_one(value);
      }
    }
  }

  jwtgate::validator v_;
  bool refresh_started_ = false;

 public:
  const jwtgate_validator* get() const { return v_.get(); }
};

std::string Result::explain(bool json, bool color) const {
  ResultPtr r(jwtgate_result_new());
  if (!r) throw std::bad_alloc();
  if (replay_validator && !replay_validator.is_none()) {
    const Validator& v = replay_validator.cast<const Validator&>();
    const jwtgate_status s = v.replay(r.get(), replay_token, replay_headers, replay_query, replay_now);
    if (s != JWTGATE_OK && s != JWTGATE_INVALID_TOKEN) raise_status(s, "explaining the validation");
  }
  // Without a validation (decode_unverified, a plain JWS) the library says so.
  const char* text = json ? jwtgate_result_explain_json(r.get()) : jwtgate_result_explain(r.get(), color ? 1 : 0);
  if (text == nullptr) throw std::bad_alloc();
  return text;
}

// verify_jws / verify_signature: jwtgate_verify_jws and
// jwtgate_verify_signature for jwtgate.compat.pyjwt's PyJWS and algorithm
// objects. The library runs without the GIL.
Result verify_jws(const KeySet* keys, const JwsOptions* opts, py::handle token) {
  Bytes b = require_bytes(token, "token");
  Result out;
  ResultSlot::Lease result(t_result);
  jwtgate_status s;
  {
    py::gil_scoped_release nogil;
    s = jwtgate_verify_jws(result.get(), keys ? keys->get() : nullptr, opts ? opts->get() : nullptr, b.data,
                           b.size);
    if (s == JWTGATE_OK || s == JWTGATE_INVALID_TOKEN) {
      out.read(result.get());
      out.read_payload(result.get());
    }
  }
  if (s != JWTGATE_OK && s != JWTGATE_INVALID_TOKEN) raise_status(s, "JWS verification failed");
  return out;
}

Result verify_signature(const KeySet* keys, const JwsOptions* opts, const std::string& alg, py::handle msg,
                        py::handle sig) {
  if (alg.find('\0') != std::string::npos) throw py::value_error("alg must not contain NUL");
  Bytes m = require_bytes(msg, "message");
  Bytes g_ = require_bytes(sig, "signature");
  Result out;
  ResultSlot::Lease result(t_result);
  jwtgate_status s;
  {
    py::gil_scoped_release nogil;
    s = jwtgate_verify_signature(result.get(), keys ? keys->get() : nullptr, opts ? opts->get() : nullptr,
                                 alg.c_str(), m.data, m.size, g_.data, g_.size);
    if (s == JWTGATE_OK || s == JWTGATE_INVALID_TOKEN) out.read(result.get());
  }
  if (s != JWTGATE_OK && s != JWTGATE_INVALID_TOKEN) raise_status(s, "signature verification failed");
  return out;
}

// bench_loop: validations per second of the C API itself on |tokens|, in a
// C++ loop without the GIL (bench/python uses it to separate the library's
// cost from the binding's). Raises if a token is not valid.
double bench_loop(const Validator& v, py::list tokens, double seconds) {
  std::vector<std::string> ts;
  for (auto t : tokens) ts.push_back(require_text(t, "token"));
  if (ts.empty()) throw py::value_error("no tokens");
  ResultSlot::Lease result(t_result);
  size_t done = 0, bad = 0;
  double elapsed = 0;
  {
    py::gil_scoped_release nogil;
    const auto start = std::chrono::steady_clock::now();
    do {
      for (size_t i = 0; i < 64; ++i) {
        const std::string& t = ts[done % ts.size()];
        if (jwtgate_validate_token(v.get(), result.get(), t.data(), t.size(), JWTGATE_NOW) != JWTGATE_OK) ++bad;
        ++done;
      }
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < seconds);
  }
  if (bad) throw py::value_error(std::to_string(bad) + " tokens were not valid");
  return static_cast<double>(done) / elapsed;
}

Result decode_unverified(py::handle token) {
  Bytes b = require_bytes(token, "token");
  Result out;
  ResultSlot::Lease result(t_result);
  jwtgate_status s;
  {
    py::gil_scoped_release nogil;
    s = jwtgate_decode(result.get(), b.data, b.size);
    if (s == JWTGATE_OK || s == JWTGATE_INVALID_TOKEN) out.read(result.get());
  }
  if (s != JWTGATE_OK && s != JWTGATE_INVALID_TOKEN) raise_status(s, "decode failed");
  return out;
}

}  // namespace

PYBIND11_MODULE(_jwtgate, m) {
  m.doc() =
      "Low-level binding of jwtgate's C API (jwtgate.h). Use the jwtgate package, not this "
      "module: its names and signatures may change between releases.";

  // Never freed: the objects it holds must not be released after the
  // interpreter is gone, and a module is loaded once per process.
  g = new Globals();
  g->reason_enum = py::none();
  g->failure_cls = py::none();
  g->json_loads = py::module_::import("json").attr("loads");

  m.def("_set_types",
        [](py::object reason_enum, py::list reasons, py::object failure_cls) {
          g->reason_enum = std::move(reason_enum);
          g->reasons.clear();
          for (auto r : reasons) g->reasons.push_back(py::reinterpret_borrow<py::object>(r));
          g->failure_cls = std::move(failure_cls);
        },
        "Internal: register the Reason enum, its members by number and the Failure class.");

  m.def("version_string", &jwtgate_version_string,
        "The version of the linked jwtgate library, e.g. \"0.1.0\".");
  m.def("version_number", &jwtgate_version_number,
        "The linked library's version as MAJOR*10000 + MINOR*100 + PATCH.");
  m.attr("HEADER_VERSION_STRING") = JWTGATE_VERSION_STRING;
  m.def("reasons",
        [] {
          // JWTGATE_REASON_LIST (jwtgate_reasons.h): the one list the C enum
          // comes from; the Python Reason enum is built from this.
          py::list out;
#define JWTGATE_PY_REASON_(name, number, code, apim, text) \
  out.append(py::make_tuple(#name, number, text));
          JWTGATE_REASON_LIST(JWTGATE_PY_REASON_)
#undef JWTGATE_PY_REASON_
          return out;
        },
        "Every reason as (NAME, number, description), in number order (jwtgate_reasons.h).");
  m.def("reason_str", [](int r) { return std::string(jwtgate_reason_str(static_cast<jwtgate_reason>(r))); },
        py::arg("reason"), "The stable snake_case name of a reason number, e.g. \"expired\".");
  m.def("reason_apim", [](int r) { return std::string(jwtgate_reason_apim(static_cast<jwtgate_reason>(r))); },
        py::arg("reason"), "APIM's context.LastError.Reason for a reason number, e.g. \"TokenExpired\".");
  m.def("status_str", [](int s) { return std::string(jwtgate_status_str(static_cast<jwtgate_status>(s))); },
        py::arg("status"), "English text of a jwtgate_status number.");

  m.def("key_text_form",
        [](py::handle data) -> py::object {
          Bytes b = require_bytes(data, "key data");
          const char* form;
          {
            py::gil_scoped_release nogil;
            form = jwtgate_key_text_form(b.data, b.size);
          }
          if (form == nullptr) return py::none();
          return py::str(form);
        },
        py::arg("data"),
        "The key or certificate form |data| holds (\"a PEM block\", \"an OpenSSH public key\", ...), "
        "or None: what jwtgate_key_text_form says. HMAC secrets holding such text are refused.");

  py::class_<Policy>(m, "Policy", "A loaded, immutable policy (jwtgate_policy).")
      .def("to_json", &Policy::to_json, "The policy in jwtgate's JSON form.")
      .def("to_xml", &Policy::to_xml, "The policy as an APIM XML element.");

  py::class_<KeySet>(m, "KeySet", "An immutable key set (jwtgate_keyset).")
      .def("__len__", &KeySet::count, "The number of keys.");

  py::class_<KeySetBuilder>(m, "KeySetBuilder", "Collects keys for a KeySet (jwtgate_keyset_builder).")
      .def(py::init<>())
      .def("add", &KeySetBuilder::add, py::arg("format"), py::arg("data"), py::arg("kid") = py::none(),
           "Parse key data in the given jwtgate_key_format; returns (status, issues).")
      .def("add_rsa_components", &KeySetBuilder::add_rsa_components, py::arg("n"), py::arg("e"),
           py::arg("kid") = py::none(), "Add an RSA key from base64url n and e; returns (status, issues).")
      .def("add_file", &KeySetBuilder::add_file, py::arg("path"),
           "Read a key file (format detected); returns (status, issues).")
      .def("build", &KeySetBuilder::build, "Make an immutable KeySet of what was added.");

  m.def("load_policy", &load_policy, py::arg("text"), py::arg("path"), py::arg("named_values"),
        py::arg("expressions"), py::arg("certificates"), py::arg("documents"), py::arg("select"),
        py::arg("decryption_keys") = py::list(),
        "Load a policy; returns (status, Policy | None, issues).");

  py::class_<Result> result_cls(m, "Result",
                     "The outcome of one validation. Falsy when the token is invalid.\n\n"
                     "WARNING: the header and claims of an invalid token are attacker-controlled.");
  result_cls.def_readonly("valid", &Result::valid, "True if the token passed every check.")
      .def_readonly("status", &Result::status,
                    "The HTTP status APIM would answer: 200 when valid, else the policy's "
                    "failed-validation-httpcode (401 by default).")
      .def_property_readonly("reason", &Result::reason_obj,
                             "The deciding failure's Reason (Reason.NONE when valid).")
      .def_readonly("message", &Result::message,
                    "The response message APIM would send (\"\" when valid).")
      .def_property_readonly("failures", &Result::failures_obj,
                             "Every failed check as a tuple of Failure, in evaluation order; "
                             "the first decides.")
      .def_property_readonly("header", &Result::header,
                             "The token's JOSE header as a dict ({} if it did not parse).")
      .def_property_readonly("claims", &Result::claims,
                             "The token's claims as a dict ({} if they did not parse).")
      .def_property_readonly("header_json", &Result::header_text,
                             "The decoded header JSON text, or None.")
      .def_property_readonly("claims_json", &Result::claims_text,
                             "The decoded claims JSON text, or None.")
      .def_property_readonly("_payload", &Result::payload_bytes,
                             "The payload bytes of a plain JWS (verify_jws), or None.")
      .def("explain", [](const Result& r, bool color) { return r.explain(false, color); },
           py::arg("color") = false,
           "explain(color=False) -> str\n\n"
           "The library's explanation (jwtgate_result_explain): every check with its evidence "
           "and the likely causes of a failure with their fixes, most likely first. The "
           "validation runs again with the same validator, inputs and time to produce it.")
      .def("explain_json", [](const Result& r) { return r.explain(true, false); },
           "explain_json() -> str\n\nThe same as JSON (jwtgate_result_explain_json).")
      .def_property_readonly("apim_reason", [](const Result& r) { return r.reason_obj().attr("apim"); },
                             "APIM's context.LastError.Reason for the deciding failure (\"\" when valid).")
      .def_property_readonly("detail", &Result::detail, "The deciding failure's English sentence (\"\" when valid).")
      .def_property_readonly("subject", &Result::subject,
                             "The claim, header member or kid involved in the deciding failure (\"\" when valid).")
      .def("to_dict", &Result::to_dict,
           "The result as a plain dict (valid, status, reason, apim_reason, message, failures, header, "
           "claims), like the C API's jwtgate_result_to_json.")
      .def("__repr__", &Result::repr)
      .def("__bool__", [](const Result& r) { return r.valid; }, "True if the token is valid.");
  // Shown as jwtgate.Result, where the package exports it.
  result_cls.attr("__module__") = "jwtgate";

  py::class_<Validator>(m, "Validator", py::dynamic_attr(),
                        "A policy and a key set, compiled; safe to share between threads.")
      .def(py::init<const Policy&, const KeySet*, size_t, const std::vector<std::pair<int, uint64_t>>&, bool>(),
           py::arg("policy"), py::arg("keys") = nullptr, py::arg("cache_entries") = 0,
           py::arg("key_settings") = std::vector<std::pair<int, uint64_t>>(), py::arg("never_wait") = false)
      .def("_keys_state", &Validator::keys_state, py::arg("timeout_ms") = 0,
           "jwtgate_validator_wait_keys: the key state (a jwtgate_keys_state number), after waiting at "
           "most timeout_ms for pending first loads (0: never waits).")
      .def("_refresh_keys", &Validator::refresh_keys, py::arg("force") = false,
           "Fetch the due openid-config documents now; returns (status, issues).")
      .def("_start_refresh_thread", &Validator::start_refresh_thread, "Start the library's key refresh thread.")
      .def("_stop_refresh_thread", &Validator::stop_refresh_thread, "Stop and join the key refresh thread.")
      .def("_key_counters", &Validator::key_counters, "What the key fetcher has done, as a dict.")
      .def("_key_errors", &Validator::key_errors, "The last fetch error of each failing openid-config.")
      .def("_set_keys", &Validator::set_keys, py::arg("keys"),
           "Replace the extra key set atomically (None removes it).")
      .def_readwrite("_clock", &Validator::clock)
      .def("_decode", [](py::object self, py::handle token, int64_t now) {
             return self.cast<Validator&>().decode(self, token, now);
           },
           py::arg("token"), py::arg("now"),
           "Internal (jwtgate.compat.pyjwt): the claims dict of a valid token, else its Result.")
      .def("validate",
           [](py::object self, py::handle token, py::handle headers, py::handle query, py::handle now) {
             return self.cast<Validator&>().validate(self, token, headers, query, now);
           },
           py::arg("token") = py::none(),
           py::arg("headers") = py::none(), py::arg("query") = py::none(), py::arg("now") = py::none(),
           "validate(token=None, headers=None, query=None, now=None) -> Result\n\n"
           "Check a bare token, or take the token from request headers/query parameters as "
           "the policy says (header-name, require-scheme, query-parameter-name). now is Unix "
           "seconds, a datetime, or None for the clock. Never raises for an invalid token: "
           "the Result says why. The GIL is released while the library works.");

  py::class_<JwsOptions>(m, "JwsOptions", "Allowed algorithms and HMAC floor of a plain JWS check (jwtgate_jws_options).")
      .def(py::init<py::handle, unsigned>(), py::arg("algorithms") = py::none(), py::arg("min_hmac_bits") = 0,
           "JwsOptions(algorithms=None, min_hmac_bits=0): algorithms is a comma-separated list of "
           "JWS names (None: all jwtgate implements); min_hmac_bits 0 is the hash size.");

  m.def("verify_jws", &verify_jws, py::arg("keys"), py::arg("options"), py::arg("token"),
        "Verify a compact JWS whose payload is any bytes (jwtgate_verify_jws); the Result holds "
        "the header and the payload bytes (._payload).");
  m.def("verify_signature", &verify_signature, py::arg("keys"), py::arg("options"), py::arg("alg"),
        py::arg("message"), py::arg("signature"),
        "Check a JWS signature over a message with the keys (jwtgate_verify_signature).");
  m.def("_json_to_python", [](py::handle text) {
          Bytes b = require_bytes(text, "JSON text");
          return json_to_python(b.data, b.size);
        },
        py::arg("text"), "Internal (tests): what Result.claims builds from JSON text.");

  m.def("_bench_loop", &bench_loop, py::arg("validator"), py::arg("tokens"), py::arg("seconds"),
        "Internal (bench/python): validations per second of the C API in a C++ loop.");

  m.def("decode_unverified", &decode_unverified, py::arg("token"),
        "Parse a token without verifying anything; the Result is never valid.");
}
