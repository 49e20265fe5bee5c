#include "test_support.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "encoding/base64url.h"
#include "sign.h"

namespace jwtgate_test {

std::string data_path(std::string_view rel) {
  const char* root = std::getenv("JWTGATE_TEST_DATA");
  return std::string(root ? root : "tests") + "/" + std::string(rel);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string read_data(std::string_view rel) { return read_file(data_path(rel)); }

std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string b64url(std::string_view bytes) { return jwtgate::base64url_encode(bytes); }

std::string make_token(std::string_view header_json, std::string_view payload_json,
                       std::string_view alg_name, std::string_view key) {
  const jwtgate::Alg alg = jwtgate::alg_from_name(alg_name);
  const std::string input = b64url(header_json) + "." + b64url(payload_json);
  std::string sig;
  bool ok = jwtgate::alg_family(alg) == jwtgate::AlgFamily::HMAC
                ? jwtgate::sign_with_secret(alg, reinterpret_cast<const uint8_t*>(key.data()),
                                            key.size(), input, sig)
                : jwtgate::sign_with_pem(alg, key, input, sig);
  if (!ok) throw std::runtime_error("signing failed for " + std::string(alg_name));
  return input + "." + b64url(sig);
}

std::string rsa_private_pem() { return read_data("data/keys/rsa2048.pem"); }
std::string ec_private_pem() { return read_data("data/keys/ec256.pem"); }

}  // namespace jwtgate_test
