// Load options and policies.
#include "capi/capi_types.h"
#include "jwe/decryption_key.h"
#include "keys/key_parsers.h"
#include "policy/policy_json.h"
#include "policy/policy_loader.h"
#include "policy/policy_xml.h"

using namespace jwtgate;

namespace {

// check_add: the argument checks of the calls that add keys to options
// under an id; the messages name |function|.
jwtgate_status check_add(jwtgate_error** err, const jwtgate_load_options* o, const char* id,
                         const char* data, const char* function) {
  clear_error(err);
  if (!o) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, function, "the options are NULL");
  if (!id || !*id) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, function, "no certificate id given");
  if (!data) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, function, "data is NULL");
  return JWTGATE_OK;
}

// store files |keys| under |id| in |into|, one of the options' key maps.
// The warnings of loading them, if any, name them ("certificate " or
// "decryption key ", then |id|) and go to every policy loaded with these
// options (jwtgate_policy_warnings), never through *err. The warnings are
// built first, so that nothing changes if that throws.
template <typename K>
jwtgate_status store(jwtgate_load_options* o, std::map<std::string, std::vector<K>>& into,
                     const char* id, std::vector<K>&& keys, const Diagnostics& diag,
                     const char* what) {
  Diagnostics warnings = o->warnings;
  for (const Diagnostic& d : diag.items())
    if (d.warning) warnings.warn(d.message, what + std::string(id));
  into[id] = std::move(keys);
  o->warnings = std::move(warnings);
  return JWTGATE_OK;
}

}  // namespace

extern "C" {

jwtgate_load_options* jwtgate_load_options_new(void) { return new_handle<jwtgate_load_options>(); }

void jwtgate_load_options_free(jwtgate_load_options* o) { delete o; }

jwtgate_status jwtgate_load_options_set_named_value(jwtgate_load_options* o, const char* name,
                                                    const char* value) {
  if (!o || !name || !value || !*name) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    o->opts.named_values[name] = value;
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_load_options_set_expression_value(jwtgate_load_options* o,
                                                         const char* expression,
                                                         const char* value) {
  if (!o || !expression || !value || !*expression) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    o->opts.expression_values[expression] = value;
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_load_options_add_certificate(jwtgate_load_options* o, jwtgate_error** err,
                                                    const char* certificate_id, const char* data,
                                                    size_t data_len) {
  if (jwtgate_status s = check_add(err, o, certificate_id, data, __func__)) return s;
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::vector<Key> keys;
    std::string_view bytes(data, data_len);
    bool ok = bytes.find("-----BEGIN") != std::string_view::npos
                  ? parse_pem(bytes, keys, diag)
                  : parse_der_certificate(bytes, keys, diag);
    if (!ok || keys.empty()) {
      if (keys.empty() && !diag.has_errors()) diag.error("no certificate found");
      return fail(err, JWTGATE_ERR_KEY, std::move(diag));
    }
    return store(o, o->opts.certificates, certificate_id, std::move(keys), diag, "certificate ");
  });
}

jwtgate_status jwtgate_load_options_add_decryption_key(jwtgate_load_options* o,
                                                       jwtgate_error** err,
                                                       const char* certificate_id,
                                                       const char* data, size_t data_len,
                                                       const char* password) {
  if (jwtgate_status s = check_add(err, o, certificate_id, data, __func__)) return s;
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::vector<DecryptionKey> keys;
    if (!load_decryption_keys_auto(std::string_view(data, data_len), password ? password : "",
                                   keys, diag) ||
        keys.empty()) {
      if (!diag.has_errors()) diag.error("no private key found");
      return fail(err, JWTGATE_ERR_KEY, std::move(diag));
    }
    return store(o, o->opts.decryption_keys, certificate_id, std::move(keys), diag,
                 "decryption key ");
  });
}

jwtgate_status jwtgate_load_options_select(jwtgate_load_options* o, const char* id) {
  if (!o) return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    o->opts.select = id ? id : "";
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_load_options_set_document(jwtgate_load_options* o, const char* url,
                                                 jwtgate_document_kind kind, const char* data,
                                                 size_t data_len) {
  if (!o || !url || !data) return JWTGATE_ERR_INVALID_ARGUMENT;
  const int k = enum_number(kind);
  if (k != JWTGATE_DOCUMENT_OPENID_CONFIGURATION && k != JWTGATE_DOCUMENT_JWKS)
    return JWTGATE_ERR_INVALID_ARGUMENT;
  return guard([&] {
    (kind == JWTGATE_DOCUMENT_OPENID_CONFIGURATION ? o->opts.discovery_documents
                                                   : o->opts.jwks_documents)[url] =
        std::string(data, data_len);
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_policy_load(jwtgate_policy** out, jwtgate_error** err, const char* text,
                                   size_t text_len, const jwtgate_load_options* opts) {
  if (jwtgate_status s = start_out(err, out, __func__)) return s;
  if (!text && text_len) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "text is NULL");
  return guard(err, __func__, [&] {
    static const LoadOptions kNoOptions;
    Diagnostics diag;
    if (opts) diag.append(opts->warnings);
    auto p = load_policy(std::string_view(text ? text : "", text_len), opts ? opts->opts : kNoOptions,
                         diag);
    if (!p) return fail(err, JWTGATE_ERR_POLICY, std::move(diag));
    auto h = std::make_unique<jwtgate_policy>();
    h->policy = std::move(p);
    // Made eagerly so the getters stay const and thread-safe.
    h->json = policy_to_json(*h->policy);
    h->xml = policy_to_xml(*h->policy);
    h->warnings = warnings_list(diag);
    *out = h.release();
    return JWTGATE_OK;
  });
}

jwtgate_status jwtgate_policy_load_file(jwtgate_policy** out, jwtgate_error** err,
                                        const char* path, const jwtgate_load_options* opts) {
  if (jwtgate_status s = start_out(err, out, __func__)) return s;
  if (!path) return fail(err, JWTGATE_ERR_INVALID_ARGUMENT, __func__, "path is NULL");
  return guard(err, __func__, [&] {
    Diagnostics diag;
    std::string text;
    if (!read_whole_file(path, text, diag, 256 * 1024 + 1)) return fail(err, JWTGATE_ERR_IO, std::move(diag));
    return jwtgate_policy_load(out, err, text.data(), text.size(), opts);
  });
}

const jwtgate_error* jwtgate_policy_warnings(const jwtgate_policy* p) {
  return p ? p->warnings.get() : nullptr;
}

const char* jwtgate_policy_to_json(const jwtgate_policy* p) {
  return p ? p->json.c_str() : nullptr;
}

const char* jwtgate_policy_to_xml(const jwtgate_policy* p) { return p ? p->xml.c_str() : nullptr; }

void jwtgate_policy_free(jwtgate_policy* p) { delete p; }

}  // extern "C"
