#!/usr/bin/env bash
# test_module_reload_leaks.sh MODULE MINT_TOKEN JWTGATE SOURCE_ROOT: the nginx
# master under valgrind's memcheck across reloads. Each reload builds the
# module's validators for the new configuration and frees the old ones with
# the old configuration's pool; at a clean stop the master destroys its last
# pool, so every block the module allocated is freed by then. A block
# allocated during a reload (its stack passes through
# ngx_master_process_cycle) and lost at exit is a leak per reload; the test
# fails on any. This is the precise check behind test_module.sh's coarse
# resident-size bound (which also sees the allocator settling).
# Reloads under master_process off are not used: Debian's nginx itself
# crashes on a reload in that mode (a timer after "reconfiguring").
set -uo pipefail
module="$1"; mint="$2"; jg="$3"; root="$4"
. "$root/tests/serve/lib.sh"
. "$root/tests/nginx/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/install-deps.sh)"; exit 1; }
ex="$root/examples/article"
keys="$root/tests/data/keys"
jwe_policy="$root/tests/data/policies/jwe-required.json"
front=$(free_port)
ngx_conf leaks "
  jwtgate_named_value tenant-id $tenant;
  jwtgate_named_value backend-app-id $api;
  server {
    listen 127.0.0.1:$front;
$(article_policy_conf)
    location / { return 200 \"ok \$jwtgate_claim_oid\n\"; }
    location /jwe/ { jwtgate_policy $jwe_policy; jwtgate_keys $keys/rsa2048.pub.pem; jwtgate_decryption_key enc $keys/rsa2048.pem; return 200 \"ok\n\"; }
  }" 1
# The workers are not followed (--trace-children=no has no effect on fork;
# --child-silent-after-fork keeps their reports out of the master's log).
valgrind --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --child-silent-after-fork=yes --num-callers=60 \
  --log-file="$tmp/valgrind.log" nginx -p "$tmp/leaks" -c "$tmp/leaks/nginx.conf" -e "$tmp/leaks/logs/error.log" &
vg_pid=$!
pids+=("$vg_pid")
for _ in $(seq 30); do
  wait_port "$front" 2>/dev/null && break
  kill -0 "$vg_pid" 2>/dev/null || { echo "nginx did not start:"; cat "$tmp/leaks/logs/error.log"; finish; exit 1; }
done
valid=$(mint_example $(( $(date +%s) + 3600 )))
get "http://127.0.0.1:$front/x" -H "Authorization: Bearer $valid"
check "a valid token before the reloads: 200" 200 "$code"
# One worker: each reload logs one more "start worker process".
for r in 1 2 3 4 5; do
  kill -HUP "$vg_pid"
  for _ in $(seq 900); do   # 90 s at most: a reload under valgrind takes some 7 s
    [ "$(grep -c "start worker process [0-9]" "$tmp/leaks/logs/error.log")" -gt "$r" ] && break
    sleep 0.1
  done
done
check "5 reloads, each with a new worker" 5 "$(grep -c ": reconfiguring$" "$tmp/leaks/logs/error.log")"
for _ in $(seq 100); do
  get "http://127.0.0.1:$front/x" -H "Authorization: Bearer $valid"; [ "$code" = 200 ] && break; sleep 0.1
done
check "a valid token after the reloads: 200" 200 "$code"
kill -QUIT "$vg_pid"
wait "$vg_pid"; rc=$?
check "the master stops cleanly" 0 "$rc"
summary=$(grep -E "definitely lost:|indirectly lost:|possibly lost:" "$tmp/valgrind.log")
echo "$summary"
# Loss records with the stack of a reload.
per_reload=$(awk '/lost in loss record/ {rec=$0; next} rec && /ngx_master_process_cycle/ {print rec; rec=""} /^==[0-9]+== $/ {rec=""}' "$tmp/valgrind.log")
if [ -n "$summary" ] && [ -z "$per_reload" ]; then
  ok "no block allocated during a reload is lost at exit"
else
  bad "blocks allocated during a reload are lost: ${per_reload:-no leak summary in the valgrind log}"
  grep -B2 -A60 "ngx_master_process_cycle" "$tmp/valgrind.log" | head -120
fi
finish
