#!/usr/bin/env bash
# test.sh: the README's second command. Installs what is missing, then builds
# and runs the whole test suite twice: a normal build, and one under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
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
run_suite build
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug \
  -Dcpp_args=-fno-sanitize-recover=undefined -Dc_args=-fno-sanitize-recover=undefined
# One closing line with the totals, read from meson's JSON test logs.
python3 - "build" "build-asan" <<'PY'
import json, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    try:
        for line in open(f"{d}/meson-logs/testlog.json"):
            r = json.loads(line)["result"]
            if r == "OK": passed += 1
            elif r == "SKIP": skipped += 1
            else: failed += 1
    except FileNotFoundError:
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
printf '%s\n' "${summary[@]}"
exit $status
