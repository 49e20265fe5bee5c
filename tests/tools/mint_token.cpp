// mint_token: signs test and example tokens (never part of the library).
//   mint_token ALG KEY HEADER_JSON CLAIMS_JSON
// KEY is a PEM private key file, or hex:... for an HMAC secret. The header
// JSON is used as given (so tests can craft odd headers); "alg" is not added.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "encoding/base64url.h"
#include "sign.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: mint_token ALG (PEM_FILE | hex:SECRET) HEADER_JSON CLAIMS_JSON\n";
    return 2;
  }
  jwtgate::Alg alg = jwtgate::alg_from_name(argv[1]);
  if (alg == jwtgate::Alg::Unknown) {
    std::cerr << "unknown alg " << argv[1] << "\n";
    return 2;
  }
  std::string input = jwtgate::base64url_encode(argv[3]) + "." + jwtgate::base64url_encode(argv[4]);
  std::string sig;
  std::string key = argv[2];
  bool ok;
  if (key.rfind("hex:", 0) == 0) {
    std::vector<uint8_t> secret;
    for (size_t i = 4; i + 1 < key.size(); i += 2)
      secret.push_back(static_cast<uint8_t>(std::stoi(key.substr(i, 2), nullptr, 16)));
    ok = jwtgate::sign_with_secret(alg, secret.data(), secret.size(), input, sig);
  } else {
    std::ifstream f(key, std::ios::binary);
    std::string pem((std::istreambuf_iterator<char>(f)), {});
    ok = jwtgate::sign_with_pem(alg, pem, input, sig);
  }
  if (!ok) {
    std::cerr << "signing failed\n";
    return 1;
  }
  std::cout << input << "." << jwtgate::base64url_encode(sig) << "\n";
  return 0;
}
