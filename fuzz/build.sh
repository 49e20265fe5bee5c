#!/usr/bin/env bash
# fuzz/build.sh: builds every fuzz target the way OSS-Fuzz builds a project.
#
# Honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT (and $WORK for
# intermediate files). Unset, they default to a local libFuzzer build under
# ASan + UBSan with clang, into fuzz/out:
#
#   bash fuzz/build.sh                       # -> fuzz/out/fuzz_<name>
#   OUT=/tmp/f CXX=clang++-14 bash fuzz/build.sh
#
# It compiles the library sources that src/meson.build lists, with
# $CXX $CXXFLAGS, into one archive, links each fuzz/fuzz_<name>.cpp with
# $LIB_FUZZING_ENGINE into $OUT/fuzz_<name>, and puts beside each binary its
# seed corpus (fuzz/corpus/<name> plus fuzz/regressions/<name>) as
# fuzz_<name>_seed_corpus.zip, its dictionary as fuzz_<name>.dict, and a
# fuzz_<name>.options with the dictionary and max_len (read by
# run_campaign.sh and by ClusterFuzz).
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
: "${CC:=clang}"
: "${CXX:=clang++}"
default_flags="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
: "${CFLAGS:=$default_flags}"
: "${CXXFLAGS:=$default_flags}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$SRC/fuzz/out}"
: "${WORK:=$OUT/work}"
: "${JOBS:=$(nproc)}"
mkdir -p "$OUT" "$WORK/obj" "$WORK/include"
OUT="$(cd "$OUT" && pwd)"
WORK="$(cd "$WORK" && pwd)"

# Per target: max_len (bytes; each a little above the largest realistic
# input, so that mutations are not wasted on size) and the dictionaries in
# fuzz/dict/ that are concatenated into its .dict.
targets_table="
base64url        4096    jwt
token            16384   jwt json
validate         16384   jwt json
jwk              8192    jwk json
jwks             32768   jwk json
pem              16384   pem
der              8192    der
keys_auto        16384   jwk json pem der
discovery        8192    openid json
policy_xml       32768   policy xml
policy_json      32768   policy json
named_values     16384   policy xml json
required_claims  8192    json
differential     2048
"

# jwtgate_version.h, as meson's configure_file makes it: the version from
# project(), the ABI from abi_version.
version="$(sed -n "s/^ *version *: *'\([0-9.]*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)"
abi="$(sed -n "s/^abi_version *= *'\([0-9]*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)"
IFS=. read -r major minor patch <<<"$version"
sed -e "s/@MAJOR@/$major/" -e "s/@MINOR@/$minor/" -e "s/@PATCH@/$patch/" \
    -e "s/@VERSION@/$version/" -e "s/@ABI@/$abi/" \
    "$SRC/include/jwtgate_version.h.in" >"$WORK/include/jwtgate_version.h.new"
# Rewritten only when it changes, so that objects are not rebuilt for nothing.
if cmp -s "$WORK/include/jwtgate_version.h.new" "$WORK/include/jwtgate_version.h"; then
  rm "$WORK/include/jwtgate_version.h.new"
else
  mv "$WORK/include/jwtgate_version.h.new" "$WORK/include/jwtgate_version.h"
fi

# The library sources: the files() list of jwtgate_sources in src/meson.build.
mapfile -t lib_sources < <(sed -n '/^jwtgate_sources = files(/,/^)/p' "$SRC/src/meson.build" |
                           grep -o "'[^']*\.cpp'" | tr -d "'")
if [ "${#lib_sources[@]}" -eq 0 ]; then
  echo "build.sh: no sources found in src/meson.build" >&2
  exit 1
fi

# An object is rebuilt when it is missing, when the flags changed, or when
# any source or header of the library (or the fuzz helpers) is newer.
flags_id="$CXX $CXXFLAGS"
if [ "$(cat "$WORK/flags" 2>/dev/null)" != "$flags_id" ]; then
  rm -f "$WORK"/obj/*.o
  printf '%s' "$flags_id" >"$WORK/flags"
fi
export CXX CXXFLAGS SRC WORK
compile() {  # compile SOURCE OBJECT
  local src="$1" obj="$2"
  if [ -f "$obj" ] && [ -z "$(find "$SRC/src" "$SRC/include" "$SRC/fuzz" "$WORK/include" \
                                  -newer "$obj" \( -name '*.h' -o -name '*.cpp' \) -print -quit)" ]; then
    return 0
  fi
  echo "  CXX $src"
  # shellcheck disable=SC2086 # the flags are word lists
  $CXX $CXXFLAGS -std=c++20 -DJWTGATE_BUILDING \
    -I"$SRC/include" -I"$WORK/include" -I"$SRC/src" -I"$SRC/fuzz" \
    -c "$SRC/$src" -o "$obj"
}
export -f compile

echo "build.sh: library (${#lib_sources[@]} sources) and targets with $CXX, $JOBS jobs"
fuzz_sources=()
for f in "$SRC"/fuzz/fuzz_*.cpp; do fuzz_sources+=("fuzz/$(basename "$f")"); done
# Every fuzz_*.cpp must be in the table, or it would silently not be built.
for s in "${fuzz_sources[@]}"; do
  n="$(basename "$s" .cpp)"
  if ! grep -q "^${n#fuzz_} " <<<"$targets_table"; then
    echo "build.sh: $s is not in the targets table" >&2
    exit 1
  fi
done
{
  for s in "${lib_sources[@]}"; do printf '%s %s\n' "src/$s" "$WORK/obj/lib_${s//\//_}.o"; done
  for s in "${fuzz_sources[@]}"; do printf '%s %s\n' "$s" "$WORK/obj/$(basename "$s" .cpp).o"; done
} | xargs -P "$JOBS" -L 1 bash -c 'compile "$0" "$1"'

rm -f "$WORK/libjwtgate_fuzz.a"
ar rcs "$WORK/libjwtgate_fuzz.a" "$WORK"/obj/lib_*.o

while read -r name max_len dicts; do
  [ -n "$name" ] || continue
  target="fuzz_$name"
  if [ ! -f "$SRC/fuzz/$target.cpp" ]; then
    echo "build.sh: fuzz/$target.cpp is listed but missing" >&2
    exit 1
  fi
  echo "  LINK $target"
  # shellcheck disable=SC2086
  $CXX $CXXFLAGS "$WORK/obj/$target.o" "$WORK/libjwtgate_fuzz.a" $LIB_FUZZING_ENGINE \
    -lcrypto -lsimdjson -lpugixml -lcurl -lpthread -o "$OUT/$target"

  rm -f "$OUT/${target}_seed_corpus.zip" "$OUT/$target.dict"
  seeds=()
  for d in corpus regressions; do
    [ -d "$SRC/fuzz/$d/$name" ] && seeds+=("$SRC/fuzz/$d/$name")
  done
  if [ "${#seeds[@]}" -gt 0 ]; then
    (cd "$SRC/fuzz" && find "${seeds[@]#"$SRC/fuzz/"}" -type f ! -name '.*' -print |
                       zip -q -j "$OUT/${target}_seed_corpus.zip" -@)
  fi
  {
    echo "[libfuzzer]"
    echo "max_len = $max_len"
    if [ -n "$dicts" ]; then
      for d in $dicts; do cat "$SRC/fuzz/dict/$d.dict"; echo; done >"$OUT/$target.dict"
      echo "dict = $target.dict"
    fi
  } >"$OUT/$target.options"
done <<<"$targets_table"

echo "build.sh: done: $OUT"
