#!/bin/sh
# check_no_signing.sh NM LIB...: fail if a library holds signing code. jwtgate
# verifies and never signs: the signing that tests, tools and benchmarks need
# is in the test-support library (tests/support/sign.cpp). Looks for our own
# signing functions and for OpenSSL's signing entry points among the symbols
# the library defines or calls.
set -eu
nm="$1"; shift
status=0
for lib in "$@"; do
  found=$("$nm" -A "$lib" 2>/dev/null | grep -E ' [TtUW] (_ZN7jwtgate[0-9]+sign_with|EVP_DigestSign|EVP_SignFinal|EVP_PKEY_sign|ECDSA_do_sign|ECDSA_sign|RSA_sign)' || true)
  if [ -n "$found" ]; then
    echo "$lib holds signing code:"; echo "$found"; status=1
  else
    echo "$lib: no signing code"
  fi
done
exit $status
