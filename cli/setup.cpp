#include "setup.h"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <new>

#include <openssl/crypto.h>

#include <simdjson.h>

#include "jwtgate_experimental.h"  // decryption keys
#include "text.h"

namespace cli {

namespace {

std::pair<std::string, std::string> split_pair(const std::string& s, const std::string& option) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError{"--" + option + " takes NAME=VALUE, not " + quoted(s, 64)};
  return {s.substr(0, eq), s.substr(eq + 1)};
}

void report(const jwtgate_error* e) {
  // Load errors quote policies, key files and fetched documents: escaped by
  // the loaders, and kept free of raw controls here as well.
  if (e) std::cerr << terminal_text(jwtgate_error_text(e), true);
}
void report(const jwtgate::error_list& e) { report(e.get()); }

void check(jwtgate_status s, const std::string& what) {
  if (s != JWTGATE_OK) {
    std::cerr << "jwtgate: " << what << ": " << jwtgate_status_str(s) << "\n";
    throw ConfigError{};
  }
}

void named_values_file(jwtgate_load_options* o, const std::string& path) {
  std::string text = read_text(path);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    // A JSON object of strings: parsed with the same strict parser as tokens.
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    if (parser.parse(text).get(obj)) throw UsageError{quoted(path, 200) + " is not a JSON object"};
    for (auto field : obj) {
      std::string_view v;
      if (field.value.get_string().get(v))
        throw UsageError{quoted(path, 200) + ": named value " + quoted(field.key, 64) + " is not a string"};
      check(jwtgate_load_options_set_named_value(o, std::string(field.key).c_str(), std::string(v).c_str()),
            "named value");
    }
    return;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto [k, v] = split_pair(line, "named-values");
    check(jwtgate_load_options_set_named_value(o, k.c_str(), v.c_str()), "named value");
  }
}

}  // namespace

int64_t parse_now(Args& args) {
  auto now = args.value("now");
  if (!now) return JWTGATE_NOW;
  int64_t t = 0;
  auto [p, ec] = std::from_chars(now->data(), now->data() + now->size(), t);
  if (ec != std::errc() || p != now->data() + now->size() || t < 0)
    throw UsageError{"--now takes Unix seconds, not " + quoted(*now, 64)};
  return t;
}

jwtgate::policy load_policy(std::string_view text, const jwtgate_load_options* opts,
                            jwtgate::error_list& err) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* e = nullptr;
  if (jwtgate_policy_load(&p, &e, text.data(), text.size(), opts) == JWTGATE_ERR_OUT_OF_MEMORY && !e)
    throw std::bad_alloc();
  err.reset(e);
  return jwtgate::policy(p);
}

jwtgate::load_options read_load_options(Args& args) {
  jwtgate::load_options o(jwtgate_load_options_new());
  if (!o) throw ConfigError{};
  for (const auto& nv : args.values("named-value")) {
    auto [k, v] = split_pair(nv, "named-value");
    check(jwtgate_load_options_set_named_value(o.get(), k.c_str(), v.c_str()), "--named-value");
  }
  for (const auto& f : args.values("named-values")) named_values_file(o.get(), f);
  for (const auto& ev : args.values("expression-value")) {
    // Expressions contain '=' themselves (a == b): split at the last ")=" or "}=".
    size_t at = ev.rfind(")=");
    if (at == std::string::npos) at = ev.rfind("}=");
    if (at == std::string::npos) throw UsageError{"--expression-value takes @(...)=VALUE"};
    check(jwtgate_load_options_set_expression_value(o.get(), ev.substr(0, at + 1).c_str(),
                                                    ev.substr(at + 2).c_str()),
          "--expression-value");
  }
  for (const auto& c : args.values("certificate")) {
    auto [id, file] = split_pair(c, "certificate");
    std::string data = read_text(file);
    jwtgate_error* e = nullptr;
    jwtgate_status s = jwtgate_load_options_add_certificate(o.get(), &e, id.c_str(), data.data(), data.size());
    jwtgate::error_list err(e);
    if (s != JWTGATE_OK) {
      std::cerr << "jwtgate: certificate " << quoted(id, 64) << " (" << terminal_text(file) << "):\n";
      report(err);
      throw ConfigError{};
    }
  }
  std::map<std::string, std::string> passwords;  // certificate id -> password file
  for (const auto& c : args.values("decryption-key-password")) {
    auto [id, file] = split_pair(c, "decryption-key-password");
    passwords[id] = file;
  }
  for (const auto& c : args.values("decryption-key")) {
    auto [id, file] = split_pair(c, "decryption-key");
    std::string data = read_text(file);
    std::string password;
    if (auto it = passwords.find(id); it != passwords.end()) {
      password = read_text(it->second);
      password = password.substr(0, password.find_first_of("\r\n"));
      passwords.erase(it);
    }
    jwtgate_error* e = nullptr;
    jwtgate_status s = jwtgate_load_options_add_decryption_key(
        o.get(), &e, id.c_str(), data.data(), data.size(), password.c_str());
    // The key and its password leave this process's buffers at once.
    OPENSSL_cleanse(data.data(), data.size());
    OPENSSL_cleanse(password.data(), password.size());
    jwtgate::error_list err(e);
    if (s != JWTGATE_OK) {
      std::cerr << "jwtgate: decryption key " << quoted(id, 64) << " (" << terminal_text(file) << "):\n";
      report(err);
      throw ConfigError{};
    }
  }
  if (!passwords.empty())
    throw UsageError{"--decryption-key-password " + passwords.begin()->first +
                     "=... names no --decryption-key"};
  for (jwtgate_document_kind kind : {JWTGATE_DOCUMENT_OPENID_CONFIGURATION, JWTGATE_DOCUMENT_JWKS}) {
    for (const auto& d : args.values(kind == JWTGATE_DOCUMENT_OPENID_CONFIGURATION ? "openid-document"
                                                                                    : "jwks-document")) {
      // URLs contain '=' in their query; the file is after the last '='.
      size_t eq = d.rfind('=');
      if (eq == std::string::npos)
        throw UsageError{std::string("--") + (kind == 0 ? "openid-document" : "jwks-document") +
                         " takes URL=FILE, not " + quoted(d, 64)};
      std::string data = read_text(d.substr(eq + 1));
      check(jwtgate_load_options_set_document(o.get(), d.substr(0, eq).c_str(), kind, data.data(),
                                              data.size()),
            "document");
    }
  }
  if (auto sel = args.value("select")) check(jwtgate_load_options_select(o.get(), sel->c_str()), "--select");
  return o;
}

using ValidatorOptions =
    std::unique_ptr<jwtgate_validator_options, void (*)(jwtgate_validator_options*)>;

// validator_options: the remote-key settings given on the command line.
static ValidatorOptions validator_options(Args& args) {
  ValidatorOptions o(jwtgate_validator_options_new(), jwtgate_validator_options_free);
  if (!o) throw ConfigError{};
  if (args.flag("allow-http-loopback"))
    check(jwtgate_validator_options_set_key_setting(o.get(), JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1),
          "--allow-http-loopback");
  if (auto ms = args.value("first-load-timeout")) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(ms->data(), ms->data() + ms->size(), v);
    if (ec != std::errc() || p != ms->data() + ms->size() ||
        jwtgate_validator_options_set_key_setting(o.get(), JWTGATE_KEYS_FIRST_LOAD_TIMEOUT_MS, v) !=
            JWTGATE_OK)
      throw UsageError{"--first-load-timeout takes milliseconds, not " + quoted(*ms, 64)};
  }
  return o;
}

Setup read_setup(Args& args, bool need_policy) {
  Setup s;
  s.opts = read_load_options(args);
  auto vopts = validator_options(args);
  auto policy_path = args.value("policy");
  if (!policy_path) {
    if (need_policy) throw UsageError{"--policy FILE is required"};
  } else {
    jwtgate::error_list err;
    s.policy = load_policy(read_text(*policy_path), s.opts.get(), err);
    if (!s.policy) {
      std::cerr << "jwtgate: cannot load policy " << terminal_text(*policy_path) << ":\n";
      report(err);
      PolicyLoadError e;
      e.errors = jwtgate::error_text(err.get());
      e.list.reset(err.release(), jwtgate_error_free);
      throw e;
    }
    report(jwtgate_policy_warnings(s.policy.get()));
  }
  auto key_files = args.values("keys");
  if (!key_files.empty()) {
    jwtgate::keyset_builder b(jwtgate_keyset_builder_new());
    if (!b) throw ConfigError{};
    size_t warned = 0;
    for (const auto& f : key_files) {
      std::string data = read_text(f);
      jwtgate_error* e = nullptr;
      jwtgate_status st = jwtgate_keyset_builder_add(b.get(), &e, JWTGATE_KEY_AUTO, data.data(),
                                                     data.size(), nullptr);
      jwtgate::error_list err(e);
      if (st != JWTGATE_OK) {
        std::cerr << "jwtgate: cannot load keys from " << terminal_text(f) << ":\n";
        report(err);
        throw ConfigError{};
      }
      // The builder keeps the warnings of every add: print this file's.
      const jwtgate_error* w = jwtgate_keyset_builder_warnings(b.get());
      for (size_t i = warned; i < jwtgate_error_count(w); ++i)
        std::cerr << "warning: " << terminal_text(f) << ": "
                  << terminal_text(jwtgate_error_message(w, i), true) << "\n";
      warned = jwtgate_error_count(w);
    }
    jwtgate_keyset* ks = nullptr;
    check(jwtgate_keyset_builder_build(b.get(), &ks), "key set");
    s.keys.reset(ks);
  }
  if (s.policy) {
    jwtgate_validator* v = nullptr;
    jwtgate_error* e = nullptr;
    const jwtgate_status st =
        jwtgate_validator_new_with_options(&v, &e, s.policy.get(), s.keys.get(), vopts.get());
    jwtgate::error_list err(e);
    s.validator.reset(v);
    if (st != JWTGATE_OK) {
      std::cerr << "jwtgate: cannot make the validator:\n";
      report(err);
      throw ConfigError{};
    }
  }
  return s;
}

}  // namespace cli
