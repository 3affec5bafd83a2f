#!/usr/bin/env bash
# The main job on the embedded default: renders the bundled example timeline and prints the MP4's path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >&2
bash scripts/example-media.sh >/dev/null
./farm render examples/showcase.json "$@"
