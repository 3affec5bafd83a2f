#!/usr/bin/env bash
# Benchmark: the speed of the vision functions of SubmitIProductionJob (Cover, VideoClip, VideoH2V, VideoDelogo,
# VideoDetext, CaptionExtraction, VideoGreenScreenMatting, PortraitMatting) as seconds per second of input, run
# with `farm iproduction` (default JobParams; the CLI's start and model loading included) on one 1080p input,
# beside ffmpeg's plain decode of that input (the baseline: no function can be faster than reading its input).
# The input is generated once into .build/bench-iproduction/: 1920x1080, 10 s, 25 fps, a zooming and panning
# fractal with a turning hue, the astronaut photo (a face) moving across, a caption band with an English and a
# Chinese caption, a static logo in the top-right corner, a tone. Functions this build does not register are
# listed as missing. Usage: scripts/bench-iproduction.sh [FUNCTION...] (default: all of the above).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-models.sh --test >&2 # astronaut.png; ./farm runs scripts/setup.sh when the CLI was never built

work=.build/bench-iproduction
mkdir -p "$work"
input="$work/input-1080p.mp4"
bold=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
cjk=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
if [[ ! -s $input ]]; then
  echo "bench-iproduction: generating $input" >&2
  ffmpeg -hide_banner -nostdin -loglevel error -y \
    -f lavfi -i "mandelbrot=s=640x360:r=25:start_scale=3:end_scale=1:end_pts=250" \
    -loop 1 -i .models/astronaut.png \
    -f lavfi -i "sine=frequency=330:sample_rate=48000" \
    -filter_complex "[0:v]crop=480:270:x='80+8*t':y=60,scale=1920:1080:flags=bicubic,hue=h=t*20[bg];[1:v]scale=480:480[face];\
[bg][face]overlay=x='100+120*t':y=220:shortest=1,\
drawbox=x=0:y=ih-200:w=iw:h=200:color=black@0.55:t=fill,\
drawtext=fontfile=$bold:text='Hello from the render farm':fontcolor=white:fontsize=64:x=(w-tw)/2:y=h-140:enable='lt(t,5)',\
drawtext=fontfile=$cjk:text='大家好，欢迎收看':fontcolor=white:fontsize=64:x=(w-tw)/2:y=h-140:enable='gte(t,5)',\
drawtext=fontfile=$bold:text='●':fontcolor=orange:fontsize=110:x=w-300:y=30,\
drawtext=fontfile=$bold:text='TV':fontcolor=white:borderw=3:bordercolor=black:fontsize=80:x=w-190:y=45[v]" \
    -map "[v]" -map 2:a -t 10 -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p -c:a aac -b:a 128k "$input.part.mp4"
  mv "$input.part.mp4" "$input"
fi
seconds=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$input")

functions=("$@")
((${#functions[@]})) || functions=(Cover VideoClip VideoH2V VideoDelogo VideoDetext CaptionExtraction VideoGreenScreenMatting PortraitMatting)
# The CLI names the functions it registers when asked for one it does not know (this also builds it when stale).
registered=$(./farm iproduction -q bench-no-such-function "$input" 2>&1 | sed -n 's/.*supported: //p' || true)
[[ -n $registered ]] || { echo "bench-iproduction: could not read the registered functions from farm iproduction" >&2; exit 1; }

now() { date +%s.%N; }
per_second() { awk -v a="$1" -v b="$2" -v s="$seconds" 'BEGIN { printf "%.3f", (b - a) / s }'; }
start=$(now)
ffmpeg -hide_banner -nostdin -loglevel error -i "$input" -map 0:v:0 -f null -
decode=$(per_second "$start" "$(now)")
echo "input: 1920x1080, ${seconds} s ($input); $(nproc) CPU cores"
printf '%-26s %10s %12s\n' "function" "s per s" "x decode"
printf '%-26s %10s %12s\n' "ffmpeg decode (baseline)" "$decode" "1.0"
missing=()
for f in "${functions[@]}"; do
  if ! grep -qw -- "$f" <<<"${registered//,/ }"; then missing+=("$f"); continue; fi
  start=$(now)
  if (cd "$work" && ../../farm iproduction "$f" "$(basename "$input")" -q >"$f.json" 2>"$f.err"); then
    ratio=$(per_second "$start" "$(now)")
    printf '%-26s %10s %12s\n' "$f" "$ratio" "$(awk -v r="$ratio" -v d="$decode" 'BEGIN { printf "%.1f", r / d }')"
  else
    printf '%-26s %10s   %s\n' "$f" "failed" "$(tail -n 1 "$work/$f.err")"
  fi
done
((${#missing[@]} == 0)) || echo "not registered in this build: ${missing[*]}"
echo "Results (the functions' JSON) and outputs: $work/"
