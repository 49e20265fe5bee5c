#include "setup.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include <openssl/crypto.h>

#include <simdjson.h>

#include "core/quote.h"
#include "jwtgate_experimental.h"  // decryption keys

namespace cli {

const char* const kSetupHelp =
    "  --policy FILE               APIM policy (XML or JSON)\n"
    "  --select ID                 which validation element of a <policies> document\n"
    "                              (its id attribute or 1-based position)\n"
    "  --keys FILE                 extra keys: JWKS, JWK, PEM keys or certificates, DER (repeatable)\n"
    "  --named-value NAME=VALUE    define {{NAME}} (repeatable)\n"
    "  --named-values FILE         define many: a JSON object, or NAME=VALUE lines\n"
    "  --expression-value EXPR=VALUE  the value of a policy expression such as\n"
    "                              @(context.Request.OriginalUrl.Host) (repeatable)\n"
    "  --certificate ID=FILE       a certificate for <key certificate-id=\"ID\"> (repeatable)\n"
    "  --decryption-key ID=FILE    the private key for <decryption-keys><key certificate-id=\"ID\">:\n"
    "                              PEM, DER PKCS#8, PKCS#12 (PFX) or a private JWK (repeatable)\n"
    "  --decryption-key-password ID=FILE  the password of that key's PKCS#8 or PKCS#12, read\n"
    "                              from FILE (its first line), never from the command line\n"
    "  --openid-document URL=FILE  offline discovery document for an openid-config URL\n"
    "                              (without one, the URL and its jwks_uri are fetched)\n"
    "  --jwks-document URL=FILE    offline JWK Set for a jwks_uri\n"
    "  --allow-http-loopback       fetch openid-config over plain http from 127.0.0.1, ::1\n"
    "                              or localhost (tests; https is required otherwise)\n"
    "  --first-load-timeout MS     wait at most MS milliseconds for fetched keys (default 5000)\n";

namespace {

std::pair<std::string, std::string> split_pair(const std::string& s, const std::string& option) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError{"--" + option + " takes NAME=VALUE, not \"" + s + "\""};
  return {s.substr(0, eq), s.substr(eq + 1)};
}

void report(const jwtgate_error* e) {
  // Load errors quote policies, key files and fetched documents: escaped by
  // the loaders, and kept free of raw controls here as well.
  if (e) std::cerr << jwtgate::controls_escaped(jwtgate_error_text(e), true);
}
void report(const jwtgate_cpp::Error& e) { report(e.get()); }

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
    if (parser.parse(text).get(obj)) throw UsageError{path + " is not a JSON object"};
    for (auto field : obj) {
      std::string_view v;
      if (field.value.get_string().get(v))
        throw UsageError{path + ": named value \"" + std::string(field.key) + "\" is not a string"};
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

bool want_color(bool no_color_flag) {
  if (no_color_flag) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

int64_t parse_now(Args& args) {
  auto now = args.value("now");
  if (!now) return JWTGATE_NOW;
  int64_t t = 0;
  auto [p, ec] = std::from_chars(now->data(), now->data() + now->size(), t);
  if (ec != std::errc() || p != now->data() + now->size() || t < 0)
    throw UsageError{"--now takes Unix seconds, not \"" + *now + "\""};
  return t;
}

jwtgate_cpp::LoadOptions read_load_options(Args& args) {
  jwtgate_cpp::LoadOptions o(jwtgate_load_options_new());
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
    jwtgate_cpp::Error err(e);
    if (s != JWTGATE_OK) {
      std::cerr << "jwtgate: certificate " << id << " (" << file << "):\n";
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
    jwtgate_cpp::Error err(e);
    if (s != JWTGATE_OK) {
      std::cerr << "jwtgate: decryption key " << id << " (" << file << "):\n";
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
      if (eq == std::string::npos) throw UsageError{"expected URL=FILE, not \"" + d + "\""};
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
      throw UsageError{"--first-load-timeout takes milliseconds, not \"" + *ms + "\""};
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
    jwtgate_cpp::Error err;
    s.policy = jwtgate_cpp::load_policy(read_text(*policy_path), s.opts.get(), &err);
    if (!s.policy) {
      std::cerr << "jwtgate: cannot load policy " << *policy_path << ":\n";
      report(err);
      PolicyLoadError e;
      e.errors = jwtgate_cpp::error_text(err);
      throw e;
    }
    report(jwtgate_policy_warnings(s.policy.get()));
  }
  auto key_files = args.values("keys");
  if (!key_files.empty()) {
    jwtgate_cpp::KeySetBuilder b(jwtgate_keyset_builder_new());
    if (!b) throw ConfigError{};
    size_t warned = 0;
    for (const auto& f : key_files) {
      std::string data = read_text(f);
      jwtgate_error* e = nullptr;
      jwtgate_status st = jwtgate_keyset_builder_add(b.get(), &e, JWTGATE_KEY_AUTO, data.data(),
                                                     data.size(), nullptr);
      jwtgate_cpp::Error err(e);
      if (st != JWTGATE_OK) {
        std::cerr << "jwtgate: cannot load keys from " << f << ":\n";
        report(err);
        throw ConfigError{};
      }
      // The builder keeps the warnings of every add: print this file's.
      const jwtgate_error* w = jwtgate_keyset_builder_warnings(b.get());
      for (size_t i = warned; i < jwtgate_error_count(w); ++i)
        std::cerr << "warning: " << f << ": "
                  << jwtgate::controls_escaped(jwtgate_error_message(w, i), true) << "\n";
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
    jwtgate_cpp::Error err(e);
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
