// JWE algorithms (RFC 7518 sections 4 and 5, RFC 8037 for X25519): the key
// management algorithms ("alg") and content encryption algorithms ("enc")
// jwtgate decrypts, and those it knows only to refuse with a reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace jwtgate {

enum class KeyAlg : uint8_t {
  RSA_OAEP, RSA_OAEP_256, RSA_OAEP_384, RSA_OAEP_512,
  A128KW, A192KW, A256KW,
  A128GCMKW, A192GCMKW, A256GCMKW,
  Dir,
  ECDH_ES, ECDH_ES_A128KW, ECDH_ES_A192KW, ECDH_ES_A256KW,
  Count,
  Unknown = 0xff,
};
constexpr int kKeyAlgCount = static_cast<int>(KeyAlg::Count);

enum class ContentEnc : uint8_t {
  A128CBC_HS256, A192CBC_HS384, A256CBC_HS512,
  A128GCM, A192GCM, A256GCM,
  Count,
  Unknown = 0xff,
};
constexpr int kContentEncCount = static_cast<int>(ContentEnc::Count);

// Bit sets of allowed algorithms (policy allow-lists).
using KeyAlgSet = uint32_t;
using ContentEncSet = uint32_t;
constexpr KeyAlgSet key_alg_bit(KeyAlg a) { return KeyAlgSet{1} << static_cast<int>(a); }
constexpr ContentEncSet enc_bit(ContentEnc e) { return ContentEncSet{1} << static_cast<int>(e); }
constexpr KeyAlgSet kAllKeyAlgs = (KeyAlgSet{1} << kKeyAlgCount) - 1;
constexpr ContentEncSet kAllContentEncs = (ContentEncSet{1} << kContentEncCount) - 1;

enum class KeyAlgFamily : uint8_t { RsaOaep, AesKw, AesGcmKw, Direct, EcdhEs, EcdhEsKw };

// key_alg_from_name / enc_from_name: exact, case-sensitive names (RFC 7516
// 4.1.1 and 4.1.2), else Unknown.
KeyAlg key_alg_from_name(std::string_view name);
ContentEnc enc_from_name(std::string_view name);
std::string_view key_alg_name(KeyAlg a);
std::string_view enc_name(ContentEnc e);
KeyAlgFamily key_alg_family(KeyAlg a);

// refused_key_alg_reason: for a registered "alg" that jwtgate knows and
// refuses on principle (RSA1_5, PBES2-*), a sentence saying why; nullptr for
// any other name.
const char* refused_key_alg_reason(std::string_view name);

// The CEK length of |e| in bytes: 32/48/64 for the CBC-HMAC composites (MAC
// key then encryption key, RFC 7518 5.2.2.1), 16/24/32 for GCM.
size_t enc_cek_bytes(ContentEnc e);
// The IV length |e| takes: 16 for CBC (RFC 7518 5.2.2.1), 12 for GCM (5.3).
size_t enc_iv_bytes(ContentEnc e);
// The authentication tag length: half the HMAC output for CBC-HMAC
// (T_LEN, RFC 7518 5.2.3..5.2.5), 16 for GCM (5.3).
size_t enc_tag_bytes(ContentEnc e);
bool enc_is_gcm(ContentEnc e);

// The AES key-encryption key length of A*KW, A*GCMKW and ECDH-ES+A*KW (16,
// 24, 32), 0 for the others.
size_t key_alg_kek_bytes(KeyAlg a);
// The OAEP digest of RSA-OAEP* (RFC 7518 4.3, and the RSA-OAEP-384/512
// registrations in the IANA JOSE registry): "SHA1", "SHA256", ...
const char* key_alg_oaep_digest(KeyAlg a);

// The algorithms a policy allows when it names none: every one jwtgate
// implements. RSA1_5 and PBES2 are not implemented at all.
constexpr KeyAlgSet kDefaultKeyAlgs = kAllKeyAlgs;
constexpr ContentEncSet kDefaultContentEncs = kAllContentEncs;

}  // namespace jwtgate
