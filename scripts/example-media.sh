#!/usr/bin/env bash
# Makes the media the bundled example timelines use (nothing binary is committed) in examples/media
# and prints that directory's path.
#
# Photographs: copied from Debian's python3-skimage (installed here when missing: as root or through
# sudo). Their licences, as scikit-image states them (skimage/data/_fetchers.py):
#   astronaut.png  Eileen Collins, NASA Great Images database: public domain
#   coffee.png     Rachel Michetti (Pikolo Espresso Bar): CC0
#   chelsea.png    the cat Chelsea, Stefan van der Walt: CC0
#   rocket.jpg     DSCOVR launch on Falcon 9, SpaceX: released into the public domain
# The music bed is synthesized by ffmpeg (lavfi).
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/examples/media"
mkdir -p "$dir"
ff() { ffmpeg -hide_banner -nostdin -loglevel error -y "$@"; }

photos=(astronaut.png coffee.png chelsea.png rocket.jpg)
skimage_data() { dpkg -L python3-skimage 2>/dev/null | grep -m1 '/skimage/data/astronaut\.png$' | xargs -r dirname; }
missing=0
for f in "${photos[@]}"; do [[ -f "$dir/$f" ]] || missing=1; done
if ((missing)); then
  data="$(skimage_data)"
  if [[ -z "$data" ]]; then
    echo "example-media: installing python3-skimage (the example photographs)" >&2
    sudo=(); [[ "$(id -u)" == 0 ]] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y --no-install-recommends python3-skimage >&2 \
      || { "${sudo[@]}" apt-get update -qq >&2 && "${sudo[@]}" apt-get install -y --no-install-recommends python3-skimage >&2; }
    data="$(skimage_data)"
  fi
  [[ -n "$data" ]] || { echo "example-media: python3-skimage holds no skimage/data/astronaut.png" >&2; exit 1; }
  for f in "${photos[@]}"; do
    [[ -f "$data/$f" ]] || { echo "example-media: $data/$f is missing" >&2; exit 1; }
    cp "$data/$f" "$dir/$f"
  done
fi

[[ -f "$dir/music.m4a" ]] || ff -f lavfi -i "aevalsrc=0.2*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*2*t))+0.15*sin(2*PI*277*t)+0.1*sin(2*PI*330*t):s=48000:d=8" \
  -c:a aac "$dir/music.m4a"
echo "$dir"
