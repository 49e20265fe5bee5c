#!/usr/bin/env bash
# diagnosis_docs.sh JWTGATE REPO [--write]: every example of
# docs/diagnosis.md is the output of the jwtgate CLI on the inputs under
# examples/diagnosis/<name>/ (written by tests/tools/diagnosis_examples.cpp).
# Between the lines "<!-- example: NAME -->" and "<!-- /example -->" the doc
# holds "$ " + the example's command, then what the command prints. Without
# --write, fails (and shows the difference) while the doc shows anything
# else, or names an example that does not exist, or leaves one out; with
# --write, rewrites the blocks.
set -euo pipefail
bin="$1"; repo="$2"; mode="${3:-check}"
doc="$repo/docs/diagnosis.md"
cd "$repo"
jwtgate() { "$bin" "$@"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
# Every example directory must appear in the doc.
for dir in examples/diagnosis/*/; do
  name=$(basename "$dir")
  grep -qx "<!-- example: $name -->" "$doc" || { echo "docs/diagnosis.md lacks example $name"; status=1; }
done
out="$tmp/doc.md"
in_block=0
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $in_block == 0 && $line =~ ^\<!--\ example:\ ([A-Za-z0-9_.-]+)\ --\>$ ]]; then
    name="${BASH_REMATCH[1]}"
    printf '%s\n' "$line" >> "$out"
    if [ ! -f "examples/diagnosis/$name/command" ]; then
      echo "docs/diagnosis.md names example $name, which examples/diagnosis/ lacks"; status=1
    else
      cmd=$(cat "examples/diagnosis/$name/command")
      {
        echo '```'
        echo "\$ $cmd"
        (eval "$cmd" 2>/dev/null || true)
        echo '```'
      } >> "$out"
    fi
    in_block=1
    continue
  fi
  if [[ $in_block == 1 ]]; then
    if [[ $line == "<!-- /example -->" ]]; then
      printf '%s\n' "$line" >> "$out"; in_block=0
    fi
    continue
  fi
  printf '%s\n' "$line" >> "$out"
done < "$doc"
if [ "$mode" = "--write" ]; then
  cp "$out" "$doc"
  echo "docs/diagnosis.md: examples rewritten"
elif ! diff -u "$doc" "$out"; then
  echo "docs/diagnosis.md: an example's output differs from what the CLI prints (tests/cli/diagnosis_docs.sh JWTGATE . --write rewrites it)"
  status=1
fi
[ $status = 0 ] && echo "docs/diagnosis.md: every example matches the CLI"
exit $status
