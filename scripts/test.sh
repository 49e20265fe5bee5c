#!/usr/bin/env bash
# test.sh: the README's second command. Installs what is missing, then builds
# and runs the whole test suite twice: a normal build, and one under
# AddressSanitizer + UndefinedBehaviorSanitizer (each replays every fuzz
# corpus); a build without libcurl and with -Drsa_fast_path=false for the
# host-fetch C test and the signature suites; then the concurrency test of
# network key fetching under ThreadSanitizer, the Python package's pytest
# suite, and a bounded fuzzing campaign (libFuzzer, ASan + UBSan;
# JWTGATE_FUZZ_SECONDS per target, default 60, 0 to skip).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The integration test's OpenID provider (the npm package oidc-provider),
# exactly as the committed lockfile pins it.
if command -v npm >/dev/null; then
  (cd tests/integration && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "test.sh: npm ci failed in tests/integration: the integration test will fail"
else
  echo "test.sh: npm is not installed: the integration test will fail"
fi
# Sanitizer findings fail the run instead of scrolling past.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
status=0
summary=()
run_suite() {
  local dir="$1"; shift
  bash scripts/build.sh "$dir" "$@"
  if meson test -C "$dir" --print-errorlogs --num-processes 2; then
    summary+=("$dir: ok")
  else
    summary+=("$dir: FAILED"); status=1
  fi
}
# ThreadSanitizer: only the [tsan] test of network key fetching (validations
# racing key rotations, the refresh thread and forced refreshes), so only
# that executable and the library are built under TSan.
extra_results=""
run_tsan() {
  local dir=build-tsan
  [ -f "$dir/build.ninja" ] || meson setup "$dir" -Db_sanitize=thread -Db_lundef=false >/dev/null
  ninja -C "$dir" tests/net_tests >/dev/null
  echo "build: $dir ready (tests/net_tests)"
  if TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$dir/tests/net_tests" "[tsan]"; then
    summary+=("$dir: ok"); extra_results+=" OK"
  else
    summary+=("$dir: FAILED"); status=1; extra_results+=" FAIL"
  fi
}
# One build for two fallbacks: without libcurl (-Dnetwork=disabled), and
# verifying RSA through OpenSSL's EVP_PKEY_verify instead of
# src/crypto/rsa_verify.cpp (-Drsa_fast_path=false: the rule at the top of
# that file). Its libjwtgate.so must not need libcurl and the C test of host
# fetching runs against it; so do the suites that verify signatures and the
# differential replay.
run_fallbacks() {
  local dir=build-nonet
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" -Dnetwork=disabled -Drsa_fast_path=false >/dev/null
  else
    meson setup "$dir" -Dnetwork=disabled -Drsa_fast_path=false >/dev/null
  fi
  ninja -C "$dir" tests/c_api_host_test tests/unit_tests fuzz/fuzz_replay_differential >/dev/null
  echo "build: $dir ready (tests/c_api_host_test, tests/unit_tests, fuzz/fuzz_replay_differential)"
  local ok=1
  if ! readelf -d "$dir/src/libjwtgate.so" | grep -q 'libcurl' &&
     ! grep -q curl "$dir/meson-private/jwtgate.pc" &&
     JWTGATE_SOURCE_ROOT="$PWD" "$dir/tests/c_api_host_test"; then
    extra_results+=" OK"
  else
    ok=0; extra_results+=" FAIL"
  fi
  for group in crypto wycheproof rfc; do
    if JWTGATE_TEST_DATA="$PWD/tests" "$dir/tests/unit_tests" "[$group]" >"$dir/$group.log" 2>&1; then
      extra_results+=" OK"
    else
      ok=0; extra_results+=" FAIL"; cat "$dir/$group.log"
    fi
  done
  local seeds=(fuzz/corpus/differential)
  [ -d fuzz/regressions/differential ] && seeds+=(fuzz/regressions/differential)
  if "$dir/fuzz/fuzz_replay_differential" "${seeds[@]}" >"$dir/differential.log" 2>&1; then
    extra_results+=" OK"
  else
    ok=0; extra_results+=" FAIL"; cat "$dir/differential.log"
  fi
  if [ $ok = 1 ]; then summary+=("$dir: ok"); else summary+=("$dir: FAILED"); status=1; fi
}
# The normal build also builds the nginx module and runs its suite
# (nginx_module); the sanitizer builds do not (Debian's nginx is not
# instrumented: the module runs under valgrind there instead).
run_suite build -Dnginx=enabled
run_fallbacks
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
  -Dcpp_args=-fno-sanitize-recover=undefined -Dc_args=-fno-sanitize-recover=undefined
run_tsan
# The Python package, installed the way a user installs it (pip install .),
# and its pytest suite run against the installed copy.
mkdir -p build-python
if JWTGATE_SKIP_DEPS=1 bash scripts/python-test.sh --junitxml="$PWD/build-python/junit.xml"; then
  summary+=("python: ok")
else
  summary+=("python: FAILED"); status=1
fi
# A bounded fuzzing campaign, built the OSS-Fuzz way (fuzz/build.sh): every
# target for JWTGATE_FUZZ_SECONDS on its seed corpus, two at a time.
fuzz_seconds="${JWTGATE_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" != 0 ]; then
  if bash fuzz/run_campaign.sh "$fuzz_seconds" "$PWD/build-fuzz"; then
    summary+=("fuzz campaign (${fuzz_seconds}s per target): ok"); extra_results+=" OK"
  else
    summary+=("fuzz campaign (${fuzz_seconds}s per target): FAILED"); status=1; extra_results+=" FAIL"
  fi
fi
# One closing line with the totals: meson's JSON test logs (each suite counts
# once), the TSan run, and pytest's JUnit report (each test counts once).
EXTRA_RESULTS="$extra_results" python3 - "build" "build-asan" <<'PY'
import json, os, sys
passed = failed = skipped = 0
for r in os.environ.get("EXTRA_RESULTS", "").split():
    if r == "OK": passed += 1
    else: failed += 1
for d in sys.argv[1:]:
    try:
        for line in open(f"{d}/meson-logs/testlog.json"):
            r = json.loads(line)["result"]
            if r == "OK": passed += 1
            elif r == "SKIP": skipped += 1
            else: failed += 1
    except FileNotFoundError:
        failed += 1
import xml.etree.ElementTree as ET
try:
    root = ET.parse("build-python/junit.xml").getroot()
    for suite in ([root] if root.tag == "testsuite" else root.findall("testsuite")):
        n = int(suite.get("tests", 0)); s = int(suite.get("skipped", 0))
        f = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        passed += n - f - s; failed += f; skipped += s
except (FileNotFoundError, ET.ParseError):
    failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
printf '%s\n' "${summary[@]}"
exit $status
