#!/usr/bin/env bash
# Generates the media the bundled example timelines use (nothing binary is committed).
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/examples/media"
mkdir -p "$dir"
ff() { ffmpeg -hide_banner -nostdin -loglevel error -y "$@"; }
[[ -f "$dir/landscape.mp4" ]] || ff -f lavfi -i "testsrc2=s=1280x720:r=25:d=6" -f lavfi -i "sine=frequency=330:sample_rate=48000:duration=6" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$dir/landscape.mp4"
[[ -f "$dir/portrait.mp4" ]] || ff -f lavfi -i "mandelbrot=s=720x1280:r=25,trim=duration=5" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p "$dir/portrait.mp4"
[[ -f "$dir/photo.png" ]] || ff -f lavfi -i "smptehdbars=s=1920x1080" -frames:v 1 "$dir/photo.png"
[[ -f "$dir/logo.png" ]] || ff -f lavfi -i "color=c=0xE8453C:s=400x160,drawbox=x=20:y=20:w=360:h=120:color=white@0.9:t=8" -frames:v 1 "$dir/logo.png"
[[ -f "$dir/music.m4a" ]] || ff -f lavfi -i "aevalsrc=0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*2*t))+0.15*sin(2*PI*277*t)+0.1*sin(2*PI*330*t):s=48000:d=8" \
  -c:a aac "$dir/music.m4a"
echo "$dir"
