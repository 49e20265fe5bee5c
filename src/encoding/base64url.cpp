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

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define JWTGATE_BASE64_AVX2 1
#endif

#include "core/ascii.h"

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

#if JWTGATE_BASE64_AVX2
// decode_blocks_avx2 decodes 32 base64url characters at a time into 24
// bytes, with the same strictness as the tables: every byte outside
// A-Z a-z 0-9 - _ (non-ASCII included) rejects the input. It is the
// nibble-table technique of Mula and Lemire ("Faster Base64 Encoding and
// Decoding using AVX2 Instructions", 2018) for the URL alphabet: a
// character is valid when the classes its low nibble excludes and the class
// of its high nibble have no bit in common; its value is the character plus
// an offset chosen by the high nibble ('_' shares its nibble with P-Z and is
// corrected); the 6-bit values are packed with two multiply-adds and two
// shuffles. Decodes floor(n / 32) blocks; returns false on a bad
// character, else sets *done to the characters consumed.
//
// High-nibble classes (bit): 2x '-' only (1), 3x digits 0-9 (2), 4x and 6x
// letters from 1 (4), 5x P-Z and '_' (8), 7x p-z (16), anything else (32).
__attribute__((target("avx2"))) bool decode_blocks_avx2(const unsigned char* in, size_t n,
                                                       uint8_t* out, size_t* done) {
  // For each low nibble, the classes in which it is NOT a valid character.
  const __m256i lut_lo = _mm256_setr_epi8(
      /*0*/ 1 | 4 | 32, /*1*/ 1 | 32, /*2*/ 1 | 32, /*3*/ 1 | 32, /*4*/ 1 | 32, /*5*/ 1 | 32,
      /*6*/ 1 | 32, /*7*/ 1 | 32, /*8*/ 1 | 32, /*9*/ 1 | 32, /*A*/ 1 | 2 | 32,
      /*B*/ 1 | 2 | 8 | 16 | 32, /*C*/ 1 | 2 | 8 | 16 | 32, /*D*/ 2 | 8 | 16 | 32,
      /*E*/ 1 | 2 | 8 | 16 | 32, /*F*/ 1 | 2 | 16 | 32,
      /*0*/ 1 | 4 | 32, /*1*/ 1 | 32, /*2*/ 1 | 32, /*3*/ 1 | 32, /*4*/ 1 | 32, /*5*/ 1 | 32,
      /*6*/ 1 | 32, /*7*/ 1 | 32, /*8*/ 1 | 32, /*9*/ 1 | 32, /*A*/ 1 | 2 | 32,
      /*B*/ 1 | 2 | 8 | 16 | 32, /*C*/ 1 | 2 | 8 | 16 | 32, /*D*/ 2 | 8 | 16 | 32,
      /*E*/ 1 | 2 | 8 | 16 | 32, /*F*/ 1 | 2 | 16 | 32);
  // The class of each high nibble.
  const __m256i lut_hi = _mm256_setr_epi8(32, 32, 1, 2, 4, 8, 4, 16, 32, 32, 32, 32, 32, 32, 32, 32,
                                          32, 32, 1, 2, 4, 8, 4, 16, 32, 32, 32, 32, 32, 32, 32, 32);
  // value = character + offset[high nibble]: '-' 62, '0' 52, 'A' 0, 'a' 26.
  const __m256i lut_shift = _mm256_setr_epi8(
      0, 0, 62 - '-', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 62 - '-', 52 - '0', -'A', -'A', 26 - 'a', 26 - 'a', 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  const __m256i underscore = _mm256_set1_epi8('_');
  const __m256i underscore_fix = _mm256_set1_epi8((63 - '_') - (-'A'));  // 33
  const __m256i merge1 = _mm256_set1_epi32(0x01400140);
  const __m256i merge2 = _mm256_set1_epi32(0x00011000);
  const __m256i shuffle = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                           2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i permute = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
  size_t i = 0;
  for (; i + 32 <= n; i += 32, out += 24) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi32(c, 4), nibble);
    const __m256i lo = _mm256_and_si256(c, nibble);
    const __m256i bad = _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi));
    if (!_mm256_testz_si256(bad, bad)) return false;
    const __m256i shift = _mm256_add_epi8(
        _mm256_shuffle_epi8(lut_shift, hi),
        _mm256_and_si256(_mm256_cmpeq_epi8(c, underscore), underscore_fix));
    const __m256i v = _mm256_add_epi8(c, shift);  // 0..63 each
    // [a b c d] -> a<<18 | b<<12 | c<<6 | d in each 32-bit lane.
    const __m256i pairs = _mm256_maddubs_epi16(v, merge1);
    const __m256i quads = _mm256_madd_epi16(pairs, merge2);
    // Three bytes per lane, big-endian, then the two 12-byte halves joined.
    const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(quads, shuffle), permute);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 16), _mm256_extracti128_si256(packed, 1));
  }
  *done = i;
  return true;
}

bool have_avx2() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return yes;
}
#endif

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
  size_t skip = 0;
#if JWTGATE_BASE64_AVX2
  if (n >= 64 && have_avx2()) {
    if (!decode_blocks_avx2(p, n, out, &skip)) return false;
    // |skip| is a multiple of 32 characters (24 bytes): the rest continues
    // on group boundaries.
  }
#endif
  p += skip;
  out += skip / 4 * 3;
  const size_t rest = n - skip;
  const size_t groups = rest / 4;
  if (!decode_groups(kUrl, p, groups, out)) return false;
  const size_t tail = rest % 4;
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
    for (const char c : in)
      if (!is_ascii_space(c)) compact.push_back(c);
    ok = decode_padded(uchars(compact), compact.size(), out);
  }
  if (!ok) out.clear();
  return ok;
}

std::string base64_encode(const uint8_t* data, size_t len) {
  return encode(kStdAlphabet, data, len, true);
}

}  // namespace jwtgate
