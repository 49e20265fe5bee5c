#!/usr/bin/env bash
# test_nginx_source.sh JWTGATE MINT_TOKEN SOURCE_ROOT: through Debian's
# nginx (auth_request, nginx.sh, the configuration of docs/serving.md),
# which forwards every copy of a header and the raw $request_uri upstream:
#  - one token per request: a valid token with a second copy of its header
#    (X-Api-Token) or of its query parameter is refused, and nothing reaches
#    the upstream;
#  - routing on the path the upstream will see: a path not in normal form
#    ("..", "%2F", "//", ".", "%2e", "\") gets 400 through nginx as directly,
#    and nothing reaches the upstream; paths in normal form route as before.
set -uo pipefail
jg="$1"; mint="$2"; root="$3"
. "$root/tests/serve/lib.sh"
. "$root/tests/serve/nginx.sh"
command -v nginx >/dev/null || { echo "nginx is not installed (scripts/install-deps.sh installs nginx-light)"; exit 1; }
keys="$root/tests/data/keys"

# /public/ and /admin/ read X-Api-Token and differ in audience; /q/ reads
# the query parameter access_token. No route covers anything else.
for name in public admin; do
  cat > "$tmp/$name.json" <<JSON
{"validate-jwt": {"header-name": "X-Api-Token", "issuers": ["https://issuer.example"],
  "audiences": ["api://$name"]}}
JSON
done
cat > "$tmp/query.json" <<'JSON'
{"validate-jwt": {"query-parameter-name": "access_token", "issuers": ["https://issuer.example"],
  "audiences": ["api://public"]}}
JSON
cat > "$tmp/serve.json" <<JSON
{"routes": [
  {"prefix": "/public/", "policy": "public.json", "keys": ["$keys/rsa2048.pub.pem"]},
  {"prefix": "/admin/", "policy": "admin.json", "keys": ["$keys/rsa2048.pub.pem"]},
  {"prefix": "/q/", "policy": "query.json", "keys": ["$keys/rsa2048.pub.pem"]}
]}
JSON
start_jwtgate "$tmp/jwtgate.log" --config "$tmp/serve.json" || exit 1
start_nginx "$jg_port" || exit 1

now=$(date +%s)
tok() {  # tok AUD
  "$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256"}' \
    "{\"iss\":\"https://issuer.example\",\"aud\":\"$1\",\"sub\":\"alice\",\"exp\":$((now+3600))}"
}
public=$(tok api://public)
admin=$(tok api://admin)
forged="eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."

# ---- in normal form, everything routes as before
before=$(upstream_requests)
raw_request "$front_port" /public/x "X-Api-Token: $public"
check "public token on /public/: 200" 200 "$code"
check_grep "public token on /public/: the upstream answered" '^upstream /public/x' "$body"
raw_request "$front_port" /admin/x "X-Api-Token: $admin"
check "admin token on /admin/: 200" 200 "$code"
raw_request "$front_port" /admin "X-Api-Token: $admin"
check "/admin is under /admin/: 200 with the admin token" 200 "$code"
raw_request "$front_port" "/q/x?a=1&access_token=$public"
check "query token on /q/: 200" 200 "$code"
check "four requests reached the upstream" $((before+4)) "$(upstream_requests)"
raw_request "$front_port" /admin/x "X-Api-Token: $public"
check "public token on /admin/: 401" 401 "$code"
raw_request "$front_port" /admin "X-Api-Token: $public"
check "public token on /admin (no slash): 401" 401 "$code"

# ---- one token per request
before=$(upstream_requests)
raw_request "$front_port" /public/x "X-Api-Token: $public" "X-Api-Token: $forged"
check "X-Api-Token twice: 401" 401 "$code"
check "X-Api-Token twice: APIM's message" "Invalid JWT." "$body"
check_grep "X-Api-Token twice: RFC 6750 invalid_request" '^WWW-Authenticate: Bearer error="invalid_request"' "$hdrs"
raw_request "$front_port" /public/x "X-Api-Token: $forged" "x-api-token: $public"
check "X-Api-Token twice, the valid one last: 401" 401 "$code"
raw_request "$front_port" /public/x "X-Api-Token: $public" "X-Api-Token:"
check "X-Api-Token twice, the second empty: 401" 401 "$code"
raw_request "$front_port" /public/x "X-Api-Token: $public, $forged"
check "X-Api-Token holding a list of two: 401" 401 "$code"
raw_request "$front_port" "/q/x?access_token=$public&access_token=$forged"
check "access_token twice: 401" 401 "$code"
raw_request "$front_port" "/q/x?access_token=$public&access%5Ftoken=$forged"
check "access_token and access%5Ftoken: 401" 401 "$code"
raw_request "$front_port" "/q/x?access_token=$public&access.token=$forged"
check "access_token and access.token (PHP's access_token): 401" 401 "$code"
raw_request "$front_port" "/q/x?access_token=$public;access_token=$forged"
check "access_token twice, split by \";\": 401" 401 "$code"
check "no request carrying the token twice reached the upstream" "$before" "$(upstream_requests)"

# ---- paths not in normal form: 400 through nginx, never upstream
before=$(upstream_requests)
for path in '/admin/../public/x' '/admin%2F..%2Fpublic/x' '//admin' '/admin/./x' '/public%2e%2e/' \
            '/public/%2e%2e/admin/x' '/public\..\admin\x' '/public%5C..%5Cadmin' '/public/..;/admin/x' \
            '/%61dmin/x' '/public//x' '/ADMIN/x'; do
  raw_request "$front_port" "$path" "X-Api-Token: $public"
  check "$path through nginx: 400" 400 "$code"
  check_grep "$path through nginx: says why" '^Bad X-Original-URI: ' "$body"
  raw_request "$jg_port" /auth "X-Original-URI: $path" "X-Api-Token: $public"
  check "$path as X-Original-URI, directly: 400" 400 "$code"
  raw_request "$jg_port" "$path" "X-Api-Token: $public"
  check "$path as a direct request: 400" 400 "$code"
done
check "no path out of normal form reached the upstream" "$before" "$(upstream_requests)"

finish
