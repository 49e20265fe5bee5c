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
expect "wrong key" 1 'signature|key' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048b.pub.pem" --now $now "$rs"
expect "JWKS key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$root/examples/article/jwks.json" --now $now "$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"demo-key-1"}' "$(claims $((now+60)))")"
expect "certificate key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.cert.pem" --now $now "$rs"
expect "DER key file" 0 '^valid' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pub.der" --now $now "$rs"
expect "private key refused" 2 'PRIVATE' "$jg" validate --policy "$tmp/policy.json" --keys "$keys/rsa2048.pem" --now $now "$rs"
expect "missing policy" 2 'policy' "$jg" validate "$rs"
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

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
