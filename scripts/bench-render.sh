#!/usr/bin/env bash
# Render benchmarks on the reference timeline (12 clips from 1920x1080 sources, 6 transition kinds,
# 6 captions, looping music):
#   bench-render.sh [--seconds 60] [--pairs 3] [--sizes 720x1280,1080x1920] [--segment-seconds S] [--no-stages] [--graph]
#       the render's CPU, wall and peak memory against the encode-only floor of its own output,
#       median of pairs, and where the time goes (decode, filters, subtitles, encode).
#       --segment-seconds: render as `farm render --segment-seconds S` does; --graph: print the compiled command.
#       --quick: a 20 s timeline, one pair (a shared machine's quick check; report the full run).
#   bench-render.sh --hand [--seconds 60] [--width 1080] [--height 1920]
#       RenderFarm against a hand-written single ffmpeg command drawing the same composition.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
if [[ "${1:-}" == "--hand" ]]; then
  shift
  exec dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- render "$@"
fi
if [[ "${1:-}" == "--quick" ]]; then
  shift
  set -- --seconds 20 --pairs 1 "$@"
fi
exec dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- render-cost "$@"
