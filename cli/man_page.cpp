#include "man_page.h"

#include <algorithm>
#include <vector>

#include "command_table.h"
#include "help_text.h"

namespace cli {

namespace {

// roff: |text| safe as roff input: backslashes printed as such, every "-"
// a plain hyphen-minus (option names are copied from man pages), and no
// line that starts with a control character ("." or "'").
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  return out;
}

void paragraphs(std::string& out, std::string_view text) {
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (!first) out += ".PP\n";
    first = false;
    out += roff(text.substr(start, end - start)) + "\n";
    if (end == text.size()) break;
    start = end + 2;
  }
}

std::string label(const OptionSpec& o) {
  std::string out;
  if (o.short_name) out += "\\fB\\-" + std::string(1, o.short_name) + "\\fR, ";
  out += "\\fB" + roff(std::string("--") + o.name) + "\\fR";
  if (o.arg) out += " \\fI" + roff(o.arg) + "\\fR";
  return out;
}

// list: "N text" or "NAME: text" lines as tagged paragraphs.
void tagged_lines(std::string& out, std::string_view text, std::string_view separator) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const size_t cut = line.find(separator);
    out += ".TP\n.B " + roff(line.substr(0, cut)) + "\n" + roff(line.substr(cut + separator.size())) + "\n";
    start = end + 1;
  }
}

void command_section(std::string& out, const CommandSpec& c) {
  out += ".SS \"jwtgate " + roff(c.name) + "\"\n.nf\n";
  for (const char* line : c.synopsis) out += "\\fBjwtgate " + roff(c.name) + "\\fR " + roff(line) + "\n";
  out += ".fi\n.PP\n";
  paragraphs(out, c.description);
  if (c.id == kPolicy) {
    out += ".PP\nSubcommands:\n";
    for (const CommandSpec* s : subcommands(c.name))
      out += ".TP\n.B " + roff(std::string(s->name).substr(std::string_view(c.name).size() + 1)) + "\n" +
             roff(s->summary) + "\n";
  }
  if (!c.operands.empty()) {
    out += ".PP\n\\fIOperands:\\fR\n";
    for (const Operand& op : c.operands) out += ".TP\n.I " + roff(op.name) + "\n" + roff(op.help) + "\n";
  }
  const std::vector<const OptionSpec*> opts = options_of(c.id);
  std::vector<std::string_view> sections;
  for (const OptionSpec* o : opts)
    if (o->help && std::find(sections.begin(), sections.end(), o->section) == sections.end())
      sections.push_back(o->section);
  for (std::string_view section : sections) {
    out += ".PP\n\\fI" + roff(section) + ":\\fR\n";
    for (const OptionSpec* o : opts) {
      if (!o->help || o->section != section) continue;
      out += ".TP\n" + label(*o) + "\n" + roff(o->help) + (o->repeatable ? " (repeatable)" : "") + "\n";
    }
  }
  if (c.json) out += ".PP\n\\fIJSON output (\\-\\-json):\\fR " + roff(c.json) + "\n";
  if (c.exit_status) out += ".PP\n\\fIExit status:\\fR " + roff(c.exit_status) + "\n";
}

}  // namespace

std::string man_page(std::string_view version) {
  std::string out =
      ".\\\" jwtgate(1). Generated from cli/command_table.cpp by cli_docs: do not edit;\n"
      ".\\\" `ninja -C build cli-docs` writes it again.\n"
      ".TH JWTGATE 1 \"\" \"jwtgate " + roff(version) + "\" \"User Commands\"\n"
      // Option names and URLs are copied from man pages: no hyphenation, no
      // stretched spaces.
      ".nh\n"
      ".ad l\n"
      ".SH NAME\n"
      "jwtgate \\- " + roff(kProgramSummary) + "\n"
      ".SH SYNOPSIS\n"
      ".nf\n"
      "\\fBjwtgate\\fR \\fICOMMAND\\fR [\\fIoptions\\fR]\n"
      "\\fBjwtgate\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
      "\\fBjwtgate help\\fR [\\fICOMMAND\\fR]\n"
      "\\fBjwtgate\\fR \\fB\\-\\-version\\fR | \\fB\\-V\\fR\n"
      ".fi\n"
      ".SH DESCRIPTION\n";
  paragraphs(out, kProgramDescription);
  out += ".PP\nCommands:\n";
  for (const CommandSpec& c : commands())
    if (!c.parent) out += ".TP\n.B " + roff(c.name) + "\n" + roff(c.summary) + "\n";
  out += ".SH COMMANDS\n";
  for (const CommandSpec& c : commands()) command_section(out, c);
  out += ".SH JSON OUTPUT\n";
  paragraphs(out, kJsonNote);
  out += ".SH EXIT STATUS\n";
  tagged_lines(out, kExitStatus, " ");
  out += ".SH ENVIRONMENT\n";
  tagged_lines(out, kEnvironment, ": ");
  out += ".SH FILES\n"
         ".TP\n"
         ".I share/bash\\-completion/completions/jwtgate\n"
         "the bash completion, also printed by \\fBjwtgate completion bash\\fR\n"
         ".SH SEE ALSO\n"
         "docs/cli.md, docs/policy\\-json.md, docs/serving.md and docs/apim\\-compatibility.md in "
         "the jwtgate sources; the validate\\-jwt policy reference, "
         "https://learn.microsoft.com/azure/api\\-management/validate\\-jwt\\-policy\n";
  return out;
}

std::string markdown_reference() {
  std::string out = "```text\n$ jwtgate --help\n" + usage_text() + "```\n";
  for (const CommandSpec& c : commands()) {
    out += "\n### `jwtgate " + std::string(c.name) + "`\n\n```text\n$ jwtgate " + c.name + " --help\n" +
           help_text(c) + "```\n";
  }
  return out;
}

}  // namespace cli
