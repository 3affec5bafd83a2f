#!/usr/bin/env bash
# Benchmark: Cover (image and gif) and VideoClip on a 30 s 1080p clip of three shots (moving pattern, the
# astronaut photo, the pattern in other colours) with a tone: seconds per second of input for each, beside a
# plain ffmpeg decode of the same file measured in the same run (the floor any function that reads every frame pays).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-models.sh --test >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clip=$work/bench1080.mp4
ffmpeg -hide_banner -nostdin -loglevel error -y -f lavfi -i testsrc2=s=1920x1080:r=25:d=10 \
  -loop 1 -framerate 25 -t 10 -i .models/astronaut.png -f lavfi -i sine=frequency=440:duration=30 \
  -filter_complex "[0:v]split[a][b];[1:v]scale=1920:1920,crop=1920:1080:0:150,setsar=1,format=yuv420p[p];[b]hue=h=120[c];[a][p][c]concat=n=3:v=1:a=0,format=yuv420p[v]" \
  -map "[v]" -map 2:a -shortest -c:v libx264 -preset veryfast -c:a aac "$clip"
seconds=30
export RENDERFARM_ALLOWED_ROOTS=$work
timed() { # label command...
  local label=$1; shift
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk -v l="$label" -v a="$start" -v b="$EPOCHREALTIME" -v s="$seconds" 'BEGIN { printf "%s\t%.2f s\t%.3f s per s of input\n", l, b - a, (b - a) / s }' | tee -a "$work/times"
}
./farm --help >/dev/null 2>&1 # builds the CLI when stale, outside the timings
timed "ffmpeg decode (baseline)" ffmpeg -hide_banner -nostdin -loglevel error -i "$clip" -f null -
timed "Cover (image)" ./farm iproduction Cover "$clip" -o "$work/cover.jpg" -q
timed "Cover (gif)" ./farm iproduction Cover "$clip" -o "$work/cover.gif" --params "{Model:'gif'}" -q
timed "VideoClip (10 s)" ./farm iproduction VideoClip "$clip" -o "$work/clip.mp4" --params "{Duration:10}" -q
awk -F'\t' 'NR == 1 { base = $2 + 0 } NR > 1 { printf "%s: %.1fx the decode\n", $1, ($2 + 0) / base }' "$work/times"
