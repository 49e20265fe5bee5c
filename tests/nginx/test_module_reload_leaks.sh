#!/usr/bin/env bash
# test_module_reload_leaks.sh MODULE MINT_TOKEN JWTGATE SOURCE_ROOT: the nginx
# master under valgrind's memcheck across reloads. Each reload builds the
# module's validators for the new configuration and frees the old ones with
# the old configuration's pool; at a clean stop the master destroys its last
# pool, so every block the module allocated is freed by then. A block
# allocated during a reload (its stack passes through
# ngx_master_process_cycle) and lost at exit is a leak per reload; the test
# fails on any, and on any growth of the master's heap in use across the
# reloads (memory kept, not lost). These are the precise checks behind
# test_module.sh's coarse resident-size bound (which also sees the allocator
# settling).
# Reloads under master_process off are not used: Debian's nginx itself
# crashes on a reload in that mode (a timer after "reconfiguring").
set -uo pipefail
module="$1"; mint="$2"; jg="$3"; root="$4"
. "$root/tests/serve/lib.sh"
. "$root/tests/nginx/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/install-deps.sh)"; exit 1; }
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
valgrind --vgdb-poll=100 --leak-check=full --show-leak-kinds=definite,indirect,possible \
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
# in_use: the bytes of the master's heap in use now (valgrind's gdbserver,
# through vgdb: the leak check's four kinds, summed). Under valgrind no
# allocator caches blocks, so this is exactly what the program holds. vgdb
# wakes the master, asleep in sigsuspend, with ptrace; where ptrace is not
# allowed, a SIGUSR1 each second (nginx reopens its logs) lets valgrind see
# the request (--vgdb-poll=100 above).
in_use() {
  local poke
  sleep 1   # the master back in sigsuspend after its last step
  (for _ in $(seq 30); do sleep 1; kill -USR1 "$vg_pid" 2>/dev/null; done) &
  poke=$!
  timeout 120 vgdb --pid="$vg_pid" leak_check summary 2>/dev/null |
    awk '/(definitely|indirectly|possibly) lost:|still reachable:/ {v=$0; sub(/^.*(lost|reachable): /, "", v); sub(/ .*/, "", v); gsub(/,/, "", v); t+=v; n++}
         END {if (n == 4) print t}'
  kill "$poke" 2>/dev/null
}
heap0=$(in_use)
# One worker: each reload logs one more "start worker process".
for r in 1 2 3 4 5; do
  kill -HUP "$vg_pid"
  for _ in $(seq 900); do   # 90 s at most: a reload under valgrind takes some 7 s
    [ "$(grep -c "start worker process [0-9]" "$tmp/leaks/logs/error.log")" -gt "$r" ] && break
    sleep 0.1
  done
done
check "5 reloads, each with a new worker" 5 "$(grep -c ": reconfiguring$" "$tmp/leaks/logs/error.log")"
heap1=$(in_use)
echo "the master's heap in use: ${heap0:-?} bytes before the reloads, ${heap1:-?} after 5"
# Nothing kept per reload either (a registry that only grows would not be
# lost at exit): at most 1 kB of growth per reload (none today).
if [ -n "$heap0" ] && [ -n "$heap1" ] && [ $((heap1 - heap0)) -le 5120 ]; then
  ok "the master's heap in use does not grow with reloads ($((heap1 - heap0)) bytes over 5)"
else
  bad "the master's heap in use: ${heap0:-no figure from vgdb} bytes before the reloads, ${heap1:-no figure from vgdb} after 5"
fi
get_until 200 100 0.1 "http://127.0.0.1:$front/x" -H "Authorization: Bearer $valid"
check "a valid token after the reloads: 200" 200 "$code"
kill -QUIT "$vg_pid"
wait "$vg_pid"; rc=$?
check "the master stops cleanly" 0 "$rc"
# The master's report only (valgrind's pid is nginx's: it runs nginx in its
# own process); a worker's report (nginx's own ngx_set_environment block of
# 8 bytes) may be there too.
grep "^==$vg_pid==" "$tmp/valgrind.log" > "$tmp/master.log"
summary=$(grep -E "definitely lost:|indirectly lost:|possibly lost:" "$tmp/master.log")
echo "$summary"
# Loss records with the stack of a reload.
per_reload=$(awk '/lost in loss record/ {rec=$0; next} rec && /ngx_master_process_cycle/ {print rec; rec=""} /^==[0-9]+== $/ {rec=""}' "$tmp/master.log")
if [ -n "$summary" ] && [ -z "$per_reload" ]; then
  ok "no block allocated during a reload is lost at exit"
else
  bad "blocks allocated during a reload are lost: ${per_reload:-no leak summary in the valgrind log}"
  grep -B2 -A60 "ngx_master_process_cycle" "$tmp/master.log" | head -120
fi
finish
