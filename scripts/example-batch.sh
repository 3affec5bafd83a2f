#!/usr/bin/env bash
# Batch production on the embedded farm: starts `farm node` in the background (its own data
# directory under a temporary directory, media readable from examples/media only), submits
# examples/batch.json (Script-to-Video, 3 outputs) with `farm batch submit --wait`, prints the
# output videos' paths and stops the node. The CLI finds the node's operator token through
# RENDERFARM_DATA_DIR. Extra arguments go to `farm batch submit` (e.g. --preview DIR). As with
# `farm render`, the CLI makes the request's relative MediaURLs absolute against the file's directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
bash scripts/setup.sh >&2
media="$(bash scripts/example-media.sh)"

work="$(mktemp -d "${TMPDIR:-/tmp}/renderfarm-batch.XXXXXX")"
node_pid=""
stop_node() {
  if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
}
trap stop_node EXIT
trap 'exit 130' INT TERM

port="${RENDERFARM_EXAMPLE_PORT:-18080}"
export RENDERFARM_DATA_DIR="$work/data"
export RENDERFARM_ALLOWED_ROOTS="$media"
export RENDERFARM_GATEWAY_URLS="http://127.0.0.1:$port"
export RENDERFARM_GATEWAY="http://127.0.0.1:$port"
unset RENDERFARM_OPERATOR_TOKEN RENDERFARM_API_KEY RENDERFARM_POSTGRES RENDERFARM_SEED_NODES RENDERFARM_OUTPUT_DIR

echo "example-batch: starting an embedded farm node on $RENDERFARM_GATEWAY (data: $RENDERFARM_DATA_DIR, log: $work/node.log)" >&2
./farm node --roles gateway,cpu,gpu >"$work/node.log" 2>&1 &
node_pid=$!
# /readyz through bash's /dev/tcp: nothing beyond what setup installs.
ready() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    [[ "$(head -1 <&3)" == *" 200 "* ]] ) 2>/dev/null
}
for _ in $(seq 120); do
  ready && break
  kill -0 "$node_pid" 2>/dev/null || { echo "example-batch: the node stopped; its log:" >&2; tail -20 "$work/node.log" >&2; exit 1; }
  sleep 1
done
ready || { echo "example-batch: the node is not ready after 120 s; its log: $work/node.log" >&2; exit 1; }

./farm batch submit examples/batch.json --wait "$@"
