#include "args.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "text.h"

namespace cli {

namespace {

bool is_help(const std::string& a) { return a == "-h" || a == "--help"; }

std::string option_name(const OptionSpec& o) { return std::string("--") + o.name; }

// choices_text: "auto, always or never".
std::string choices_text(const char* choices) {
  std::vector<std::string> words;
  std::istringstream in(choices);
  for (std::string w; in >> w;) words.push_back(w);
  std::string out;
  for (size_t i = 0; i < words.size(); ++i)
    out += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  return out;
}

bool is_choice(const char* choices, const std::string& value) {
  std::istringstream in(choices);
  for (std::string w; in >> w;)
    if (w == value) return true;
  return false;
}

}  // namespace

Args::Args(const CommandSpec& cmd, std::vector<std::string> argv) : cmd_(&cmd) {
  // Help first: wherever -h or --help stands before "--", it wins.
  for (const std::string& a : argv) {
    if (a == "--") break;
    if (is_help(a)) help_ = true;
  }
  bool options_end = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_end || a == "-" || a.size() < 2 || a[0] != '-') {
      operands_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_end = true;
      continue;
    }
    if (is_help(a)) continue;
    const OptionSpec* o = nullptr;
    std::optional<std::string> inline_value;  // --name=VALUE, -xVALUE
    if (a[1] == '-') {
      const size_t eq = a.find('=');
      const std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      o = find_option(cmd.id, name);
      if (!o) {
        std::vector<std::string> names;
        for (const OptionSpec* s : options_of(cmd.id))
          if (s->help) names.push_back(option_name(*s));
        const std::string near = closest("--" + name, names);
        refuse("unknown option " + quoted("--" + name, 64) +
               (near.empty() ? "" : "; did you mean " + near + "?"));
        continue;
      }
      if (eq != std::string::npos) inline_value = a.substr(eq + 1);
    } else {
      o = find_short_option(cmd.id, a[1]);
      if (!o) {
        refuse("unknown option " + quoted(a, 64));
        continue;
      }
      if (a.size() > 2) {
        if (!o->arg) {
          refuse("unknown option " + quoted(a, 64));
          continue;
        }
        inline_value = a.substr(2);
      }
    }
    Option given{o, {}};
    if (!o->arg) {
      if (inline_value) {
        refuse(option_name(*o) + " takes no value");
        continue;
      }
    } else if (inline_value) {
      given.value = *inline_value;
    } else if (i + 1 < argv.size()) {
      given.value = argv[++i];  // whatever it is: "--token -", "--now -1" (refused below)
    } else {
      refuse(option_name(*o) + " needs a value (" + o->arg + ")");
      continue;
    }
    if (o->choices && !is_choice(o->choices, given.value)) {
      refuse(option_name(*o) + " takes " + choices_text(o->choices) + ", not " + quoted(given.value, 64));
      continue;
    }
    if (!o->repeatable &&
        std::any_of(options_.begin(), options_.end(), [&](const Option& g) { return g.spec == o; })) {
      refuse(option_name(*o) + " may be given only once");
      continue;
    }
    options_.push_back(std::move(given));
  }
}

void Args::refuse(std::string message) {
  if (!problem_) problem_ = UsageError{std::move(message)};
}

const OptionSpec& Args::spec(std::string_view name) const {
  const OptionSpec* o = find_option(cmd_->id, name);
  if (!o)
    throw std::logic_error("jwtgate " + std::string(cmd_->name) + " reads --" + std::string(name) +
                           ", which its rows of the option table lack");
  return *o;
}

bool Args::flag(std::string_view name) {
  const OptionSpec& o = spec(name);
  bool found = false;
  for (Option& g : options_)
    if (g.spec == &o) g.used = found = true;
  return found;
}

std::optional<std::string> Args::value(std::string_view name) {
  auto all = values(name);
  if (all.empty()) return std::nullopt;
  return all.back();  // more than one only for a repeatable option
}

std::vector<std::string> Args::values(std::string_view name) {
  const OptionSpec& o = spec(name);
  std::vector<std::string> out;
  for (Option& g : options_)
    if (g.spec == &o) {
      g.used = true;
      out.push_back(g.value);
    }
  return out;
}

bool Args::given(std::string_view name) const {
  const OptionSpec& o = spec(name);
  return std::any_of(options_.begin(), options_.end(), [&](const Option& g) { return g.spec == &o; });
}

void Args::finish() const {
  for (const Option& g : options_)
    if (!g.used) throw UsageError{option_name(*g.spec) + " does not apply with the other options given"};
}

std::string read_text(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  // stdio rather than a stream: the reason a read fails (a directory, no
  // permission) is in errno, and nothing throws.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string out;
  if (f) {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    const int why = errno;
    std::fclose(f);
    if (!failed) return out;
    errno = why;
  }
  throw UsageError{"cannot read " + quoted(path, 200) + ": " + std::strerror(errno)};
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  // Levenshtein distance; a typo is at most 2 edits away, and a third of a
  // short word.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diag = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        const size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  size_t best_d = 3;
  for (const std::string& c : candidates) {
    const size_t d = distance(word, c);
    if (d < best_d && d * 3 <= c.size()) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

}  // namespace cli
