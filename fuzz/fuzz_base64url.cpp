// Strict base64url (RFC 7515 2) and the strict standard base64 of x5c and
// APIM <key> (RFC 4648 4). A strict decoder admits exactly one encoding of
// each byte string (base64url.h), so whatever decodes must encode back to the
// very same text, and the allocation-free decoder must agree with the vector
// one. The output buffer is exactly base64url_decoded_size() long, so any
// write past that bound is a heap overflow under ASan.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "encoding/base64url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  std::vector<uint8_t> out;
  const bool ok = jwtgate::base64url_decode(in, out);
  const size_t cap = jwtgate::base64url_decoded_size(in.size());
  const std::unique_ptr<uint8_t[]> buf(new uint8_t[cap]);
  size_t len = 0;
  if (jwtgate::base64url_decode(in, buf.get(), &len) != ok) std::abort();
  if (ok && (len != out.size() || (len && std::memcmp(buf.get(), out.data(), len) != 0)))
    std::abort();
  if (ok && jwtgate::base64url_encode(out.data(), out.size()) != in) std::abort();

  std::vector<uint8_t> std_out;
  if (jwtgate::base64_decode(in, std_out) &&
      jwtgate::base64_encode(std_out.data(), std_out.size()) != in)
    std::abort();
  (void)jwtgate::base64_decode(in, std_out, /*ignore_whitespace=*/true);
  return 0;
}
