#!/usr/bin/env bash
# Offline checks of RenderFarm's deployment files; no cluster, no Docker engine needed.
#
#   scripts/validate-deploy.sh               everything: yamllint, k8s/base and every k8s/overlays/*,
#                                            docker-compose.yml
#   scripts/validate-deploy.sh --k8s DIR...  only these kustomization directories (also:
#                                            RENDERFARM_K8S_DIRS="DIR DIR" scripts/validate-deploy.sh)
#   scripts/validate-deploy.sh --setup       only install what the checks need, then exit
#
# For each kustomization: `kubectl kustomize DIR`, then every object through scripts/validate-k8s.mjs
# (kubernetes-models schemas, unknown fields, references between objects, what Akka cluster
# discovery through the Kubernetes API needs, KEDA fields by hand).
# docker-compose.yml: `docker-compose config -q` plus RenderFarm's own rules (shared artifacts
# volume, read-only media, GPU reservation, health-gated start, seed nodes that resolve).
# Prints one `OK   [where] Kind/name` line per object and one `FAIL [where] Kind/name: reason` line
# per problem; exits 1 if anything failed, 2 if a tool is missing and cannot be installed.
#
# Installs when missing: kubernetes-models and yaml from npm into tools/deploy-validator/
# (git-ignored; RENDERFARM_VALIDATOR_DIR overrides), docker-compose from apt (root or sudo).
# Needs kubectl (1.27+, for `kubectl kustomize`) and node 20+. Uses yamllint when it is installed.
set -uo pipefail

# kubernetes-models 5.x requires node >= 22; 4.5.1 is the newest that runs on node 20.
KUBERNETES_MODELS_VERSION=4.5.1
YAML_VERSION=2.9.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
validator_dir=${RENDERFARM_VALIDATOR_DIR:-$root/tools/deploy-validator}
export RENDERFARM_VALIDATOR_DIR=$validator_dir

mode=all
dirs=()
case "${1:-}" in
  --setup) mode=setup ;;
  --k8s)
    mode=k8s; shift
    (($#)) || { echo "usage: $0 --k8s DIR [DIR...]" >&2; exit 2; }
    dirs=("$@") ;;
  -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") if [[ -n "${RENDERFARM_K8S_DIRS:-}" ]]; then mode=k8s; read -r -a dirs <<<"$RENDERFARM_K8S_DIRS"; fi ;;
  *) echo "validate-deploy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac
# Directories given on the command line are relative to the caller's directory.
for i in "${!dirs[@]}"; do
  [[ -d "${dirs[$i]}" ]] || { echo "validate-deploy: FAIL ${dirs[$i]}: no such directory" >&2; exit 1; }
  dirs[$i]=$(cd "${dirs[$i]}" && pwd)
done
cd "$root"

die() { echo "validate-deploy: $*" >&2; exit 2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

setup_node_packages() {
  command -v node >/dev/null || die "node (20 or newer) is needed"
  command -v npm >/dev/null || die "npm is needed to install the validator's packages"
  mkdir -p "$validator_dir"
  have() { grep -qs "\"version\": \"$2\"" "$validator_dir/node_modules/$1/package.json"; }
  if have kubernetes-models "$KUBERNETES_MODELS_VERSION" && have yaml "$YAML_VERSION"; then return 0; fi
  # One installer at a time (tests may start several runs at once).
  exec 9>"$validator_dir/.install.lock"
  flock 9
  if ! { have kubernetes-models "$KUBERNETES_MODELS_VERSION" && have yaml "$YAML_VERSION"; }; then
    echo "validate-deploy: installing kubernetes-models@$KUBERNETES_MODELS_VERSION yaml@$YAML_VERSION into ${validator_dir#"$root"/}" >&2
    cat >"$validator_dir/package.json" <<EOF
{
  "private": true,
  "description": "npm packages for scripts/validate-k8s.mjs, installed by scripts/validate-deploy.sh",
  "dependencies": { "kubernetes-models": "$KUBERNETES_MODELS_VERSION", "yaml": "$YAML_VERSION" }
}
EOF
    local log
    log=$(mktemp)
    if ! npm install --prefix "$validator_dir" --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
      grep -v 'Unknown user config' "$log" >&2; rm -f "$log"
      exec 9>&-
      die "npm install failed (is the npm registry reachable?)"
    fi
    rm -f "$log"
  fi
  exec 9>&-
}

setup_compose() {
  command -v docker-compose >/dev/null && return 0
  echo "validate-deploy: installing docker-compose (apt)" >&2
  as_root apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 \
    || die "docker-compose is missing and could not be installed (apt-get install docker-compose, as root)"
}

command -v kubectl >/dev/null || die "kubectl (1.27 or newer, for 'kubectl kustomize') is needed"
setup_node_packages
if [[ $mode == setup ]]; then
  setup_compose
  echo "validate-deploy: tools ready"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
label_of() { local p=$1; [[ $p == "$root"/* ]] && p=${p#"$root"/}; echo "$p"; }

# 1. yamllint (style and YAML pitfalls: duplicate keys, tabs, truthy values), when installed.
lint_targets=()
if [[ $mode == all ]]; then lint_targets=(docker-compose.yml k8s); else lint_targets=("${dirs[@]}"); fi
if command -v yamllint >/dev/null; then
  if out=$(yamllint -c deploy/yamllint.yaml -f parsable "${lint_targets[@]}" 2>&1); then
    [[ -n "$out" ]] && echo "$out" | sed 's/^/WARN [yamllint] /'
    echo "OK   [yamllint] $(label_of "${lint_targets[*]}")"
  else
    echo "$out" | sed 's/^/FAIL [yamllint] /'
    failed+=(yamllint)
  fi
else
  echo "SKIP [yamllint] not installed (apt-get install yamllint)"
fi

# 2. Kustomize builds, each object validated.
if [[ $mode == all ]]; then
  dirs=("$root/k8s/base")
  for d in "$root"/k8s/overlays/*/; do [[ -f "$d/kustomization.yaml" ]] && dirs+=("${d%/}"); done
fi
for dir in "${dirs[@]}"; do
  label=$(label_of "$dir")
  out="$work/build.yaml"
  if ! kubectl kustomize "$dir" >"$out" 2>"$work/err"; then
    # klog's prefix (E1121 10:44:32.114750 10076 run.go:72]) says nothing; the message names the object.
    echo "FAIL [$label] kubectl kustomize: $(sed -E 's/^[EWI][0-9]{4} [0-9:.]+ +[0-9]+ [^]]+\] //' "$work/err" | tr '\n' ' ')"
    failed+=("$label")
    continue
  fi
  node "$root/scripts/validate-k8s.mjs" k8s "$label" "$out" || failed+=("$label")
done

# 3. docker-compose.yml: the compose schema (docker-compose 1.29 client, offline), then RenderFarm's rules.
if [[ $mode == all ]]; then
  setup_compose
  if ! docker-compose -f docker-compose.yml config -q 2>"$work/err"; then
    echo "FAIL [docker-compose.yml] docker-compose config: $(tr '\n' ' ' <"$work/err")"
    failed+=(docker-compose.yml)
  else
    echo "OK   [docker-compose.yml] docker-compose config -q"
    docker-compose -f docker-compose.yml config >"$work/compose.yaml" 2>/dev/null
    node "$root/scripts/validate-k8s.mjs" compose docker-compose.yml "$work/compose.yaml" || failed+=(docker-compose.yml)
  fi
fi

if ((${#failed[@]})); then
  echo "validate-deploy: FAILED: ${failed[*]}"
  exit 1
fi
if [[ $mode == all ]]; then echo "validate-deploy: all deployment files valid"; else echo "validate-deploy: all given kustomizations valid"; fi
