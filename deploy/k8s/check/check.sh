#!/usr/bin/env bash
# deploy_k8s (ctest): renders every overlay of deploy/k8s/overlays with
# `kubectl kustomize` and checks the result offline with check.mjs (the
# Kubernetes schema with no unknown field, and the suite's rules: see its
# head). Fails on the first overlay that does not render and on any problem.
#
#   deploy/k8s/check/check.sh              every overlay
#   deploy/k8s/check/check.sh DIR...       these kustomize directories
#
# Needs kubectl (tools/dev deps installs Debian's kubernetes-client when no
# kubectl is there) and this directory's npm packages (tools/dev build runs
# npm ci here).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
readonly HERE
readonly K8S_DIR="${HERE%/check}"

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

check_tools() {
  command -v kubectl >/dev/null || die "kubectl is missing (tools/dev deps installs kubernetes-client)"
  command -v node >/dev/null || die "node is missing (tools/dev deps)"
  [[ -d $HERE/node_modules/kubernetes-models ]] ||
    die "$HERE/node_modules is missing: run tools/dev build (or npm ci in $HERE)"
}

# Renders kustomize directory $1 and checks it; its name labels the output.
check_dir() {
  local dir=$1 label rendered rc=0
  label=$(basename "$dir")
  rendered=$(mktemp)
  # kubectl 1.21 and later warn on stderr that `bases` is deprecated: the
  # overlays keep it for kubectl 1.20's kustomize (Debian's), so the warning
  # is dropped and any other message shown.
  if ! kubectl kustomize "$dir" >"$rendered" 2>"$rendered.err"; then
    cat "$rendered.err" >&2
    rm -f "$rendered" "$rendered.err"
    printf '%s: kubectl kustomize failed\n' "$label" >&2
    return 1
  fi
  grep -v "^# Warning: '\(bases\|patchesStrategicMerge\)' is deprecated" "$rendered.err" >&2 || true
  node "$HERE/check.mjs" "$label" <"$rendered" || rc=$?
  rm -f "$rendered" "$rendered.err"
  return "$rc"
}

main() {
  check_tools
  local -a dirs=("$@")
  if ((${#dirs[@]} == 0)); then
    dirs=("$K8S_DIR"/overlays/*/)
  fi
  local dir failed=0 passed=0
  for dir in "${dirs[@]}"; do
    if check_dir "${dir%/}"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
  done
  printf '%d passed, %d failed\n' "$passed" "$failed"
  ((failed == 0))
}

main "$@"
