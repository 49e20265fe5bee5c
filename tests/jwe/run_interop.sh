#!/usr/bin/env bash
# run_interop.sh JWTGATE SOURCE_ROOT: nested JWTs made by another library,
# jose (npm; tests/integration installs it with oidc-provider), for every
# JWE alg x enc jwtgate supports (ECDH-ES on P-256, P-384, P-521, X25519),
# each validated by `jwtgate validate` with a policy that requires
# encryption and holds every decryption key (the private keys registered
# with --decryption-key, the secrets as APIM's base64 <key> text). Prints
# one line per token and the matrix size; every token must be valid.
# Needs `npm ci` in tests/integration (scripts/test.sh runs it); without it
# the test is skipped locally and fails under CI.
set -uo pipefail
jg="$1"; root="$2"; here="$root/tests/integration"
if [ ! -d "$here/node_modules/jose" ]; then
  echo "jwe-interop: jose is not installed (run: npm ci --prefix $here)"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Node resolves 'jose' from the script's directory upwards: run a copy
# beside tests/integration/node_modules.
cp "$root/tests/jwe/interop_jose.mjs" "$here/.interop_jose.mjs"
node "$here/.interop_jose.mjs" "$tmp" || { rm -f "$here/.interop_jose.mjs"; echo "FAIL - jose did not run"; exit 1; }
rm -f "$here/.interop_jose.mjs"
secret() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$tmp/secrets.json"; }
cat > "$tmp/policy.json" <<JSON
{"validate-jwt": {
  "header-name": "Authorization",
  "require-scheme": "Bearer",
  "decryption-keys": [
    {"certificate-id": "rsa"}, {"certificate-id": "p256"}, {"certificate-id": "p384"},
    {"certificate-id": "p521"}, {"certificate-id": "x25519"},
    {"value": "$(secret k16)"}, {"value": "$(secret k24)"}, {"value": "$(secret k32)"},
    {"value": "$(secret k48)"}, {"value": "$(secret k64)"}],
  "audiences": ["api://interop"],
  "issuers": ["https://issuer.example/"],
  "jwtgate": {"encryption": "required"}}}
JSON
pass=0; fail=0
while IFS=$'\t' read -r alg enc curve token; do
  name="$alg $enc${curve:+ $curve}"; name="${name% -}"
  if [ "${token#ERROR:}" != "$token" ]; then
    fail=$((fail+1)); echo "FAIL - $name: jose could not encrypt: ${token#ERROR:}"; continue
  fi
  out=$("$jg" validate --policy "$tmp/policy.json" --keys "$tmp/jwks.json" \
        --decryption-key rsa="$tmp/rsa.pem" --decryption-key p256="$tmp/p256.pem" \
        --decryption-key p384="$tmp/p384.pem" --decryption-key p521="$tmp/p521.pem" \
        --decryption-key x25519="$tmp/x25519.pem" \
        --header "Authorization: Bearer $token" 2>&1)
  if [ $? -eq 0 ]; then pass=$((pass+1)); echo "ok - $name"
  else fail=$((fail+1)); echo "FAIL - $name"; printf '%s\n' "$out" | head -5; fi
done < "$tmp/tokens.tsv"
echo "jwe-interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -eq 162 ]
