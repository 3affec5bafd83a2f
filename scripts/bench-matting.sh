#!/usr/bin/env bash
# Benchmark: ISNet person matting throughput, the time to produce the matte video of a 10 s 1080x1920 clip,
# and the time AI_RealMatting adds to rendering that clip over a background (against the same render unmatted).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-models.sh --test >&2
bash scripts/setup.sh >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- matting "$@"
