#!/usr/bin/env bash
# run_consumer_test.sh [BUILD_DIR]: link a C program against an installed
# jwtgate the three ways an adopter does, and run each build.
#
# 1. Configures the library with the default options (library and CLI only,
#    the lean build of docs/packaging.md) and `meson install`s it into
#    BUILD_DIR/prefix (default build-consumer).
# 2. Builds tests/packaging/consumer.c
#    - with `pkg-config --cflags --libs jwtgate` (shared library),
#    - with `pkg-config --static --cflags --libs jwtgate` and libjwtgate.a
#      (the binary must not need libjwtgate.so),
#    - with CMake's find_package(jwtgate) (jwtgate::jwtgate, and
#      jwtgate::jwtgate_static),
#    prints each link line and runs each program.
# 3. Configures tests/packaging/subproject, a meson project with jwtgate as a
#    subproject, so dependency('jwtgate') must resolve through
#    meson.override_dependency (configured only: building it would compile
#    the library once more; JWTGATE_SUBPROJECT_BUILD=1 builds and runs it).
# Extra meson options for step 1 come from JWTGATE_CONSUMER_OPTIONS (e.g.
# "-Dxml=disabled -Dnetwork=disabled"; with -Dxml=disabled the consumer also
# checks that an XML policy is refused).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dir="$(realpath -m "${1:-build-consumer}")"
src="$root/tests/packaging"
prefix="$dir/prefix"
read -r -a options <<<"${JWTGATE_CONSUMER_OPTIONS:-}"
cc="${CC:-cc}"

rm -rf "$prefix" "$dir/bin" "$dir/cmake" "$dir/subproject"
if [ -f "$dir/lib/build.ninja" ]; then
  meson configure "$dir/lib" --prefix="$prefix" --libdir=lib "${options[@]}" >/dev/null
else
  meson setup "$dir/lib" --prefix="$prefix" --libdir=lib "${options[@]}" >/dev/null
fi
ninja -C "$dir/lib" >/dev/null 2>&1 || ninja -C "$dir/lib"
meson install -C "$dir/lib" --quiet
echo "consumer: jwtgate installed in $prefix"
export JWTGATE_EXPECT_NO_XML=0
grep -q 'pugixml' "$prefix/lib/pkgconfig/jwtgate.pc" || JWTGATE_EXPECT_NO_XML=1

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
mkdir -p "$dir/bin"
status=0
fail() { echo "consumer: FAIL: $*" >&2; status=1; }

cflags="$(pkg-config --cflags jwtgate)"
echo "pkg-config --cflags jwtgate: $cflags"
# Only the include directory: no internal defines (simdjson's) or flags.
case " $cflags " in *" -D"*|*" -f"*|*" -W"*) fail "Cflags carry more than include directories" ;; esac

run() {  # run NAME: run $dir/bin/NAME, the library found through LD_LIBRARY_PATH
  local name="$1"
  echo "consumer: running $name"
  if ! LD_LIBRARY_PATH="$prefix/lib" "$dir/bin/$name"; then fail "$name"; fi
}
needs_shared() {  # needs_shared NAME yes|no
  # Output captured first: with pipefail, `cmd | grep -q` fails whenever grep
  # exits on its match before cmd has written everything (SIGPIPE).
  local dynamic; dynamic="$(readelf -d "$dir/bin/$1")"
  if grep -q 'NEEDED.*libjwtgate\.so' <<<"$dynamic"; then
    [ "$2" = yes ] || fail "$1 needs libjwtgate.so although it links libjwtgate.a"
  else
    [ "$2" = no ] || fail "$1 does not need libjwtgate.so"
  fi
}

# 1. pkg-config, shared.
link=("$cc" "$src/consumer.c" $cflags -o "$dir/bin/consumer_shared" $(pkg-config --libs jwtgate))
echo "link (pkg-config, shared): ${link[*]}"
"${link[@]}"
needs_shared consumer_shared yes
run consumer_shared

# 2. pkg-config, static: the archive by name (-l:libjwtgate.a), since the
# linker prefers libjwtgate.so when both are in one directory.
libs_static="$(pkg-config --static --libs jwtgate)"
link=("$cc" "$src/consumer.c" $cflags -o "$dir/bin/consumer_static" ${libs_static/-ljwtgate/-l:libjwtgate.a})
echo "link (pkg-config --static): ${link[*]}"
"${link[@]}"
needs_shared consumer_static no
run consumer_static

# 3. CMake, find_package(jwtgate).
cmake -S "$src/cmake" -B "$dir/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$cc" >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log"; fail "cmake configure"; }
grep 'jwtgate .* from' "$dir/cmake.log" || true
targets="$(ninja -C "$dir/cmake" -t targets all)"
for target in consumer_cmake consumer_cmake_static; do
  if ! grep -q "^$target:" <<<"$targets"; then
    fail "CMake target $target not defined"; continue
  fi
  echo "link (CMake, ${target#consumer_}): $(ninja -C "$dir/cmake" -t commands "$target" | tail -n 1)"
  ninja -C "$dir/cmake" "$target" >/dev/null || { fail "cmake build $target"; continue; }
  cp "$dir/cmake/$target" "$dir/bin/"
  [ "$target" = consumer_cmake ] && needs_shared "$target" yes || needs_shared "$target" no
  run "$target"
done

# 4. A meson project with jwtgate as a subproject.
sub="$dir/subproject/src"
mkdir -p "$sub/subprojects"
cp "$src/subproject/meson.build" "$src/consumer.c" "$sub/"
ln -s "$root" "$sub/subprojects/jwtgate"
# Not the installed copy: no PKG_CONFIG_PATH, and the fallback forced; the
# same options, as the subproject's (-Dxml=disabled: -Djwtgate:xml=disabled).
sub_options=()
for o in "${options[@]}"; do sub_options+=("-Djwtgate:${o#-D}"); done
if env -u PKG_CONFIG_PATH meson setup "$dir/subproject/build" "$sub" --force-fallback-for=jwtgate \
     "${sub_options[@]}" >"$dir/subproject.log" 2>&1 &&
   grep -q "^Dependency jwtgate found: YES .*(overridden)" "$dir/subproject.log"; then
  echo "consumer: dependency('jwtgate') resolves to the subproject"
  if [ "${JWTGATE_SUBPROJECT_BUILD:-}" = 1 ]; then
    ninja -C "$dir/subproject/build" consumer_subproject >/dev/null
    echo "consumer: running consumer_subproject"
    "$dir/subproject/build/consumer_subproject" || fail consumer_subproject
  fi
else
  cat "$dir/subproject.log"; fail "dependency('jwtgate') from a subproject"
fi

[ $status = 0 ] && echo "consumer: all builds linked and ran"
exit $status
