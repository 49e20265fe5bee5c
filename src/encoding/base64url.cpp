// Strict base64url (RFC 4648 section 5, as profiled by RFC 7515 section 2)
// and strict padded base64 (RFC 4648 section 4).
//
// Decoding is table driven: four tables map a character straight to its six
// bits already shifted into place within a 24-bit group, so a group of four
// characters is four loads and three ORs. Every character outside the alphabet
// maps to kInvalid, a bit above the 24 data bits, so one comparison per group
// rejects any bad character among the four.
#include "encoding/base64url.h"

#include <array>

namespace jwtgate {
namespace {

constexpr uint32_t kInvalid = 0x01000000;

constexpr char kUrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kStdAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

using DecodeTable = std::array<uint32_t, 256>;

// make_table maps each alphabet character to its value shifted left by
// |shift|, and every other byte (NUL, '=', whitespace, non-ASCII) to kInvalid.
constexpr DecodeTable make_table(const char* alphabet, int shift) {
  DecodeTable t{};
  for (auto& v : t) v = kInvalid;
  for (uint32_t i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i << shift;
  return t;
}

struct Tables {
  DecodeTable d0, d1, d2, d3;
};

constexpr Tables make_tables(const char* alphabet) {
  return {make_table(alphabet, 18), make_table(alphabet, 12), make_table(alphabet, 6),
          make_table(alphabet, 0)};
}

constexpr Tables kUrl = make_tables(kUrlAlphabet);
constexpr Tables kStd = make_tables(kStdAlphabet);

inline const unsigned char* uchars(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// decode_groups decodes |groups| complete four-character groups from |in| to
// |out| (three bytes each). Returns false if any character is outside the
// alphabet.
inline bool decode_groups(const Tables& t, const unsigned char* in, size_t groups, uint8_t* out) {
  for (size_t g = 0; g < groups; ++g, in += 4, out += 3) {
    const uint32_t x = t.d0[in[0]] | t.d1[in[1]] | t.d2[in[2]] | t.d3[in[3]];
    if (x >= kInvalid) return false;
    out[0] = static_cast<uint8_t>(x >> 16);
    out[1] = static_cast<uint8_t>(x >> 8);
    out[2] = static_cast<uint8_t>(x);
  }
  return true;
}

// decode_tail decodes a final group of two or three characters (one or two
// bytes). The bits of the last character that fall beyond the final byte
// must be zero (RFC 4648 section 3.5): otherwise several strings would decode
// to the same bytes.
inline bool decode_tail(const Tables& t, const unsigned char* in, size_t n, uint8_t* out) {
  if (n == 2) {
    const uint32_t x = t.d0[in[0]] | t.d1[in[1]];
    if (x >= kInvalid || (x & 0xffff) != 0) return false;
    out[0] = static_cast<uint8_t>(x >> 16);
    return true;
  }
  const uint32_t x = t.d0[in[0]] | t.d1[in[1]] | t.d2[in[2]];
  if (x >= kInvalid || (x & 0xff) != 0) return false;
  out[0] = static_cast<uint8_t>(x >> 16);
  out[1] = static_cast<uint8_t>(x >> 8);
  return true;
}

// exact_decoded_size is the byte count of n unpadded characters, n % 4 != 1.
constexpr size_t exact_decoded_size(size_t n) {
  const size_t rem = n % 4;
  return (n / 4) * 3 + (rem == 0 ? 0 : rem - 1);
}

std::string encode(const char* alphabet, const uint8_t* data, size_t len, bool pad) {
  const size_t full = len / 3;
  const size_t rem = len % 3;
  const size_t out_len = full * 4 + (rem == 0 ? 0 : (pad ? 4 : rem + 1));
  std::string out(out_len, '\0');
  char* o = out.data();
  const uint8_t* p = data;
  for (size_t i = 0; i < full; ++i, p += 3, o += 4) {
    const uint32_t x = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
    o[0] = alphabet[(x >> 18) & 63];
    o[1] = alphabet[(x >> 12) & 63];
    o[2] = alphabet[(x >> 6) & 63];
    o[3] = alphabet[x & 63];
  }
  if (rem == 1) {
    const uint32_t x = uint32_t{p[0]} << 16;
    o[0] = alphabet[(x >> 18) & 63];
    o[1] = alphabet[(x >> 12) & 63];
    if (pad) o[2] = o[3] = '=';
  } else if (rem == 2) {
    const uint32_t x = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8);
    o[0] = alphabet[(x >> 18) & 63];
    o[1] = alphabet[(x >> 12) & 63];
    o[2] = alphabet[(x >> 6) & 63];
    if (pad) o[3] = '=';
  }
  return out;
}

// Whitespace as the C locale's isspace() defines it, without locale lookups.
constexpr bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// decode_padded decodes strict padded base64 without whitespace: a multiple
// of four characters, '=' only as the last one or two, zero unused bits.
bool decode_padded(const unsigned char* in, size_t n, std::vector<uint8_t>& out) {
  if (n % 4 != 0) return false;
  size_t data = n;
  if (n >= 4 && in[n - 1] == '=') data = in[n - 2] == '=' ? n - 2 : n - 1;
  // Only the last one or two characters count as padding. Any other '='
  // (a third one as in "A===", or one mid-string) is outside the alphabet
  // and fails the table lookup below.
  out.resize(exact_decoded_size(data));
  const size_t groups = data / 4;
  if (!decode_groups(kStd, in, groups, out.data())) return false;
  const size_t tail = data % 4;
  return tail == 0 || decode_tail(kStd, in + groups * 4, tail, out.data() + groups * 3);
}

}  // namespace

bool base64url_decode(std::string_view in, uint8_t* out, size_t* out_len) {
  const size_t n = in.size();
  // A single leftover character carries only six bits: no whole byte
  // (RFC 4648 section 4: the final quantum is 8 or 16 bits, never 6).
  if (n % 4 == 1) return false;
  const unsigned char* p = uchars(in);
  const size_t groups = n / 4;
  if (!decode_groups(kUrl, p, groups, out)) return false;
  const size_t tail = n % 4;
  if (tail != 0 && !decode_tail(kUrl, p + groups * 4, tail, out + groups * 3)) return false;
  *out_len = exact_decoded_size(n);
  return true;
}

bool base64url_decode(std::string_view in, std::vector<uint8_t>& out) {
  if (in.size() % 4 == 1) {
    out.clear();
    return false;
  }
  // Exact size is enough: the pointer version writes only the decoded bytes.
  // (base64url_decoded_size is a bound for callers that size a buffer before
  // they know the length is valid.)
  out.resize(exact_decoded_size(in.size()));
  size_t len = 0;
  if (!base64url_decode(in, out.data(), &len)) {
    out.clear();
    return false;
  }
  return true;
}

std::string base64url_encode(const uint8_t* data, size_t len) {
  return encode(kUrlAlphabet, data, len, false);
}

bool base64_decode(std::string_view in, std::vector<uint8_t>& out, bool ignore_whitespace) {
  bool ok;
  if (!ignore_whitespace) {
    ok = decode_padded(uchars(in), in.size(), out);
  } else {
    // PEM bodies and XML text wrap lines; strip the whitespace once and then
    // apply exactly the same strict rules as without it.
    std::string compact;
    compact.reserve(in.size());
    for (const unsigned char c : in)
      if (!is_ascii_space(c)) compact.push_back(static_cast<char>(c));
    ok = decode_padded(uchars(compact), compact.size(), out);
  }
  if (!ok) out.clear();
  return ok;
}

std::string base64_encode(const uint8_t* data, size_t len) {
  return encode(kStdAlphabet, data, len, true);
}

}  // namespace jwtgate
