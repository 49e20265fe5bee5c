# lib.sh: helpers of the nginx module tests (sourced after tests/serve/lib.sh,
# which gives $tmp, check, get, free_port, wait_port, mint_example, raw_request).
# Debian's /usr/sbin/nginx with the built module, on 127.0.0.1 only, its own
# prefix, temp dirs and logs under $tmp.

# ngx_start NAME CONF_BODY [WORKERS]: writes $tmp/NAME/nginx.conf (the
# module loaded, root user for the private $tmp, CONF_BODY inside http {})
# and starts nginx in the foreground of a background job; sets
# ${NAME}_pid. The caller waits for its ports.
ngx_conf() {
  local name="$1" body="$2" workers="${3:-2}" n="$tmp/$1"
  mkdir -p "$n/tmp" "$n/logs"
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat > "$n/nginx.conf" <<CONF
load_module $module;
$user
daemon off;
worker_processes $workers;
pid $n/nginx.pid;
error_log $n/logs/error.log info;
events { worker_connections 1024; }
http {
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  access_log off;
$body
}
CONF
}
ngx_start() {
  local name="$1" n="$tmp/$1"
  ngx_conf "$@"
  nginx -p "$n" -c "$n/nginx.conf" -e "$n/logs/error.log" &
  local pid=$!
  pids+=("$pid")
  eval "${name}_pid=$pid"
}
# ngx_test NAME: `nginx -t` on that configuration; sets $out and $rc.
ngx_test() {
  local n="$tmp/$1"
  out=$(nginx -t -p "$n" -c "$n/nginx.conf" -e "$n/logs/test.log" 2>&1); rc=$?
}
# ngx_reload NAME: nginx -s reload, then waits until the master has started
# new workers (their pids differ from the old ones).
ngx_reload() {
  local n="$tmp/$1" master before after
  master=$(cat "$n/nginx.pid")
  before=$(pgrep -P "$master" | sort | tr '\n' ' ')
  nginx -p "$n" -c "$n/nginx.conf" -e "$n/logs/error.log" -s reload 2>/dev/null
  for _ in $(seq 200); do
    after=$(pgrep -P "$master" | sort | tr '\n' ' ')
    # new workers up and every old one gone
    local old_left=0 p
    for p in $before; do grep -qw "$p" <<<"$after" && old_left=1; done
    [ "$old_left" = 0 ] && [ -n "$after" ] && return 0
    sleep 0.05
  done
  return 1
}
# article_policy_conf: the server-level directives of the article's example
# (examples/article): its policy and offline copies of its provider's
# discovery document and key set. (Its named values tenant-id and
# backend-app-id are set by each test, at the http level.)
article_policy_conf() {
  local ex="$root/examples/article"
  cat <<CONF
    jwtgate_policy $ex/policy.xml;
    jwtgate_openid_document $(cat "$ex/openid-config-url.txt") $ex/openid-configuration.json;
    jwtgate_jwks_document $(cat "$ex/jwks-uri.txt") $ex/jwks.json;
CONF
}
# anon_kb PID...: the sum of the resident anonymous memory (RssAnon: heap,
# stacks, copied-on-write pages; where a leak shows). The resident pages of
# files (RssFile: mostly library code) are left out: they depend on which
# code a worker happened to run (the worker that served a request has some
# 2 MB more of libcrypto and libjwtgate resident than its idle sibling).
anon_kb() {
  local total=0 p
  for p in "$@"; do total=$((total + $(awk '/^RssAnon/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done
  echo "$total"
}
header() { grep -i "^$1:" <<<"$hdrs" | head -1 | cut -d' ' -f2-; }
