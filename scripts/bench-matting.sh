#!/usr/bin/env bash
# Benchmark: ISNet person matting throughput, and the time to produce the matte video of a 10 s 1080x1920 clip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-models.sh --test >&2
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- matting "$@"
