#include "net/http_client.h"

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>

#include "jwtgate_version.h"
#include "net/url_policy.h"
#include "core/ascii.h"

namespace jwtgate {

namespace {

// curl_global_init is not thread-safe before libcurl 7.84 and must run before
// any other call; once per process, never cleaned up (the host may use
// libcurl too, and a library must not tear it down under it).
void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Transfer {
  HttpResponse* resp;
  size_t cap;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  // A chunked or lying response has no usable Content-Length for
  // CURLOPT_MAXFILESIZE: the cap is enforced here, on the decoded bytes, so
  // a compressed bomb is stopped too. Returning short makes curl abort.
  if (len > t->cap - t->resp->body.size()) {
    t->too_large = true;
    return 0;
  }
  t->resp->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t len = size * n;
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response begins (after 100 Continue, say): only the final
    // response's fields count.
    t->resp->cache_control.clear();
    t->resp->age.clear();
    t->resp->content_type.clear();
    return len;
  }
  auto value = [&](std::string_view name) {
    std::string_view v = line.substr(name.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    return std::string(v);
  };
  if (ascii_istarts_with(line, "cache-control:")) {
    if (!t->resp->cache_control.empty()) t->resp->cache_control += ", ";
    t->resp->cache_control += value("cache-control:");
  } else if (ascii_istarts_with(line, "age:")) {
    t->resp->age = value("age:");
  } else if (ascii_istarts_with(line, "content-type:")) {
    t->resp->content_type = value("content-type:");
  }
  return len;
}

// on_progress aborts the transfer once the caller cancels it; libcurl calls
// it about once a second even when no data moves.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string describe(CURLcode rc, const char* errbuf, const Transfer& t, const HttpLimits& limits,
                     int64_t timeout_ms) {
  if (rc == CURLE_ABORTED_BY_CALLBACK) return "cancelled (the validator is going away)";
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    return "the response is larger than the " + std::to_string(limits.max_response_bytes) +
           "-byte limit";
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return "no complete response within " + std::to_string(timeout_ms) + " ms";
  std::string s = curl_easy_strerror(rc);
  if (errbuf[0]) s += " (" + std::string(errbuf) + ")";
  return s;
}

}  // namespace

bool network_available() { return true; }

bool http_fetch(const HttpRequest& req, const HttpLimits& limits, HttpResponse& resp,
                std::string& error) {
  ensure_curl_initialized();
  resp = HttpResponse{};
  const char* method = req.form_body ? "POST " : "GET ";
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) {
    error = std::string(method) + req.url + ": libcurl could not create a handle";
    return false;
  }
  CURL* c = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  Transfer t{&resp, limits.max_response_bytes};

  curl_slist* raw_headers = curl_slist_append(nullptr, "Accept: application/json");
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  for (const std::string& h : req.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (!next) {
      error = std::string(method) + req.url + ": out of memory";
      return false;
    }
    headers.release();
    headers.reset(next);
  }

  const char* protocols = limits.allow_http_loopback ? "http,https" : "https";
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  // Redirects are followed by hand below so that every hop passes
  // check_fetch_url, which libcurl's own following would skip.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  // Timeouts without signals: the host's threads and signal handlers are its
  // own (libcurl's documented requirement for multi-threaded use).
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_response_bytes));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "jwtgate/" JWTGATE_VERSION_STRING);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  if (req.cancel) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(req.cancel));
  }
  if (req.form_body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    // POSTFIELDS, not COPYPOSTFIELDS: libcurl keeps no copy of a secret.
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.form_body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.form_body->size()));
  }

  const int64_t start = steady_ms();
  const int64_t deadline = start + limits.timeout_ms;
  std::string url = req.url;
  for (int hop = 0;; ++hop) {
    const std::string where = std::string(method) + url;
    const UrlCheck check = check_fetch_url(url, limits.allow_http_loopback);
    if (!check.ok) {
      error = hop == 0 ? check.why : "after a redirect from " + req.url + ": " + check.why;
      return false;
    }
    const int64_t remaining = deadline - steady_ms();
    if (remaining <= 0) {
      error = where + ": no complete response within " + std::to_string(limits.timeout_ms) +
              " ms (redirects included)";
      return false;
    }
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining));
    // A proxy in front of a loopback URL would make it not loopback.
    curl_easy_setopt(c, CURLOPT_NOPROXY, check.loopback ? "*" : nullptr);
    resp.body.clear();
    resp.cache_control.clear();
    resp.age.clear();
    resp.content_type.clear();
    t.too_large = false;
    errbuf[0] = 0;
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
      error = where + ": " + describe(rc, errbuf, t, limits, limits.timeout_ms);
      return false;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    char* location = nullptr;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
    const bool redirect = (status == 301 || status == 302 || status == 303 || status == 307 ||
                           status == 308) && location && *location;
    if (!redirect) {
      resp.status = status;
      resp.url = url;
      return true;
    }
    if (req.form_body) {
      error = where + ": answered " + std::to_string(status) + " with a redirect to " + location +
              "; a token request is not resent elsewhere (use the final token endpoint URL)";
      return false;
    }
    if (hop >= limits.max_redirects) {
      error = req.url + ": more than " + std::to_string(limits.max_redirects) +
              " redirects (last to " + location + ")";
      return false;
    }
    url = location;
  }
}

}  // namespace jwtgate
