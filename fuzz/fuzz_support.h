// What the fuzz targets share: a reader that cuts one fuzz input into the
// pieces a target needs, the fixed public keys of tests/data/keys, and the
// load options (named values, certificates, offline documents) that let the
// bundled example policies load all the way through.
//
// The reader is ours rather than libFuzzer's FuzzedDataProvider because the
// replay build (replay_main.cpp) is compiled with gcc, which does not ship
// <fuzzer/FuzzedDataProvider.h>, and both builds must read an input the same
// way for a crash to replay. Its pieces are NUL-separated text fields, so a
// seed is one printf away and a mutation stays inside one field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/utf8.h"
#include "fuzz_jwe_keys.h"
#include "jwtgate_experimental.h"

namespace jwtgate_fuzz {

// Input reads a fuzz input front to back. Every read succeeds: past the end
// it yields 0 or an empty piece.
class Input {
 public:
  Input(const uint8_t* data, size_t size)
      : rest_(reinterpret_cast<const char*>(data), data ? size : 0) {}

  // byte returns the next byte, or 0 at the end.
  uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  // u16 returns the next two bytes, big-endian.
  uint16_t u16() {
    const uint16_t hi = byte();
    return static_cast<uint16_t>(hi << 8 | byte());
  }
  // bytes returns the next |n| bytes (fewer at the end).
  std::string_view bytes(size_t n) {
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(out.size());
    return out;
  }
  // field returns the bytes up to the next NUL and consumes that NUL too; the
  // last field runs to the end.
  std::string_view field() {
    const size_t nul = rest_.find('\0');
    std::string_view out = rest_.substr(0, nul);
    rest_.remove_prefix(nul == std::string_view::npos ? rest_.size() : nul + 1);
    return out;
  }
  // rest returns everything not read yet.
  std::string_view rest() {
    std::string_view out = rest_;
    rest_ = {};
    return out;
  }

 private:
  std::string_view rest_;
};

// check_status aborts on JWTGATE_ERR_INTERNAL: every C entry point turns a
// C++ exception other than std::bad_alloc into that status (capi_types.h
// guard()), and a parser that throws on its input (an out-of-range substr,
// a failed stoi) has a bug the status would otherwise hide.
inline void check_status(jwtgate_status s) {
  if (s == JWTGATE_ERR_INTERNAL) std::abort();
}

// check_clean aborts unless |s| is text the library may hand out: valid
// UTF-8 without a raw control character (C0, DEL) or an invisible control
// (C1, bidirectional controls, U+2028, U+2029), on one line, or on lines of
// its own with |lines|. Everything a validation writes (messages, details,
// subjects, JSON, explanations) must pass, whatever the token held: text
// from a token enters it only escaped (core/quote.h, core/json_writer.h).
inline void check_clean(std::string_view s, bool lines = false) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && !(lines && c == '\n')) || c == 0x7f) std::abort();
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = jwtgate::utf8_sequence(s, i, cp);
    if (n == 0 || jwtgate::invisible_control(cp)) std::abort();
    i += n;
  }
}

// The public halves of the test keys in tests/data/keys (the private halves
// signed the seed corpora). Embedded, because a fuzzer binary runs from $OUT
// without the source tree.
inline constexpr char kRsa2048Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAz2f9EU5VJZ9dyfYsyVlX\n"
    "qYHJD8zhgCv2k9rvV5Gf2ruJqGMA/zmY9aA/4GiAKgLqwDWhMlx1IXx4ywTJSjR2\n"
    "m88gVxsqrBWMU0t8mFbH6mcRGVSNbfI0dABGz2I5pL0oQfQOX9ySmf9yVIHi2jan\n"
    "fHcvS+A3v/UoBXGP0kY7ZocA7/QlfTueyUB/R0mPPk4Kvhd0B3fMU61QDRdMgjit\n"
    "nofyob+swXEnUhpbpgiluxbIwIBUyqyIx5woQc7yJlGqhrBX4x9X24rNvXLzwBXG\n"
    "U2yMfhtjWBbGK94EqVKYgQ5xjvooeky/XMi6+PxKybvyl+eVT/v4CL3Z8JYjKsb+\n"
    "zwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";
inline constexpr char kEc256Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJyOHK5pMug/RA/JvQL2fSrqbSHNS\n"
    "gmL7z9AAAP1Ec396aB6NO1i93w+X9ulzAljFuqpfcsvMC5I6utV5shFb2A==\n"
    "-----END PUBLIC KEY-----\n";
inline constexpr char kEc384Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE8wnl2WaFkAo/NvEBxsvhDgl4m1cMV6k+\n"
    "M+bFp3xGe0EAbkRBkMdWEfjNHMz+noW68OGHCqeqWALLR9KcsF5L8RAuX+xuyuu8\n"
    "DkeDZm5e3XsFziyoiwUon27hQGxtRsaz\n"
    "-----END PUBLIC KEY-----\n";
inline constexpr char kEc521Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBKX6QVvIKvvDL//agKU4qJNKuBwsH\n"
    "IRwtespHsDBYnWuAs31CIhQAOJpm+B8Pn7qqthSi5tAF1VnhenD+Mc/gaY4BX8cN\n"
    "YB+exv/K79uacEAhguIwk4jtMBRAsi3iqTIGctUPxv6mECPi4vhVOkLTVtmBryzO\n"
    "vVM1Zxxn6k/mjzHK+TY=\n"
    "-----END PUBLIC KEY-----\n";
inline constexpr char kEd25519Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAOfUUft2P8OpQpHPyEb1jGDnT8K/KJ4hh8z2ETxI61bI=\n"
    "-----END PUBLIC KEY-----\n";
inline constexpr char kEd448Pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MEMwBQYDK2VxAzoAmpvk7bfpFA74VbM7esArG1J/UkVc2Fti2Rnf3vqW2XYDXrdx\n"
    "V/byDXDqAU4myt7RImw2EkjmpmqA\n"
    "-----END PUBLIC KEY-----\n";
// tests/data/keys/rsa2048.cert.pem: a self-signed certificate for kRsa2048Pem.
inline constexpr char kRsa2048CertPem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDETCCAfmgAwIBAgIUeRD0QDYNTR3wdNKhZnV1AS9F3CswDQYJKoZIhvcNAQEL\n"
    "BQAwFzEVMBMGA1UEAwwMand0Z2F0ZS10ZXN0MCAXDTI2MTEyOTE2NDg1MFoYDzIx\n"
    "MjYxMTA1MTY0ODUwWjAXMRUwEwYDVQQDDAxqd3RnYXRlLXRlc3QwggEiMA0GCSqG\n"
    "SIb3DQEBAQUAA4IBDwAwggEKAoIBAQDPZ/0RTlUln13J9izJWVepgckPzOGAK/aT\n"
    "2u9XkZ/au4moYwD/OZj1oD/gaIAqAurANaEyXHUhfHjLBMlKNHabzyBXGyqsFYxT\n"
    "S3yYVsfqZxEZVI1t8jR0AEbPYjmkvShB9A5f3JKZ/3JUgeLaNqd8dy9L4De/9SgF\n"
    "cY/SRjtmhwDv9CV9O57JQH9HSY8+Tgq+F3QHd8xTrVANF0yCOK2eh/Khv6zBcSdS\n"
    "GlumCKW7FsjAgFTKrIjHnChBzvImUaqGsFfjH1fbis29cvPAFcZTbIx+G2NYFsYr\n"
    "3gSpUpiBDnGO+ih6TL9cyLr4/ErJu/KX55VP+/gIvdnwliMqxv7PAgMBAAGjUzBR\n"
    "MB0GA1UdDgQWBBREiGAlz2RiZwrLLotGknXWsNGSEzAfBgNVHSMEGDAWgBREiGAl\n"
    "z2RiZwrLLotGknXWsNGSEzAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUA\n"
    "A4IBAQAgReC84jOj1Goau6zKv6Kg3orW9HCEOVRA9SaKGspGv88Cqd0wTyn2t/nm\n"
    "dmkO1FrEVGq44juNkQHBezTD6qLbY2rm9V3KoMJYAmjM0fVgwLs0lPfqChTtfIjU\n"
    "nY/+TxQV9dO0mAeb29IAqJI/C08c47WKGGVcgn3J0KQJhducy/OENah2t5Khsw5b\n"
    "tRt2loByPFs5cQXqR320hmwsYpV7e7eXvotdYG/QcAfrCMJbrHhhSOsFKvOMKMcZ\n"
    "MgIcXiR/hqIHR/B3OUA6QClzCt9EcpWrGBCziKNWGp9SyILbYCrNAP4YJFg6GfbP\n"
    "OHeYH2ThlaVGpbgICy236b0yaN0N\n"
    "-----END CERTIFICATE-----\n";
// tests/data/keys/hs256.hex, raw and as the standard base64 of APIM <key>.
inline constexpr uint8_t kHmacSecret[32] = {
    0x31, 0xca, 0xc7, 0x75, 0x3f, 0x4f, 0x1f, 0x40, 0xad, 0xec, 0x77, 0xb3, 0x85, 0xca, 0xc6, 0x8d,
    0x94, 0xe5, 0x8d, 0x30, 0x8f, 0xf3, 0x37, 0xbc, 0x9f, 0x47, 0x19, 0xf0, 0x58, 0x25, 0x09, 0xd1};
inline constexpr char kHmacSecretBase64[] = "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE=";

// The issuer of the offline discovery document below; the seed policies and
// tokens use it.
inline constexpr char kIssuer[] = "https://issuer.jwtgate.test/";
inline constexpr char kOpenIdConfigUrl[] =
    "https://issuer.jwtgate.test/.well-known/openid-configuration";
inline constexpr char kJwksUri[] = "https://issuer.jwtgate.test/keys";
inline constexpr char kDiscoveryDocument[] =
    R"({"issuer":"https://issuer.jwtgate.test/","jwks_uri":"https://issuer.jwtgate.test/keys"})";
inline constexpr char kJwks[] =
    R"({"keys":[{"kty":"EC","crv":"P-256","kid":"ec","use":"sig",)"
    R"("x":"JyOHK5pMug_RA_JvQL2fSrqbSHNSgmL7z9AAAP1Ec38",)"
    R"("y":"emgejTtYvd8Pl_bpcwJYxbqqX3LLzAuSOrrVebIRW9g"}]})";

// policy_load_options returns load options, built once, under which every
// policy in examples/ loads: the named values and the expression they use,
// their certificate ids, and offline discovery documents for kOpenIdConfigUrl
// and for each provider the examples name.
inline const jwtgate_load_options* policy_load_options() {
  static const jwtgate_load_options* const opts = [] {
    jwtgate_load_options* o = jwtgate_load_options_new();
    (void)jwtgate_load_options_set_named_value(o, "tenant-id", "0da700fe-a3a7-4aaa-a43f-48a79eefc326");
    (void)jwtgate_load_options_set_named_value(o, "backend-app-id", "7e5ff242-8d3a-46a9-8890-45722c2f3d27");
    (void)jwtgate_load_options_set_named_value(o, "aad-tenant-id", "0da700fe-a3a7-4aaa-a43f-48a79eefc326");
    (void)jwtgate_load_options_set_named_value(o, "aad-client-application-id", "a1888df2-84c2-4379-8d53-7091dd630ca7");
    (void)jwtgate_load_options_set_named_value(o, "jwt-signing-key", kHmacSecretBase64);
    (void)jwtgate_load_options_set_expression_value(o, "@(context.Request.OriginalUrl.Host)", "api.jwtgate.test");
    for (const char* id : {"my-rsa-cert", "my-decryption-cert"})
      (void)jwtgate_load_options_add_certificate(o, nullptr, id, kRsa2048CertPem, std::strlen(kRsa2048CertPem));
    // <decryption-keys><key certificate-id="my-decryption-cert"> needs the
    // private key.
    (void)jwtgate_load_options_add_decryption_key(o, nullptr, "my-decryption-cert", kRsa2048PrivatePem,
                                                  std::strlen(kRsa2048PrivatePem), nullptr);
    (void)jwtgate_load_options_set_document(o, kOpenIdConfigUrl, JWTGATE_DOCUMENT_OPENID_CONFIGURATION,
                                            kDiscoveryDocument, std::strlen(kDiscoveryDocument));
    (void)jwtgate_load_options_set_document(o, kJwksUri, JWTGATE_DOCUMENT_JWKS, kJwks, std::strlen(kJwks));
    // The other providers the examples name, each with a document whose
    // issuer is the URL's base and whose keys are kJwks.
    for (const char* base : {
             "https://login.microsoftonline.com/0da700fe-a3a7-4aaa-a43f-48a79eefc326/v2.0",
             "https://login.microsoftonline.com/f7740624-492c-4b76-a428-11a3b77edfdb/v2.0",
             "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
             "https://login.microsoftonline.com/common/v2.0",
             "https://login.microsoftonline.us/b7a72ea2-c664-4474-818b-12c7ffdf985f/v2.0",
             "https://login.microsoftonline.com/tfp/contoso.onmicrosoft.com/b2c_1_signin/v2.0",
             "https://contosocustomers.ciamlogin.com/d6fd0c73-7464-4b94-a799-ffd065caa0e1/v2.0",
             "https://contoso.eu.auth0.com",
             "https://issuer.contoso.com",
         }) {
      const std::string url = std::string(base) + "/.well-known/openid-configuration";
      const std::string doc = std::string(R"({"issuer":")") + base + R"(","jwks_uri":")" + kJwksUri + "\"}";
      (void)jwtgate_load_options_set_document(o, url.c_str(), JWTGATE_DOCUMENT_OPENID_CONFIGURATION,
                                              doc.data(), doc.size());
    }
    return o;
  }();
  return opts;
}

// load_policy: the body of the policy_json and policy_xml targets (one entry
// point, jwtgate_policy_load, which picks the form by the first non-blank
// character; the targets differ in their corpus and dictionary): the input
// loaded under policy_load_options, then the diagnostics as text.
inline int load_policy(const uint8_t* data, size_t size) {
  jwtgate_policy* p = nullptr;
  jwtgate_error* err = nullptr;
  check_status(jwtgate_policy_load(&p, &err, reinterpret_cast<const char*>(data), size, policy_load_options()));
  (void)jwtgate_error_text(err);
  jwtgate_error_free(err);
  jwtgate_policy_free(p);
  return 0;
}

}  // namespace jwtgate_fuzz
