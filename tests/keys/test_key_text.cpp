// Key text offered as an HMAC secret (keys/key_text.h): every public key and
// certificate form is recognised wherever it starts and however it was
// wrapped, random and passphrase secrets never are, and every HMAC loader
// refuses what is recognised (CVE-2022-29217).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "encoding/base64url.h"
#include "keys/key_parsers.h"
#include "keys/key_text.h"
#include "policy/policy_loader.h"
#include "test_support.h"

using namespace jwtgate;
using jwtgate_test::read_data;

namespace {

std::string b64(std::string_view s) {
  return base64_encode(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string b64url(std::string_view s) { return base64url_encode(s); }

// der_of returns the bytes of the first PEM block of |pem|.
std::string der_of(const std::string& pem) {
  const size_t begin = pem.find('\n', pem.find("-----BEGIN")) + 1;
  const size_t end = pem.find("-----END");
  std::vector<uint8_t> der;
  REQUIRE(base64_decode(pem.substr(begin, end - begin), der, /*ignore_whitespace=*/true));
  return std::string(der.begin(), der.end());
}

std::string der_from(EVP_PKEY* k, bool pkcs1) {
  unsigned char* buf = nullptr;
  const int n = pkcs1 ? i2d_PublicKey(k, &buf) : i2d_PUBKEY(k, &buf);
  REQUIRE(n > 0);
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

EVP_PKEY* read_pub(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* k = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  REQUIRE(k != nullptr);
  return k;
}

std::string utf16(std::string_view s, bool little, bool bom) {
  std::string out;
  if (bom) out += little ? "\xFF\xFE" : "\xFE\xFF";
  for (char c : s) {
    if (little) {
      out += c;
      out += '\0';
    } else {
      out += '\0';
      out += c;
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The wrappers key text arrives in: what editors, OpenSSL and people put
// around it. Each keeps the key recognisable.
struct Wrapper {
  const char* name;
  std::string (*wrap)(const std::string&);
};

const Wrapper kTextWrappers[] = {
    {"as is", [](const std::string& s) { return s; }},
    {"UTF-8 BOM", [](const std::string& s) { return "\xEF\xBB\xBF" + s; }},
    {"leading whitespace", [](const std::string& s) { return " \r\n\t \n" + s; }},
    {"comment line", [](const std::string& s) { return "# issuer signing key, rotated 2024-01\n" + s; }},
    {"Bag Attributes preamble",
     [](const std::string& s) {
       return "Bag Attributes\n    localKeyID: 01 02 03 04 \n    friendlyName: jwtgate\n"
              "subject=CN = jwtgate-test\nissuer=CN = jwtgate-test\n" + s;
     }},
    {"CRLF line ends",
     [](const std::string& s) {
       std::string out;
       for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
       return out;
     }},
    {"trailing text", [](const std::string& s) { return s + "\nthis key is for staging only\n"; }},
};

void require_form(const std::string& data, const char* form, int layers, const std::string& evidence_has) {
  const KeyTextMatch m = find_key_text(data);
  INFO("data: " << data.substr(0, 80));
  REQUIRE(m);
  CHECK(std::string(m.form) == form);
  CHECK(m.base64_layers == layers);
  CHECK(m.evidence.find(evidence_has) != std::string::npos);
  const std::string why = key_text_refusal(m);
  CHECK(why.find("CVE-2022-29217") != std::string::npos);
  CHECK(why.find(form) != std::string::npos);
}

}  // namespace

TEST_CASE("find_key_text: PEM blocks of every label, wherever the block starts", "[keys]") {
  struct Block {
    std::string pem;
    std::string label;
  };
  std::vector<Block> blocks = {
      {read_data("data/keys/rsa2048.pub.pem"), "PUBLIC KEY"},
      {read_data("data/keys/ec384.pub.pem"), "PUBLIC KEY"},
      {read_data("data/keys/ed25519.pub.pem"), "PUBLIC KEY"},
      {read_data("data/keys/rsa2048.cert.pem"), "CERTIFICATE"},
      {read_data("data/keys/ec256.pem"), "PRIVATE KEY"},
      {"-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n", "EC PARAMETERS"},
  };
  EVP_PKEY* rsa = read_pub(read_data("data/keys/rsa2048.pub.pem"));
  blocks.push_back({"-----BEGIN RSA PUBLIC KEY-----\n" + b64(der_from(rsa, true)) + "\n-----END RSA PUBLIC KEY-----\n",
                    "RSA PUBLIC KEY"});
  EVP_PKEY_free(rsa);

  for (const Block& b : blocks) {
    for (const Wrapper& w : kTextWrappers) {
      DYNAMIC_SECTION(b.label << " / " << w.name) {
        const std::string text = w.wrap(b.pem);
        require_form(text, "a PEM block", 0, "-----BEGIN " + b.label + "-----");
        // Encoded once (the Python from_secret path, a base64 <key>) and
        // twice (a base64 <key> holding a base64 file).
        require_form(b64(text), "a PEM block", 1, b.label);
        require_form(b64url(text), "a PEM block", 1, b.label);
        require_form(b64(b64(text)), "a PEM block", 2, b.label);
        // Windows "Unicode" text.
        const KeyTextMatch le = find_key_text(utf16(text, true, true));
        REQUIRE(le);
        CHECK(le.utf16);
        CHECK(std::string(le.form) == "a PEM block");
        const KeyTextMatch be = find_key_text(utf16(text, false, false));
        REQUIRE(be);
        CHECK(be.utf16);
      }
    }
  }
  // One boundary line is enough: a truncated paste (the BEGIN line lost, or
  // everything after it) is still key text, and BEGIN/END in any case.
  require_form("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----", "a PEM block", 0,
               "-----END PUBLIC KEY-----");
  require_form("-----BEGIN PUBLIC KEY-----", "a PEM block", 0, "BEGIN PUBLIC KEY");
  require_form("-----begin public key-----\nMII...\n", "a PEM block", 0, "begin public key");
}

TEST_CASE("find_key_text: the exact refusal message", "[keys]") {
  const KeyTextMatch m = find_key_text(b64(read_data("data/keys/rsa2048.pub.pem")));
  REQUIRE(m);
  CHECK(key_text_refusal(m) ==
        "this looks like a public key or certificate (a PEM block \"-----BEGIN PUBLIC KEY-----\", "
        "base64-encoded), not an HMAC secret; an HMAC secret must not be public key text, which anyone "
        "can read and sign with: see CVE-2022-29217");
  const KeyTextMatch j = find_key_text(R"({"kty":"RSA","n":"AQAB","e":"AQAB"})");
  REQUIRE(j);
  CHECK(key_text_refusal(j) ==
        "this looks like a public key or certificate (a JWK or JWK Set with \"kty\":\"RSA\"), not an HMAC "
        "secret; an HMAC secret must not be public key text, which anyone can read and sign with: see "
        "CVE-2022-29217 (load a JWK as a JWK, not as a secret)");
}

TEST_CASE("find_key_text: RFC 4716 SSH public keys", "[keys]") {
  const std::string key = read_data("data/keys/ssh/ed25519.rfc4716.pub");
  for (const Wrapper& w : kTextWrappers) {
    DYNAMIC_SECTION(w.name) {
      require_form(w.wrap(key), "an RFC 4716 SSH key block", 0, "---- BEGIN SSH2 PUBLIC KEY ----");
      require_form(b64(w.wrap(key)), "an RFC 4716 SSH key block", 1, "SSH2 PUBLIC KEY");
    }
  }
}

TEST_CASE("find_key_text: OpenSSH public keys of every type, anywhere in the text", "[keys]") {
  std::vector<std::string> keys = lines_of(read_data("data/keys/ssh/openssh_public_keys.txt"));
  keys.push_back(lines_of(read_data("data/keys/ssh/ed25519-cert.pub")).at(0));
  const std::vector<std::string> types = {
      "ssh-rsa", "ssh-dss", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
      "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-ed25519-cert-v01@openssh.com"};
  REQUIRE(keys.size() == types.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& line = keys[i];
    const std::string& type = types[i];
    REQUIRE(line.substr(0, type.size() + 1) == type + " ");
    DYNAMIC_SECTION(type) {
      for (const Wrapper& w : kTextWrappers)
        require_form(w.wrap(line), "an OpenSSH public key", 0, "\"" + type + " AAAA");
      // authorized_keys options before the type, an assignment, quotes.
      require_form("no-pty,from=\"192.0.2.1\" " + line, "an OpenSSH public key", 0, type);
      require_form("JWT_KEY=" + line, "an OpenSSH public key", 0, type);
      require_form("\"" + line + "\"", "an OpenSSH public key", 0, type);
      // The blob on the next line.
      std::string wrapped = line;
      wrapped[type.size()] = '\n';
      require_form(wrapped, "an OpenSSH public key", 0, type);
      require_form(b64(line), "an OpenSSH public key", 1, type);
      // The blob alone, base64 (as copied from the line) and binary.
      const size_t blob_start = type.size() + 1;
      const std::string blob_b64 = line.substr(blob_start, line.find(' ', blob_start) - blob_start);
      require_form(blob_b64, "an SSH public key blob (RFC 4253 6.6)", 1, type);
      std::vector<uint8_t> blob;
      REQUIRE(base64_decode(blob_b64, blob));
      require_form(std::string(blob.begin(), blob.end()), "an SSH public key blob (RFC 4253 6.6)", 0, type);
    }
  }
}

TEST_CASE("find_key_text: DER certificates and public keys, raw and base64", "[keys]") {
  struct Der {
    std::string name;
    std::string der;
    const char* form;
  };
  std::vector<Der> ders = {
      {"certificate", read_data("data/keys/rsa2048.cert.der"), "a DER X.509 certificate"},
      {"RSA SPKI", read_data("data/keys/rsa2048.pub.der"), "a DER SubjectPublicKeyInfo"},
      {"EC P-521 SPKI", der_of(read_data("data/keys/ec521.pub.pem")), "a DER SubjectPublicKeyInfo"},
      {"Ed448 SPKI", der_of(read_data("data/keys/ed448.pub.pem")), "a DER SubjectPublicKeyInfo"},
  };
  EVP_PKEY* rsa = read_pub(read_data("data/keys/rsa2048.pub.pem"));
  ders.push_back({"PKCS#1", der_from(rsa, true), "a DER PKCS#1 RSAPublicKey"});
  EVP_PKEY_free(rsa);
  // A key jwtgate never verifies with is still public: the structure counts.
  EVP_PKEY* x25519 = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
  REQUIRE(x25519 != nullptr);
  ders.push_back({"X25519 SPKI", der_from(x25519, false), "a DER SubjectPublicKeyInfo"});
  EVP_PKEY_free(x25519);

  for (const Der& d : ders) {
    DYNAMIC_SECTION(d.name) {
      require_form(d.der, d.form, 0, "");
      // x5c style, PEM body without its armour (64-column lines), base64url.
      require_form(b64(d.der), d.form, 1, "");
      std::string body;
      const std::string flat = b64(d.der);
      for (size_t i = 0; i < flat.size(); i += 64) body += flat.substr(i, 64) + "\n";
      require_form(body, d.form, 1, "");
      require_form(b64url(d.der), d.form, 1, "");
      require_form(b64(b64(d.der)), d.form, 2, "");
      // Anything after the structure makes it something else.
      CHECK_FALSE(find_key_text(d.der + "x"));
    }
  }
}

TEST_CASE("find_key_text: JWK and JWK Set text", "[keys]") {
  const std::string jwk = R"({"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
                          R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
  require_form(jwk, "a JWK or JWK Set", 0, "\"kty\":\"EC\"");
  require_form("\xEF\xBB\xBF\n  {\"keys\": [" + jwk + "]}", "a JWK or JWK Set", 0, "\"kty\":\"EC\"");
  require_form("[" + jwk + "]", "a JWK or JWK Set", 0, "kty");
  require_form(R"({"kty":"oct","k":"c2VjcmV0"})", "a JWK or JWK Set", 0, "\"kty\":\"oct\"");
  require_form(b64(jwk), "a JWK or JWK Set", 1, "kty");
}

TEST_CASE("find_key_text: secrets are not key text", "[keys]") {
  // Secrets people use, and near misses of every rule.
  const std::vector<std::string> secrets = {
      "",
      "correct horse battery staple",
      "my-ssh-rsa-secret",                      // a key type inside a word
      "ssh-rsa",                                // a key type alone is no key
      "ssh-rsa is my password",                 // no blob after it
      "ssh-rsaAAAAB3NzaC1yc2EAAAADAQABAAABAQ",  // no blank before the blob
      "xssh-ed25519 AAAAC3NzaC1lZDI1NTE5",      // not at a word boundary
      "q3Zssh-rsa_8Kd-0vQ2sh-ed25519AAAAxY",    // base64url with key types inside
      "c3NoLXJzYQ==",                           // base64 of "ssh-rsa": no blob
      "BEGIN PUBLIC KEY",                       // no dash line
      "----BEGIN PUBLIC KEY",                   // four dashes and no space
      "--- BEGIN SSH2",                         // three dashes
      "{\"k\":\"c2VjcmV0\"}",                   // JSON without a kty
      "kty",
      "[1, 2, 3]",
      "the \"kty\" member",                     // "kty" but not JSON
      "0123456789abcdef0123456789abcdef",
      "AAAAAAAAAAAAAAAAAAAAAA==",
      std::string(64, 'A'),
      std::string("\x30\x03\x02\x01\x01", 5),  // DER, but no key structure
      std::string("\x30\x00", 2),
      std::string("\x00\x00\x00\x07ssh-rsa", 11),  // a blob with nothing after the type
  };
  for (const std::string& s : secrets) {
    INFO("secret: " << s);
    const KeyTextMatch m = find_key_text(s);
    CHECK_FALSE(m);
    CHECK_FALSE(find_key_text(b64(s)));
    CHECK_FALSE(find_key_text(b64url(s)));
  }
}

TEST_CASE("find_key_text: random secrets never match (generated)", "[keys]") {
  // 4000 secrets of 16 to 128 random bytes, raw and in both base64 forms;
  // half start with 0x30 (a DER SEQUENCE tag) and a quarter with a
  // plausible SSH blob length, to reach the DER and blob rules.
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<int> byte(0, 255), len(16, 128);
  int checked = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string s(static_cast<size_t>(len(rng)), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    if (i % 2 == 0) s[0] = '\x30';
    if (i % 4 == 1) s.replace(0, 4, std::string("\x00\x00\x00\x0b", 4));
    INFO("secret #" << i);
    CHECK_FALSE(find_key_text(s));
    CHECK_FALSE(find_key_text(b64(s)));
    CHECK_FALSE(find_key_text(b64url(s)));
    ++checked;
  }
  CHECK(checked == 4000);
}

TEST_CASE("HMAC loaders refuse key text: APIM <key>, JWK oct, JWK Set, auto", "[keys]") {
  const std::string pem = read_data("data/keys/rsa2048.pub.pem");
  const std::string cert_der = read_data("data/keys/rsa2048.cert.der");
  const std::string bom_pem = "\xEF\xBB\xBF" + pem;

  // <key> holding base64 of a PEM file (with a BOM): refused with the reason.
  std::vector<Key> out;
  Diagnostics diag;
  CHECK_FALSE(parse_symmetric_base64(b64(bom_pem), out, diag));
  CHECK(out.empty());
  REQUIRE(diag.items().size() == 1);
  CHECK(diag.items()[0].message ==
        "symmetric key: this looks like a public key or certificate (a PEM block \"-----BEGIN PUBLIC "
        "KEY-----\", base64-encoded), not an HMAC secret; an HMAC secret must not be public key text, which "
        "anyone can read and sign with: see CVE-2022-29217");

  // The PEM pasted as is: the same reason, not "not valid base64".
  diag = Diagnostics();
  CHECK_FALSE(parse_symmetric_base64(pem, out, diag));
  REQUIRE(diag.items().size() == 1);
  CHECK(diag.items()[0].message.find("(a PEM block \"-----BEGIN PUBLIC KEY-----\"), not an HMAC secret") !=
        std::string::npos);

  // A certificate's base64 (an x5c value) in <key>.
  diag = Diagnostics();
  CHECK_FALSE(parse_symmetric_base64(b64(cert_der), out, diag));
  REQUIRE(diag.items().size() == 1);
  CHECK(diag.items()[0].message.find("(a DER X.509 certificate, base64-encoded)") != std::string::npos);

  // A JWK oct key whose "k" is the PEM file, alone, in a set, and detected.
  const std::string jwk = R"({"kty":"oct","kid":"k1","k":")" + b64url(pem) + "\"}";
  diag = Diagnostics();
  CHECK_FALSE(parse_jwk(jwk, out, diag));
  REQUIRE(diag.items().size() == 1);
  CHECK(diag.items()[0].message.find("\"k\": this looks like a public key or certificate (a PEM block") !=
        std::string::npos);
  diag = Diagnostics();
  CHECK_FALSE(parse_jwks("{\"keys\":[" + jwk + "]}", out, diag));
  CHECK(diag.has_errors());
  CHECK(diag.text().find("CVE-2022-29217") != std::string::npos);
  diag = Diagnostics();
  CHECK_FALSE(parse_keys_auto(R"({"kty":"oct","k":")" + b64url(cert_der) + "\"}", out, diag));
  CHECK(diag.text().find("(a DER X.509 certificate)") != std::string::npos);
  CHECK(out.empty());

  // Real secrets still load.
  diag = Diagnostics();
  CHECK(parse_symmetric_base64(b64("a 32-byte secret for HS256 ....."), out, diag));
  CHECK(parse_jwk(R"({"kty":"oct","k":")" + b64url("a 32-byte secret for HS256 .....") + "\"}", out, diag));
  CHECK(out.size() == 2);
  CHECK_FALSE(diag.has_errors());
}

TEST_CASE("A policy <key> holding public key text fails to load", "[keys]") {
  const std::string pem = read_data("data/keys/ec256.pub.pem");
  for (const std::string& policy :
       {"<validate-jwt header-name=\"Authorization\"><issuer-signing-keys><key>" + b64("# ec key\n" + pem) +
            "</key></issuer-signing-keys></validate-jwt>",
        R"({"validate-jwt": {"header-name": "Authorization", "issuer-signing-keys": [{"value": ")" +
            b64(pem) + "\"}]}}"}) {
    Diagnostics diag;
    CHECK(load_policy(policy, LoadOptions{}, diag) == nullptr);
    INFO(diag.text());
    REQUIRE(diag.items().size() == 1);
    CHECK(diag.items()[0].path == "issuer-signing-keys/key[1]");
    CHECK(diag.items()[0].message.find("symmetric key: this looks like a public key or certificate (a PEM "
                                       "block \"-----BEGIN PUBLIC KEY-----\", base64-encoded)") !=
          std::string::npos);
  }
}
