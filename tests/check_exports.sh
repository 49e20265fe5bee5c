#!/bin/sh
# check_exports.sh NM LIB: fail if the shared library exports any defined
# dynamic symbol that is not jwtgate_*. The version nodes of src/jwtgate.map
# (JWTGATE_0.1, ...) are absolute symbols (nm type A), not exports: skipped.
set -eu
nm="$1"; lib="$2"
bad=$("$nm" -D --defined-only "$lib" | awk '$2 != "A" {print $NF}' | grep -v '^jwtgate_' || true)
count=$("$nm" -D --defined-only "$lib" | awk '$2 != "A" {print $NF}' | grep -c '^jwtgate_' || true)
if [ -n "$bad" ]; then
  echo "non-jwtgate symbols exported by $lib:"; echo "$bad"; exit 1
fi
echo "$count jwtgate_* symbols exported, nothing else"
