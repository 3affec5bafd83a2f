#!/usr/bin/env bash
# Renders every gallery catalog (tests/RenderFarm.TestSupport/Gallery, GalleryCatalogs.All) into contact
# sheets docs/gallery/<catalog>.jpg: one 192x128 frame per name at its mid-effect moment, captioned.
# Usage: scripts/gallery.sh [--catalog NAME] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project bench/RenderFarm.Benchmarks -c Release -- gallery "$@"
