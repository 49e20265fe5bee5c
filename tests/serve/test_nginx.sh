#!/usr/bin/env bash
# test_nginx.sh JWTGATE MINT_TOKEN SOURCE_ROOT: jwtgate serve behind Debian's
# nginx (auth_request), with the bundled example configuration
# (examples/serve/config.json). A valid token reaches the upstream with its
# claims as headers; an expired token, a wrong audience and a missing token
# get 401 with APIM's message and an RFC 6750 challenge, and never reach it.
set -uo pipefail
jg="$1"; mint="$2"; root="$3"
. "$root/tests/serve/lib.sh"
. "$root/tests/serve/nginx.sh"
command -v nginx >/dev/null || { echo "nginx is not installed (scripts/install-deps.sh installs nginx-light)"; exit 1; }

start_jwtgate "$tmp/jwtgate.log" --config "$root/examples/serve/config.json" || exit 1
start_nginx "$jg_port" || exit 1
front="http://127.0.0.1:$front_port"

# request NAME PATH [curl args...]: sets $code, $body, $hdrs.
request() {
  local path="$1"; shift
  body=$(curl -s -D "$tmp/h" -o - "$@" "$front$path"); code=$(head -1 "$tmp/h" | cut -d' ' -f2)
  hdrs=$(cat "$tmp/h")
}
now=$(date +%s)
valid=$(mint_example $((now+3600)))
expired=$(mint_example $((now-600)))
wrong_aud=$(mint_example $((now+3600)) "api://someone-else")
reports=$(mint_example $((now+3600)) "api://reports" ',"roles":["Reports.Read"]')

# The message each refusal must carry: what `jwtgate validate` says for the
# same token and policy (the example's failed-validation-error-message).
ex="$root/examples/article"
cli_message() {
  "$jg" validate --policy "$ex/policy.xml" --named-values "$ex/named-values.json" \
    --openid-document "$(cat "$ex/openid-config-url.txt")=$ex/openid-configuration.json" \
    --jwks-document "$(cat "$ex/jwks-uri.txt")=$ex/jwks.json" --json "$@" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["message"])'
}

before=$(upstream_requests)
request /api/orders?id=7 -H "Authorization: Bearer $valid"
check "valid token: 200" 200 "$code"
check_grep "valid token: upstream got the oid claim header" 'oid=00000000-0000-0000-0000-00000000a11c' "$body"
check_grep "valid token: upstream got the azp claim header" "azp=$client" "$body"
check_grep "valid token: upstream saw the original URI" 'upstream /api/orders\?id=7' "$body"
check "valid token: exactly one upstream request" $((before+1)) "$(upstream_requests)"

before=$(upstream_requests)
# nginx itself refuses a repeated Authorization header (400, "client sent
# duplicate header line"); other headers it forwards, every copy
# (test_nginx_source.sh, where jwtgate refuses them).
request /api/orders -H "Authorization: Bearer $valid" -H "Authorization: Bearer $expired"
check "Authorization twice: nginx's own 400" 400 "$code"
check_grep "Authorization twice: nginx's own page, not jwtgate's" '<title>400 Bad Request</title>' "$body"
check "Authorization twice: never upstream" "$before" "$(upstream_requests)"

request /api/orders -H "Authorization: Bearer $valid" -H "X-Jwt-Oid: forged"
check_grep "a client's own X-Jwt-Oid is replaced" 'oid=00000000-0000-0000-0000-00000000a11c' "$body"

request /reports/q1 -H "Authorization: Bearer $reports"
check "second route: 200" 200 "$code"
check_grep "second route: its own claim header" 'sub=alice' "$body"

before=$(upstream_requests)
for case in expired wrong_aud missing; do
  case $case in
    expired) args=(-H "Authorization: Bearer $expired"); want=$(cli_message --header "Authorization: Bearer $expired") ;;
    wrong_aud) args=(-H "Authorization: Bearer $wrong_aud"); want=$(cli_message --header "Authorization: Bearer $wrong_aud") ;;
    missing) args=(); want=$(cli_message --header "X-None: 1") ;;
  esac
  request /api/orders "${args[@]}"
  check "$case: 401" 401 "$code"
  check "$case: body is APIM's message" "$want" "$body"
  if [ "$case" = missing ]; then
    check_grep "$case: bare Bearer challenge (RFC 6750 3.1)" '^WWW-Authenticate: Bearer.?$' "$(tr -d '\r' <<<"$hdrs")"
  else
    check_grep "$case: invalid_token challenge" '^WWW-Authenticate: Bearer error="invalid_token"' "$hdrs"
  fi
done
check "refused requests never reached the upstream" "$before" "$(upstream_requests)"

# The second route has no custom message: APIM's own texts come through.
request /reports/q1 -H "Authorization: Bearer $expired"
check "reports expired: 401" 401 "$code"
check_grep "reports expired: APIM's expiry message" '[Ee]xpired' "$body"
request /reports/q1 -H "Authorization: Bearer $valid"
check "reports wrong audience: 401" 401 "$code"
request /reports/q1
check "reports missing token: APIM's message" "JWT not present." "$body"

# A path no route covers is refused (403), and a dot-segment walk from a
# covered prefix into an uncovered one is not judged at all (400: the
# upstream receives the raw path; test_nginx_source.sh has the other forms).
before=$(upstream_requests)
request /admin/x -H "Authorization: Bearer $valid"
check "uncovered path: 403" 403 "$code"
request /api/../admin/x --path-as-is -H "Authorization: Bearer $valid"
check "/api/../admin: 400 through nginx" 400 "$code"
check "/api/../admin: the reason" 'Bad X-Original-URI: the path is not in normal form: a "." or ".." segment.' "$body"
check "uncovered paths never reached the upstream" "$before" "$(upstream_requests)"

# The token in the query string, when a policy asks for it, comes from
# X-Original-URI's query: the example policy reads the header only.
request "/api/orders?access_token=$valid"
check "token in the query is not the header: 401" 401 "$code"

finish
