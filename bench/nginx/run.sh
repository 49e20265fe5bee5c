#!/usr/bin/env bash
# bench/nginx/run.sh [BUILD_DIR] [SECONDS]: the nginx module's throughput
# (docs/performance.md, "nginx"). One run, wrk over loopback against
# Debian's nginx (2 workers), the same valid RS256 token throughout:
#   L   nginx answering 200 with no authentication (the limit);
#   M_c the module, verified-token cache hits (jwtgate_cache on);
#   M_v the module, every request a full RS256 verification (jwtgate_cache 0);
#   V   OpenSSL's RS256 (2048-bit) verifications per second on 2 processes,
#       measured in the same run (openssl speed -multi 2);
#   S   jwtgate serve behind auth_request, same policy and keys.
# Prints the rates and the ratios M_c/L (goal >= 0.9), M_v/(1/(1/L+1/V))
# (goal >= 0.9) and M_c/S (goal >= 2). BUILD_DIR (default build) must hold
# ngx_http_jwtgate_module.so, cli/jwtgate and tests/mint_token
# (meson setup BUILD -Dnginx=enabled; ninja -C BUILD).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
secs="${2:-8}"
module="$build/ngx_http_jwtgate_module.so"; jg="$build/cli/jwtgate"; mint="$build/tests/mint_token"
for f in "$module" "$jg" "$mint"; do [ -e "$f" ] || { echo "missing $f"; exit 1; }; done
. "$root/tests/serve/lib.sh"
. "$root/tests/nginx/lib.sh"
ex="$root/examples/article"
now=$(date +%s)
token=$(mint_example $((now+7200)))

start_jwtgate "$tmp/serve.log" --config "$root/examples/serve/config.json" || exit 1
front=$(free_port); up=$(free_port)
conf="
  jwtgate_named_value tenant-id $tenant;
  jwtgate_named_value backend-app-id $api;
  upstream jwtgate_serve { server 127.0.0.1:$jg_port; keepalive 64; }
  server {
    listen 127.0.0.1:$front;
    keepalive_requests 100000;
    jwtgate_policy $ex/policy.xml;
    jwtgate_openid_document $(cat "$ex/openid-config-url.txt") $ex/openid-configuration.json;
    jwtgate_jwks_document $(cat "$ex/jwks-uri.txt") $ex/jwks.json;
    jwtgate_cache 10000;
    location = /limit { jwtgate off; return 200 ok; }
    # 'return' would answer before the access phase: the module's answer
    # comes from the static file handler, as the limit's from 'return'
    location = /cached { root $tmp/www; try_files /ok =404; }
    location = /verify { jwtgate_cache 0; root $tmp/www; try_files /ok =404; }
    location = /sidecar {
      jwtgate off;
      auth_request /_jwtgate;
      root $tmp/www; try_files /ok =404;
    }
    location = /_jwtgate {
      internal;
      jwtgate off;
      proxy_pass http://jwtgate_serve/api\$request_uri;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_pass_request_body off;
      proxy_set_header Content-Length \"\";
    }
  }"
mkdir -p "$tmp/www"; printf ok > "$tmp/www/ok"
ngx_start bench "$conf" 2
wait_port "$front" || { cat "$tmp/bench/logs/error.log"; exit 1; }
sed -i 's/error_log \(.*\) info;/error_log \1 warn;/' "$tmp/bench/nginx.conf"
ngx_reload bench
base="http://127.0.0.1:$front"
for p in limit cached verify sidecar; do
  c=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/$p")
  [ "$c" = 200 ] || { echo "/$p answered $c"; exit 1; }
done
c=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$base/cached")
[ "$c" = 401 ] || { echo "/cached without a token answered $c"; exit 1; }

rate() {  # rate PATH: requests per second, wrk 2 threads 32 connections
  wrk -t2 -c32 -d"${secs}s" -H "Authorization: Bearer $token" "$base/$1" > "$tmp/wrk.$1" 2>&1
  if grep -q "Non-2xx" "$tmp/wrk.$1"; then echo "non-2xx answers on /$1" >&2; cat "$tmp/wrk.$1" >&2; fi
  awk '/^Requests\/sec/ {print $2}' "$tmp/wrk.$1"
}
L=$(rate limit); Mc=$(rate cached); Mv=$(rate verify); S=$(rate sidecar)
V=$(openssl speed -seconds "$secs" -multi 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}' | tail -1)
python3 - "$L" "$Mc" "$Mv" "$S" "$V" <<'PY'
import sys
L, Mc, Mv, S, V = map(float, sys.argv[1:])
comb = 1 / (1 / L + 1 / V)
rows = [
    ("L: nginx, no authentication", L, ""),
    ("module, cache hits", Mc, f"{Mc / L:.2f} x L (goal >= 0.9)"),
    ("module, RS256 verification every request", Mv,
     f"{Mv / comb:.2f} x 1/(1/L+1/V) = {comb:,.0f} (goal >= 0.9)"),
    ("V: OpenSSL RS256 verify, 2 processes", V, ""),
    ("S: jwtgate serve behind auth_request", S, f"module (cache) = {Mc / S:.2f} x S (goal >= 2)"),
]
print("| measure | requests/s | ratio |")
print("|---|---:|---|")
for name, r, ratio in rows:
    print(f"| {name} | {r:,.0f} | {ratio} |")
PY
nginx -p "$tmp/bench" -c "$tmp/bench/nginx.conf" -s stop 2>/dev/null
