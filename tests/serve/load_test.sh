#!/usr/bin/env bash
# load_test.sh JWTGATE MINT_TOKEN SOURCE_ROOT [--long] [--sanitized]
#
# wrk against jwtgate serve, directly and through nginx (auth_request), for
# a valid RS256 token verified every time (cache off) and for cache hits
# (cache on). Each run must have zero errors: no socket errors, no status but
# 200. Prints a table of requests per second and p99 latency.
#
# --long (manual; docs/serving.md): then ten minutes of mixed valid and
# refused tokens through nginx, with jwtgate's resident memory sampled every
# 30 s; it fails when memory grows by more than 10 % after the warm-up.
# --sanitized: a sanitizer build (meson passes it): timings would measure the
# sanitizer, so the test says so and exits 77 (meson's "skipped").
set -uo pipefail
jg="$1"; mint="$2"; root="$3"; shift 3
long=0; sanitized=0
for a in "$@"; do
  case "$a" in --long) long=1 ;; --sanitized) sanitized=1 ;; *) echo "unknown argument $a"; exit 2 ;; esac
done
if [ "$sanitized" = 1 ]; then
  echo "SKIP: load test not run in a sanitizer build (AddressSanitizer makes the figures meaningless;"
  echo "      the same code paths run under the sanitizers in test_nginx.sh, test_serve.sh, test_hostile.py)"
  exit 77
fi
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh installs it)"; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed"; exit 1; }
. "$root/tests/serve/lib.sh"
. "$root/tests/serve/nginx.sh"
keys="$root/tests/data/keys"
duration="${JWTGATE_LOAD_SECONDS:-10}"
conns="${JWTGATE_LOAD_CONNECTIONS:-32}"

cat > "$tmp/policy.json" <<'JSON'
{"validate-jwt": {"header-name": "Authorization", "require-scheme": "Bearer",
  "issuers": ["https://issuer.example"], "audiences": ["api://demo"],
  "required-claims": [{"name": "scp", "match": "any", "separator": " ", "values": ["Data.Read"]}]}}
JSON
# The same policy twice: /nocache/ verifies the signature of every request,
# /cached/ answers a token it has verified before from the cache.
cat > "$tmp/serve.json" <<JSON
{"limits": {"threads": 2, "connections": 4096},
 "routes": [
  {"prefix": "/nocache/", "policy": "policy.json", "keys": ["$keys/rsa2048.pub.pem"],
   "claim_headers": {"sub": "X-Jwt-Sub"}},
  {"prefix": "/cached/", "policy": "policy.json", "keys": ["$keys/rsa2048.pub.pem"],
   "cache_entries": 100000, "claim_headers": {"sub": "X-Jwt-Sub"}}
]}
JSON
now=$(date +%s)
claims() { echo "{\"iss\":\"https://issuer.example\",\"aud\":\"${2:-api://demo}\",\"sub\":\"alice\",\"scp\":\"Data.Read\",\"iat\":$((now-60)),\"exp\":$1}"; }
valid=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now+7200)))")

NGINX_UPSTREAM_LOG=off
start_jwtgate "$tmp/jwtgate.log" --config "$tmp/serve.json" || exit 1
start_nginx "$jg_port" || exit 1

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# run LABEL URL: one wrk run; appends a table row, counts failures.
rows=()
run() {
  local label="$1" url="$2" out rps p99 non2xx sockerr
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Authorization: Bearer $valid" "$url" 2>&1)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  sockerr=$(grep -oE 'Socket errors: .*' <<<"$out" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  local requests; requests=$(grep -oE '^ +[0-9]+ requests in' <<<"$out" | grep -oE '[0-9]+')
  rows+=("| $label | ${rps:-?} | ${p99:-?} | ${requests:-0} | $((non2xx + sockerr)) |")
  if [ -z "$rps" ] || [ "${requests:-0}" -eq 0 ] || [ "$non2xx" -ne 0 ] || [ "$sockerr" -ne 0 ]; then
    bad "$label: errors (non-2xx $non2xx, socket $sockerr)"; echo "$out"
  else
    ok "$label: ${rps} req/s, p99 ${p99}, 0 errors"
  fi
}

echo "load: ${duration}s per run, wrk -t2 -c$conns, jwtgate threads 2, $(nproc) CPUs"
rss0=$(rss_kb "$jg_pid")
run "direct, RS256 verified every request" "http://127.0.0.1:$jg_port/nocache/x"
run "direct, cache hits" "http://127.0.0.1:$jg_port/cached/x"
run "nginx auth_request, RS256 verified every request" "http://127.0.0.1:$front_port/nocache/x"
run "nginx auth_request, cache hits" "http://127.0.0.1:$front_port/cached/x"
rss1=$(rss_kb "$jg_pid")
echo
echo "| path | req/s | p99 | requests | errors |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "jwtgate RSS: ${rss0} kB before, ${rss1} kB after the short runs"
curl -s "http://127.0.0.1:$jg_port/metrics" | grep -E '^jwtgate_validations_total|code="(200|401|500)"'

if [ "$long" = 1 ]; then
  minutes="${JWTGATE_LONG_MINUTES:-10}"
  expired=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now-10)))")
  wrong_aud=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now+7200)) api://other)")
  wrong_key=$("$mint" RS256 "$keys/rsa2048b.pem" '{"alg":"RS256","kid":"r1"}' "$(claims $((now+7200)))")
  # Mixed: valid (cached and not), expired, wrong audience, wrong key,
  # garbage, and missing tokens; plus a fresh valid token per cycle position
  # so the cache keeps inserting and evicting.
  cases="$tmp/cases.lua"
  {
    echo "return {"
    echo "  {path='/nocache/a', headers={['Authorization']='Bearer $valid'}},"
    echo "  {path='/cached/b', headers={['Authorization']='Bearer $valid'}},"
    echo "  {path='/nocache/c', headers={['Authorization']='Bearer $expired'}},"
    echo "  {path='/cached/d', headers={['Authorization']='Bearer $wrong_aud'}},"
    echo "  {path='/nocache/e', headers={['Authorization']='Bearer $wrong_key'}},"
    echo "  {path='/cached/f', headers={['Authorization']='Bearer not.a.token'}},"
    echo "  {path='/nocache/g', headers={}},"
    for i in $(seq 1 20); do
      t=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' "{\"iss\":\"https://issuer.example\",\"aud\":\"api://demo\",\"sub\":\"user$i\",\"scp\":\"Data.Read\",\"exp\":$((now+7200))}")
      echo "  {path='/cached/u$i', headers={['Authorization']='Bearer $t'}},"
    done
    echo "}"
  } > "$cases"
  before=$(curl -s "http://127.0.0.1:$jg_port/metrics")
  echo
  echo "long run: ${minutes} min of mixed load through nginx; RSS of jwtgate every 30 s"
  JWTGATE_LOAD_CASES="$cases" wrk -t2 -c"$conns" -d"${minutes}m" --latency -s "$root/tests/serve/mixed.lua" \
    "http://127.0.0.1:$front_port" > "$tmp/long.txt" 2>&1 &
  wrk_pid=$!
  samples=()
  elapsed=0
  while kill -0 "$wrk_pid" 2>/dev/null; do
    samples+=("$elapsed:$(rss_kb "$jg_pid")")
    sleep 30; elapsed=$((elapsed + 30))
  done
  wait "$wrk_pid"
  samples+=("$elapsed:$(rss_kb "$jg_pid")")
  cat "$tmp/long.txt"
  after=$(curl -s "http://127.0.0.1:$jg_port/metrics")
  echo "RSS samples (s:kB): ${samples[*]}"
  # Warm-up is the first two minutes (the cache filling, allocator pools).
  warm=$(printf '%s\n' "${samples[@]}" | awk -F: '$1>=120 {print $2; exit}')
  last=$(printf '%s\n' "${samples[@]}" | tail -1 | cut -d: -f2)
  max=$(printf '%s\n' "${samples[@]}" | awk -F: '$1>=120 {if ($2>m) m=$2} END {print m}')
  echo "RSS after warm-up ${warm} kB, max ${max} kB, last ${last} kB"
  if [ -n "$warm" ] && [ "$max" -le $((warm + warm / 10)) ]; then ok "long run: no memory growth (max within 10 % of ${warm} kB)"
  else bad "long run: memory grew from ${warm} kB to ${max} kB"; fi
  unexpected=$(awk '/unexpected statuses/ {print $3}' "$tmp/long.txt")
  check "long run: no status but 200 and 401" 0 "${unexpected:-missing}"
  sock=$(grep -c 'Socket errors' "$tmp/long.txt")
  check "long run: no socket errors" 0 "$sock"
  # Every 401 nginx sent came from a refusal jwtgate counted, and nothing
  # else failed (no 5xx from jwtgate).
  metric() { awk -v k="$1" '$1==k {print $2}' <<<"$2"; }
  inval=0
  for r in /nocache/ /cached/; do
    k="jwtgate_validations_total{route=\"$r\",outcome=\"invalid\"}"
    inval=$((inval + $(metric "$k" "$after") - $(metric "$k" "$before")))
  done
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/long.txt"); non2xx=${non2xx:-0}
  # wrk stops with up to one request in flight per connection: jwtgate has
  # answered those, wrk has not counted them.
  diff=$((inval - non2xx))
  if [ "$diff" -ge 0 ] && [ "$diff" -le "$conns" ]; then
    ok "long run: nginx's 401s ($non2xx) are jwtgate's refusals ($inval; $diff in flight at the end)"
  else
    bad "long run: nginx's 401s ($non2xx) differ from jwtgate's refusals ($inval)"
  fi
  k='jwtgate_http_replies_total{code="500"}'
  check "long run: no 500 from jwtgate" 0 "$(metric "$k" "$after")"
  echo "$after" | grep -E '^jwtgate_(validations_total|validation_failures_total)'
fi
finish
