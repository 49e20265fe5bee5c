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
keys_auto        16384   jwk json pem der keytext
discovery        8192    openid json
policy_xml       32768   policy xml
policy_json      32768   policy json
named_values     16384   policy xml json
required_claims  8192    json
token_source     4096    request jwt
differential     2048
jwe              16384   jwt json
jwe_decrypt      16384   jwt json
jwe_unwrap       1024
"

# jwtgate_version.h, as meson's configure_file makes it: the version from
# project(), the ABI from abi_version.
version="$(sed -n "s/^ *version *: *'\([0-9.]*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)"
abi="$(sed -n "s/^abi_version *= *'\([0-9]*\)'.*/\1/p" "$SRC/meson.build" | head -n 1)"
IFS=. read -r major minor patch <<<"$version"
sed -e "s/@MAJOR@/$major/" -e "s/@MINOR@/$minor/" -e "s/@PATCH@/$patch/" \
    -e "s/@VERSION@/$version/" -e "s/@ABI@/$abi/" \
    "$SRC/include/jwtgate_version.h.in" >"$WORK/include/jwtgate_version.h.new"
mv "$WORK/include/jwtgate_version.h.new" "$WORK/include/jwtgate_version.h"

# The library sources: the files() lists of jwtgate_sources and
# jwtgate_xml_sources (the XML policy form of a default build) in src/meson.build.
mapfile -t lib_sources < <(sed -n -e '/^jwtgate_sources = files(/,/^)/p' \
                                  -e '/^jwtgate_xml_sources = files(/,/^)/p' "$SRC/src/meson.build" |
                           grep -o "'[^']*\.cpp'" | tr -d "'")
if [ "${#lib_sources[@]}" -eq 0 ]; then
  echo "build.sh: no sources found in src/meson.build" >&2
  exit 1
fi
# Plus the one transfer file of a default build (meson adds it after the list:
# libcurl's, not the refusing one of -Dnetwork=disabled).
lib_sources+=(net/http_client.cpp)

# Incremental: the library is recompiled when the compiler, the flags or the
# content of any file under src/ or include/ changed, the targets when that
# or anything under fuzz/ did (content hashes, not mtimes, so a checkout of
# older files is noticed too). OSS-Fuzz starts from an empty $WORK anyway.
tree_hash() {
  (cd "$SRC" && find "$@" -type f \( -name '*.h' -o -name '*.cpp' -o -name '*.in' -o -name '*.def' \
                                -o -name '*.inc' \) -print0 |
                sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}
lib_id="$(printf '%s\n%s\n%s\n' "$CXX" "$CXXFLAGS" "$(tree_hash src include)" | sha1sum | cut -d' ' -f1)"
targets_id="$(printf '%s\n%s\n' "$lib_id" "$(tree_hash fuzz)" | sha1sum | cut -d' ' -f1)"
if [ "$(cat "$WORK/lib.id" 2>/dev/null)" != "$lib_id" ]; then
  rm -f "$WORK"/obj/lib_*.o "$WORK/lib.id"
fi
if [ "$(cat "$WORK/targets.id" 2>/dev/null)" != "$targets_id" ]; then
  rm -f "$WORK"/obj/fuzz_*.o "$WORK/targets.id"
fi
# From here on every object in obj/ belongs to these ids (objects appear
# whole, by rename), so a failed build resumes where it stopped.
echo "$lib_id" >"$WORK/lib.id"
echo "$targets_id" >"$WORK/targets.id"
export CXX CXXFLAGS SRC WORK
compile() {  # compile SOURCE OBJECT
  local src="$1" obj="$2"
  [ -f "$obj" ] && return 0
  echo "  CXX $src"
  # shellcheck disable=SC2086 # the flags are word lists
  $CXX $CXXFLAGS -std=c++20 -DJWTGATE_BUILDING -DJWTGATE_HAVE_CURL=1 \
    -I"$SRC/include" -I"$WORK/include" -I"$SRC/src" -I"$SRC/fuzz" \
    -c "$SRC/$src" -o "$obj.tmp"
  mv "$obj.tmp" "$obj"
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

# Exactly the objects of the sources listed now, never a stale one.
lib_objects=()
for s in "${lib_sources[@]}"; do lib_objects+=("$WORK/obj/lib_${s//\//_}.o"); done
rm -f "$WORK/libjwtgate_fuzz.a"
ar rcs "$WORK/libjwtgate_fuzz.a" "${lib_objects[@]}"

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
    # Flat, as OSS-Fuzz unpacks it; python3 where zip is not installed.
    find "${seeds[@]}" -type f ! -name '.*' -print | sort |
      if command -v zip >/dev/null; then
        zip -q -j "$OUT/${target}_seed_corpus.zip" -@
      else
        python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for line in sys.stdin:
        z.write(line.rstrip("\n"), os.path.basename(line.rstrip("\n")))' "$OUT/${target}_seed_corpus.zip"
      fi
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
