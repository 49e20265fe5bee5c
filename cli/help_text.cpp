#include "help_text.h"

#include <algorithm>
#include <vector>

namespace cli {

namespace {

constexpr size_t kLabelWidth = 30;  // the option column of --help

// option_line: "  LABEL   help", the help wrapped in a column |width|
// wide (on the next line when the label is longer).
void option_line(std::string& out, const std::string& label, std::string_view help,
                 size_t width = kLabelWidth) {
  out += "  " + label;
  size_t used = 2 + label.size();
  if (used + 2 > width) {
    out += "\n";
    used = 0;
  }
  out.append(width - used, ' ');
  out += wrap(help, width, 79, width);
  out += "\n";
}

std::string paragraphs(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    out += wrap(text.substr(start, end - start), 0) + "\n";
    if (end == text.size()) break;
    out += "\n";
    start = end + 2;
  }
  return out;
}

}  // namespace

std::string wrap(std::string_view text, size_t indent, size_t width, size_t first_indent) {
  std::string out;
  size_t col = first_indent;
  bool line_start = true;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
      line_start = true;
      ++i;
      continue;
    }
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t end = text.find_first_of(" \n", i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(i, end - i);
    if (!line_start && col + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      col = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    line_start = false;
    i = end;
  }
  return out;
}

std::string option_label(const OptionSpec& o) {
  std::string label = o.short_name ? std::string("-") + o.short_name + ", " : "    ";
  label += std::string("--") + o.name;
  if (o.arg) label += std::string(" ") + o.arg;
  return label;
}

std::string hint(const CommandSpec* cmd) {
  return cmd ? "try 'jwtgate help " + std::string(cmd->name) + "'" : "try 'jwtgate help'";
}

std::string usage_text() {
  std::string out = "usage: jwtgate COMMAND [options]\n       jwtgate --help | --version\n\n";
  out += wrap(std::string("jwtgate: ") + kProgramSummary + ".", 0) + "\n\ncommands:\n";
  for (const CommandSpec& c : commands()) {
    if (c.parent) continue;
    std::string label = c.name;
    if (c.id == kPolicy) label += " check|convert";
    option_line(out, label, c.summary, 24);
  }
  out += "\noptions:\n";
  option_line(out, "-h, --help", "show this help and exit", 24);
  option_line(out, "-V, --version", "print the versions (as jwtgate version) and exit", 24);
  out += "\nexit status:\n";
  std::string_view status = kExitStatus;
  size_t start = 0;
  while (start < status.size()) {
    size_t end = status.find('\n', start);
    if (end == std::string_view::npos) end = status.size();
    const std::string_view line = status.substr(start, end - start);
    option_line(out, std::string(line.substr(0, 1)), line.substr(2), 5);
    start = end + 1;
  }
  out += "\nRun 'jwtgate help COMMAND' for a command's options; 'man jwtgate' for everything.\n";
  return out;
}

std::string help_text(const CommandSpec& cmd) {
  std::string out;
  const std::string prefix = "jwtgate " + std::string(cmd.name) + " ";
  for (size_t i = 0; i < cmd.synopsis.size(); ++i)
    out += std::string(i == 0 ? "usage: " : "       ") + prefix + cmd.synopsis[i] + "\n";
  out += "\n" + paragraphs(cmd.description);
  if (cmd.id == kPolicy) {
    out += "\nsubcommands:\n";
    for (const CommandSpec* s : subcommands(cmd.name))
      option_line(out, std::string(s->name).substr(std::string_view(cmd.name).size() + 1), s->summary);
  }
  // Operands, then the options section by section, in table order.
  const std::vector<const OptionSpec*> opts = options_of(cmd.id);
  std::vector<std::string_view> sections;
  for (const OptionSpec* o : opts)
    if (o->help && std::find(sections.begin(), sections.end(), o->section) == sections.end())
      sections.push_back(o->section);
  if (!cmd.operands.empty()) {
    out += "\nOperands:\n";
    for (const Operand& op : cmd.operands) option_line(out, op.name, op.help);
  }
  for (std::string_view section : sections) {
    out += "\n" + std::string(section) + ":\n";
    for (const OptionSpec* o : opts) {
      if (!o->help || o->section != section) continue;
      std::string help = o->help;
      if (o->repeatable) help += " (repeatable)";
      option_line(out, option_label(*o), help);
    }
  }
  if (cmd.json) out += "\nJSON output (--json):\n  " + wrap(cmd.json, 2, 79, 2) + "\n";
  if (cmd.exit_status) out += "\nExit status: " + wrap(cmd.exit_status, 0, 79, 13) + "\n";
  return out;
}

}  // namespace cli
