#!/usr/bin/env bash
# run.sh: the benchmark in one command (docs/performance.md).
#
#   bash bench/run.sh [jwtgate_bench options, e.g. --rounds 15 --slice 0.5]
#
# Installs what is missing (the build packages, libjwt-dev for the peer,
# matplotlib for the chart), builds jwtgate and the benchmark in release
# mode in its own build directory (build-bench), runs it, and writes
# bench/results/latest.json and docs/bench.png. The table goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if ! dpkg-query -W -f='${Status}' libjwt-dev 2>/dev/null | grep -q "install ok installed"; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "run.sh: installing libjwt-dev (the libjwt peer)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libjwt-dev >/dev/null
fi
if ! python3 -c "import matplotlib" 2>/dev/null; then
  echo "run.sh: installing matplotlib"
  python3 -m pip install --quiet matplotlib
fi

# Release build: -O3 and NDEBUG. GCC 12 reports a false -Wrestrict inside
# libstdc++'s std::string at -O3 (GCC bug 105651) in code that is
# warning-free at -O2, so that one warning stays a warning here; every other
# warning is still an error.
dir=build-bench
opts=(-Dbuildtype=release -Db_ndebug=true -Dbench=true -Dtests=false
      -Dcpp_args=-Wno-error=restrict)
if [ ! -f "$dir/build.ninja" ]; then
  meson setup "$dir" "${opts[@]}" >/dev/null
else
  meson configure "$dir" "${opts[@]}" >/dev/null
fi
ninja -C "$dir" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }

mkdir -p bench/results docs
"$dir/bench/jwtgate_bench" --json bench/results/latest.json "$@"
python3 bench/plot.py bench/results/latest.json docs/bench.png
