#!/usr/bin/env bash
# python-test.sh: build and install the Python package as a user would
# (pip install . with build isolation: meson-python, meson and pybind11 from
# PyPI, system libraries from Debian), then run the pytest suite in
# tests/python from outside the source tree, against the installed package.
#
# The environment is a fresh virtualenv in $JWTGATE_PY_VENV (default
# build-python/venv). Exit status: pytest's, except that "no tests collected"
# (pytest's 5) is a failure too.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="${JWTGATE_PY_VENV:-$root/build-python/venv}"
python="${PYTHON:-python3}"

if [ "${JWTGATE_SKIP_DEPS:-}" != 1 ]; then
  bash scripts/install-deps.sh
fi
rm -rf "$venv"
"$python" -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install --quiet --upgrade pip
echo "python-test: pip install . (build isolation)"
start=$(date +%s)
"$py" -m pip install --quiet "$root"
echo "python-test: installed jwtgate $("$py" -c 'import jwtgate; print(jwtgate.__version__)') in $(( $(date +%s) - start )) s"
"$py" -m pip install --quiet -r "$root/tests/python/requirements.txt"
# The framework tests get tokens from the integration test's OpenID provider
# (oidc-provider from npm, tests/integration); scripts/test.sh installs it too.
if [ ! -d "$root/tests/integration/node_modules/oidc-provider" ]; then
  (cd "$root/tests/integration" && npm ci --no-audit --no-fund --loglevel=error)
fi

# From outside the tree, so that `import jwtgate` can only find the installed
# package; the tests read their data from the tree ($JWTGATE_SOURCE_ROOT).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# PyJWT's own suite, run against jwtgate.compat.pyjwt (tests/python/
# test_pyjwt_suite.py), leaves its count here; it is printed at the end.
report="$work/pyjwt-suite.txt"
set +e
JWTGATE_SOURCE_ROOT="$root" JWTGATE_PYJWT_REPORT="$report" \
  JWTGATE_PYJWT_CACHE="${JWTGATE_PYJWT_CACHE:-$root/build-python/pyjwt-cache}" \
  "$py" -m pytest -p no:cacheprovider -q -rs "$root/tests/python" "$@"
status=$?
set -e
if [ -s "$report" ]; then
  cat "$report"
fi
if [ $status -eq 5 ]; then
  echo "python-test: pytest collected no tests" >&2
  exit 1
fi
exit $status
