#!/usr/bin/env bash
# Benchmark: soak of 1,000 tiny jobs on the embedded node: p50/p99 submit and Get latency, jobs/s, node RSS before, peak and 60 s after (--jobs N for a shorter run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- soak "$@"
