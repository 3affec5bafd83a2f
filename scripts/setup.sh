#!/usr/bin/env bash
# Installs what RenderFarm needs on Debian 12 and builds it. Idempotent: packages already
# present are not reinstalled, so a second run takes seconds. With --test it also installs what
# the test suites start: a PostgreSQL server (run on loopback by the cluster tests only).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(ffmpeg fonts-noto-cjk fonts-dejavu-core espeak-ng pocketsphinx pocketsphinx-en-us tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim)
[[ "${1:-}" == "--test" ]] && packages+=(postgresql yamllint)
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in "${packages[@]}"; do
  have "$pkg" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

# ONNX Runtime, its managed API (compiled into RenderFarm.Onnx) and the ISNet matting model, from npm.
bash scripts/setup-models.sh ${1:+"$1"}

echo "setup: building"
dotnet build RenderFarm.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build src/RenderFarm.Cli -c Release -nologo -v quiet -clp:ErrorsOnly -o .build/farm >/dev/null
echo "setup: ready (ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))"
