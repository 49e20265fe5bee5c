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
