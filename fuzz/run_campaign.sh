#!/usr/bin/env bash
# fuzz/run_campaign.sh: a bounded fuzzing campaign, as CI runs it.
#
#   bash fuzz/run_campaign.sh [SECONDS_PER_TARGET] [OUT]     (defaults: 60, fuzz/out)
#
# Builds every target with fuzz/build.sh into OUT (libFuzzer, ASan + UBSan,
# unless $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE say otherwise), then
# runs each for SECONDS_PER_TARGET on a work copy of its seed corpus and
# crash inputs (fuzz/corpus-work/<name>, never the committed corpus), with
# its dictionary and max_len from OUT/fuzz_<name>.options, a per-input
# timeout and an RSS limit, halting on the first sanitizer report. Prints
# per target: executions, edge coverage (cov), features (ft), corpus size
# and the result. Exits non-zero if any target crashed, leaked, timed out or
# ran out of memory; the input is in OUT/artifacts/<name>/ and
#   OUT/fuzz_<name> OUT/artifacts/<name>/crash-...
# reproduces it (see docs/fuzzing.md for what to commit).
#
# Environment: JOBS (targets run at once; default: the number of CPUs),
# TARGETS (names to run, space-separated; default: all), FUZZ_ARGS (extra
# libFuzzer flags), SKIP_BUILD=1 (reuse OUT as built).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
seconds="${1:-60}"
OUT="${2:-$ROOT/fuzz/out}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
export OUT
JOBS="${JOBS:-$(nproc)}"
WORKDIR="$ROOT/fuzz/corpus-work"
start=$(date +%s)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  bash "$ROOT/fuzz/build.sh"
fi
build_done=$(date +%s)

if [ -n "${TARGETS:-}" ]; then
  read -r -a names <<<"$TARGETS"
else
  names=()
  for f in "$OUT"/fuzz_*.options; do
    [ -e "$f" ] || break
    n="$(basename "$f" .options)"
    names+=("${n#fuzz_}")
  done
fi
if [ "${#names[@]}" -eq 0 ]; then
  echo "run_campaign.sh: no targets built in $OUT" >&2
  exit 2
fi

# Sanitizers stop at the first report; libFuzzer records the input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

run_one() {
  local name="$1" bin="$OUT/fuzz_$1" opts="$OUT/fuzz_$1.options"
  local work="$WORKDIR/$name" art="$OUT/artifacts/$name" log="$OUT/logs/$name.log"
  rm -rf "$work" "$art"
  mkdir -p "$work" "$art" "$OUT/logs"
  for d in corpus regressions; do
    [ -d "$ROOT/fuzz/$d/$name" ] && find "$ROOT/fuzz/$d/$name" -type f ! -name '.*' -exec cp {} "$work/" \;
  done
  local max_len dict=()
  max_len="$(sed -n 's/^max_len = //p' "$opts")"
  if grep -q '^dict = ' "$opts"; then dict=(-dict="$OUT/$(sed -n 's/^dict = //p' "$opts")"); fi
  local status=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a word list
  "$bin" "$work" "${dict[@]}" -max_len="$max_len" -max_total_time="$seconds" \
    -timeout=25 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
  echo "$status" >"$OUT/logs/$name.status"
}

echo "run_campaign.sh: ${#names[@]} targets, ${seconds}s each, $JOBS at a time"
for name in "${names[@]}"; do
  if [ ! -x "$OUT/fuzz_$name" ]; then
    echo "run_campaign.sh: no target $OUT/fuzz_$name" >&2
    exit 2
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  echo "  start $name"
  run_one "$name" &
done
wait

# The table: libFuzzer's last status line (#N ... cov: ft: corp:) and its
# final stats.
failed=0
printf '\n%-16s %12s %9s %7s %7s %11s  %s\n' target execs exec/s cov ft corpus result
for name in "${names[@]}"; do
  log="$OUT/logs/$name.log"
  status="$(cat "$OUT/logs/$name.status" 2>/dev/null || echo 1)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  last="$(grep -E '^#[0-9]+[[:space:]].*cov: ' "$log" | tail -n 1 || true)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
  corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")"
  result=ok
  if [ "$status" != 0 ]; then
    failed=1
    result="FAILED (exit $status): $(grep -m 1 -oE 'ERROR: [A-Za-z]+: [^ ]+( [^ ]+)?|runtime error: .*|deadly signal|out-of-memory|timeout' "$log" || echo "see $log")"
  fi
  printf '%-16s %12s %9s %7s %7s %11s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
  if [ "$status" != 0 ]; then
    for a in "$OUT/artifacts/$name"/*; do [ -e "$a" ] && echo "    reproduce: $OUT/fuzz_$name $a"; done
  fi
done
end=$(date +%s)
echo
echo "run_campaign.sh: build $((build_done - start))s, fuzzing $((end - build_done))s, logs in $OUT/logs"
exit "$failed"
