#!/usr/bin/env bash
# Benchmark: batch planning time for Count=100 and an end-to-end Count=10 batch of 15 s videos on the embedded node, with the render share.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- batch "$@"
