#!/usr/bin/env bash
# test_cli.sh JWTGATE MINT_TOKEN SOURCE_ROOT: the CLI end to end: exit codes
# (0 valid, 1 invalid, 2 usage/config), --json output, token sources, --help
# on every subcommand, key files of every format, and the bundled example.
set -uo pipefail
jg="$1"; mint="$2"; root="$3"
keys="$root/tests/data/keys"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0

expect() {  # expect NAME WANT_EXIT WANT_GREP cmd...
  local name="$1" want="$2" pattern="$3"; shift 3
  local out code
  out=$("$@" 2>&1); code=$?
  if [ "$code" -ne "$want" ]; then
    echo "FAIL $name: exit $code, wanted $want"; echo "$out" | head -20; fail=$((fail+1)); return
  fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -20; fail=$((fail+1)); return
  fi
  pass=$((pass+1))
}

now=1800000000
claims() { echo "{\"iss\":\"https://issuer.example\",\"aud\":\"api://demo\",\"sub\":\"alice\",\"iat\":$((now-60)),\"nbf\":$((now-60)),\"exp\":$1,\"scp\":\"Data.Read Data.Write\"}"; }
rs=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now+3600)))")
es=$("$mint" ES256 "$keys/ec256.pem" '{"alg":"ES256"}' "$(claims $((now+3600)))")
expired=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now-10)))")
none_tok="$(printf '%s' '{"alg":"none"}' | base64 -w0 | tr '+/' '-_' | tr -d '=').$(printf '%s' "$(claims $((now+3600)))" | base64 -w0 | tr '+/' '-_' | tr -d '=')."

cat > "$tmp/policy.json" <<JSON
{"validate-jwt": {"header-name": "Authorization", "require-scheme": "Bearer",
  "issuers": ["https://issuer.example"], "audiences": ["api://demo"],
  "required-claims": [{"name": "scp", "match": "any", "separator": " ", "values": ["Data.Read"]}]}}
JSON
pk=(--policy "$tmp/policy.json" --keys "$keys/rsa2048.pub.pem" --keys "$keys/ec256.pub.pem" --now $now)

expect "valid RS256 bare token" 0 '^valid' "$jg" validate "${pk[@]}" "$rs"
expect "valid ES256 via header" 0 '^valid' "$jg" validate "${pk[@]}" --header "Authorization: Bearer $es"
expect "scheme required" 1 'TokenNotPresent' "$jg" validate "${pk[@]}" --header "Authorization: $rs"
expect "scheme case-insensitive" 0 '^valid' "$jg" validate "${pk[@]}" --header "authorization: bEaReR $rs"
expect "token from stdin" 0 '^valid' sh -c "printf '%s\n' '$rs' | '$jg' validate --policy '$tmp/policy.json' --keys '$keys/rsa2048.pub.pem' --now $now --token -"
expect "expired" 1 'TokenExpired' "$jg" validate "${pk[@]}" "$expired"
expect "expired --json" 1 '"reason":"expired"' "$jg" validate "${pk[@]}" --json "$expired"
expect "json has claims" 0 '"claims":\{"iss"' "$jg" validate "${pk[@]}" --json "$rs"
expect "alg none" 1 'alg_none' "$jg" validate "${pk[@]}" "$none_tok"
expect "no token in header" 1 'JWT not present' "$jg" validate "${pk[@]}" --header "X-Other: 1"
expect "token header twice" 1 'duplicate_token \(Authorization\): the header "Authorization" appears 2 times' "$jg" validate "${pk[@]}" --header "Authorization: Bearer $rs" --header "authorization: Bearer $es"
expect "token header twice --json" 1 '"reason":"duplicate_token"' "$jg" validate "${pk[@]}" --json --header "Authorization: Bearer $rs" --header "Authorization: Bearer $rs"
expect "explain names the duplicate" 1 'The request carries the token more than once' "$jg" explain "${pk[@]}" --no-color --header "Authorization: Bearer $rs" --header "Authorization: Bearer x.y.z"
expect "wrong key" 1 'signature|key' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048b.pub.pem" --now $now "$rs"
expect "JWKS key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$root/examples/article/jwks.json" --now $now "$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"demo-key-1"}' "$(claims $((now+60)))")"
expect "certificate key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.cert.pem" --now $now "$rs"
expect "DER key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pub.der" --now $now "$rs"
expect "private key refused" 2 'PRIVATE' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pem" --now $now "$rs"
expect "missing policy" 2 'policy' "$jg" validate "$rs"
# Public key text is never an HMAC secret (CVE-2022-29217): a policy <key>
# holding a PEM public key (after a BOM and a comment, base64-encoded), a
# JWK oct key whose "k" is a certificate, an SSH public key pasted as is.
pem_b64=$(printf '\357\273\277# signing key\n%s\n' "$(cat "$keys/ec256.pub.pem")" | base64 -w0)
cat > "$tmp/pemkey.xml" <<XML
<validate-jwt header-name="Authorization"><issuer-signing-keys><key>$pem_b64</key></issuer-signing-keys></validate-jwt>
XML
expect "policy <key> holding a PEM public key" 2 'issuer-signing-keys/key\[1\]: symmetric key: this looks like a public key or certificate \(a PEM block "-----BEGIN PUBLIC KEY-----", base64-encoded\), not an HMAC secret.*CVE-2022-29217' "$jg" policy check "$tmp/pemkey.xml"
expect "validate with that policy" 2 'CVE-2022-29217' "$jg" validate --policy "$tmp/pemkey.xml" --now $now "$rs"
printf '{"kty":"oct","k":"%s"}' "$(base64 -w0 < "$keys/rsa2048.cert.der" | tr '+/' '-_' | tr -d '=')" > "$tmp/certoct.jwk"
expect "JWK oct key holding a certificate" 2 '"k": this looks like a public key or certificate \(a DER X.509 certificate\)' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/certoct.jwk" --now $now "$rs"
ssh_line=$(grep ssh-ed25519 "$keys/ssh/openssh_public_keys.txt")
cat > "$tmp/sshkey.json" <<JSON
{"validate-jwt": {"header-name": "Authorization", "issuer-signing-keys": [{"value": "$(printf '%s' "$ssh_line" | base64 -w0)"}]}}
JSON
expect "policy value holding an SSH public key" 2 'an OpenSSH public key "ssh-ed25519 AAAA' "$jg" policy check "$tmp/sshkey.json"
expect "unknown option" 2 'unknown option' "$jg" validate "${pk[@]}" --frobnicate "$rs"
expect "two token sources" 2 'give the token' "$jg" validate "${pk[@]}" "$rs" --token -
expect "bad --now" 2 'Unix seconds' "$jg" validate --policy "$tmp/policy.json" --now soon "$rs"
echo '{"validate-jwt": {"header-name": "Authorization", "clock-skew": "x", "audiences": ["{{aud}}"]}}' > "$tmp/bad.json"
expect "broken policy lists every error" 2 'clock-skew.*|aud' "$jg" validate --policy "$tmp/bad.json" "$rs"
echo '{"validate-jwt": {"header-name": "Authorization", "audiences": ["{{aud}}"]}}' > "$tmp/nv.json"
expect "unresolved named value" 2 '\{\{aud\}\} is not defined' "$jg" validate --policy "$tmp/nv.json" --keys "$keys/rsa2048.pub.pem" --now $now "$rs"
expect "named value supplied" 1 'audience_not_allowed' "$jg" validate --policy "$tmp/nv.json" --keys "$keys/rsa2048.pub.pem" --named-value aud=api://other --now $now "$rs"
expect "named value matches" 0 '^valid' "$jg" validate --policy "$tmp/nv.json" --keys "$keys/rsa2048.pub.pem" --named-value aud=api://demo --now $now "$rs"
expect "decode" 0 'NOT VALIDATED' "$jg" decode "$rs"
expect "decode json" 0 '"verified":false' "$jg" decode --json "$rs"
expect "decode garbage" 1 'not a well-formed token' "$jg" decode "abc.def"
expect "policy check" 0 'loads' "$jg" policy check "$tmp/policy.json"
expect "version" 0 'jwtgate [0-9]+\.[0-9]+\.[0-9]+' "$jg" --version
expect "no command" 2 'usage' "$jg"
for sub in validate decode policy explain token serve; do
  expect "$sub --help" 0 'usage: jwtgate' "$jg" $sub --help
done

# Key selection and JWK Sets (docs/keys-and-network.md): a key published with
# a kid never verifies a token naming another kid; one bad key of a set is
# skipped with a warning naming it, the rest load; an offline copy of a
# published set that holds a secret is refused, as a fetched one is.
demo_jwks="$root/examples/article/jwks.json"
other_kid=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"other"}' "$(claims $((now+60)))")
expect "unknown kid against a JWKS key" 1 '"reason":"key_not_found"' "$jg" validate --policy "$tmp/policy.json" --keys "$demo_jwks" --now $now --json "$other_kid"
expect "unknown kid against a PEM key" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pub.pem" --now $now "$other_kid"
sed 's/"keys": \[/"keys": [{"kty": "EC", "kid": "bad", "x": "AAAA", "y": "AAAA"},/' "$demo_jwks" > "$tmp/one-bad.json"
demo_tok=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"demo-key-1"}' "$(claims $((now+60)))")
skipped='warning: .*JWKS key #1 \(kid "bad"\) skipped: no "crv" member'
expect "a JWKS with one bad key: the good key validates" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/one-bad.json" --now $now "$demo_tok"
expect "a JWKS with one bad key: the bad one is named" 0 "$skipped" "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/one-bad.json" --now $now "$demo_tok"
expect "explain names the skipped key" 0 "$skipped" "$jg" explain --policy "$tmp/policy.json" --keys "$tmp/one-bad.json" --now $now --no-color "$demo_tok"
echo '{"keys": [{"kty": "EC", "kid": "bad", "x": "AAAA", "y": "AAAA"}]}' > "$tmp/all-bad.json"
expect "a JWKS with no usable key is refused" 2 'no usable signing key: its one key was skipped' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/all-bad.json" --now $now "$demo_tok"
cat > "$tmp/oidc.json" <<JSON
{"validate-jwt": {"header-name": "Authorization", "audiences": ["api://demo"],
  "openid-config": [{"url": "https://issuer.example/.well-known/openid-configuration"}]}}
JSON
echo '{"issuer": "https://issuer.example", "jwks_uri": "https://issuer.example/keys"}' > "$tmp/discovery.json"
offline=(--openid-document "https://issuer.example/.well-known/openid-configuration=$tmp/discovery.json")
expect "policy check names a skipped key of an offline set" 0 "$skipped" "$jg" policy check "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/one-bad.json" "$tmp/oidc.json"
expect "policy check counts it" 0 'loads: 1 warning' "$jg" policy check "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/one-bad.json" "$tmp/oidc.json"
expect "explain names a skipped key of an offline set" 0 "$skipped" "$jg" explain --policy "$tmp/oidc.json" "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/one-bad.json" --now $now --no-color "$demo_tok"
echo '{"keys": [{"kty": "oct", "kid": "s", "k": "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE"}]}' > "$tmp/secret-set.json"
hs_published=$("$mint" HS256 "hex:$(cat "$keys/hs256.hex")" '{"alg":"HS256","kid":"s"}' "$(claims $((now+60)))")
expect "an offline published set with a secret is refused" 2 'holds a symmetric \(oct\) key \(JWKS key #1 \(kid "s"\)\); a published key set must not carry secrets' "$jg" validate --policy "$tmp/oidc.json" "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/secret-set.json" --now $now "$hs_published"
expect "policy check refuses it too" 2 'holds a symmetric \(oct\) key' "$jg" policy check "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/secret-set.json" "$tmp/oidc.json"
expect "the same secrets as --keys are the caller's own" 0 '^valid' "$jg" validate --policy "$tmp/oidc.json" "${offline[@]}" --jwks-document "https://issuer.example/keys=$demo_jwks" --keys "$tmp/secret-set.json" --now $now "$hs_published"

# The bundled example, exactly as scripts/demo.sh runs it.
ex="$root/examples/article"
common=(--policy "$ex/policy.xml" --named-values "$ex/named-values.json"
        --openid-document "$(cat "$ex/openid-config-url.txt")=$ex/openid-configuration.json"
        --jwks-document "$(cat "$ex/jwks-uri.txt")=$ex/jwks.json" --now "$(cat "$ex/now.txt")")
if [ -f "$ex/policy.xml" ]; then
  expect "example valid" 0 '^valid' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/valid.jwt")"
  expect "example expired" 1 'invalid: 401 TokenExpired' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/expired.jwt")"
  expect "example v1" 1 'TokenIssuerNotAllowed|TokenClaimValueNotAllowed' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/v1.jwt")"
  expect "example wrong client" 1 'TokenClaimValueNotAllowed' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/wrong-client.jwt")"
  expect "example tampered" 1 'TokenSignatureInvalid' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/tampered.jwt")"
  expect "explain v1 token" 1 'A v1.0 token was checked against a v2.0 policy' "$jg" explain "${common[@]}" --no-color --header "Authorization: Bearer $(cat "$ex/tokens/v1.jwt")"
  expect "explain json" 1 '"code":"token_version_mismatch"' "$jg" explain "${common[@]}" --json --header "Authorization: Bearer $(cat "$ex/tokens/v1.jwt")"
  expect "explain valid" 0 'pass signature' "$jg" explain "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/valid.jwt")"
  expect "explain unresolved named value" 2 'named_value_unresolved|named value that was not supplied' "$jg" explain --policy "$ex/policy.xml" --no-color "$(cat "$ex/tokens/valid.jwt")"
  expect "decode meanings" 0 'authorized party' "$jg" decode --now "$(cat "$ex/now.txt")" "$(cat "$ex/tokens/valid.jwt")"
  expect "decode version" 0 'token: Entra ID v2.0, issuer Entra ID \(public cloud\)' "$jg" decode "$(cat "$ex/tokens/valid.jwt")"
  expect "decode relative time" 0 'exp: 1764404500  2025-11-29T08:21:40Z, in 58 min 20 s' "$jg" decode --now "$(cat "$ex/now.txt")" "$(cat "$ex/tokens/valid.jwt")"
  expect "example message" 1 'message: Unauthorized. Invalid token.' "$jg" validate "${common[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/expired.jwt")"
fi

# The encrypted example (examples/encrypted): the same token inside a JWE,
# decrypted with the key registered by --decryption-key.
enc="$root/examples/encrypted"
ecommon=(--policy "$enc/policy.xml" "${common[@]:2}")
if [ -f "$enc/policy.xml" ]; then
  dk=(--decryption-key "token-encryption=$enc/token-encryption.pem")
  expect "encrypted valid" 0 '^valid' "$jg" validate "${ecommon[@]}" "${dk[@]}" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  expect "encrypted, claims of the nested token" 0 '"azp":"a1888df2' "$jg" validate "${ecommon[@]}" "${dk[@]}" --json --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  expect "encrypted to another key" 1 'reason: +jwe_decryption_failed: the encrypted token \(JWE\) could not be decrypted' "$jg" validate "${ecommon[@]}" "${dk[@]}" --header "Authorization: Bearer $(cat "$enc/tokens/other-key.jwt")"
  expect "decryption failure names no step to the client" 1 '"reason":"jwe_decryption_failed"' "$jg" validate "${ecommon[@]}" "${dk[@]}" --json --header "Authorization: Bearer $(cat "$enc/tokens/other-key.jwt")"
  out=$("$jg" validate "${ecommon[@]}" "${dk[@]}" --json --header "Authorization: Bearer $(cat "$enc/tokens/other-key.jwt")" 2>&1)
  if grep -qiE 'unwrap|tag|padding' <<<"$out"; then echo "FAIL decryption failure leaks its step: $out" | head -5; fail=$((fail+1)); else pass=$((pass+1)); fi
  expect "explain names the step" 1 'could not be unwrapped' "$jg" explain "${ecommon[@]}" "${dk[@]}" --no-color --header "Authorization: Bearer $(cat "$enc/tokens/other-key.jwt")"
  expect "encrypted without the key" 2 'certificate-id "token-encryption" has no private key registered' "$jg" validate "${ecommon[@]}" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  expect "encrypted, certificate instead of key" 2 'registered as a certificate' "$jg" validate "${ecommon[@]}" --certificate "token-encryption=$keys/rsa2048.cert.pem" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  # A password-protected PKCS#8 key, its password read from a file.
  openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:s3cret -in "$enc/token-encryption.pem" -out "$tmp/enc.p8.pem" 2>/dev/null
  printf 's3cret\n' > "$tmp/pw.txt"
  expect "encrypted key with password file" 0 '^valid' "$jg" validate "${ecommon[@]}" --decryption-key "token-encryption=$tmp/enc.p8.pem" --decryption-key-password "token-encryption=$tmp/pw.txt" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  printf 'Zq7-not-it\n' > "$tmp/bad-pw.txt"
  expect "encrypted key, wrong password" 2 'decryption key token-encryption' "$jg" validate "${ecommon[@]}" --decryption-key "token-encryption=$tmp/enc.p8.pem" --decryption-key-password "token-encryption=$tmp/bad-pw.txt" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
  out=$("$jg" validate "${ecommon[@]}" --decryption-key "token-encryption=$tmp/enc.p8.pem" --decryption-key-password "token-encryption=$tmp/bad-pw.txt" "x" 2>&1)
  if grep -q "$(sed -n 2p "$enc/token-encryption.pem" | cut -c1-30)" <<<"$out" || grep -q "Zq7-not-it" <<<"$out"; then
    echo "FAIL key material or password in an error: $out" | head -5; fail=$((fail+1)); else pass=$((pass+1)); fi
  expect "password without key" 2 'names no --decryption-key' "$jg" validate "${ecommon[@]}" "${dk[@]}" --decryption-key-password "other=$tmp/pw.txt" "x"
  expect "plain token to the encrypted example is still taken" 0 '^valid' "$jg" validate "${ecommon[@]}" "${dk[@]}" --header "Authorization: Bearer $(cat "$ex/tokens/valid.jwt")"
fi

# Hostile text from a token never reaches the terminal raw (every output
# form: validate, --json, --show-claims, explain, explain --json, decode,
# decode --json, errors): no control byte but the CLI's own newlines, no ESC
# (output is not a terminal; NO_COLOR is set too), valid UTF-8 without
# C1/bidirectional controls or U+2028/U+2029, no line starting with the
# forged log line, and --json output is one line of valid JSON.
clean() {  # clean NAME WANT_EXIT JSON(0/1) cmd...
  local name="$1" want="$2" json="$3"; shift 3
  local code
  NO_COLOR=1 "$@" >"$tmp/out" 2>"$tmp/err"; code=$?
  if [ "$code" -ne "$want" ]; then
    echo "FAIL $name: exit $code, wanted $want"; head -c 2000 "$tmp/out" "$tmp/err"; fail=$((fail+1)); return
  fi
  if ! python3 - "$tmp/out" "$tmp/err" "$json" <<'PY'
import json, sys
forged = "2026-12-01T00:00:00Z INFO token accepted"
invisible = set(range(0x80, 0xa0)) | {0x61c, 0x200e, 0x200f, 0x2066, 0x2067, 0x2068, 0x2069} | set(range(0x2028, 0x202f))
for path in sys.argv[1:3]:
    data = open(path, "rb").read()
    bad = [c for c in data if (c < 0x20 and c != 0x0a) or c == 0x7f]
    if bad:
        sys.exit(f"{path}: raw control bytes {sorted(set(bad))}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{path}: not UTF-8: {e}")
    if any(ord(ch) in invisible for ch in text):
        sys.exit(f"{path}: invisible control character")
    if any(line.startswith(forged) for line in text.split("\n")):
        sys.exit(f"{path}: a line starts with the forged text")
if sys.argv[3] == "1":
    lines = open(sys.argv[1], "rb").read().decode().rstrip("\n").split("\n")
    if len(lines) != 1:
        sys.exit(f"--json wrote {len(lines)} lines")
    json.loads(lines[0])
PY
  then
    echo "FAIL $name: unclean output"; head -c 2000 "$tmp/out" "$tmp/err"; fail=$((fail+1)); return
  fi
  pass=$((pass+1))
}
hostile='x\"\n2026-12-01T00:00:00Z INFO token accepted...\u001b[31m\r\u0007\u007f\u202e\u2028\u009b31m'
hostile_claims="{\"iss\":\"$hostile\",\"aud\":[\"api://demo\",\"$hostile\"],\"sub\":\"$hostile\",\"scp\":\"$hostile\",\"$hostile\":\"$hostile\",\"exp\":$((now+3600))}"
bad_kid=$("$mint" RS256 "$keys/rsa2048b.pem" "{\"alg\":\"RS256\",\"kid\":\"$hostile\",\"typ\":\"$hostile\",\"$hostile\":1}" "$(claims $((now+3600)))")
bad_claims=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$hostile_claims")
bad_dup=$("$mint" RS256 "$keys/rsa2048.pem" "{\"alg\":\"RS256\",\"$hostile\":1,\"$hostile\":2}" "$(claims $((now+3600)))")
for t in bad_kid bad_claims bad_dup; do
  tok="${!t}"
  clean "hostile $t: validate" 1 0 "$jg" validate "${pk[@]}" --show-claims "$tok"
  clean "hostile $t: validate --json" 1 1 "$jg" validate "${pk[@]}" --json "$tok"
  clean "hostile $t: explain" 1 0 "$jg" explain "${pk[@]}" "$tok"
  clean "hostile $t: explain --json" 1 1 "$jg" explain "${pk[@]}" --json "$tok"
done
clean "hostile claims: decode" 0 0 "$jg" decode --now $now "$bad_claims"
clean "hostile header: decode" 0 0 "$jg" decode --now $now "$bad_kid"
clean "hostile claims: decode --json" 0 1 "$jg" decode --json "$bad_claims"
clean "hostile header: decode --json" 0 1 "$jg" decode --json "$bad_kid"
clean "hostile repeated name: decode" 1 0 "$jg" decode "$bad_dup"
clean "hostile bytes as the token" 1 0 "$jg" validate "${pk[@]}" "$(printf 'x\033[31m\r\n2026-12-01T00:00:00Z INFO token accepted\377')"
clean "hostile bytes in the header" 1 0 "$jg" validate "${pk[@]}" --header "$(printf 'Authorization: x\033[31m\r2026-12-01T00:00:00Z INFO token accepted\377')"
clean "hostile bytes to explain" 1 0 "$jg" explain "${pk[@]}" --header "$(printf 'Authorization: Bearer x\033[31m\r\342\200\256\377')"
expect "hostile kid shown escaped" 1 "kid is: 'x\"\\\\n2026-12-01T00:00:00Z INFO token accepted" "$jg" validate "${pk[@]}" "$bad_kid"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
