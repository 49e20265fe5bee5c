#!/usr/bin/env bash
# make-example-tokens.sh BUILD_DIR: re-mint examples/article/tokens/*.jwt with
# the test key tests/data/keys/rsa2048.pem (whose public half is in
# examples/article/jwks.json). The tokens are committed; run this only to
# change them. They are shaped like Entra ID access tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
mint="${1:-build}/tests/mint_token"
key=tests/data/keys/rsa2048.pem
out=examples/article/tokens
mkdir -p $out
tenant=0da700fe-a3a7-4aaa-a43f-48a79eefc326
api=7e5ff242-8d3a-46a9-8890-45722c2f3d27
client=a1888df2-84c2-4379-8d53-7091dd630ca7
iat=$(( $(cat examples/article/now.txt) - 1000 ))
hdr='{"typ":"JWT","alg":"RS256","kid":"demo-key-1"}'
v2() {  # v2 IAT AZP
  echo "{\"aud\":\"$api\",\"iss\":\"https://login.microsoftonline.com/$tenant/v2.0\",\"iat\":$1,\"nbf\":$1,\"exp\":$(( $1 + 4500 )),\"aio\":\"E2RgYJj8+demo\",\"azp\":\"$2\",\"azpacr\":\"1\",\"idtyp\":\"app\",\"oid\":\"3c5a2e1b-8f7d-4e21-9c3a-6b0d1f2e4a5c\",\"rh\":\"0.demo.\",\"roles\":[\"Data.Read\"],\"sub\":\"3c5a2e1b-8f7d-4e21-9c3a-6b0d1f2e4a5c\",\"tid\":\"$tenant\",\"uti\":\"demo-uti\",\"ver\":\"2.0\"}"
}
"$mint" RS256 $key "$hdr" "$(v2 $iat $client)" > $out/valid.jwt
"$mint" RS256 $key "$hdr" "$(v2 $(( iat - 5400 )) $client)" > $out/expired.jwt
"$mint" RS256 $key "$hdr" "$(v2 $iat 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0)" > $out/wrong-client.jwt
v1="{\"aud\":\"api://$api\",\"iss\":\"https://sts.windows.net/$tenant/\",\"iat\":$iat,\"nbf\":$iat,\"exp\":$(( iat + 4500 )),\"aio\":\"E2RgYJj8+demo\",\"appid\":\"$client\",\"appidacr\":\"1\",\"idp\":\"https://sts.windows.net/$tenant/\",\"idtyp\":\"app\",\"oid\":\"3c5a2e1b-8f7d-4e21-9c3a-6b0d1f2e4a5c\",\"roles\":[\"Data.Read\"],\"sub\":\"3c5a2e1b-8f7d-4e21-9c3a-6b0d1f2e4a5c\",\"tid\":\"$tenant\",\"ver\":\"1.0\"}"
"$mint" RS256 $key '{"typ":"JWT","alg":"RS256","x5t":"demo-key-1","kid":"demo-key-1"}' "$v1" > $out/v1.jwt
# tampered: the valid token's payload with "roles" changed, signature kept.
python3 - $out/valid.jwt > $out/tampered.jwt <<'PY'
import base64, sys
h, p, s = open(sys.argv[1]).read().strip().split(".")
pad = "=" * (-len(p) % 4)
claims = base64.urlsafe_b64decode(p + pad).replace(b"Data.Read", b"Data.Admin")
print(h + "." + base64.urlsafe_b64encode(claims).rstrip(b"=").decode() + "." + s)
PY
ls -1 $out
