#include "jwe/jwe_algorithms.h"

#include <array>

#include "core/name_table.h"

namespace jwtgate {
namespace {

struct KeyAlgInfo {
  std::string_view name;
  KeyAlgFamily family;
  size_t kek_bytes;
  const char* oaep_digest;
};

// Indexed by KeyAlg. RFC 7518 4.1 names them; RSA-OAEP-384 and RSA-OAEP-512
// are in the IANA "JSON Web Signature and Encryption Algorithms" registry
// (registered by the W3C Web Cryptography API).
constexpr std::array<KeyAlgInfo, kKeyAlgCount> kKeyAlgs{{
    {"RSA-OAEP", KeyAlgFamily::RsaOaep, 0, "SHA1"},
    {"RSA-OAEP-256", KeyAlgFamily::RsaOaep, 0, "SHA256"},
    {"RSA-OAEP-384", KeyAlgFamily::RsaOaep, 0, "SHA384"},
    {"RSA-OAEP-512", KeyAlgFamily::RsaOaep, 0, "SHA512"},
    {"A128KW", KeyAlgFamily::AesKw, 16, nullptr},
    {"A192KW", KeyAlgFamily::AesKw, 24, nullptr},
    {"A256KW", KeyAlgFamily::AesKw, 32, nullptr},
    {"A128GCMKW", KeyAlgFamily::AesGcmKw, 16, nullptr},
    {"A192GCMKW", KeyAlgFamily::AesGcmKw, 24, nullptr},
    {"A256GCMKW", KeyAlgFamily::AesGcmKw, 32, nullptr},
    {"dir", KeyAlgFamily::Direct, 0, nullptr},
    {"ECDH-ES", KeyAlgFamily::EcdhEs, 0, nullptr},
    {"ECDH-ES+A128KW", KeyAlgFamily::EcdhEsKw, 16, nullptr},
    {"ECDH-ES+A192KW", KeyAlgFamily::EcdhEsKw, 24, nullptr},
    {"ECDH-ES+A256KW", KeyAlgFamily::EcdhEsKw, 32, nullptr},
}};

struct EncInfo {
  std::string_view name;
  size_t cek_bytes, iv_bytes, tag_bytes;
  bool gcm;
};

// RFC 7518 5.1; key, IV and tag sizes from 5.2.3..5.2.5 and 5.3.
constexpr std::array<EncInfo, kContentEncCount> kEncs{{
    {"A128CBC-HS256", 32, 16, 16, false},
    {"A192CBC-HS384", 48, 16, 24, false},
    {"A256CBC-HS512", 64, 16, 32, false},
    {"A128GCM", 16, 12, 16, true},
    {"A192GCM", 24, 12, 16, true},
    {"A256GCM", 32, 12, 16, true},
}};

bool valid(KeyAlg a) { return static_cast<int>(a) < kKeyAlgCount; }
bool valid(ContentEnc e) { return static_cast<int>(e) < kContentEncCount; }

}  // namespace

KeyAlg key_alg_from_name(std::string_view name) {
  return find_by_name(kKeyAlgs, name, KeyAlg::Unknown);
}

ContentEnc enc_from_name(std::string_view name) {
  return find_by_name(kEncs, name, ContentEnc::Unknown);
}

std::string_view key_alg_name(KeyAlg a) { return valid(a) ? kKeyAlgs[static_cast<int>(a)].name : ""; }
std::string_view enc_name(ContentEnc e) { return valid(e) ? kEncs[static_cast<int>(e)].name : ""; }
KeyAlgFamily key_alg_family(KeyAlg a) {
  return valid(a) ? kKeyAlgs[static_cast<int>(a)].family : KeyAlgFamily::Direct;
}

const char* refused_key_alg_reason(std::string_view name) {
  if (name == "RSA1_5")
    return "RSA1_5 (RSAES-PKCS1-v1_5) is refused: its padding check is a Bleichenbacher oracle "
           "(RFC 7516 section 11.5, RFC 8725 section 3.3, CVE-2017-13099 \"ROBOT\"); encrypt "
           "with RSA-OAEP or RSA-OAEP-256";
  if (name.substr(0, 6) == "PBES2-")
    return "PBES2 (password-based key encryption, RFC 7518 section 4.8) is not supported: a "
           "token's own p2c would set the decryption cost, and passwords are no keys for a "
           "gateway";
  return nullptr;
}

size_t enc_cek_bytes(ContentEnc e) { return valid(e) ? kEncs[static_cast<int>(e)].cek_bytes : 0; }
size_t enc_iv_bytes(ContentEnc e) { return valid(e) ? kEncs[static_cast<int>(e)].iv_bytes : 0; }
size_t enc_tag_bytes(ContentEnc e) { return valid(e) ? kEncs[static_cast<int>(e)].tag_bytes : 0; }
bool enc_is_gcm(ContentEnc e) { return valid(e) && kEncs[static_cast<int>(e)].gcm; }
size_t key_alg_kek_bytes(KeyAlg a) { return valid(a) ? kKeyAlgs[static_cast<int>(a)].kek_bytes : 0; }
const char* key_alg_oaep_digest(KeyAlg a) {
  return valid(a) ? kKeyAlgs[static_cast<int>(a)].oaep_digest : nullptr;
}

}  // namespace jwtgate
