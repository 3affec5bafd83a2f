#!/usr/bin/env bash
# Benchmark: batch throughput with 1 and 2 worker processes (Akka cluster, PostgreSQL journal), orchestration overhead per task,
# and a scale simulation (16 workers, 2000 tasks: dispatch efficiency, gateway memory, recovery of a 100-video batch after kill -9).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- cluster "$@"
