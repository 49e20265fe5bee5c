#!/usr/bin/env bash
# test_serve.sh JWTGATE MINT_TOKEN SOURCE_ROOT: jwtgate serve called
# directly: replies and headers, routing by prefix, X-Original-URI and its
# query, /healthz and /metrics, the --policy form, configuration errors, and
# SIGHUP reloads (a good one swaps, a broken one keeps the old in service).
set -uo pipefail
jg="$1"; mint="$2"; root="$3"
. "$root/tests/serve/lib.sh"
keys="$root/tests/data/keys"

now=$(date +%s)
rs() {  # rs EXP [AUD] [EXTRA]: an RS256 token for the test policy
  "$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' \
    "{\"iss\":\"https://issuer.example\",\"aud\":\"${2:-api://demo}\",\"sub\":\"alice\",\"oid\":\"o-1\",\"tid\":7,\"admin\":true,\"groups\":[\"g1\",\"g2\"],\"addr\":{\"c\":\"x\"},\"exp\":$1${3:-}}"
}
valid=$(rs $((now+3600)))
expired=$(rs $((now-60)))

# ---- the --policy form
cat > "$tmp/hdr.json" <<'JSON'
{"validate-jwt": {"header-name": "Authorization", "require-scheme": "Bearer",
  "issuers": ["https://issuer.example"], "audiences": ["api://demo"]}}
JSON
cat > "$tmp/query.json" <<'JSON'
{"validate-jwt": {"query-parameter-name": "access_token",
  "issuers": ["https://issuer.example"], "audiences": ["api://demo"],
  "failed-validation-httpcode": 403, "failed-validation-error-message": "Go away."}}
JSON
start_jwtgate "$tmp/a.log" --policy "$tmp/hdr.json" --keys "$keys/rsa2048.pub.pem" \
  --claim-header oid=X-Jwt-Oid --claim-header tid=X-Jwt-Tid --claim-header admin=X-Jwt-Admin \
  --claim-header groups=X-Jwt-Groups --claim-header addr=X-Jwt-Addr --claim-header nope=X-Jwt-Nope \
  --success-status 204 || exit 1
jg_get /anything -H "Authorization: Bearer $valid"
check "--policy form: valid -> 204" 204 "$code"
check_grep "string claim header" '^X-Jwt-Oid: o-1$' "$hdrs"
check_grep "number claim header" '^X-Jwt-Tid: 7$' "$hdrs"
check_grep "boolean claim header" '^X-Jwt-Admin: true$' "$hdrs"
check_grep "array claim header joined with ," '^X-Jwt-Groups: g1,g2$' "$hdrs"
if grep -qiE '^X-Jwt-(Addr|Nope):' <<<"$hdrs"; then bad "object and absent claims give no header"; else ok "object and absent claims give no header"; fi
jg_get /anything -H "Authorization: Bearer $expired"
check "expired: 401" 401 "$code"
check_grep "expired: X-Jwtgate-Reason" '^X-Jwtgate-Reason: TokenExpired$' "$hdrs"
check "expired: message header equals body" "X-Jwtgate-Message: $body" "$(grep '^X-Jwtgate-Message:' <<<"$hdrs")"
jg_get /anything -H "Authorization: Bearer $valid" -X BREW
check "unknown method: 405" 405 "$code"
jg_get /anything -H "Authorization: Bearer $valid" --data-binary 'x=1'
check "a request body is refused: 413" 413 "$code"
jg_get /healthz
check "healthz" "200 ok" "$code $body"
jg_get /healthz -H "X-Original-URI: /healthz"
check "X-Original-URI /healthz is a check, not the health page" 401 "$code"
kill "$jg_pid"; wait "$jg_pid" 2>/dev/null

# ---- the query parameter, from X-Original-URI (percent-encoded) and direct
start_jwtgate "$tmp/q.log" --policy "$tmp/query.json" --keys "$keys/rsa2048.pub.pem" --no-www-authenticate || exit 1
jg_get /auth -H "X-Original-URI: /x?a=1&access_token=$valid&b=%41"
check "token from X-Original-URI's query" 200 "$code"
enc=$(sed 's/\./%2E/g' <<<"$valid")
jg_get /auth -H "X-Original-URI: /x?access_token=$enc"
check "percent-encoded query is decoded" 200 "$code"
jg_get "/x?access_token=$valid"
check "direct request: token from its own query" 200 "$code"
jg_get /auth -H "X-Original-URI: /x?access_token=$expired"
check "policy's failed-validation-httpcode" "403 Go away." "$code $body"
if grep -qi '^WWW-Authenticate' <<<"$hdrs"; then bad "--no-www-authenticate"; else ok "--no-www-authenticate"; fi
jg_get /auth -H "X-Original-URI: /x?access_token=%zz"
check "bad escape in X-Original-URI: 400" 400 "$code"
kill "$jg_pid"; wait "$jg_pid" 2>/dev/null

# ---- a configuration file with two routes, metrics, and reloads
cat > "$tmp/serve.json" <<JSON
{"routes": [
  {"prefix": "/", "policy": "hdr.json", "keys": ["$keys/rsa2048.pub.pem"]},
  {"prefix": "/admin/", "policy": "query.json", "keys": ["$keys/rsa2048.pub.pem"], "cache_entries": 100}
]}
JSON
start_jwtgate "$tmp/c.log" --config "$tmp/serve.json" || exit 1
jg_get /check -H "X-Original-URI: /orders" -H "Authorization: Bearer $valid"
check "route /: header token" 200 "$code"
jg_get /check -H "X-Original-URI: /admin/x" -H "Authorization: Bearer $valid"
check "route /admin/ (longest prefix): wants the query token" 403 "$code"
jg_get /check -H "X-Original-URI: /admin/x?access_token=$valid"
check "route /admin/: query token" 200 "$code"
# A path not in normal form is not judged: the upstream receives it raw and
# may route it elsewhere (the /admin/ policy wants the query token, so a
# judgement under / would be 200).
jg_get /check -H "X-Original-URI: /orders/../admin/x" -H "Authorization: Bearer $valid"
check "dot segments: 400" "400 Bad X-Original-URI: the path is not in normal form: a \".\" or \"..\" segment." "$code $body"
jg_get /check -H "X-Original-URI: //admin//x" -H "Authorization: Bearer $valid"
check "an empty segment: 400" "400 Bad X-Original-URI: the path is not in normal form: an empty segment (\"//\")." "$code $body"
jg_get /check -H "X-Original-URI: /%61dmin/x" -H "Authorization: Bearer $valid"
check "an encoded unreserved character: 400" 400 "$code"
jg_get /check -H "X-Original-URI: /../x" -H "Authorization: Bearer $valid"
check "above the root: 400" 400 "$code"
jg_get /check -H "X-Original-URI: /orders" -H "X-Original-URI: /admin/x" -H "Authorization: Bearer $valid"
check "two X-Original-URI: 400" "400 More than one X-Original-URI." "$code $body"
jg_get /check -H "X-Original-URI: /Admin/x" -H "Authorization: Bearer $valid"
check_grep "a route that depends on letter case: 400" '^Bad X-Original-URI: in another letter case the path is under the route /admin/' "$body"
jg_get /check -H "X-Original-URI: /admin?access_token=$valid"
check "/admin is under /admin/" 200 "$code"

# One token per request: every copy of a header and of a query parameter
# reaches the library, from nginx (X-Original-URI) and directly.
jg_get /check -H "X-Original-URI: /orders" -H "Authorization: Bearer $valid" -H "Authorization: Bearer $valid"
check "Authorization twice: 401" 401 "$code"
check_grep "Authorization twice: APIM reason JwtInvalid" '^X-Jwtgate-Reason: JwtInvalid$' "$hdrs"
check_grep "Authorization twice: RFC 6750 invalid_request" '^WWW-Authenticate: Bearer error="invalid_request"$' "$hdrs"
jg_get /orders -H "Authorization: Bearer $valid" -H "authorization: Bearer x.y.z"
check "Authorization twice, direct request: 401" 401 "$code"
jg_get /orders -H "Authorization: Bearer $valid, Bearer x.y.z"
check "Authorization holding two tokens: 401" 401 "$code"
jg_get /check -H "X-Original-URI: /admin/x?access_token=$valid&access_token=$valid"
check "access_token twice in X-Original-URI: the policy's 403" "403 Go away." "$code $body"
jg_get "/admin/x?access_token=$valid&access%5Ftoken=x.y.z"
check "access_token twice, direct request: 403" 403 "$code"
jg_get "/admin/x?access_token=$valid;access_token=x.y.z"
check "access_token twice, split by \";\": 403" 403 "$code"
jg_get /metrics
check "metrics: 200" 200 "$code"
check_grep "metrics: content type" '^Content-Type: text/plain; version=0.0.4' "$hdrs"
check_grep "metrics: valid count per route" '^jwtgate_validations_total\{route="/admin/",outcome="valid"\} 2$' "$body"
check_grep "metrics: failure reason" '^jwtgate_validation_failures_total\{route="/admin/",reason="token_not_present"\} 1$' "$body"
check_grep "metrics: duplicate tokens" '^jwtgate_validation_failures_total\{route="/admin/",reason="duplicate_token"\} 3$' "$body"
check_grep "metrics: histogram count" '^jwtgate_validation_duration_seconds_count\{route="/"\} 4$' "$body"
check_grep "metrics: +Inf bucket" '^jwtgate_validation_duration_seconds_bucket\{route="/",le="\+Inf"\} 4$' "$body"
check_grep "metrics: replies by code" '^jwtgate_http_replies_total\{code="400"\} 6$' "$body"
# Every sample line parses as Prometheus text: name{labels} value.
badlines=$(grep -vE '^(# (HELP|TYPE) .*|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)$' <<<"$body" | head -3)
check "metrics: every line well-formed" "" "$badlines"

# A good reload: the /admin/ route now reads the header.
sed -i 's/"policy": "query.json"/"policy": "hdr.json"/' "$tmp/serve.json"
kill -HUP "$jg_pid"
for _ in $(seq 50); do grep -q 'reload: new configuration' "$tmp/c.log" && break; sleep 0.1; done
jg_get /check -H "X-Original-URI: /admin/x" -H "Authorization: Bearer $valid"
check "after SIGHUP: the new policy is in service" 200 "$code"
# A broken reload: the file is not JSON. The old configuration serves on.
echo '{"routes": [' > "$tmp/serve.json"
kill -HUP "$jg_pid"
for _ in $(seq 50); do grep -q 'reload failed' "$tmp/c.log" && break; sleep 0.1; done
check_grep "broken reload: logged with the reason" 'configuration: .*serve.json: not valid JSON' "$(cat "$tmp/c.log")"
jg_get /check -H "X-Original-URI: /admin/x" -H "Authorization: Bearer $valid"
check "broken reload: the previous configuration still serves" 200 "$code"
# A reload whose policy does not load (valid JSON, bad policy).
cat > "$tmp/serve.json" <<JSON
{"routes": [{"prefix": "/", "policy": "broken.json"}]}
JSON
echo '{"validate-jwt": {"clock-skew": "soon"}}' > "$tmp/broken.json"
kill -HUP "$jg_pid"
for _ in $(seq 50); do [ "$(grep -c 'reload failed' "$tmp/c.log")" -ge 2 ] && break; sleep 0.1; done
check_grep "bad policy: logged with the route" 'route /: the policy did not load' "$(cat "$tmp/c.log")"
jg_get /check -H "X-Original-URI: /admin/x" -H "Authorization: Bearer $valid"
check "bad policy: the previous configuration still serves" 200 "$code"
jg_get /metrics
check_grep "metrics: reloads counted" 'jwtgate_config_reloads_total\{result="failure"\} 2' "$body"
check "still running after broken reloads" 0 "$(kill -0 "$jg_pid"; echo $?)"
kill -TERM "$jg_pid"; wait "$jg_pid"; rc=$?
check "SIGTERM: clean exit 0" 0 "$rc"

# ---- configuration errors at start: exit 2 with the reason
echo '{"routes": [{"prefix": "/", "policy": "hdr.json", "cache_entires": 5}]}' > "$tmp/typo.json"
out=$("$jg" serve --config "$tmp/typo.json" 2>&1); rc=$?
check "unknown member: exit 2" 2 "$rc"
check_grep "unknown member named" 'unknown member "cache_entires"' "$out"
echo '{"routes": [{"prefix": "/api/../admin/", "policy": "hdr.json"}]}' > "$tmp/dotprefix.json"
out=$("$jg" serve --config "$tmp/dotprefix.json" 2>&1); rc=$?
check "a prefix no accepted path can match: exit 2" 2 "$rc"
check_grep "a prefix no accepted path can match: named" 'prefix.*no request path can match it: a "\." or "\.\." segment' "$out"
out=$("$jg" serve --policy "$tmp/hdr.json" --prefix '/a%20b/' 2>&1); rc=$?
check "--prefix holding %: exit 2" 2 "$rc"
out=$("$jg" serve --config "$tmp/missing.json" 2>&1); rc=$?
check "missing file: exit 2" 2 "$rc"
out=$("$jg" serve 2>&1); rc=$?
check "no config and no policy: exit 2" 2 "$rc"
out=$("$jg" serve --policy "$tmp/hdr.json" --listen 127.0.0.1:99999 2>&1); rc=$?
check "bad port: exit 2" 2 "$rc"
out=$("$jg" serve --policy "$tmp/hdr.json" --frobnicate 2>&1); rc=$?
check "unknown option: exit 2" 2 "$rc"
echo '{"routes": [{"policy": "hdr.json", "claim_headers": {"oid": "X Oid"}}]}' > "$tmp/hdrname.json"
out=$("$jg" serve --config "$tmp/hdrname.json" 2>&1); rc=$?
check_grep "a claim header that is no header name: refused" 'is not a header name' "$out"
out=$("$jg" serve --policy "$tmp/hdr.json" --claim-header 'oid=X: y' 2>&1); rc=$?
check "--claim-header with a bad name: exit 2" 2 "$rc"
# An offline copy of a published key set obeys the rules of a fetched one:
# one holding a secret (oct) is refused (docs/keys-and-network.md).
cat > "$tmp/oidc.json" <<'JSON'
{"validate-jwt": {"header-name": "Authorization", "audiences": ["api://demo"],
  "openid-config": [{"url": "https://issuer.example/.well-known/openid-configuration"}]}}
JSON
echo '{"issuer": "https://issuer.example", "jwks_uri": "https://issuer.example/keys"}' > "$tmp/discovery.json"
echo '{"keys": [{"kty": "oct", "kid": "s", "k": "McrHdT9PH0Ct7HezhcrGjZTljTCP8ze8n0cZ8FglCdE"}]}' > "$tmp/secret-set.json"
cat > "$tmp/secret.json" <<'JSON'
{"routes": [{"policy": "oidc.json",
  "openid_documents": {"https://issuer.example/.well-known/openid-configuration": "discovery.json"},
  "jwks_documents": {"https://issuer.example/keys": "secret-set.json"}}]}
JSON
# (bounded: a server that did start would never return)
out=$(timeout 10 "$jg" serve --config "$tmp/secret.json" --listen 127.0.0.1:0 2>&1); rc=$?
check "jwks_documents holding a secret: exit 2" 2 "$rc"
check_grep "jwks_documents holding a secret: the reason" 'holds a symmetric \(oct\) key \(JWKS key #1 \(kid "s"\)\); a published key set must not carry secrets' "$out"
out=$("$jg" serve --help); rc=$?
check_grep "serve --help" 'usage: jwtgate serve' "$out"

finish
