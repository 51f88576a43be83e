#!/usr/bin/env bash
# Makes kubeconform's schemas offline, once, into the tool cache (tools/cluster/lib/build-go.sh's
# ~/.cache/discounts-tools): kubeconform would otherwise download them from GitHub, which this
# machine and CI cannot reach. Everything comes from Go modules through the module proxy, at the
# versions tools/cluster/versions.env pins for the local cluster:
#   * the Kubernetes API: api/openapi-spec/swagger.json of k8s.io/kubernetes@KUBERNETES_VERSION,
#     converted by swagger2jsonschema.py beside this script;
#   * the CRDs the chart's optional objects need: the Prometheus Operator's
#     (example/prometheus-operator-crd of its module, PROMETHEUS_OPERATOR_VERSION) and the Gateway
#     API's standard channel (config/crd/standard of sigs.k8s.io/gateway-api, GATEWAY_API_VERSION),
#     converted by kubeconform's own scripts/openapi2jsonschema.py from its module
#     (KUBECONFORM_VERSION), which needs PyYAML (Debian's python3-yaml).
#
# Layout: DIR/vX.Y.Z-standalone-strict/<kind>[-<group>]-<version>.json, kubeconform's own, so
#   kubeconform -strict -kubernetes-version X.Y.Z -schema-location DIR
# finds them. DIR is keyed by a hash of the versions and both converters; a matching DIR is reused
# as it is (a stamp file is written last), others are removed after a new one is made. A flock
# makes concurrent runs wait for one generation.
#
# Measured on 2 shared cores: cold 16 s with the modules already in the Go module cache, 22 s with
# an empty one (it downloads about 190 MB of modules); warm 0.3 s.
#
# stdout: DIR, as the last (only) line. stderr: progress.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster="$(cd "$here/../cluster" && pwd)"
# shellcheck source=../cluster/lib/build-go.sh
source "$cluster/lib/build-go.sh"
# shellcheck source=../cluster/versions.env
source "$cluster/versions.env"

for cmd in go python3 flock sha256sum; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "kubeconform-schemas.sh: $cmd not found in PATH" >&2; exit 1; }
done
python3 -c 'import yaml' 2>/dev/null ||
  { echo "kubeconform-schemas.sh: python3 lacks PyYAML (Debian package python3-yaml), which kubeconform's openapi2jsonschema.py needs" >&2; exit 1; }

# module_dir MODULE@VERSION: its directory in the Go module cache, downloaded on first use. Outside
# any module, so that a go.mod around the caller cannot interfere.
module_dir() {
  local dir
  dir="$(cd "$scratch" && GOFLAGS=-mod=mod go mod download -json "$1" |
    python3 -c 'import json, sys; info = json.load(sys.stdin); print(info.get("Dir") or sys.exit(info.get("Error", "no Dir")))')" ||
    { echo "kubeconform-schemas.sh: go mod download $1 failed" >&2; return 1; }
  echo "$dir"
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

root="$TOOL_CACHE/kubeconform-schemas"
key="$(cat "${BASH_SOURCE[0]}" "$here/swagger2jsonschema.py" \
  <(printf '%s\n' "$KUBERNETES_VERSION" "$PROMETHEUS_OPERATOR_VERSION" "$GATEWAY_API_VERSION" "$KUBECONFORM_VERSION") |
  sha256sum | cut -c1-16)"
dir="$root/$KUBERNETES_VERSION-$key"
mkdir -p "$root"

generate() {
  if [[ -f "$dir/.complete" ]]; then
    echo "kubeconform schemas: up to date" >&2
    return 0
  fi
  echo "kubeconform schemas: generating..." >&2
  local started=$SECONDS tmp k8s promop gwapi kubeconform out
  k8s="$(module_dir "k8s.io/kubernetes@$KUBERNETES_VERSION")"
  promop="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")"
  gwapi="$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")"
  kubeconform="$(module_dir "github.com/yannh/kubeconform@$KUBECONFORM_VERSION")"
  tmp="$(mktemp -d "$root/.tmp.XXXXXX")"
  out="$tmp/$KUBERNETES_VERSION-standalone-strict"
  mkdir -p "$out" "$tmp/crds"
  local kinds
  kinds="$(python3 "$here/swagger2jsonschema.py" "$k8s/api/openapi-spec/swagger.json" "$out")"
  # The upstream script writes into its working directory. Strict as the Kubernetes schemas are:
  # unknown fields are errors at the root too.
  (cd "$tmp/crds" && FILENAME_FORMAT='{kind}-{group}-{version}' DENY_ROOT_ADDITIONAL_PROPERTIES=1 \
    python3 "$kubeconform/scripts/openapi2jsonschema.py" \
    "$promop"/example/prometheus-operator-crd/*.yaml "$gwapi"/config/crd/standard/*.yaml >/dev/null)
  local f crds=0
  for f in "$tmp/crds"/*.json; do
    [[ ! -e "$out/${f##*/}" ]] || { echo "kubeconform-schemas.sh: a CRD's ${f##*/} would replace a Kubernetes schema" >&2; exit 1; }
    mv "$f" "$out/"
    crds=$((crds + 1))
  done
  rmdir "$tmp/crds"
  ((crds > 0)) || { echo "kubeconform-schemas.sh: no CRD schema was made" >&2; exit 1; }
  printf '%s\n' "k8s.io/kubernetes@$KUBERNETES_VERSION api/openapi-spec/swagger.json: $kinds kinds" \
    "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION example/prometheus-operator-crd" \
    "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION config/crd/standard" \
    "converted with github.com/yannh/kubeconform@$KUBECONFORM_VERSION scripts/openapi2jsonschema.py: $crds kinds" \
    >"$tmp/SOURCES"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  touch "$dir/.complete"
  # Older generations (other versions or converters) are of no further use.
  find "$root" -mindepth 1 -maxdepth 1 -type d ! -path "$dir" -exec rm -rf {} +
  echo "kubeconform schemas: $kinds Kubernetes and $crds CRD kinds in $((SECONDS - started)) s" >&2
}

(
  if ! flock -n 9; then
    echo "kubeconform schemas: waiting for another generation to finish..." >&2
    flock 9
  fi
  generate
) 9>"$root/.lock"

echo "$dir"
