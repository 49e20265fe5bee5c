#include "args.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace cli {

Args::Args(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) items_.emplace_back(argv[i]);
  used_.assign(items_.size(), false);
}

bool Args::flag(const std::string& name) {
  bool found = false;
  for (size_t i = 0; i < items_.size(); ++i)
    if (!used_[i] && items_[i] == "--" + name) used_[i] = found = true;
  return found;
}

std::optional<std::string> Args::value(const std::string& name) {
  auto all = values(name);
  if (all.size() > 1) throw UsageError{"--" + name + " may be given only once"};
  if (all.empty()) return std::nullopt;
  return all[0];
}

std::vector<std::string> Args::values(const std::string& name) {
  std::vector<std::string> out;
  const std::string opt = "--" + name, eq = opt + "=";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (used_[i]) continue;
    if (items_[i] == opt) {
      if (i + 1 >= items_.size()) throw UsageError{opt + " needs a value"};
      used_[i] = used_[i + 1] = true;
      out.push_back(items_[i + 1]);
      ++i;
    } else if (items_[i].rfind(eq, 0) == 0) {
      used_[i] = true;
      out.push_back(items_[i].substr(eq.size()));
    }
  }
  return out;
}

std::vector<std::string> Args::positionals() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < items_.size(); ++i)
    if (!used_[i] && (items_[i].rfind("--", 0) != 0 || items_[i] == "-")) out.push_back(items_[i]);
  return out;
}

void Args::finish() const {
  for (size_t i = 0; i < items_.size(); ++i)
    if (!used_[i] && items_[i].rfind("--", 0) == 0 && items_[i] != "-")
      throw UsageError{"unknown option " + items_[i]};
}

std::string read_text(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) throw UsageError{"cannot read " + path};
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace cli
