#!/usr/bin/env bash
# install-deps.sh: install the Debian 12 packages jwtgate builds and tests
# with, skipping what is already there. Run as root (or through sudo).
set -euo pipefail

packages=(
  build-essential pkg-config meson ninja-build
  libssl-dev libsimdjson-dev libcurl4-openssl-dev libpugixml-dev catch2
  clang libclang-rt-14-dev llvm   # libFuzzer and the sanitizer runtimes
  python3 curl ca-certificates
  libmicrohttpd-dev nginx-light wrk   # jwtgate serve, its nginx test and load test
  abigail-tools binutils   # the ABI check (abidiff, abidw) and the symbol test (readelf)
  nginx-dev valgrind   # the nginx module (bindings/nginx) against /usr/share/nginx/src, its valgrind test
)
# Node.js and npm run the integration test's OpenID provider (oidc-provider).
# A machine that already has them (e.g. from NodeSource, whose nodejs bundles
# npm) keeps its own; Debian's packages would conflict with it.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
# RUNLEVEL=1: invoke-rc.d then starts no service, so installing nginx does
# not leave a server listening on port 80 (the tests start their own, on
# 127.0.0.1).
$SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
