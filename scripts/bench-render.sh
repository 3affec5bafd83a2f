#!/usr/bin/env bash
# Benchmark: a 60 s 1080x1920 reference timeline rendered by RenderFarm vs a hand-written ffmpeg command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- render "$@"
