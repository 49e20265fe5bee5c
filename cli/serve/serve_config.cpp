#include "serve_config.h"

#include <cctype>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include <simdjson.h>

#include "request_target.h"

namespace cli::serve {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ConfigFileError{where + ": " + what};
}

// Every member must be known: a misspelt "cache_entires" silently ignored
// would be a configuration that looks applied and is not.
void only_members(const object& obj, const std::set<std::string_view>& known,
                  const std::string& where) {
  for (auto field : obj)
    if (!known.count(field.key)) fail(where, "unknown member \"" + std::string(field.key) + "\"");
}

std::string get_string(const element& e, const std::string& where) {
  std::string_view s;
  if (e.get_string().get(s)) fail(where, "must be a string");
  return std::string(s);
}

uint64_t get_uint(const element& e, const std::string& where, uint64_t max) {
  uint64_t v = 0;
  if (e.get_uint64().get(v) || v > max)
    fail(where, "must be a whole number from 0 to " + std::to_string(max));
  return v;
}

bool get_bool(const element& e, const std::string& where) {
  bool b = false;
  if (e.get_bool().get(b)) fail(where, "must be true or false");
  return b;
}

// A relative file name means "beside the configuration file", so a config
// works wherever the service is started from.
std::string resolve(const std::string& dir, const std::string& file) {
  if (file.empty() || file[0] == '/' || dir.empty()) return file;
  return dir + "/" + file;
}

// string_map reads {"name": "value", ...} in document order.
std::vector<std::pair<std::string, std::string>> string_map(const element& e,
                                                            const std::string& where) {
  object obj;
  if (e.get_object().get(obj)) fail(where, "must be an object of strings");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto field : obj)
    out.emplace_back(std::string(field.key),
                     get_string(field.value, where + "." + std::string(field.key)));
  return out;
}

void read_limits(const element& e, Limits& l, const std::string& where) {
  object obj;
  if (e.get_object().get(obj)) fail(where, "must be an object");
  only_members(obj, {"connections", "connections_per_ip", "idle_timeout_s",
                     "connection_memory_bytes", "threads"}, where);
  for (auto f : obj) {
    std::string w = where + "." + std::string(f.key);
    if (f.key == "connections") l.connections = unsigned(get_uint(f.value, w, 1000000));
    if (f.key == "connections_per_ip") l.connections_per_ip = unsigned(get_uint(f.value, w, 1000000));
    if (f.key == "idle_timeout_s") l.idle_timeout_s = unsigned(get_uint(f.value, w, 3600));
    if (f.key == "connection_memory_bytes")
      l.connection_memory_bytes = size_t(get_uint(f.value, w, 16 * 1024 * 1024));
    if (f.key == "threads") l.threads = unsigned(get_uint(f.value, w, 256));
  }
  if (l.connections == 0) fail(where + ".connections", "must be at least 1");
  if (l.threads == 0) fail(where + ".threads", "must be at least 1");
  if (l.connection_memory_bytes < 4096)
    fail(where + ".connection_memory_bytes", "must be at least 4096");
}

RouteSpec read_route(const element& e, const std::string& dir, const std::string& where) {
  object obj;
  if (e.get_object().get(obj)) fail(where, "must be an object");
  only_members(obj, {"prefix", "policy", "select", "keys", "named_values", "named_values_file",
                     "expression_values", "certificates", "decryption_keys",
                     "decryption_key_passwords", "openid_documents", "jwks_documents",
                     "cache_entries", "claim_headers", "allow_http_loopback",
                     "first_load_timeout_ms"}, where);
  RouteSpec r;
  bool have_policy = false;
  for (auto f : obj) {
    const std::string key(f.key), w = where + "." + key;
    auto& a = r.setup_args;
    if (key == "prefix") {
      r.prefix = get_string(f.value, w);
      if (const char* why = prefix_problem(r.prefix))
        fail(w, std::string("no request path can match it: ") + why);
    } else if (key == "policy") {
      a.insert(a.end(), {"--policy", resolve(dir, get_string(f.value, w))});
      have_policy = true;
    } else if (key == "select") {
      a.insert(a.end(), {"--select", get_string(f.value, w)});
    } else if (key == "keys") {
      simdjson::dom::array arr;
      if (f.value.get_array().get(arr)) fail(w, "must be an array of file names");
      for (auto k : arr) a.insert(a.end(), {"--keys", resolve(dir, get_string(k, w))});
    } else if (key == "named_values") {
      for (auto& [n, v] : string_map(f.value, w)) a.insert(a.end(), {"--named-value", n + "=" + v});
    } else if (key == "named_values_file") {
      a.insert(a.end(), {"--named-values", resolve(dir, get_string(f.value, w))});
    } else if (key == "expression_values") {
      for (auto& [x, v] : string_map(f.value, w))
        a.insert(a.end(), {"--expression-value", x + "=" + v});
    } else if (key == "certificates") {
      for (auto& [id, file] : string_map(f.value, w))
        a.insert(a.end(), {"--certificate", id + "=" + resolve(dir, file)});
    } else if (key == "decryption_keys" || key == "decryption_key_passwords") {
      // Private keys for <decryption-keys><key certificate-id>, and the
      // files holding their passwords (never the passwords themselves).
      const char* opt = key == "decryption_keys" ? "--decryption-key" : "--decryption-key-password";
      for (auto& [id, file] : string_map(f.value, w))
        a.insert(a.end(), {opt, id + "=" + resolve(dir, file)});
    } else if (key == "openid_documents" || key == "jwks_documents") {
      const char* opt = key == "openid_documents" ? "--openid-document" : "--jwks-document";
      for (auto& [url, file] : string_map(f.value, w))
        a.insert(a.end(), {opt, url + "=" + resolve(dir, file)});
    } else if (key == "cache_entries") {
      r.cache_entries = size_t(get_uint(f.value, w, 10000000));
    } else if (key == "claim_headers") {
      r.claim_headers = string_map(f.value, w);
      for (const auto& [claim, header] : r.claim_headers)
        if (!is_header_name(header)) fail(w + "." + claim, "\"" + header + "\" is not a header name");
    } else if (key == "allow_http_loopback") {
      r.allow_http_loopback = get_bool(f.value, w);
    } else if (key == "first_load_timeout_ms") {
      r.first_load_timeout_ms = get_uint(f.value, w, 600000);
    }
  }
  if (!have_policy) fail(where, "\"policy\" is required");
  return r;
}

}  // namespace

bool is_header_name(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c))) return false;
  return true;
}

ListenAddress parse_listen(const std::string& text) {
  ListenAddress a;
  size_t colon;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw ConfigFileError{"listen: expected [ADDRESS]:PORT, not \"" + text + "\""};
    a.host = text.substr(1, close - 1);
    a.ipv6 = true;
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
      throw ConfigFileError{"listen: expected ADDRESS:PORT, not \"" + text + "\""};
    a.host = text.substr(0, colon);
  }
  const std::string port = text.substr(colon + 1);
  unsigned v = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
  if (ec != std::errc() || p != port.data() + port.size() || port.empty() || v > 65535)
    throw ConfigFileError{"listen: bad port \"" + port + "\""};
  a.port = uint16_t(v);
  return a;
}

ServeConfig read_config_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw ConfigFileError{"cannot read " + path};
  std::string text(std::istreambuf_iterator<char>(f), {});
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);

  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(text).get(root))
    throw ConfigFileError{path + ": not valid JSON (" + simdjson::error_message(err) + ")"};
  object obj;
  if (root.get_object().get(obj)) fail(path, "must be a JSON object");
  only_members(obj, {"listen", "limits", "success_status", "www_authenticate", "message_header",
                     "routes"}, path);
  ServeConfig c;
  bool have_routes = false;
  for (auto f2 : obj) {
    const std::string key(f2.key), w = path + ": " + key;
    if (key == "listen") {
      c.listen = get_string(f2.value, w);
      parse_listen(c.listen);
    } else if (key == "limits") {
      read_limits(f2.value, c.limits, w);
    } else if (key == "success_status") {
      c.success_status = int(get_uint(f2.value, w, 299));
      if (c.success_status != 200 && c.success_status != 204) fail(w, "must be 200 or 204");
    } else if (key == "www_authenticate") {
      c.www_authenticate = get_bool(f2.value, w);
    } else if (key == "message_header") {
      c.message_header = get_string(f2.value, w);
      if (!c.message_header.empty() && !is_header_name(c.message_header))
        fail(w, "\"" + c.message_header + "\" is not a header name");
    } else if (key == "routes") {
      simdjson::dom::array arr;
      if (f2.value.get_array().get(arr)) fail(w, "must be an array");
      size_t i = 0;
      for (auto r : arr) c.routes.push_back(read_route(r, dir, w + "[" + std::to_string(i++) + "]"));
      have_routes = true;
    }
  }
  if (!have_routes || c.routes.empty()) fail(path, "\"routes\" must list at least one route");
  std::set<std::string> prefixes;
  for (const auto& r : c.routes)
    if (!prefixes.insert(r.prefix).second) fail(path, "two routes have the prefix \"" + r.prefix + "\"");
  return c;
}

}  // namespace cli::serve
