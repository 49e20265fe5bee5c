#!/usr/bin/env bash
# test_serve_jwe.sh JWTGATE MINT_TOKEN SOURCE_ROOT ENCRYPT_TOKEN: jwtgate serve
# with a route whose policy decrypts encrypted tokens: the private key comes
# from the configuration's decryption_keys; a nested JWT passes with its
# claims as headers; one encrypted to another key gets APIM's one message;
# a plain JWS is refused under encryption "required"; /metrics counts the
# decryption failure.
set -uo pipefail
jg="$1"; mint="$2"; root="$3"; enc_tool="$4"
. "$root/tests/serve/lib.sh"
keys="$root/tests/data/keys"

now=$(date +%s)
jws=$("$mint" RS256 "$keys/rsa2048.pem" '{"alg":"RS256","kid":"r1"}' \
  "{\"iss\":\"https://issuer.example\",\"aud\":\"api://demo\",\"oid\":\"o-1\",\"exp\":$((now+3600))}")
jwe=$(printf '%s' "$jws" | "$enc_tool" RSA-OAEP-256 A256GCM "$keys/rsa2048.pem")
other=$(printf '%s' "$jws" | "$enc_tool" RSA-OAEP-256 A256GCM "$keys/rsa2048b.pem")
jwe_policy="$root/tests/data/policies/jwe-required.json"
cat > "$tmp/serve.json" <<JSON
{"routes": [{"prefix": "/", "policy": "$jwe_policy", "keys": ["$keys/rsa2048.pub.pem"],
             "decryption_keys": {"enc": "$keys/rsa2048.pem"},
             "claim_headers": {"oid": "X-Jwt-Oid"}, "cache_entries": 100}]}
JSON
start_jwtgate "$tmp/j.log" --config "$tmp/serve.json" || exit 1
jg_get /check -H "Authorization: Bearer $jwe"
check "encrypted token: 200" 200 "$code"
check_grep "the nested token's claim as a header" '^X-Jwt-Oid: o-1$' "$hdrs"
jg_get /check -H "Authorization: Bearer $jwe"
check "again (verified-token cache): 200" 200 "$code"
jg_get /check -H "Authorization: Bearer $other"
check "encrypted to another key: 401" 401 "$code"
check "one message for every decryption failure" "IDX10603: Decryption failed. Access denied." "$body"
check_grep "APIM reason JwtInvalid" '^X-Jwtgate-Reason: JwtInvalid$' "$hdrs"
jg_get /check -H "Authorization: Bearer $jws"
check "plain JWS under encryption required: 401" 401 "$code"
jg_get /metrics
check_grep "metrics count the decryption failure" 'reason="jwe_decryption_failed"[^ ]* 1' "$body"
if grep -q "$(sed -n 2p "$keys/rsa2048.pem" | cut -c1-30)" "$tmp/j.log"; then
  bad "the log holds key material"
else
  ok "the log holds no key material"
fi
kill "$jg_pid"; wait "$jg_pid" 2>/dev/null
# A route whose key file is missing or not a private key does not start.
sed "s|$keys/rsa2048.pem|$keys/rsa2048.pub.pem|" "$tmp/serve.json" > "$tmp/pub.json"
out=$("$jg" serve --config "$tmp/pub.json" 2>&1); rc=$?
check "a public key as decryption key: exit 2" 2 "$rc"
check_grep "says why" 'decryption key "enc"' "$out"
finish
