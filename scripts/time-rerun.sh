#!/usr/bin/env bash
# Runs scripts/example.sh twice in a row and prints how long the second run spent before rendering
# (setup, example media, ./farm's staleness check): the re-run budget is 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
for run in first second; do
  log=$(bash scripts/example.sh 2>&1 >/dev/null) || { echo "$log" >&2; echo "time-rerun: the $run run of scripts/example.sh failed" >&2; exit 1; }
  line=$(grep -E '^example: [0-9.]+ s before rendering' <<<"$log") || { echo "time-rerun: scripts/example.sh printed no timing" >&2; exit 1; }
  echo "time-rerun: $run run: ${line#example: }"
done
seconds=$(awk '{ print $1 }' <<<"${line#example: }")
awk -v s="$seconds" 'BEGIN { exit !(s < 15) }' || { echo "time-rerun: the second run took $seconds s before rendering (budget 15 s)" >&2; exit 1; }
