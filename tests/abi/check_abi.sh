#!/bin/sh
# check_abi.sh check|baseline LIBRARY BASELINE HEADER SUPPRESSIONS
#
# check: compare the stable ABI of LIBRARY (what HEADER, include/jwtgate.h,
#   declares) with BASELINE (tests/abi/jwtgate.abi) using abidiff from
#   libabigail (Debian: abigail-tools). SUPPRESSIONS leaves out the
#   experimental API (symbols of version JWTGATE_EXPERIMENTAL_*) and added
#   functions, which are compatible. Any other difference fails: abidiff's
#   exit status has bit 4 for an ABI change and bit 8 for an incompatible
#   one, and after the suppressions either one is a change to the frozen
#   API (a changed parameter, a removed function, a changed enum, ...).
# baseline: rewrite BASELINE from LIBRARY with abidw. Allowed when the
#   library's SONAME differs from the baseline's (the ABI version was
#   bumped, so incompatible changes are intended), or when `check` passes
#   (only additions, which the new baseline then freezes too).
#   docs/api-stability.md says when to do either.
set -u
mode="$1"; lib="$2"; baseline="$3"; header="$4"; suppr="$5"

for tool in abidiff abidw readelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check_abi: $tool is not installed (Debian: apt-get install abigail-tools binutils;" \
         "scripts/install-deps.sh installs it)"
    exit 1
  fi
done

check() {
  out=$(abidiff --hf2 "$header" --drop-private-types --exported-interfaces-only \
                --suppressions "$suppr" --fail-no-debug-info --no-unreferenced-symbols \
                "$baseline" "$lib" 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "check_abi: the stable ABI of $(basename "$lib") matches $(basename "$baseline")" \
         "(added functions allowed, experimental API left out)"
    return 0
  fi
  echo "$out"
  if [ $((rc & 3)) -ne 0 ]; then
    echo "check_abi: abidiff could not compare (exit status $rc)"
  else
    kind="an ABI change"
    [ $((rc & 8)) -ne 0 ] && kind="an incompatible ABI change"
    echo "check_abi: FAILED: $kind to the stable API (abidiff exit status $rc)."
    echo "  jwtgate.h is frozen: revert the change, or make it in jwtgate_experimental.h, or"
    echo "  add a new function instead. Only with an ABI version bump (abi_version in"
    echo "  meson.build) may the baseline be rewritten: docs/api-stability.md."
  fi
  return 1
}

case "$mode" in
  check)
    check
    ;;
  baseline)
    new_soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
    old_soname=$(sed -n "s/.*soname='\([^']*\)'.*/\1/p" "$baseline" 2>/dev/null | head -n 1)
    if [ -f "$baseline" ] && [ "$new_soname" = "$old_soname" ]; then
      echo "check_abi: same SONAME ($new_soname): the baseline may only gain functions"
      check || { echo "check_abi: baseline NOT rewritten"; exit 1; }
    else
      echo "check_abi: SONAME ${old_soname:-none} -> $new_soname: a new ABI version"
    fi
    # abidw (libabigail 2.2) keeps the experimental functions' declarations
    # whatever the suppressions say; the check suppresses them by version.
    abidw --hf "$header" --drop-private-types --exported-interfaces-only --drop-undefined-syms \
          --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash \
          --out-file "$baseline" "$lib" || exit 1
    echo "check_abi: wrote $baseline"
    ;;
  *)
    echo "usage: check_abi.sh check|baseline LIBRARY BASELINE HEADER SUPPRESSIONS"
    exit 2
    ;;
esac
