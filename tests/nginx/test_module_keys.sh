#!/usr/bin/env bash
# test_module_keys.sh MODULE MINT_TOKEN JWTGATE SOURCE_ROOT: keys fetched
# inside nginx (docs/nginx.md, "Keys inside nginx").
#  1. A request that arrives before the first keys waits on a timer, never
#     blocking the worker (one worker: a request to another location is
#     answered meanwhile), and is accepted once they arrive; with
#     jwtgate_keys_wait 0 it gets 503 with Retry-After at once, and with a
#     short wait 503 when the wait ends.
#  2. A real OpenID provider (oidc-provider, tests/integration/provider.mjs):
#     tokens from `jwtgate token`, accepted through openid-config by two
#     workers; key rotation: a token signed by the new key is accepted after
#     the refresh thread's refetch, the withdrawn key is refused, and the
#     provider sees at most one discovery and one JWK Set fetch per worker
#     for each.
set -uo pipefail
module="$1"; mint="$2"; jg="$3"; root="$4"
. "$root/tests/serve/lib.sh"
. "$root/tests/nginx/lib.sh"
here="$root/tests/integration"
ex="$root/examples/article"
now=$(date +%s)
valid=$(mint_example $((now+3600)))

# --- 1. waiting for the first keys -------------------------------------------------
python3 "$root/tests/nginx/slow_idp.py" "$tmp/idp.port" "$iss" "$ex/jwks.json" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/idp.port" ] && break; sleep 0.05; done
idp="http://127.0.0.1:$(cat "$tmp/idp.port")"
policy() {  # policy FILE DELAY_MS
  cat > "$1" <<XML
<validate-jwt header-name="Authorization" require-scheme="Bearer">
  <openid-config url="$idp/$2/.well-known/openid-configuration" />
  <audiences><audience>$api</audience></audiences>
</validate-jwt>
XML
}
policy "$tmp/slow.xml" 2500     # keys arrive 2.5 s after the worker starts
policy "$tmp/hang.xml" 60000    # never within the test
front=$(free_port); up=$(free_port)
# "return" answers in the rewrite phase, before access: the answer comes
# from a second server, behind proxy_pass.
upstream_server="
  server {
    listen 127.0.0.1:$up;
    location / { return 200 \"user=\$http_x_user client=\$http_x_client kid=\$http_x_kid\n\"; }
  }"
ngx_start keys "$upstream_server
  server {
    listen 127.0.0.1:$front;
    jwtgate_allow_http_loopback on;
    add_header X-Jwtgate-Reason \$jwtgate_reason always;
    proxy_set_header X-User \$jwtgate_claim_oid;
    location /wait/ { jwtgate_policy $tmp/slow.xml; jwtgate_keys_wait 6s; proxy_pass http://127.0.0.1:$up; }
    location /nowait/ { jwtgate_policy $tmp/hang.xml; jwtgate_keys_wait 0; proxy_pass http://127.0.0.1:$up; }
    location /shortwait/ { jwtgate_policy $tmp/hang.xml; jwtgate_keys_wait 1s; proxy_pass http://127.0.0.1:$up; }
    location /public/ { return 200 \"public\n\"; }
  }" 1
wait_port "$front" || { cat "$tmp/keys/logs/error.log"; finish; exit 1; }
base="http://127.0.0.1:$front"
t0=$(date +%s%N)
curl -s --noproxy '*' -o "$tmp/wait.body" -w '%{http_code} %{time_total}\n' \
  -H "Authorization: Bearer $valid" "$base/wait/x" > "$tmp/wait.out" &
wait_job=$!
sleep 0.3
get "$base/public/x"
t1=$(date +%s%N)
check "while a request waits for keys, the one worker answers others" 200 "$code"
if [ $(( (t1 - t0) / 1000000 )) -lt 1500 ]; then ok "... at once ($(( (t1 - t0) / 1000000 )) ms after the waiting request started)"
else bad "the worker was blocked: $(( (t1 - t0) / 1000000 )) ms"; fi
get "$base/nowait/x" -H "Authorization: Bearer $valid"
check "jwtgate_keys_wait 0 before the first keys: 503" 503 "$code"
check "... Retry-After" 1 "$(header Retry-After)"
check "... \$jwtgate_reason" KeysLoading "$(header X-Jwtgate-Reason)"
check "... body" "Service unavailable: the signing keys are loading." "$body"
s=$(date +%s%N)
get "$base/shortwait/x" -H "Authorization: Bearer $valid"
e=$(( ($(date +%s%N) - s) / 1000000 ))
check "jwtgate_keys_wait 1s: 503 when the wait ends" 503 "$code"
if [ "$e" -ge 950 ] && [ "$e" -lt 3000 ]; then ok "... after ${e} ms"; else bad "waited ${e} ms"; fi
wait "$wait_job"
read -r wcode wtime < "$tmp/wait.out"
check "the waiting request is accepted once the keys arrive" 200 "$wcode"
check "... with its claims" "user=00000000-0000-0000-0000-00000000a11c client= kid=" "$(cat "$tmp/wait.body")"
python3 -c "import sys; t=float(sys.argv[1]); sys.exit(0 if 1.0 <= t <= 6.0 else 1)" "$wtime" &&
  ok "... after waiting ${wtime} s (keys 2.5 s after start)" || bad "wait took ${wtime} s"
nginx -p "$tmp/keys" -c "$tmp/keys/nginx.conf" -s stop 2>/dev/null

# --- 2. oidc-provider: discovery, rotation, fetches per worker ---------------------
if [ ! -d "$here/node_modules/oidc-provider" ]; then
  echo "oidc-provider is not installed (run: npm ci --prefix $here)"
  bad "oidc-provider missing"; finish; exit 1
fi
JWTGATE_TEST_CLIENT_SECRET="s-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JWTGATE_TEST_CLIENT_SECRET
mkfifo "$tmp/provider.in"
node "$here/provider.mjs" < "$tmp/provider.in" > "$tmp/provider.out" 2> "$tmp/provider.err" &
pids+=($!)
exec 7> "$tmp/provider.in"
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^{"port":\([0-9]*\)}$/\1/p' "$tmp/provider.out"); [ -n "$port" ] && break; sleep 0.1
done
[ -n "$port" ] || { bad "provider did not start: $(cat "$tmp/provider.err")"; finish; exit 1; }
op="http://127.0.0.1:$port"
stat() { curl -s --noproxy '*' "$op/__test/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
token() {
  "$jg" token --token-endpoint "$op/token" --client-id jwtgate-post --client-secret-env JWTGATE_TEST_CLIENT_SECRET \
    --scope api.read --resource urn:jwtgate:rs256 --allow-http-loopback 2> "$tmp/token.err"
}
cat > "$tmp/oidc.xml" <<XML
<validate-jwt header-name="Authorization" require-scheme="Bearer">
  <openid-config url="$op/.well-known/openid-configuration" />
  <audiences><audience>urn:jwtgate:rs256</audience></audiences>
  <required-claims><claim name="scope"><value>api.read</value></claim></required-claims>
</validate-jwt>
XML
front=$(free_port); up=$(free_port)
upstream_server="
  server {
    listen 127.0.0.1:$up;
    location / { return 200 \"client=\$http_x_client kid=\$http_x_kid\n\"; }
  }"
ngx_start oidc "$upstream_server
  server {
    listen 127.0.0.1:$front;
    add_header X-Jwtgate-Reason \$jwtgate_reason always;
    location / {
      jwtgate_policy $tmp/oidc.xml;
      jwtgate_allow_http_loopback on;
      proxy_set_header X-Client \$jwtgate_claim_client_id;
      proxy_set_header X-Kid \$jwtgate_header_kid;
      proxy_pass http://127.0.0.1:$up;
    }
  }" 2
wait_port "$front" || { cat "$tmp/oidc/logs/error.log"; finish; exit 1; }
base="http://127.0.0.1:$front"
tok1=$(token)
# several requests: both workers see the token
for i in 1 2 3 4 5 6; do get "$base/x" -H "Authorization: Bearer $tok1"; [ "$code" = 200 ] || break; done
check "oidc-provider token accepted through openid-config (both workers)" 200 "$code"
check "... claims and header variables" "client=jwtgate-post kid=rsa-1" "$body"
sleep 0.5
d0=$(stat discovery); j0=$(stat jwks)
if [ "$d0" -le 2 ] && [ "$j0" -le 2 ] && [ "$d0" -ge 1 ]; then ok "first load: $d0 discovery and $j0 JWK Set fetches for 2 workers (at most one each)"
else bad "first load fetches: discovery $d0, jwks $j0"; fi

curl -s --noproxy '*' -X POST "$op/__test/rotate" > /dev/null
tok2=$(token)
header_kid=$(cut -d. -f1 <<<"$tok2" | tr '_-' '/+' | base64 -d 2>/dev/null | grep -o '"kid":"[^"]*"')
check "provider rotated: the new token's kid" '"kid":"rsa-2"' "$header_kid"
accepted=0
for _ in $(seq 60); do
  get "$base/x" -H "Authorization: Bearer $tok2"
  if [ "$code" = 200 ]; then accepted=$((accepted+1)); [ "$accepted" -ge 6 ] && break
  else check "before the refetch: 401 TokenSignatureKeyNotFound" "401 TokenSignatureKeyNotFound" "$code $(header X-Jwtgate-Reason)"; sleep 0.1; fi
done
check "a token of the rotated key is accepted after the refetch (6 in a row)" 6 "$accepted"
check "... claims" "client=jwtgate-post kid=rsa-2" "$body"
get "$base/x" -H "Authorization: Bearer $tok1"
check "the withdrawn key is refused" "401 TokenSignatureKeyNotFound" "$code $(header X-Jwtgate-Reason)"
for _ in $(seq 10); do get "$base/x" -H "Authorization: Bearer $tok1"; done
sleep 0.5
j1=$(stat jwks)
if [ $((j1 - j0)) -ge 1 ] && [ $((j1 - j0)) -le 2 ]; then
  ok "rotation cost the provider $((j1 - j0)) JWK Set fetch(es) for 2 workers, however many unknown kids (bound: one per worker per refetch window)"
else bad "JWK Set fetches after rotation: $j0 -> $j1"; fi
grep -E '\[(alert|emerg|crit)\]' "$tmp/oidc/logs/error.log" && bad "alerts in the error log" || ok "no alert in the error log"
nginx -p "$tmp/oidc" -c "$tmp/oidc/nginx.conf" -s stop 2>/dev/null
finish
