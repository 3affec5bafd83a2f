#!/usr/bin/env bash
# Benchmark: Image-Text Matching top-1 accuracy of BM25F alone, the sentence encoder alone (all-MiniLM-L6-v2,
# or RENDERFARM_EMBEDDING_MODEL) and the default fusion of both, on the matching sets: paraphrases with no
# word in common with their shot, today's English and Chinese sentences, unrelated sentences (no match).
# --sweep adds the fusion weights' neighbourhood.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/RenderFarm.Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >&2
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- matching "$@"
