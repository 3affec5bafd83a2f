#!/usr/bin/env bash
# Benchmark: OCR character accuracy and time per 1080x1920 keyframe on captions drawn by the farm's renderer
# (Chinese and English, 24-96 px, plain, outlined, on a box): PaddleOCR (media analysis' OCR) beside tesseract 5,
# which media analysis used before; tesseract is installed here for the comparison only. Exits 1 when PaddleOCR
# reads under 97% of the characters.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
if ! command -v tesseract >/dev/null; then
  source scripts/apt.sh
  apt_get update -qq && apt_get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim >/dev/null
fi
dotnet run --project bench/RenderFarm.Benchmarks -c Release --no-build -- ocr "$@"
