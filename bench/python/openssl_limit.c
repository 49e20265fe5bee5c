/* openssl_limit.c - the raw OpenSSL verification limit for the Python
 * benchmark (bench.py compiles it with the system cc and libcrypto, the same
 * OpenSSL jwtgate links, and calls it through ctypes).
 *
 * It does the least work any JWS verifier must do per token, with everything
 * else done once up front: the signing input (header.payload) and the
 * decoded signature of each token are prepared before timing; the key is
 * parsed once; the digest and the verify context are fetched and
 * initialised once. Per token it runs only the primitive:
 *   RS256 / PS256 / ES256: SHA-256 of the signing input + EVP_PKEY_verify
 *                           (ES256 takes the DER signature, converted once)
 *   HS256: HMAC-SHA256 of the signing input + constant-time compare
 * There is no base64url, no JSON, no claim check, no Python: whatever a
 * JWT library does per token costs at least this.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

typedef struct {
  unsigned char *input;
  size_t input_len;
  unsigned char sig[1024];
  size_t sig_len;
} item;

typedef struct {
  int kind; /* 0 RSA PKCS#1, 1 RSA-PSS, 2 ECDSA, 3 HMAC */
  EVP_PKEY *pkey;
  EVP_PKEY_CTX *vctx;
  EVP_MD *md;
  EVP_MAC *mac;
  EVP_MAC_CTX *mctx;
  item *items;
  size_t count;
} limit;

static int b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap, size_t *out_len) {
  static int table[256];
  static int ready = 0;
  if (!ready) {
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 256; ++i) table[i] = -1;
    for (int i = 0; i < 64; ++i) table[(unsigned char)a[i]] = i;
    ready = 1;
  }
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < len; ++i) {
    int v = table[(unsigned char)in[i]];
    if (v < 0) return 0;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n >= cap) return 0;
      out[n++] = (unsigned char)(acc >> bits);
    }
  }
  *out_len = n;
  return 1;
}

/* limit_free releases everything limit_new made. */
void limit_free(limit *l) {
  if (!l) return;
  for (size_t i = 0; i < l->count; ++i) free(l->items[i].input);
  free(l->items);
  EVP_PKEY_CTX_free(l->vctx);
  EVP_PKEY_free(l->pkey);
  EVP_MD_free(l->md);
  EVP_MAC_CTX_free(l->mctx);
  EVP_MAC_free(l->mac);
  free(l);
}

/* limit_new prepares |count| NUL-separated compact tokens (all signed with
 * |alg| by one key: a PEM public key, or the raw HMAC secret). NULL on error. */
limit *limit_new(const char *alg, const unsigned char *key, size_t key_len, const char *tokens,
                 size_t count) {
  limit *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  if (!strcmp(alg, "RS256")) l->kind = 0;
  else if (!strcmp(alg, "PS256")) l->kind = 1;
  else if (!strcmp(alg, "ES256")) l->kind = 2;
  else if (!strcmp(alg, "HS256")) l->kind = 3;
  else goto fail;
  l->md = EVP_MD_fetch(NULL, "SHA256", NULL);
  if (!l->md) goto fail;
  if (l->kind == 3) {
    OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                            OSSL_PARAM_construct_end()};
    l->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    l->mctx = l->mac ? EVP_MAC_CTX_new(l->mac) : NULL;
    if (!l->mctx || EVP_MAC_init(l->mctx, key, key_len, params) != 1) goto fail;
  } else {
    BIO *bio = BIO_new_mem_buf(key, (int)key_len);
    l->pkey = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!l->pkey) goto fail;
    l->vctx = EVP_PKEY_CTX_new_from_pkey(NULL, l->pkey, NULL);
    if (!l->vctx || EVP_PKEY_verify_init(l->vctx) != 1) goto fail;
    if (l->kind != 2 && EVP_PKEY_CTX_set_signature_md(l->vctx, l->md) != 1) goto fail;
    if (l->kind == 0 && EVP_PKEY_CTX_set_rsa_padding(l->vctx, RSA_PKCS1_PADDING) != 1) goto fail;
    if (l->kind == 1 && (EVP_PKEY_CTX_set_rsa_padding(l->vctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                         EVP_PKEY_CTX_set_rsa_mgf1_md(l->vctx, l->md) != 1 ||
                         EVP_PKEY_CTX_set_rsa_pss_saltlen(l->vctx, 32) != 1))
      goto fail;
  }
  l->items = calloc(count, sizeof *l->items);
  if (!l->items) goto fail;
  const char *t = tokens;
  for (size_t i = 0; i < count; ++i) {
    size_t len = strlen(t);
    const char *dot = memchr(t, '.', len);
    const char *last = dot ? memchr(dot + 1, '.', len - (size_t)(dot + 1 - t)) : NULL;
    if (!last) goto fail;
    item *it = &l->items[i];
    it->input_len = (size_t)(last - t);
    it->input = malloc(it->input_len);
    if (!it->input) goto fail;
    memcpy(it->input, t, it->input_len);
    ++l->count;
    unsigned char raw[1024];
    size_t raw_len = 0;
    if (!b64url_decode(last + 1, len - it->input_len - 1, raw, sizeof raw, &raw_len)) goto fail;
    if (l->kind == 2) { /* JWS R||S to DER, once */
      ECDSA_SIG *es = ECDSA_SIG_new();
      BIGNUM *r = BN_bin2bn(raw, (int)raw_len / 2, NULL);
      BIGNUM *s = BN_bin2bn(raw + raw_len / 2, (int)raw_len / 2, NULL);
      if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) goto fail;
      unsigned char *p = it->sig;
      int n = i2d_ECDSA_SIG(es, &p);
      ECDSA_SIG_free(es);
      if (n <= 0) goto fail;
      it->sig_len = (size_t)n;
    } else {
      memcpy(it->sig, raw, raw_len);
      it->sig_len = raw_len;
    }
    t += len + 1;
  }
  return l;
fail:
  limit_free(l);
  return NULL;
}

static int verify_one(limit *l, const item *it) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned md_len = 0;
  if (l->kind == 3) {
    size_t mac_len = 0;
    if (EVP_MAC_init(l->mctx, NULL, 0, NULL) != 1 ||
        EVP_MAC_update(l->mctx, it->input, it->input_len) != 1 ||
        EVP_MAC_final(l->mctx, md, &mac_len, sizeof md) != 1)
      return 0;
    return mac_len == it->sig_len && CRYPTO_memcmp(md, it->sig, mac_len) == 0;
  }
  if (EVP_Digest(it->input, it->input_len, md, &md_len, l->md, NULL) != 1) return 0;
  return EVP_PKEY_verify(l->vctx, it->sig, it->sig_len, md, md_len) == 1;
}

/* limit_run verifies tokens round-robin for about |seconds| and returns the
 * number of verifications done per second, or -1 if any failed. */
double limit_run(limit *l, double seconds) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  size_t done = 0;
  double elapsed = 0;
  do {
    for (size_t i = 0; i < 64; ++i) {
      if (!verify_one(l, &l->items[done % l->count])) return -1;
      ++done;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    elapsed = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  } while (elapsed < seconds);
  return (double)done / elapsed;
}
