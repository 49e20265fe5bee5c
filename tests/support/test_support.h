// Helpers shared by the Catch2 suites: test data files, hex, building tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jwtgate_test {

// data_path returns $JWTGATE_TEST_DATA/rel (tests/ in the source tree).
std::string data_path(std::string_view rel);
// read_file returns the bytes of a file; throws std::runtime_error if absent.
std::string read_file(const std::string& path);
// read_data is read_file(data_path(rel)).
std::string read_data(std::string_view rel);
std::vector<uint8_t> from_hex(std::string_view hex);
std::string b64url(std::string_view bytes);
// make_token signs header.payload JSON with |alg| using a PEM private key or,
// for HS*, the raw secret; returns the compact JWS.
std::string make_token(std::string_view header_json, std::string_view payload_json,
                       std::string_view alg, std::string_view key);
// Keys committed under tests/data/keys for building tokens in tests (their
// public halves are the .pub.pem files beside them).
std::string rsa_private_pem();  // RSA 2048
std::string ec_private_pem();   // P-256

}  // namespace jwtgate_test
