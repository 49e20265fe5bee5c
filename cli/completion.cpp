#include "completion.h"

#include "command_table.h"

namespace cli {

namespace {

// words: |names| space-separated.
std::string words(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::vector<std::string> top_level() {
  std::vector<std::string> out;
  for (const CommandSpec& c : commands())
    if (!c.parent) out.push_back(c.name);
  return out;
}

std::vector<std::string> sub_names(const CommandSpec& group) {
  std::vector<std::string> out;
  for (const CommandSpec* s : subcommands(group.name))
    out.push_back(std::string(s->name).substr(std::string_view(group.name).size() + 1));
  return out;
}

// command_case: the case branch of one command: its option values, its
// options, its operands.
std::string command_case(const CommandSpec& c) {
  std::vector<std::string> all, files, choices, others;
  std::string out = "    \"" + std::string(c.name) + "\")\n      case $prev in\n";
  for (const OptionSpec* o : options_of(c.id)) {
    if (!o->help) continue;  // accepted to be refused, never offered
    std::vector<std::string> spellings{std::string("--") + o->name};
    if (o->short_name) spellings.push_back(std::string("-") + o->short_name);
    all.insert(all.end(), spellings.begin(), spellings.end());
    if (!o->arg) continue;
    const std::string pattern = [&] {
      std::string p;
      for (const auto& s : spellings) p += (p.empty() ? "" : "|") + s;
      return p;
    }();
    if (o->choices)
      out += "        " + pattern + ") COMPREPLY=($(compgen -W \"" + o->choices + "\" -- \"$cur\")); return 0;;\n";
    else if (o->file)
      files.push_back(pattern);
    else
      others.push_back(pattern);
  }
  if (!files.empty()) {
    std::string p;
    for (const auto& f : files) p += (p.empty() ? "" : "|") + f;
    out += "        " + p + ") _jwtgate_files; return 0;;\n";
  }
  if (!others.empty()) {
    std::string p;
    for (const auto& f : others) p += (p.empty() ? "" : "|") + f;
    out += "        " + p + ") return 0;;  # a value to type\n";
  }
  out += "      esac\n";
  out += "      opts=\"" + words(all) + "\"\n";
  for (const Operand& op : c.operands) {
    if (op.choices) out += "      operands=\"" + std::string(op.choices) + "\"\n";
    if (op.file) out += "      operand_files=1\n";
  }
  out += "      ;;\n";
  return out;
}

}  // namespace

std::string bash_completion() {
  std::string top = words(top_level());
  std::string out =
      "# bash completion for jwtgate. Generated from cli/command_table.cpp: `jwtgate completion\n"
      "# bash` prints it, meson installs it as share/bash-completion/completions/jwtgate.\n"
      "\n"
      "_jwtgate_files() {\n"
      "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  compopt -o filenames 2>/dev/null || true\n"
      "}\n"
      "\n"
      "_jwtgate() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd opts= operands= operand_files=\n"
      "  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  # --name=VALUE: bash splits the word at \"=\" (COMP_WORDBREAKS).\n"
      "  if [[ $cur == = ]]; then\n"
      "    cur=\n"
      "  elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
      "    prev=${COMP_WORDS[COMP_CWORD-2]}\n"
      "  fi\n"
      "  COMPREPLY=()\n"
      "  if (( COMP_CWORD == 1 )); then\n"
      "    COMPREPLY=($(compgen -W \"" + top + " -h --help -V --version\" -- \"$cur\"))\n"
      "    return 0\n"
      "  fi\n"
      "  cmd=${COMP_WORDS[1]}\n"
      "  case $cmd in\n";
  for (const CommandSpec& c : commands()) {
    if (c.parent || subcommands(c.name).empty()) continue;
    const std::string subs = words(sub_names(c));
    out += "    " + std::string(c.name) + ")\n"
           "      if (( COMP_CWORD == 2 )); then\n"
           "        COMPREPLY=($(compgen -W \"" + subs + " -h --help\" -- \"$cur\"))\n"
           "        return 0\n"
           "      fi\n"
           "      cmd=\"" + c.name + " ${COMP_WORDS[2]}\"\n"
           "      ;;\n";
  }
  out += "    help)\n"
         "      if (( COMP_CWORD == 2 )); then\n"
         "        COMPREPLY=($(compgen -W \"" + top + "\" -- \"$cur\"))\n"
         "      else\n"
         "        case ${COMP_WORDS[2]} in\n";
  for (const CommandSpec& c : commands()) {
    if (c.parent || subcommands(c.name).empty()) continue;
    out += "          " + std::string(c.name) + ") (( COMP_CWORD == 3 )) && COMPREPLY=($(compgen -W \"" +
           words(sub_names(c)) + "\" -- \"$cur\"));;\n";
  }
  out += "        esac\n"
         "      fi\n"
         "      return 0\n"
         "      ;;\n"
         "  esac\n"
         "  case $cmd in\n";
  for (const CommandSpec& c : commands()) {
    if (c.id == kHelp || !subcommands(c.name).empty()) continue;
    out += command_case(c);
  }
  out += "    *) return 0;;\n"
         "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
         "  elif [[ -n $operands ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$operands\" -- \"$cur\"))\n"
         "  elif [[ -n $operand_files ]]; then\n"
         "    _jwtgate_files\n"
         "  fi\n"
         "  return 0\n"
         "}\n"
         "complete -F _jwtgate jwtgate\n";
  return out;
}

}  // namespace cli
