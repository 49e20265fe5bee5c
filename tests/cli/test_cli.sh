#!/usr/bin/env bash
# test_cli.sh JWTGATE MINT_TOKEN SOURCE_ROOT: the CLI end to end: exit codes
# (0 valid, 1 invalid, 2 usage/config), --json output, token sources, key
# files of every format, the bundled example, hostile token text; help on
# every command, usage errors, --version, colour, the man page and the bash
# completion (built beside JWTGATE: jwtgate.1, completion/jwtgate).
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
# Google's and Firebase's key map: kid -> PEM certificate; the kid names the key.
python3 -c 'import json,sys; print(json.dumps({"r1": open(sys.argv[1]).read(), "other": open(sys.argv[2]).read()}))' \
  "$keys/rsa2048.cert.pem" "$keys/rsa2048b.pub.pem" > "$tmp/google-certs.json"
expect "key map file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/google-certs.json" --now $now "$rs"
expect "key map: the kid names the key" 1 'signature_invalid|SignatureInvalid' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/google-certs.json" --now $now "$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"other"}' "$(claims $((now+60)))")"
expect "private key refused" 2 'PRIVATE' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pem" --now $now "$rs"
expect "missing policy" 2 'policy' "$jg" validate "$rs"
# Public key text is never an HMAC secret (CVE-2022-29217): a policy <key>
# holding a PEM public key (after a BOM and a comment, base64-encoded), a
# JWK oct key whose "k" is a certificate, an SSH public key pasted as is.
pem_b64=$(printf '\357\273\277# signing key\n%s\n' "$(cat "$keys/ec256.pub.pem")" | base64 -w0)
cat > "$tmp/pemkey.xml" <<XML
<validate-jwt header-name="Authorization"><issuer-signing-keys><key>$pem_b64</key></issuer-signing-keys></validate-jwt>
XML
expect "policy <key> holding a PEM public key" 1 'issuer-signing-keys/key\[1\]: symmetric key: this looks like a public key or certificate \(a PEM block "-----BEGIN PUBLIC KEY-----", base64-encoded\), not an HMAC secret.*CVE-2022-29217' "$jg" policy check "$tmp/pemkey.xml"
expect "validate with that policy" 2 'CVE-2022-29217' "$jg" validate --policy "$tmp/pemkey.xml" --now $now "$rs"
printf '{"kty":"oct","k":"%s"}' "$(base64 -w0 < "$keys/rsa2048.cert.der" | tr '+/' '-_' | tr -d '=')" > "$tmp/certoct.jwk"
expect "JWK oct key holding a certificate" 2 '"k": this looks like a public key or certificate \(a DER X.509 certificate\)' "$jg" validate --policy "$tmp/policy.json" --keys "$tmp/certoct.jwk" --now $now "$rs"
ssh_line=$(grep ssh-ed25519 "$keys/ssh/openssh_public_keys.txt")
cat > "$tmp/sshkey.json" <<JSON
{"validate-jwt": {"header-name": "Authorization", "issuer-signing-keys": [{"value": "$(printf '%s' "$ssh_line" | base64 -w0)"}]}}
JSON
expect "policy value holding an SSH public key" 1 'an OpenSSH public key "ssh-ed25519 AAAA' "$jg" policy check "$tmp/sshkey.json"
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
expect "policy check refuses it too" 1 'holds a symmetric \(oct\) key' "$jg" policy check "${offline[@]}" --jwks-document "https://issuer.example/keys=$tmp/secret-set.json" "$tmp/oidc.json"
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
  expect "encrypted key, wrong password" 2 'decryption key "token-encryption"' "$jg" validate "${ecommon[@]}" --decryption-key "token-encryption=$tmp/enc.p8.pem" --decryption-key-password "token-encryption=$tmp/bad-pw.txt" --header "Authorization: Bearer $(cat "$enc/tokens/encrypted.jwt")"
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

# ---- The command line's conventions, all driven by cli/command_table.cpp.
# run cmd...: stdout, stderr and the exit code apart ($out, $err, $code).
run() { "$@" >"$tmp/o" 2>"$tmp/e"; code=$?; out=$(cat "$tmp/o"); err=$(cat "$tmp/e"); }
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1"; shift; printf '%s\n' "$@" | head -20; fail=$((fail+1)); }

# Help: `jwtgate help CMD`, `jwtgate CMD -h` and `jwtgate CMD --help` print
# the same usage on stdout, exit 0, say nothing on stderr.
for cmd in validate explain decode policy "policy check" "policy convert" token serve version help completion; do
  run "$jg" help $cmd; want="$out"
  if [ "$code" -ne 0 ] || [ -n "$err" ] || [[ "$out" != "usage: jwtgate $cmd "* ]]; then
    bad "help $cmd: exit $code" "$out" "$err"; continue
  fi
  ok
  for form in -h --help; do
    run "$jg" $cmd $form
    if [ "$code" -ne 0 ] || [ -n "$err" ] || [ "$out" != "$want" ]; then bad "$cmd $form differs from help $cmd (exit $code)" "$err"; else ok; fi
  done
done
# -h and --help come before any other check.
expect_help() {  # expect_help NAME cmd...
  local name="$1"; shift; run "$@"
  if [ "$code" -ne 0 ] || [ -n "$err" ] || [[ "$out" != "usage: jwtgate "* ]] || grep -q 'FILE is required' <<<"$out"; then
    bad "$name: exit $code" "$out" "$err"
  else ok; fi
}
expect_help "validate -h without --policy" "$jg" validate -h
expect_help "validate -h after an unknown option" "$jg" validate --frobnicate -h
expect_help "validate --help where --policy wants a value" "$jg" validate "$rs" --policy --help
expect_help "explain -h with a broken policy" "$jg" explain --policy "$tmp/bad.json" -h
expect_help "serve -h with a missing configuration" "$jg" serve --config /nonexistent -h
expect_help "policy check -h without a file" "$jg" policy check -h
expect_help "policy -h" "$jg" policy -h
expect_help "token -h without a secret" "$jg" token --help
expect_help "jwtgate -h" "$jg" -h
expect_help "jwtgate --help" "$jg" --help
expect_help "jwtgate help" "$jg" help
run "$jg" validate -h
grep -q '^Exit status: 0 the token is valid, 1 it is invalid, 2 usage or configuration' <<<"$out" && ok || bad "validate -h lacks the exit status" "$out"

# Usage errors: exit 2, nothing on stdout, one line saying what is wrong
# and one saying where the help is.
usage_err() {  # usage_err NAME LINE_PATTERN cmd...
  local name="$1" pattern="$2"; shift 2; run "$@"
  local lines; lines=$(printf '%s\n' "$err" | wc -l)
  if [ "$code" -ne 2 ] || [ -n "$out" ] || [ "$lines" -ne 2 ] || ! head -1 <<<"$err" | grep -qE -- "$pattern" ||
     ! tail -1 <<<"$err" | grep -qE "^try 'jwtgate help( [a-z]+)*'$"; then
    bad "$name: exit $code, stdout ${#out} bytes, stderr $lines lines" "$err"
  else ok; fi
}
usage_err "unknown option" '^jwtgate validate: unknown option "--frobnicate"$' "$jg" validate "${pk[@]}" --frobnicate "$rs"
usage_err "unknown option hint" '' "$jg" validate --frobnicate
[ "$(tail -1 <<<"$err")" = "try 'jwtgate help validate'" ] && ok || bad "the hint names the command" "$err"
usage_err "a typo gets a suggestion" '^jwtgate validate: unknown option "--polcy"; did you mean --policy\?$' "$jg" validate --polcy x "$rs"
usage_err "unknown short option" 'unknown option "-z"' "$jg" decode -z "$rs"
usage_err "missing value" '^jwtgate validate: --policy needs a value \(FILE\)$' "$jg" validate "$rs" --policy
usage_err "unknown command" '^jwtgate: unknown command "frobnicate"$' "$jg" frobnicate
usage_err "a command typo gets a suggestion" 'did you mean validate\?$' "$jg" valdate
usage_err "unknown subcommand" '^jwtgate policy: unknown subcommand "lint"$' "$jg" policy lint "$tmp/policy.json"
usage_err "options before the subcommand" 'give a subcommand before the options' "$jg" policy --to json "$tmp/policy.json"
usage_err "help on an unknown command" 'unknown command "frobnicate"' "$jg" help frobnicate
usage_err "unknown option before the command" '^jwtgate: unknown option "--frobnicate"$' "$jg" --frobnicate
usage_err "a value outside the choices" '^jwtgate decode: --color takes auto, always or never, not "sometimes"$' "$jg" decode --color=sometimes "$rs"
usage_err "a switch given a value" '^jwtgate decode: --json takes no value$' "$jg" decode --json=yes "$rs"
usage_err "an option given twice" '^jwtgate validate: --policy may be given only once$' "$jg" validate --policy a --policy b "$rs"
usage_err "contradicting colour options" 'contradict' "$jg" decode --no-color --color=always "$rs"
usage_err "no token" 'give the token' "$jg" validate "${pk[@]}"
usage_err "no policy" '^jwtgate validate: --policy FILE is required$' "$jg" validate "$rs"
usage_err "a bad --now" 'takes Unix seconds, not "soon"' "$jg" decode --now soon "$rs"
usage_err "completion for another shell" 'bash is the only shell' "$jg" completion zsh
usage_err "version takes no operand" 'takes no operand' "$jg" version x
usage_err "serve --config with route options" 'does not go with --config' "$jg" serve --config "$tmp/x.json" --policy "$tmp/policy.json"
usage_err "an unreadable file" 'cannot read' "$jg" policy check "$tmp/missing.json"
usage_err "an option from another command" 'unknown option "--show-claims"' "$jg" explain "${pk[@]}" --show-claims "$rs"
usage_err "a hostile argument is escaped" 'unknown option "--\\x1b\[31m\\r"$' "$jg" validate $'--\e[31m\r'
# `jwtgate policy` and `jwtgate` alone: the usage, on stderr, exit 2.
run "$jg" policy
[ "$code" -eq 2 ] && [ -z "$out" ] && grep -q '^jwtgate policy: give a subcommand$' <<<"$err" &&
  grep -q '^usage: jwtgate policy check' <<<"$err" && ok || bad "policy alone: exit $code" "$out" "$err"
run "$jg"
[ "$code" -eq 2 ] && [ -z "$out" ] && [[ "$err" == "usage: jwtgate COMMAND"* ]] && ok || bad "no command: exit $code" "$out" "$err"

# --version, -V and version: this program's version, then the library's
# with its features, the libraries it uses, and jwtgate serve's.
ver=$(sed -n "s/^  version : '\([0-9.]*\)',$/\1/p" "$root/meson.build")
run "$jg" --version; v1="$out"
if [ "$code" -ne 0 ] || [ -n "$err" ] || [ "$(sed -n 1p <<<"$out")" != "jwtgate $ver" ] ||
   ! sed -n 2p <<<"$out" | grep -qE "^libjwtgate $ver: policy-xml policy-json( network)?$" ||
   ! sed -n 3p <<<"$out" | grep -qE '^uses OpenSSL/3\.[0-9.]+( libcurl/[0-9.]+)? simdjson/[0-9.]+ pugixml/[0-9.]+$' ||
   [ "$(sed -n 2p <<<"$out" | grep -c ' network$')" != "$(sed -n 3p <<<"$out" | grep -c ' libcurl/')" ] ||
   ! sed -n 4p <<<"$out" | grep -qE '^serve: (libmicrohttpd/[0-9.]+|not built)'; then
  bad "--version (meson.build says $ver)" "$out" "$err"
else ok; fi
for form in -V version; do
  run "$jg" $form; [ "$code" -eq 0 ] && [ "$out" = "$v1" ] && ok || bad "$form differs from --version" "$out"
done

# --json: one line of JSON wherever a command prints text.
json_ok() {  # json_ok NAME WANT_EXIT PYTHON_CHECK cmd...: the output parses and passes the check on j
  local name="$1" want="$2" check="$3"; shift 3; run "$@"
  if [ "$code" -ne "$want" ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] ||
     ! python3 -m json.tool <<<"$out" >/dev/null ||
     ! python3 -c "import json, sys; j = json.loads(sys.argv[1]); assert $check, j" "$out"; then
    bad "$name: exit $code" "$out" "$err"
  else ok; fi
}
json_ok "validate --json" 0 'j["valid"] is True and j["claims"]["sub"] == "alice"' "$jg" validate "${pk[@]}" --json "$rs"
json_ok "explain --json" 1 'j["valid"] is False and any(f["code"] == "token_expired" or f["code"] for f in j["findings"])' "$jg" explain "${pk[@]}" --json "$expired"
json_ok "explain --json, policy that does not load" 2 'j["findings"][0]["code"] == "named_value_unresolved"' "$jg" explain --json --policy "$tmp/nv.json" "$rs"
json_ok "decode --json" 0 'j["verified"] is False and j["claims"]["sub"] == "alice" and j["about"]["claims"]["exp"]["relative"] == "in 1 h" and j["about"]["header"]["kid"]["meaning"] == "which key signed the token"' "$jg" decode --json --now $now "$rs"
json_ok "decode --json, expired" 0 'j["about"]["claims"]["exp"]["state"] == "expired" and j["about"]["claims"]["exp"]["relative"] == "10 s ago"' "$jg" decode --json --now $now "$expired"
json_ok "decode --json, not a token" 1 'j["header"] is None and j["claims"] is None' "$jg" decode --json "abc.def"
json_ok "policy check --json" 0 'j == {"policy": sys.argv[2] if False else j["policy"], "loads": True, "errors": 0, "warnings": 0, "problems": []} and j["policy"].endswith("policy.json")' "$jg" policy check --json "$tmp/policy.json"
json_ok "policy check --json, errors" 1 'j["loads"] is False and j["errors"] >= 1 and j["errors"] + j["warnings"] == len(j["problems"]) and all(set(p) == {"line", "column", "path", "message", "warning"} for p in j["problems"]) and any("clock-skew" in p["path"] + p["message"] for p in j["problems"])' "$jg" policy check --json "$tmp/bad.json"
json_ok "policy check --json, PEM key as secret" 1 'j["problems"][0]["path"].endswith("issuer-signing-keys/key[1]") and "CVE-2022-29217" in j["problems"][0]["message"] and j["problems"][0]["warning"] is False and j["problems"][0]["line"] == 1' "$jg" policy check --json "$tmp/pemkey.xml"
json_ok "policy convert --json" 0 'j["validate-jwt"]["issuers"] == ["https://issuer.example"]' "$jg" policy convert --json "$tmp/policy.json"
json_ok "version --json" 0 'j["jwtgate"] == j["library"]["version"] and "policy-xml" in j["library"]["features"] and j["library"]["dependencies"]["OpenSSL"].startswith("3.") and set(j["library"]["dependencies"]) == {"OpenSSL", "simdjson", "pugixml"} | ({"libcurl"} if "network" in j["library"]["features"] else set()) and "serve" in j' "$jg" version --json
usage_err "convert: --json and --to xml" 'contradict' "$jg" policy convert --json --to xml "$tmp/policy.json"
# policy check as text: FILE:LINE:COLUMN: error: PATH: MESSAGE, then a summary.
run "$jg" policy check "$tmp/pemkey.xml"
[ "$code" -eq 1 ] && grep -qE "^$tmp/pemkey.xml:1: error: .*issuer-signing-keys/key\[1\]: symmetric key: " <<<"$out" &&
  [ "$(tail -1 <<<"$out")" = "policy $tmp/pemkey.xml does not load: 1 error, 0 warnings" ] && ok || bad "policy check text" "$out" "$err"
run "$jg" policy check "$tmp/policy.json"
[ "$code" -eq 0 ] && [ "$out" = "policy $tmp/policy.json loads: 0 warnings" ] && ok || bad "policy check text, clean" "$out"

# Colour: only on a terminal, never with NO_COLOR set (unless --color=always
# says so), whatever the command; --color=never and --no-color turn it off.
esc=$'\e'
colour() {  # colour NAME WANT(0 none / 1 some) cmd... (output to a file: not a terminal)
  local name="$1" want="$2"; shift 2
  "$@" >"$tmp/c" 2>&1
  local has=0; grep -q "$esc" "$tmp/c" && has=1
  [ "$has" -eq "$want" ] && ok || bad "$name: ESC $([ "$has" -eq 1 ] && echo present || echo absent)" "$(head -3 "$tmp/c")"
}
tty_colour() {  # tty_colour NAME WANT cmd...: the same on a pseudo-terminal
  local name="$1" want="$2"; shift 2
  python3 -c 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)' "$@" </dev/null >"$tmp/c" 2>&1
  local has=0; grep -q "$esc" "$tmp/c" && has=1
  [ "$has" -eq "$want" ] && ok || bad "$name on a terminal: ESC $([ "$has" -eq 1 ] && echo present || echo absent)" "$(head -3 "$tmp/c")"
}
declare -A colour_cmds=(
  [validate]="validate --policy $tmp/policy.json --keys $keys/rsa2048.pub.pem --now $now $expired"
  [explain]="explain --policy $tmp/policy.json --keys $keys/rsa2048.pub.pem --now $now $expired"
  [decode]="decode --now $now $rs"
  [policy-check]="policy check $tmp/pemkey.xml"
)
for name in "${!colour_cmds[@]}"; do
  read -r -a c <<<"${colour_cmds[$name]}"
  colour "$name piped" 0 "$jg" "${c[@]}"
  colour "$name piped, NO_COLOR=1" 0 env NO_COLOR=1 "$jg" "${c[@]}"
  colour "$name --color=always" 1 "$jg" "${c[@]}" --color=always
  colour "$name --color always, NO_COLOR=1" 1 env NO_COLOR=1 "$jg" "${c[@]}" --color always
  tty_colour "$name" 1 env -u NO_COLOR "$jg" "${c[@]}"
  tty_colour "$name, NO_COLOR=" 1 env NO_COLOR= "$jg" "${c[@]}"
  tty_colour "$name, NO_COLOR=1" 0 env NO_COLOR=1 "$jg" "${c[@]}"
  tty_colour "$name --color=never" 0 env -u NO_COLOR "$jg" "${c[@]}" --color=never
  tty_colour "$name --no-color" 0 env -u NO_COLOR "$jg" "${c[@]}" --no-color
done
colour "validate --json --color=always" 0 "$jg" validate "${pk[@]}" --json --color=always "$rs"

# help_options: the options a --help lists (its "  -x, --name ARG" labels).
help_options() { grep -E '^  (-[a-zA-Z], |    )--[a-z]' | sed -E 's/^ +//; s/  .*//' | grep -oE -- '(^| )--?[a-zA-Z][a-zA-Z-]*' | tr -d ' '; }

# The man page: built beside the program from the same table, the same as
# the committed docs/jwtgate.1, and it renders.
man_page="$(dirname "$jg")/jwtgate.1"
if cmp -s "$man_page" "$root/docs/jwtgate.1"; then ok; else bad "docs/jwtgate.1 differs from the built $man_page (ninja -C build cli-docs)"; fi
if command -v groff >/dev/null; then
  groff -man -Tutf8 -ww -P-cbou "$man_page" >"$tmp/man.txt" 2>"$tmp/man.err"
  [ $? -eq 0 ] && [ ! -s "$tmp/man.err" ] && grep -q 'EXIT STATUS' "$tmp/man.txt" && grep -q 'jwtgate policy check' "$tmp/man.txt" &&
    ok || bad "the man page does not render cleanly" "$(cat "$tmp/man.err")"
else
  grep -q '^\.TH JWTGATE 1 ' "$man_page" && grep -q '^\.SH SYNOPSIS$' "$man_page" && ok || bad "the man page lacks .TH or .SH"
fi
for cmd in validate explain decode policy "policy check" "policy convert" token serve version help completion; do
  grep -qF ".SS \"jwtgate $cmd\"" "$man_page" || { bad "the man page lacks jwtgate $cmd"; continue; }
  # Every option --help lists, the man page lists.
  missing=$("$jg" $cmd --help | help_options | grep -- '^--' |
            while read -r o; do grep -qF "\\fB${o//-/\\-}\\fR" "$man_page" || echo "$o"; done)
  [ -z "$missing" ] && ok || bad "the man page lacks $cmd options" "$missing"
done

# The bash completion: the installed script is what `jwtgate completion bash`
# prints, and it completes commands, subcommands, options and their values.
completion="$(dirname "$jg")/completion/jwtgate"
"$jg" completion bash >"$tmp/completion" && cmp -s "$tmp/completion" "$completion" && bash -n "$completion" &&
  ok || bad "completion/jwtgate differs from jwtgate completion bash, or is not bash"
complete_is() {  # complete_is WANT words...: COMPREPLY for the last word, sorted
  local want="$1"; shift
  local got
  got=$(bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _jwtgate; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " " | sed "s/ $//"' \
        _ "$completion" "$@")
  [ "$got" = "$want" ] && ok || bad "completion of '$*': [$got], wanted [$want]"
}
complete_is "validate" jwtgate val
complete_is "check convert" jwtgate policy c
complete_is "--policy" jwtgate validate --po
complete_is "--client-auth --client-id --client-secret-env --client-secret-file" jwtgate token --client-  # never --client-secret
complete_is "always auto never" jwtgate decode --color =
complete_is "always" jwtgate decode --color = al
complete_is "always" jwtgate decode --color al
complete_is "json xml" jwtgate policy convert --to ""
complete_is "200 204" jwtgate serve --success-status ""
complete_is "policy" jwtgate help pol
complete_is "check convert" jwtgate help policy ""
complete_is "bash" jwtgate completion ""
complete_is "" jwtgate validate --header ""
complete_is "$root/meson.build $root/meson_options.txt" jwtgate validate --policy "$root/meson"
complete_is "$root/meson.build $root/meson_options.txt" jwtgate policy check "$root/meson"
complete_is "" jwtgate decode "$root/meson"  # a token, not a file
# Every option of validate's --help, and nothing else, is offered.
want=$("$jg" validate --help | help_options | sort | tr '\n' ' ')
got=$(bash -c 'source "$1"; COMP_WORDS=(jwtgate validate -); COMP_CWORD=2; _jwtgate; printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" | sort | tr '\n' ' ')
[ "$got" = "$want" ] && ok || bad "validate's options: completion [$got], --help [$want]"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
