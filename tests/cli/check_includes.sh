#!/usr/bin/env bash
# check_includes.sh SOURCE_ROOT: the CLI stands on the public API. Every
# #include "..." of a file under cli/ must name a file beside it (cli/) or a
# public header (include/, or jwtgate_version.h made from include/
# jwtgate_version.h.in); no #include <...> may name a library-internal
# header (a path under src/); cli/meson.build must not use the internal
# dependency (src/ on the include path).
set -uo pipefail
root="$1"
cd "$root" || exit 2
bad=0; count=0
while IFS= read -r -d '' file; do
  dir=$(dirname "$file")
  while IFS= read -r line; do
    count=$((count+1))
    if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
      h="${BASH_REMATCH[1]}"
      if [ -f "$dir/$h" ] || [ -f "include/$h" ] || [ "$h" = jwtgate_version.h ]; then continue; fi
      echo "$file: #include \"$h\" is neither beside it nor a public header"; bad=$((bad+1))
    elif [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
      h="${BASH_REMATCH[1]}"
      if [ -f "src/$h" ]; then echo "$file: #include <$h> is the library's internal header src/$h"; bad=$((bad+1)); fi
    fi
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$file")
done < <(find cli -type f \( -name '*.cpp' -o -name '*.h' \) -print0)
if grep -n 'jwtgate_internal_dep\|inc_src' cli/meson.build; then
  echo "cli/meson.build uses the library's internals (above)"; bad=$((bad+1))
fi
if [ "$count" -lt 50 ]; then echo "only $count includes found under cli/: wrong root?"; exit 2; fi
echo "cli-includes: $count includes under cli/, $bad outside cli/ and include/"
[ "$bad" -eq 0 ]
