#!/usr/bin/env bash
# The main job on the embedded default: renders the bundled example timeline and prints the MP4's path.
# On stderr it says how long it took before rendering (setup, the example media, ./farm's staleness
# check): a second run in a row should take well under 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$EPOCHREALTIME
bash scripts/setup.sh >&2
bash scripts/example-media.sh >/dev/null
FARM_PRERENDER_START=$start FARM_PRERENDER_LABEL=example ./farm render examples/showcase.json "$@"
