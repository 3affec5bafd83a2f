#!/usr/bin/env bash
# GPU check, for whenever a machine with an NVIDIA GPU is at hand: h264_nvenc against libx264 encode speed
# (10 s of 1080x1920 testsrc2, each with the farm's settings for it, to the null muxer) and ISNet matting
# pictures/s on ONNX Runtime's CUDA provider against the CPU (scripts/bench-matting.sh run with
# RENDERFARM_ONNX_DEVICE=auto and =cpu). Without a GPU it says so in one line, prints what it could
# measure (libx264) and exits 0. Put the figures in README.md, "GPU nodes".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${GPU_CHECK_SECONDS:-10}
size=1080x1920
fps=30

# Wall seconds to encode the test picture with the given encoder arguments (nothing printed when it fails).
encode() {
  local start=$EPOCHREALTIME
  ffmpeg -hide_banner -nostdin -loglevel error -f lavfi -i "testsrc2=size=$size:rate=$fps:duration=$seconds" \
    -pix_fmt yuv420p -profile:v high "$@" -f null - >/dev/null || return 1
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}
speed() { awk -v s="$seconds" -v t="$1" 'BEGIN { printf "%.2fx real time", s / t }'; }

x264=$(encode -c:v libx264 -preset veryfast -crf 20)
echo "libx264    : ${seconds} s of ${size}@${fps} in ${x264} s ($(speed "$x264"), preset veryfast, crf 20, $(nproc) cores)"

gpus=/proc/driver/nvidia/gpus
if [[ ! -d $gpus || -z "$(ls -A "$gpus" 2>/dev/null)" ]]; then
  echo "no NVIDIA GPU on this machine (no $gpus): h264_nvenc and CUDA matting not measured, only libx264 above"
  exit 0
fi

if nvenc=$(encode -c:v h264_nvenc -preset p4 -rc vbr -cq 20 -b:v 0); then
  echo "h264_nvenc : ${seconds} s of ${size}@${fps} in ${nvenc} s ($(speed "$nvenc"), preset p4, cq 20)"
  awk -v x="$x264" -v n="$nvenc" 'BEGIN { printf "encode     : h264_nvenc %.2fx the speed of libx264\n", x / n }'
else
  echo "h264_nvenc : the encode failed on this GPU machine (driver or encoder sessions); see ffmpeg's error above"
fi

# Matting: the benchmark prints "throughput   : N analysed pictures/s ..." and logs which provider the session got.
matting() {
  local out
  out=$(RENDERFARM_ONNX_DEVICE=$1 bash scripts/bench-matting.sh 2>&1) || { echo "matting ($1): the benchmark failed:" >&2; echo "$out" | tail -5 >&2; return 1; }
  echo "$out" | grep -E '^(model|log) ' | sed "s/^/matting ($1) /" >&2
  echo "$out" | sed -n 's/^throughput *: \([0-9.]*\) analysed pictures\/s.*/\1/p' | head -1
}
cpu=$(matting cpu) || cpu=""
gpu=$(matting auto) || gpu=""
echo "matting    : ${cpu:-?} pictures/s on the CPU, ${gpu:-?} pictures/s with RENDERFARM_ONNX_DEVICE=auto (CUDA when its provider loads)"
if [[ -n $cpu && -n $gpu ]]; then
  awk -v c="$cpu" -v g="$gpu" 'BEGIN { if (c > 0) printf "matting    : CUDA %.2fx the pictures/s of the CPU\n", g / c }'
fi
