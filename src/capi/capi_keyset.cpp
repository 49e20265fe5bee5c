// Key sets: a builder collects keys; build() freezes them into an immutable,
// shareable set.
#include "capi/capi_types.h"
#include "keys/key_parsers.h"
#include "keys/key_text.h"

using namespace jwtgate;

namespace {

constexpr size_t kMaxKeyFileBytes = 1024 * 1024;

bool parse_by_format(jwtgate_key_format f, std::string_view data, std::vector<Key>& out,
                     Diagnostics& diag) {
  // An experimental value (jwtgate_experimental.h) is not an enumerator of
  // the frozen enum, so it is not a case of the switch.
  if (f == JWTGATE_KEY_PEM_MAP) return parse_pem_map(data, out, diag);
  switch (f) {
    case JWTGATE_KEY_AUTO: return parse_keys_auto(data, out, diag);
    case JWTGATE_KEY_JWKS: return parse_jwks(data, out, diag);
    case JWTGATE_KEY_JWK: return parse_jwk(data, out, diag);
    case JWTGATE_KEY_PEM: return parse_pem(data, out, diag);
    case JWTGATE_KEY_DER_SPKI: return parse_der_spki(data, out, diag);
    case JWTGATE_KEY_DER_CERT: return parse_der_certificate(data, out, diag);
    case JWTGATE_KEY_SYMMETRIC_BASE64: return parse_symmetric_base64(data, out, diag);
  }
  diag.error("unknown key format " + std::to_string(static_cast<int>(f)));
  return false;
}

// add_parsed adds what a parser found to |b|, all or nothing: on an error
// nothing is added, and on success the keys and the warnings go in together
// (every allocation comes before the first change).
jwtgate_status add_parsed(jwtgate_keyset_builder* b, jwtgate_error** err, std::vector<Key>& got,
                          bool ok, Diagnostics& diag, const char* kid) {
  if (!ok || diag.has_errors()) return fail(err, JWTGATE_ERR_KEY, std::move(diag));
  for (Key& k : got) {
    if (kid && !k.has_kid) {
      k.kid = kid;
      k.has_kid = true;
    }
  }
  Diagnostics warnings = b->warnings;
  warnings.append(diag);
  ErrorList list = warnings_list(warnings);
  b->keys.reserve(b->keys.size() + got.size());
  // Nothing below throws: Key moves are noexcept and the room is reserved.
  for (Key& k : got) b->keys.push_back(std::move(k));
  b->warnings = std::move(warnings);
  b->warnings_list = std::move(list);
  return JWTGATE_OK;
}

}  // namespace

extern "C" {

const char* jwtgate_key_text_form(const char* data, size_t data_len) {
  if (!data) return nullptr;
  try {
    return find_key_text(std::string_view(data, data_len)).form;
  } catch (...) {
    // Out of memory while decoding: the bytes were not shown to be a
    // secret, so they are not called one.
    return "key text (unreadable: out of memory)";
  }
}

jwtgate_keyset_builder* jwtgate_keyset_builder_new(void) {
  return new_handle<jwtgate_keyset_builder>();
}

void jwtgate_keyset_builder_free(jwtgate_keyset_builder* b) { delete b; }

jwtgate_status jwtgate_keyset_builder_add(jwtgate_keyset_builder* b, jwtgate_error** err,
                                          jwtgate_key_format format, const char* data,
                                          size_t data_len, const char* kid) {
  clear_error(err);
  if (!b) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the builder is NULL");
  if (!data && data_len) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "data is NULL");
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::vector<Key> got;
    bool ok = parse_by_format(format, std::string_view(data ? data : "", data_len), got, diag);
    return add_parsed(b, err, got, ok, diag, kid);
  });
}

jwtgate_status jwtgate_keyset_builder_add_rsa_components(jwtgate_keyset_builder* b,
                                                         jwtgate_error** err, const char* n,
                                                         const char* e, const char* kid) {
  clear_error(err);
  if (!b) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the builder is NULL");
  if (!n || !e) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "n or e is NULL");
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::vector<Key> got;
    bool ok = parse_rsa_components(n, e, got, diag);
    return add_parsed(b, err, got, ok, diag, kid);
  });
}

jwtgate_status jwtgate_keyset_builder_add_file(jwtgate_keyset_builder* b, jwtgate_error** err,
                                               const char* path) {
  clear_error(err);
  if (!b) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "the builder is NULL");
  if (!path) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "path is NULL");
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::string data;
    if (!read_whole_file(path, data, diag, kMaxKeyFileBytes))
      return fail(err, JWTGATE_ERR_IO, std::move(diag));
    std::vector<Key> got;
    Diagnostics parse_diag;
    bool ok = parse_keys_auto(data, got, parse_diag);
    for (const auto& d : parse_diag.items()) {
      if (d.warning) diag.warn(d.message, path);
      else diag.error(d.message, path);
    }
    return add_parsed(b, err, got, ok, diag, nullptr);
  });
}

jwtgate_status jwtgate_keyset_builder_build(jwtgate_keyset_builder* b, jwtgate_keyset** out) {
  if (out) *out = nullptr;
  if (!b || !out) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    auto ks = std::make_unique<jwtgate_keyset>();
    ks->set = std::make_shared<const KeySet>(b->keys);
    if (!b->warnings.empty()) ks->warnings = std::make_unique<const jwtgate_error>(b->warnings);
    *out = ks.release();
    return JWTGATE_OK;
  });
}

const jwtgate_error* jwtgate_keyset_builder_warnings(const jwtgate_keyset_builder* b) {
  return b ? b->warnings_list.get() : nullptr;
}

jwtgate_status jwtgate_keyset_from_data(jwtgate_keyset** out, jwtgate_error** err,
                                        jwtgate_key_format format, const char* data,
                                        size_t data_len) {
  if (jwtgate_status s = start_out(err, out, __func__)) return s;
  return guard(err, __func__, [&] {
    jwtgate_keyset_builder b;
    jwtgate_status s = jwtgate_keyset_builder_add(&b, err, format, data, data_len, nullptr);
    if (s != JWTGATE_OK) return s;
    return jwtgate_keyset_builder_build(&b, out);
  });
}

size_t jwtgate_keyset_count(const jwtgate_keyset* ks) { return ks && ks->set ? ks->set->size() : 0; }

const jwtgate_error* jwtgate_keyset_warnings(const jwtgate_keyset* ks) {
  return ks ? ks->warnings.get() : nullptr;
}

void jwtgate_keyset_free(jwtgate_keyset* ks) { delete ks; }

}  // extern "C"
