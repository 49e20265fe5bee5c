// Version, status and reason text, and the error list.
#include <cstdio>

#include "capi/capi_types.h"
#include "core/reasons.h"

using namespace jwtgate;

namespace jwtgate {

jwtgate_status fail(jwtgate_error** err, jwtgate_status status, Diagnostics&& diag) noexcept {
  clear_error(err);
  if (!err) return status;
  try {
    if (!diag.has_errors()) diag.error(jwtgate_status_str(status));
    *err = std::make_unique<jwtgate_error>(std::move(diag)).release();
    return status;
  } catch (...) {
    return JWTGATE_ERR_OUT_OF_MEMORY;  // the rule lets *err be NULL only then
  }
}

jwtgate_status fail(jwtgate_error** err, jwtgate_status status, const char* function,
                    const char* message) noexcept {
  if (!err) return status;
  try {
    Diagnostics diag;
    diag.error(std::string(function) + ": " + message);
    return fail(err, status, std::move(diag));
  } catch (...) {
    clear_error(err);
    return JWTGATE_ERR_OUT_OF_MEMORY;
  }
}

Diagnostics only_warnings(const Diagnostics& diag) {
  Diagnostics w;
  for (const Diagnostic& d : diag.items())
    if (d.warning) w.warn(d.message, d.path, d.line, d.column);
  return w;
}

ErrorList warnings_list(const Diagnostics& diag) {
  Diagnostics w = only_warnings(diag);
  if (w.empty()) return nullptr;
  return std::make_unique<const jwtgate_error>(std::move(w));
}

bool read_whole_file(const char* path, std::string& out, Diagnostics& diag, size_t cap) {
  std::FILE* f = std::fopen(path, "rb");
  if (!f) {
    diag.error(std::string("cannot open ") + path);
    return false;
  }
  out.clear();
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    out.append(buf, n);
    if (out.size() > cap) {
      std::fclose(f);
      diag.error(std::string(path) + " is larger than " + std::to_string(cap) + " bytes");
      return false;
    }
  }
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) diag.error(std::string("cannot read ") + path);
  return !bad;
}

}  // namespace jwtgate

extern "C" {

unsigned jwtgate_version_number(void) { return JWTGATE_VERSION_NUMBER; }
const char* jwtgate_version_string(void) { return JWTGATE_VERSION_STRING; }

const char* jwtgate_status_str(jwtgate_status s) {
  switch (s) {
    case JWTGATE_OK: return "ok";
    case JWTGATE_INVALID_TOKEN: return "the token is invalid";
    case JWTGATE_ERR_INVALID_ARGUMENT: return "invalid argument";
    case JWTGATE_ERR_OUT_OF_MEMORY: return "out of memory";
    case JWTGATE_ERR_IO: return "input/output error";
    case JWTGATE_ERR_POLICY: return "the policy could not be loaded";
    case JWTGATE_ERR_KEY: return "the key material could not be loaded";
    case JWTGATE_ERR_NOT_FOUND: return "not found";
    case JWTGATE_ERR_TYPE: return "wrong JSON type";
    case JWTGATE_ERR_RANGE: return "out of range";
    case JWTGATE_ERR_UNSUPPORTED: return "not supported";
    case JWTGATE_ERR_NETWORK: return "network error";
    case JWTGATE_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

const char* jwtgate_reason_str(jwtgate_reason r) { return reason_name(r); }
const char* jwtgate_reason_apim(jwtgate_reason r) { return apim_reason(r); }

size_t jwtgate_error_count(const jwtgate_error* e) { return e ? e->diag.items().size() : 0; }

static const Diagnostic* error_at(const jwtgate_error* e, size_t i) {
  return (e && i < e->diag.items().size()) ? &e->diag.items()[i] : nullptr;
}

const char* jwtgate_error_message(const jwtgate_error* e, size_t i) {
  const Diagnostic* d = error_at(e, i);
  return d ? d->message.c_str() : nullptr;
}
unsigned jwtgate_error_line(const jwtgate_error* e, size_t i) {
  const Diagnostic* d = error_at(e, i);
  return d ? d->line : 0;
}
unsigned jwtgate_error_column(const jwtgate_error* e, size_t i) {
  const Diagnostic* d = error_at(e, i);
  return d ? d->column : 0;
}
const char* jwtgate_error_path(const jwtgate_error* e, size_t i) {
  const Diagnostic* d = error_at(e, i);
  return d ? d->path.c_str() : nullptr;
}
int jwtgate_error_is_warning(const jwtgate_error* e, size_t i) {
  const Diagnostic* d = error_at(e, i);
  return d && d->warning ? 1 : 0;
}
const char* jwtgate_error_text(const jwtgate_error* e) { return e ? e->text.c_str() : ""; }
void jwtgate_error_free(jwtgate_error* e) { delete e; }

}  // extern "C"
