#!/usr/bin/env bash
# test_module_valgrind.sh MODULE MINT_TOKEN JWTGATE SOURCE_ROOT ENCRYPT_TOKEN: the module's
# code under valgrind's memcheck, in Debian's nginx (master_process off: one
# process, valgrind follows every thread): valid, refused and duplicate
# tokens, every variable, a cookie token, encrypted tokens (a decryption key
# from jwtgate_decryption_key: decrypted, and one that fails), keys fetched by the refresh thread
# from a local provider, and a clean stop. Any memcheck error fails the test
# (exit code 99); nginx's own allocations live until exit by design, so leaks
# are not counted.
set -uo pipefail
module="$1"; mint="$2"; jg="$3"; root="$4"; enc_tool="$5"
. "$root/tests/serve/lib.sh"
. "$root/tests/nginx/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/install-deps.sh)"; exit 1; }
ex="$root/examples/article"
python3 "$root/tests/nginx/slow_idp.py" "$tmp/idp.port" "$iss" "$ex/jwks.json" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/idp.port" ] && break; sleep 0.05; done
cat > "$tmp/remote.xml" <<XML
<validate-jwt header-name="Authorization" require-scheme="Bearer">
  <openid-config url="http://127.0.0.1:$(cat "$tmp/idp.port")/0/.well-known/openid-configuration" />
  <audiences><audience>$api</audience></audiences>
</validate-jwt>
XML
keys="$root/tests/data/keys"
jwe_policy="$root/tests/data/policies/jwe-required.json"
front=$(free_port); up=$(free_port)
ngx_conf vg "
  jwtgate_named_value tenant-id $tenant;
  jwtgate_named_value backend-app-id $api;
  server {
    listen 127.0.0.1:$front;
$(article_policy_conf)
    add_header X-Vars \"\$jwtgate_status|\$jwtgate_reason|\$jwtgate_message|\$jwtgate_explain|\$jwtgate_valid\" always;
    proxy_set_header X-User \$jwtgate_claim_oid;
    proxy_set_header X-Kid \$jwtgate_header_kid;
    proxy_set_header X-Claims \$jwtgate_claims;
    location / { proxy_pass http://127.0.0.1:$up; }
    location /cookie/ { jwtgate_token \$cookie_t; proxy_pass http://127.0.0.1:$up; }
    location /jwe/ { jwtgate_policy $jwe_policy; jwtgate_keys $keys/rsa2048.pub.pem; jwtgate_decryption_key enc $keys/rsa2048.pem; proxy_pass http://127.0.0.1:$up; }
    location /remote/ { jwtgate_policy $tmp/remote.xml; jwtgate_allow_http_loopback on; proxy_pass http://127.0.0.1:$up; }
  }
  server { listen 127.0.0.1:$up; location / { return 200 \"up \$http_x_user \$http_x_kid\n\"; } }" 1
sed -i 's/^daemon off;/daemon off;\nmaster_process off;/' "$tmp/vg/nginx.conf"
valgrind --error-exitcode=99 --leak-check=no --trace-children=no --num-callers=30 \
  --log-file="$tmp/valgrind.log" nginx -p "$tmp/vg" -c "$tmp/vg/nginx.conf" -e "$tmp/vg/logs/error.log" &
vg_pid=$!
pids+=("$vg_pid")
for _ in $(seq 300); do wait_port "$front" 2>/dev/null && break; sleep 0.1; done
now=$(date +%s)
valid=$(mint_example $((now+3600)))
expired=$(mint_example $((now-600)))
base="http://127.0.0.1:$front"
get "$base/x" -H "Authorization: Bearer $valid"
check "valid token under valgrind: 200" 200 "$code"
check "... claims upstream" "up 00000000-0000-0000-0000-00000000a11c demo-key-1" "$body"
get "$base/x" -H "Authorization: Bearer $expired"
check "expired under valgrind: 401" 401 "$code"
check_grep "... every variable" "^401\|TokenExpired\|Unauthorized. Invalid token.\|expired \(exp\)" "$(header X-Vars)"
get "$base/x"
check "no token: 401" 401 "$code"
get "$base/x?x=1&y&=z" -H "Authorization: Bearer abc.def.ghi"
check "garbage token and odd query: 401" 401 "$code"
get "$base/cookie/x" -H "Cookie: t=$valid"
check "cookie token: 200" 200 "$code"
jws=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' \
  "{\"iss\":\"https://issuer.example\",\"aud\":\"api://demo\",\"oid\":\"o-jwe\",\"exp\":$((now+3600))}")
jwe=$(printf '%s' "$jws" | "$enc_tool" RSA-OAEP-256 A256GCM "$keys/rsa2048.pem")
jwe_other=$(printf '%s' "$jws" | "$enc_tool" RSA-OAEP-256 A256GCM "$keys/rsa2048b.pem")
get "$base/jwe/x" -H "Authorization: Bearer $jwe"
check "encrypted token under valgrind: 200" 200 "$code"
check "... the nested token's claim upstream" "up o-jwe r1" "$body"
get "$base/jwe/x" -H "Authorization: Bearer $jwe_other"
check "encrypted to another key: 401" 401 "$code"
check_grep "... the one decryption reason" "|jwe_decryption_failed: " "$(header X-Vars)"
get_until 200 50 0.2 "$base/remote/x" -H "Authorization: Bearer $valid"
check "keys from the refresh thread (openid-config): 200" 200 "$code"
kill -QUIT "$vg_pid"
wait "$vg_pid"; rc=$?
errors=$(grep -E "ERROR SUMMARY" "$tmp/valgrind.log" | tail -1)
check "valgrind: exit status (99 on any memcheck error)" 0 "$rc"
check_grep "valgrind: no error" "ERROR SUMMARY: 0 errors" "$errors"
[ "$rc" = 0 ] || grep -A25 -m3 "^==[0-9]*== [A-Z]" "$tmp/valgrind.log" | head -80
finish
