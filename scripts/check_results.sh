#!/usr/bin/env bash
# Checks that the committed results/ (all but figures/) are exactly what the
# binary produces now (scripts/results.sh). Run by ctest (results_match) and
# after `make results` changes nothing. Prints the differing files, exit 1.
#
# Usage: scripts/check_results.sh SCALESIM
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$root/scripts/results.sh" "$1" "$tmp/results" >/dev/null
status=0
for f in "$root"/results/*; do
  [[ -f "$f" ]] || continue
  name=$(basename "$f")
  if [[ ! -f "$tmp/results/$name" ]]; then
    echo "results/$name: committed but no longer produced by scripts/results.sh"
    status=1
  elif ! cmp -s "$f" "$tmp/results/$name"; then
    echo "results/$name: differs from what the binary produces now (run make results)"
    diff "$f" "$tmp/results/$name" | head -5
    status=1
  fi
done
for f in "$tmp"/results/*; do
  name=$(basename "$f")
  if [[ ! -f "$root/results/$name" ]]; then
    echo "results/$name: produced by scripts/results.sh but not committed (run make results)"
    status=1
  fi
done
if [[ $status -eq 0 ]]; then echo "results/: every file matches the binary"; fi
exit $status
