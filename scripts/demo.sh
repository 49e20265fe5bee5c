#!/usr/bin/env bash
# demo.sh: the README's first command. Installs what is missing, builds, and
# runs jwtgate on the bundled example: the article's APIM policy with its
# openid-config served from local files (no network), one accepted token and
# rejected ones, each with APIM's status, reason and message.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
ex=examples/article
jg=build/cli/jwtgate
# The bundled tokens were minted at a fixed time; --now pins the clock there.
now=$(cat $ex/now.txt)
common=(--policy $ex/policy.xml --named-values $ex/named-values.json
        --openid-document "$(cat $ex/openid-config-url.txt)=$ex/openid-configuration.json"
        --jwks-document "$(cat $ex/jwks-uri.txt)=$ex/jwks.json"
        --now "$now")
run() {
  local title="$1" file="$2"
  echo
  echo "=== $title ($file)"
  echo "\$ jwtgate validate --policy $ex/policy.xml ... --header 'Authorization: Bearer <$file>'"
  set +e
  $jg validate "${common[@]}" --header "Authorization: Bearer $(cat $ex/tokens/$file)"
  echo "(exit status $?)"
  set -e
}
run "A valid v2.0 access token from an allowed client" valid.jwt
run "The same token an hour and a half later" expired.jwt
run "A v1.0 token (accessTokenAcceptedVersion not set on the API)" v1.jwt
run "A client that is not in the azp list" wrong-client.jwt
run "A token whose claims were edited after signing" tampered.jwt

# The same token, encrypted (examples/encrypted): the policy's
# <decryption-keys> names a certificate whose private key the host registers.
enc=examples/encrypted
ecommon=(--policy $enc/policy.xml "${common[@]:2}"
         --decryption-key token-encryption=$enc/token-encryption.pem)
run_encrypted() {
  local title="$1" file="$2"
  echo
  echo "=== $title ($enc/tokens/$file)"
  echo "\$ jwtgate validate --policy $enc/policy.xml ... --decryption-key token-encryption=$enc/token-encryption.pem --header 'Authorization: Bearer <$file>'"
  set +e
  $jg validate "${ecommon[@]}" --header "Authorization: Bearer $(cat $enc/tokens/$file)"
  echo "(exit status $?)"
  set -e
}
run_encrypted "The valid token inside a JWE (RSA-OAEP-256, A256GCM)" encrypted.jwt
run_encrypted "The same, encrypted to another key" other-key.jwt
