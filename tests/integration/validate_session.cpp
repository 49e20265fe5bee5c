// validate_session POLICY_FILE: one long-lived validator, driven line by line
// from standard input, so the integration test can validate tokens before
// and after the provider rotates its keys and watch the fetch counters. Uses
// only the public C API (linked against the shared library), with the
// library's own refresh thread and plain http allowed to loopback.
//
// Commands, one per line; each answers one line:
//   validate TOKEN     -> "valid" | "invalid REASON: DETAIL"
//   counters           -> "fetches=N failures=N kid_misses=N keys_loaded=N"
//   wait-fetches N MS  -> the counters line once fetches >= N, or "timeout ..." after MS
//   quit
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "jwtgate_experimental.h"

namespace {

jwtgate_key_counters counters(const jwtgate_validator* v) {
  jwtgate_key_counters c{};
  c.struct_size = sizeof c;
  jwtgate_validator_get_key_counters(v, &c);
  return c;
}

std::string counters_line(const jwtgate_key_counters& c) {
  return "fetches=" + std::to_string(c.fetches) + " failures=" + std::to_string(c.failures) +
         " kid_misses=" + std::to_string(c.kid_misses) + " keys_loaded=" + std::to_string(c.keys_loaded);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: validate_session POLICY_FILE\n";
    return 2;
  }
  std::ifstream f(argv[1]);
  std::stringstream text;
  text << f.rdbuf();
  const std::string policy_text = text.str();
  jwtgate_policy* policy = nullptr;
  jwtgate_error* err = nullptr;
  if (jwtgate_policy_load(&policy, &err, policy_text.data(), policy_text.size(), nullptr) != JWTGATE_OK) {
    std::cerr << "validate_session: " << jwtgate_error_text(err);
    return 2;
  }
  jwtgate_error_free(err);
  jwtgate_validator_options* opts = jwtgate_validator_options_new();
  jwtgate_validator_options_set_key_setting(opts, JWTGATE_KEYS_ALLOW_HTTP_LOOPBACK, 1);
  jwtgate_validator* v = nullptr;
  if (jwtgate_validator_new_with_options(&v, nullptr, policy, nullptr, opts) != JWTGATE_OK) {
    std::cerr << "validate_session: cannot create the validator\n";
    return 2;
  }
  jwtgate_validator_options_free(opts);
  if (jwtgate_validator_start_refresh_thread(v) != JWTGATE_OK) {
    std::cerr << "validate_session: cannot start the refresh thread\n";
    return 2;
  }
  jwtgate_result* r = jwtgate_result_new();
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd == "validate") {
      std::string token;
      in >> token;
      const jwtgate_status st = jwtgate_validate_token(v, r, token.data(), token.size(), JWTGATE_NOW);
      if (st == JWTGATE_OK) std::cout << "valid\n";
      else std::cout << "invalid " << jwtgate_reason_str(jwtgate_result_reason(r)) << ": "
                     << jwtgate_result_detail(r) << "\n";
    } else if (cmd == "counters") {
      std::cout << counters_line(counters(v)) << "\n";
    } else if (cmd == "wait-fetches") {
      uint64_t n = 0;
      int ms = 0;
      in >> n >> ms;
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
      jwtgate_key_counters c = counters(v);
      while (c.fetches < n && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        c = counters(v);
      }
      std::cout << (c.fetches >= n ? "" : "timeout ") << counters_line(c) << "\n";
    } else if (cmd == "quit") {
      break;
    } else {
      std::cout << "error unknown command\n";
    }
    std::cout.flush();
  }
  jwtgate_result_free(r);
  jwtgate_validator_free(v);
  jwtgate_policy_free(policy);
  return 0;
}
