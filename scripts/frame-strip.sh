#!/usr/bin/env bash
# Makes the README's frame strip from a rendered showcase: 5 frames side by side, each 320 px wide
# (the bilingual title over the cat, captions over the coffee, the circleopen transition, the rocket,
# the astronaut matted over the rocket with a highlighted word), written to docs/showcase-strip.jpg
# (or OUT; a JPEG: a PNG of these photographs is over 500 KB).
# Usage: scripts/frame-strip.sh SHOWCASE.mp4 [OUT.jpg|OUT.png]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
video="${1:?usage: scripts/frame-strip.sh SHOWCASE.mp4 [OUT.jpg]}"
out="${2:-$root/docs/showcase-strip.jpg}"
times=(2 6 8.9 9.5 14.5)
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
args=(); labels=""
for i in "${!times[@]}"; do
  ffmpeg -hide_banner -nostdin -loglevel error -y -ss "${times[$i]}" -i "$video" -frames:v 1 -vf "scale=320:-2:flags=lanczos" "$tmp/$i.png"
  args+=(-i "$tmp/$i.png"); labels+="[$i:v]"
done
ffmpeg -hide_banner -nostdin -loglevel error -y "${args[@]}" \
  -filter_complex "${labels}hstack=inputs=${#times[@]},pad=iw+8:ih+8:4:4:color=white" -frames:v 1 -q:v 3 "$out"
echo "$out"
