// diagnosis_examples REPO: writes the inputs of every diagnosis case that
// names an "example" (tests/diagnose/cases/*.json) under
// examples/diagnosis/<example>/: the policy, the key set, the offline
// openid-config documents, the token, and `command`, the jwtgate explain
// command line that shows the case. tests/cli/diagnosis_docs.sh runs those
// commands and keeps docs/diagnosis.md's example outputs equal to what the
// CLI prints. Run it (ninja -C build diagnosis-examples) after changing a
// case; the files are committed. RS256 and HS256 signatures are
// deterministic, so an unchanged case writes unchanged files.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <simdjson.h>

#include "diagnosis_case.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

// dq: |s| between double quotes for sh, with "{token}" standing for the
// token file's contents.
std::string dq(const std::string& s, const std::string& token_file) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 7, "{token}") == 0) {
      out += "$(cat " + token_file + ")";
      i += 6;
      continue;
    }
    if (s[i] == '"' || s[i] == '\\' || s[i] == '$' || s[i] == '`') out += '\\';
    out += s[i];
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: diagnosis_examples REPO_ROOT\n";
    return 2;
  }
  const fs::path repo = argv[1];
  const fs::path root = repo / "examples" / "diagnosis";
  fs::create_directories(root);
  int written = 0;
  for (const std::string& path : jwtgate_test::case_files()) {
    simdjson::dom::parser parser;
    const simdjson::padded_string json(jwtgate_test::read_file(path));
    simdjson::dom::element doc = parser.parse(json).value();
    const simdjson::dom::array cases = doc["cases"].get_array().value();
    for (simdjson::dom::element c : cases) {
      const jwtgate_test::CaseInputs in = jwtgate_test::case_inputs(c);
      if (in.example.empty()) continue;
      const std::string rel = "examples/diagnosis/" + in.example;
      const fs::path dir = repo / rel;
      fs::create_directories(dir);
      const std::string policy = rel + (in.policy_is_xml ? "/policy.xml" : "/policy.json");
      write_file(repo / policy, in.policy + "\n");
      std::string cmd = "jwtgate explain --policy " + policy;
      if (!in.keys.empty()) {
        write_file(dir / "keys.json", in.keys + "\n");
        cmd += " --keys " + rel + "/keys.json";
      }
      for (size_t i = 0; i < in.openid.size(); ++i) {
        const std::string n = std::to_string(i + 1);
        write_file(dir / ("openid-" + n + ".json"), in.openid[i].discovery + "\n");
        cmd += " --openid-document '" + in.openid[i].url + "=" + rel + "/openid-" + n + ".json'";
        if (!in.openid[i].jwks_uri.empty()) {
          write_file(dir / ("jwks-" + n + ".json"), in.openid[i].jwks + "\n");
          cmd += " --jwks-document '" + in.openid[i].jwks_uri + "=" + rel + "/jwks-" + n + ".json'";
        }
      }
      cmd += " --now " + std::to_string(in.now) + " --no-color";
      const std::string token_file = rel + "/token.jwt";
      write_file(dir / "token.jwt", in.token);
      if (in.has_request) {
        for (const auto& [name, value] : in.headers) cmd += " --header " + dq(name + ": " + value, token_file);
        for (const auto& [name, value] : in.query) cmd += " --query " + dq(name + "=" + value, token_file);
      } else {
        cmd += " \"$(cat " + token_file + ")\"";
      }
      write_file(dir / "command", cmd + "\n");
      ++written;
    }
  }
  std::cout << "wrote " << written << " examples under " << root.string() << "\n";
  return 0;
}
