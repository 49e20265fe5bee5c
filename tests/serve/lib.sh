# lib.sh: helpers shared by the serve tests (sourced, not run). Everything
# listens on 127.0.0.1 and lives in one temporary directory, removed on exit.
# Expects: $jg (jwtgate), $mint (mint_token), $root (source tree).

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
bad() { fail=$((fail+1)); echo "FAIL $1"; }
# check NAME WANT GOT
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: wanted [$2], got [$3]"; fi; }
# check_grep NAME PATTERN TEXT
check_grep() { if grep -qE -- "$2" <<<"$3"; then ok "$1"; else bad "$1: lacks /$2/ in: $(head -c 600 <<<"$3")"; fi; }
finish() { echo "$(basename "$0"): $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
# get URL [curl args...]: sets $code, $body, $hdrs (CRs removed).
get() {
  local url="$1"; shift
  body=$(curl -s --noproxy '*' -D "$tmp/h" -o - "$@" "$url"); code=$(head -1 "$tmp/h" | cut -d' ' -f2)
  hdrs=$(tr -d '\r' < "$tmp/h")
}
# get_until WANT TRIES PAUSE URL [curl args...]: get until the status is
# WANT, at most TRIES times, PAUSE seconds apart (a server still starting).
get_until() {
  local want="$1" tries="$2" pause="$3" _; shift 3
  for _ in $(seq "$tries"); do get "$@"; [ "$code" = "$want" ] && return 0; sleep "$pause"; done
  return 1
}
# jg_get PATH [curl args...]: get from the jwtgate serve start_jwtgate started.
jg_get() { local path="$1"; shift; get "http://127.0.0.1:$jg_port$path" "$@"; }

# free_port: a port nothing listens on now (the kernel's choice).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (10 s at most).
wait_port() {
  python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.time() + 10
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}

# start_jwtgate LOG ARGS...: runs `jwtgate serve ARGS --listen 127.0.0.1:0`
# in the background and sets $jg_pid and $jg_port from its log.
start_jwtgate() {
  local log="$1"; shift
  "$jg" serve "$@" --listen 127.0.0.1:0 2>"$log" &
  jg_pid=$!; pids+=("$jg_pid")
  jg_port=""
  for _ in $(seq 100); do
    jg_port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2)
    [ -n "$jg_port" ] && return 0
    kill -0 "$jg_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "jwtgate serve did not start:"; cat "$log"; return 1
}

# The bundled example: its tenant, API and client, keys signed by
# tests/data/keys/rsa2048.pem (examples/article/jwks.json holds its public
# half as kid demo-key-1). Tokens use the real clock.
tenant=0da700fe-a3a7-4aaa-a43f-48a79eefc326
api=7e5ff242-8d3a-46a9-8890-45722c2f3d27
client=a1888df2-84c2-4379-8d53-7091dd630ca7
iss="https://login.microsoftonline.com/$tenant/v2.0"
# mint_example EXP [AUD] [EXTRA_JSON_MEMBERS]
mint_example() {
  local exp="$1" aud="${2:-$api}" extra="${3:-}" now; now=$(date +%s)
  "$mint" RS256 "$root/tests/data/keys/rsa2048.pem" '{"alg":"RS256","typ":"JWT","kid":"demo-key-1"}' \
    "{\"iss\":\"$iss\",\"aud\":\"$aud\",\"azp\":\"$client\",\"oid\":\"00000000-0000-0000-0000-00000000a11c\",\"sub\":\"alice\",\"ver\":\"2.0\",\"iat\":$((now-60)),\"nbf\":$((now-60)),\"exp\":$exp$extra}"
}

# raw_request PORT TARGET [HEADER...]: sends "GET TARGET HTTP/1.1" with the
# target exactly as given (curl would normalise some, and refuse "\"), plus
# the header lines, and sets $code, $body and $hdrs (CRs removed).
raw_request() {
  python3 - "$tmp/raw" "$@" <<'PY'
import socket, sys
out, port, target, headers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
s = socket.create_connection(("127.0.0.1", port), 10)
req = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n" % (
    target, "".join(h + "\r\n" for h in headers))
s.sendall(req.encode("latin-1"))
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
status = head.split(b"\r\n")[0].split()
open(out + ".code", "wb").write(status[1] if len(status) > 1 else b"none")
open(out + ".h", "wb").write(head.replace(b"\r\n", b"\n"))
open(out + ".b", "wb").write(body)
PY
  code=$(cat "$tmp/raw.code"); hdrs=$(cat "$tmp/raw.h"); body=$(cat "$tmp/raw.b")
}
