#!/usr/bin/env bash
# Runs every test suite after setup; ends with one summary line "N passed, N failed, N skipped".
# Then checks that the run left no daemon behind (PostgreSQL, epmd/Erlang, farm nodes, ffmpeg): every
# process the suites start inherits RENDERFARM_TEST_RUN, so a leftover is known to be this run's
# (never one the user had before, nor another session's); it is named and killed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test || exit 1

daemons='postgres|epmd|beam\.smp|farm\.dll|ffmpeg'
# pid and command line of every process whose command line matches $daemons (one a line).
daemon_processes() {
  local dir pid cmd
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [[ $pid == "$$" ]] && continue
    cmd=$({ tr '\0' ' ' <"$dir/cmdline"; } 2>/dev/null) || continue
    [[ -n $cmd && $cmd =~ $daemons ]] && echo "$pid $cmd"
  done
  return 0
}
before=$(daemon_processes | cut -d' ' -f1)
export RENDERFARM_TEST_RUN="$$.$(date +%s%N)"

log=$(mktemp)
dotnet test RenderFarm.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"

ours=() others=()
while read -r pid cmd; do
  [[ -n $pid ]] || continue
  if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "RENDERFARM_TEST_RUN=$RENDERFARM_TEST_RUN"; then
    ours+=("$pid")
    echo "tests: ERROR: left running by the tests: pid $pid: ${cmd:0:160}" >&2
  elif ! grep -qxF "$pid" <<<"$before"; then
    others+=("$pid")
    echo "tests: note: started during the run, not by it (another session?), left alone: pid $pid: ${cmd:0:160}" >&2
  fi
done < <(daemon_processes)
if ((${#ours[@]})); then
  kill -TERM "${ours[@]}" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=()
    for pid in "${ours[@]}"; do [[ -d /proc/$pid ]] && alive+=("$pid"); done
    ((${#alive[@]})) || break
    sleep 0.5
  done
  ((${#alive[@]})) && kill -KILL "${alive[@]}" 2>/dev/null
  echo "tests: killed ${#ours[@]} leftover process(es); a test or fixture does not stop what it starts" >&2
fi

echo "tests: $passed passed, $failed failed, $skipped skipped${ours[*]:+, ${#ours[@]} leftover process(es)}"
[[ $status -eq 0 && $failed -eq 0 && $passed -gt 0 ]] # leftovers are killed and named above, not a red run
