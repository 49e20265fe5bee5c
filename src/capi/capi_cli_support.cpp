// The experimental block at the end of jwtgate.h: what jwtgate's own CLI
// needs beyond the stable API, offered to every host that shows tokens to
// people: escaping untrusted text, describing a token, explaining a policy
// that did not load, and what the library was built with.
#include <chrono>

#if JWTGATE_HAVE_CURL
#include <curl/curl.h>
#endif
#include <openssl/crypto.h>
#include <pugixml.hpp>
#include <simdjson.h>

#include "capi/capi_types.h"
#include "capi/result_handle.h"
#include "core/json_writer.h"
#include "core/quote.h"
#include "diagnose/diagnosis.h"
#include "diagnose/token_description.h"

using namespace jwtgate;

namespace {

int64_t clock_or(int64_t now) {
  if (now != JWTGATE_NOW) return now;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// dependency_versions: OpenSSL and libcurl as they run (shared libraries a
// system may update under us), simdjson and pugixml as compiled in; no
// libcurl in a -Dnetwork=disabled build.
std::string dependency_versions() {
  std::string out = "OpenSSL/";
  out += OpenSSL_version(OPENSSL_VERSION_STRING);
#if JWTGATE_HAVE_CURL
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  out += " libcurl/";
  out += curl && curl->version ? curl->version : "unknown";
#endif
  out += " simdjson/" + std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
         std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
         std::to_string(simdjson::SIMDJSON_VERSION_REVISION);
  // PUGIXML_VERSION is 1130 for 1.13 (since 1.10), 190 for 1.9 before.
  constexpr int v = PUGIXML_VERSION;
  constexpr int major = v >= 1000 ? v / 1000 : v / 100;
  constexpr int minor = v >= 1000 ? v % 1000 / 10 : v % 100 / 10;
  out += " pugixml/" + std::to_string(major) + "." + std::to_string(minor);
  return out;
}

}  // namespace

extern "C" {

jwtgate_status jwtgate_text_escape(const char* text, size_t text_len, jwtgate_escape_style style,
                                   size_t max, char* out, size_t out_size, size_t* out_len) {
  if ((!text && text_len) || (!out && out_size) || !out_len) return JWTGATE_ERR_INVALID_ARGUMENT;
  if (out_size) out[0] = '\0';
  *out_len = 0;
  const std::string_view s(text ? text : "", text_len);
  return guard([&] {
    std::string e;
    switch (enum_number(style)) {
      case JWTGATE_ESCAPE_QUOTED: append_quoted(e, s, max); break;
      case JWTGATE_ESCAPE_BARE: append_escaped(e, s, max); break;
      case JWTGATE_ESCAPE_TERMINAL: append_controls_escaped(e, s, false); break;
      case JWTGATE_ESCAPE_TERMINAL_LINES: append_controls_escaped(e, s, true); break;
      case JWTGATE_ESCAPE_JSON: json_append_escaped(e, s); break;
      default: return JWTGATE_ERR_INVALID_ARGUMENT;
    }
    *out_len = e.size();
    if (e.size() >= out_size) return JWTGATE_ERR_RANGE;
    e.copy(out, e.size());
    out[e.size()] = '\0';
    return JWTGATE_OK;
  });
}

const char* jwtgate_result_describe(jwtgate_result* r, int64_t now, int color) {
  if (!r) return nullptr;
  try {
    r->r.scratch = describe_text(r->r, clock_or(now), color != 0);
    return r->r.scratch.c_str();
  } catch (...) {
    return nullptr;
  }
}

const char* jwtgate_result_describe_json(jwtgate_result* r, int64_t now) {
  if (!r) return nullptr;
  try {
    r->r.scratch = describe_json(r->r, clock_or(now));
    return r->r.scratch.c_str();
  } catch (...) {
    return nullptr;
  }
}

const char* jwtgate_build_features(void) {
  // XML and JSON policies are in every build; "network" (libcurl: the
  // library's own fetching of openid-config documents and JWK Sets, and the
  // client-credentials grant) is not in a -Dnetwork=disabled build, where
  // a host supplies the documents (jwtgate_network_available).
#if JWTGATE_HAVE_CURL
  return "policy-xml policy-json network";
#else
  return "policy-xml policy-json";
#endif
}

const char* jwtgate_dependency_versions(void) {
  try {
    static const std::string versions = dependency_versions();  // thread-safe initialisation
    return versions.c_str();
  } catch (...) {
    return "";
  }
}

}  // extern "C"
