#!/bin/sh
# check_exports.sh NM LIB: fail if the shared library exports any defined
# dynamic symbol that is not jwtgate_*.
set -eu
nm="$1"; lib="$2"
bad=$("$nm" -D --defined-only "$lib" | awk '{print $NF}' | grep -v '^jwtgate_' || true)
count=$("$nm" -D --defined-only "$lib" | awk '{print $NF}' | grep -c '^jwtgate_' || true)
if [ -n "$bad" ]; then
  echo "non-jwtgate symbols exported by $lib:"; echo "$bad"; exit 1
fi
echo "$count jwtgate_* symbols exported, nothing else"
