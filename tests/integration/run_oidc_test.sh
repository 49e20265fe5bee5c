#!/usr/bin/env bash
# run_oidc_test.sh JWTGATE VALIDATE_SESSION SOURCE_ROOT: jwtgate against a
# real OpenID provider (oidc-provider, tests/integration/provider.mjs) on
# 127.0.0.1. Gets tokens with `jwtgate token` (client credentials, both
# client authentication methods, RS256 and ES256), validates them with a
# policy whose openid-config points at the provider, then rotates the
# provider's keys and shows that a token signed with the new key is accepted
# after exactly one refetch. Needs `npm ci` in tests/integration (CI runs
# it); without it the test is skipped locally and fails under CI.
set -uo pipefail
jg="$1"; session="$2"; here="$3/tests/integration"
if [ ! -d "$here/node_modules/oidc-provider" ]; then
  echo "integration: oidc-provider is not installed (run: npm ci --prefix $here)"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77  # meson: skipped
fi
tmp=$(mktemp -d)
provider_pid=""; session_pid=""
cleanup() {
  [ -n "$session_pid" ] && kill "$session_pid" 2>/dev/null
  [ -n "$provider_pid" ] && kill "$provider_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok - $1"; }
bad() { fail=$((fail+1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | head -20; }
finish() { echo "integration: $pass passed, $fail failed"; [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; exit $?; }

# A fresh random secret, handed over in the environment only.
JWTGATE_TEST_CLIENT_SECRET="s-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JWTGATE_TEST_CLIENT_SECRET
mkfifo "$tmp/provider.in"
node "$here/provider.mjs" < "$tmp/provider.in" > "$tmp/provider.out" 2> "$tmp/provider.err" &
provider_pid=$!
exec 7> "$tmp/provider.in"  # held open: the provider stops when it closes
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^{"port":\([0-9]*\)}$/\1/p' "$tmp/provider.out")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then bad "provider did not start" "$(cat "$tmp/provider.err")"; finish; fi
base="http://127.0.0.1:$port"
ok "oidc-provider listening on 127.0.0.1:$port"
stats() { curl -s --noproxy '*' "$base/__test/stats"; }
jwks_count() { stats | sed -n 's/.*"jwks":\([0-9]*\).*/\1/p'; }
header_of() {  # the decoded JOSE header of a compact JWS
  local h; h=$(cut -d. -f1 <<<"$1" | tr '_-' '/+')
  while [ $(( ${#h} % 4 )) -ne 0 ]; do h="$h="; done
  base64 -d <<<"$h" 2>/dev/null
}

get_token() {  # get_token CLIENT AUTH RESOURCE
  "$jg" token --token-endpoint "$base/token" --client-id "$1" --client-auth "$2" \
    --client-secret-env JWTGATE_TEST_CLIENT_SECRET --scope api.read --resource "$3" \
    --allow-http-loopback 2> "$tmp/token.err"
}

# --- tokens by the client-credentials grant -------------------------------
token_rs=$(get_token jwtgate-post post urn:jwtgate:rs256)
if [ "$(tr -cd . <<<"$token_rs" | wc -c)" -eq 2 ] && header_of "$token_rs" | grep -q '"kid":"rsa-1"'; then
  ok "jwtgate token (client_secret_post): RS256 access token, kid rsa-1 ($(cut -c1-24 <<<"$token_rs")...)"
else bad "jwtgate token (post)" "$(cat "$tmp/token.err")"; fi
token_es=$(get_token jwtgate-basic basic urn:jwtgate:es256)
if header_of "$token_es" | grep -q '"alg":"ES256"'; then
  ok "jwtgate token (client_secret_basic): ES256 access token, kid ec-1"
else bad "jwtgate token (basic)" "$(cat "$tmp/token.err")"; fi
json=$("$jg" token --token-endpoint "$base/token" --client-id jwtgate-post \
  --client-secret-env JWTGATE_TEST_CLIENT_SECRET --scope api.read --allow-http-loopback --json 2>&1)
if grep -q '"access_token":"' <<<"$json" && grep -q '"token_type":"Bearer"' <<<"$json"; then
  ok "jwtgate token --json prints the whole response"
else bad "jwtgate token --json" "$json"; fi
out=$(WRONG_SECRET="wrong-$JWTGATE_TEST_CLIENT_SECRET" "$jg" token --token-endpoint "$base/token" \
  --client-id jwtgate-post --client-secret-env WRONG_SECRET --scope api.read --allow-http-loopback 2>&1)
code=$?
if [ $code -eq 1 ] && grep -q 'refused the request (HTTP 401): invalid_client' <<<"$out" &&
   ! grep -qF "$JWTGATE_TEST_CLIENT_SECRET" <<<"$out"; then
  ok "a wrong secret is refused (exit 1, invalid_client) and never printed"
else bad "wrong secret" "$out"; fi

out=$("$jg" token --token-endpoint "$base/token" --client-id jwtgate-post --client-secret "$JWTGATE_TEST_CLIENT_SECRET" \
  --scope api.read --allow-http-loopback 2>&1)
if [ $? -eq 2 ] && grep -q 'not taken on the command line' <<<"$out" && ! grep -qF "$JWTGATE_TEST_CLIENT_SECRET" <<<"$out"; then
  ok "--client-secret on the command line is refused (exit 2), the value not echoed"
else bad "--client-secret refused" "$out"; fi
out=$(env -u NO_SUCH_VAR "$jg" token --tenant contoso.onmicrosoft.com --client-id x --client-secret-env NO_SUCH_VAR --scope s 2>&1)
if [ $? -eq 2 ] && grep -q 'NO_SUCH_VAR is not set' <<<"$out"; then ok "an unset secret variable is a usage error"
else bad "unset secret variable" "$out"; fi

# --- validation against the provider's openid-config ----------------------
cat > "$tmp/policy.xml" <<XML
<validate-jwt header-name="Authorization" require-scheme="Bearer">
  <openid-config url="$base/.well-known/openid-configuration" />
  <audiences><audience>urn:jwtgate:rs256</audience><audience>urn:jwtgate:es256</audience></audiences>
  <required-claims><claim name="scope"><value>api.read</value></claim></required-claims>
</validate-jwt>
XML
out=$("$jg" validate --policy "$tmp/policy.xml" --allow-http-loopback "$token_rs" 2>&1)
if [ $? -eq 0 ] && grep -q '^valid' <<<"$out"; then ok "jwtgate validate: RS256 token accepted (keys and issuer fetched)"
else bad "jwtgate validate RS256" "$out"; fi
out=$("$jg" validate --policy "$tmp/policy.xml" --allow-http-loopback --header "Authorization: Bearer $token_es" 2>&1)
if [ $? -eq 0 ]; then ok "jwtgate validate: ES256 token accepted"; else bad "jwtgate validate ES256" "$out"; fi
out=$("$jg" validate --policy "$tmp/policy.xml" "$token_rs" 2>&1)
if [ $? -eq 1 ] && grep -q 'keys_unavailable' <<<"$out" && grep -q 'needs allow-http-loopback' <<<"$out"; then
  ok "without --allow-http-loopback plain http is refused: keys_unavailable, reason given"
else bad "http refused" "$out"; fi

# --- rotation: one long-lived validator -----------------------------------
coproc SESSION { "$session" "$tmp/policy.xml" 2>&1; }
session_pid=$SESSION_PID
ask() { echo "$1" >&"${SESSION[1]}"; local reply; IFS= read -r -t 20 reply <&"${SESSION[0]}"; echo "$reply"; }
r=$(ask "validate $token_rs")
c=$(ask counters)
if [ "$r" = valid ] && grep -q '^fetches=1 failures=0' <<<"$c"; then ok "session: token accepted after the first load ($c)"
else bad "session first load" "$r / $c"; fi
before=$(jwks_count)
curl -s --noproxy '*' -X POST "$base/__test/rotate" > /dev/null
token_new=$(get_token jwtgate-post post urn:jwtgate:rs256)
if header_of "$token_new" | grep -q '"kid":"rsa-2"'; then ok "provider rotated its keys: new token has kid rsa-2"
else bad "rotation" "$(header_of "$token_new")"; fi
r=$(ask "validate $token_new")
if grep -q '^invalid key_not_found' <<<"$r"; then ok "new kid unknown at first: key_not_found, validation did not wait"
else bad "new kid before refetch" "$r"; fi
c=$(ask "wait-fetches 2 5000")
r=$(ask "validate $token_new")
after=$(jwks_count)
if [ "$r" = valid ] && grep -q '^fetches=2 failures=0 kid_misses=1' <<<"$c" && [ $((after - before)) -eq 1 ]; then
  ok "token signed with the new key accepted after exactly one refetch ($c; provider served the JWK Set $((after - before)) more time)"
else bad "refetch" "$r / $c / jwks served $before -> $after"; fi
r=$(ask "validate $token_rs")
sleep 0.3
c=$(ask counters)
if grep -q '^invalid key_not_found' <<<"$r" && grep -q '^fetches=2 ' <<<"$c" && [ "$(jwks_count)" -eq "$after" ]; then
  ok "the withdrawn key is refused, and its kid miss causes no further fetch within the window ($c)"
else bad "withdrawn key" "$r / $c"; fi
ask quit > /dev/null
finish
