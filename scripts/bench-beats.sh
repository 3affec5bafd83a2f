#!/usr/bin/env bash
# Benchmark: AudioBeatDetection's beat tracker against aubio (aubio-tools, installed here when missing) on
# the same synthetic music (90, 120 and 150 BPM, a tempo change at 15 s; 30 s each, known beats): F-measure
# (+-70 ms), tempo error and time per file, plus MusicSegmentDetect's chorus on a generated pop song.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt.sh
if ! command -v aubio >/dev/null; then
  echo "bench-beats: installing aubio-tools (the baseline)" >&2
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends aubio-tools >/dev/null
fi
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- beats "$@"
