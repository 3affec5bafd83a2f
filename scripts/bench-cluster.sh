#!/usr/bin/env bash
# Benchmark: batch throughput with 1 and 2 worker processes on a real RabbitMQ + PostgreSQL, and orchestration overhead per task.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- cluster "$@"
