#!/usr/bin/env bash
# Builds every binary the local cluster needs into the tool cache (tools/cluster/lib/build-go.sh),
# from the Go module proxy only, each pinned by its own module under tools/cluster/build/<name>/
# (go.mod, go.sum, and a `//go:build tools` tools.go naming the main packages). versions.env names
# the versions scripts need; each must equal its go.mod's pin, or this stops.
#
# Usage: build.sh [NAME...]   (default: all of etcd kubernetes traefik coredns nats-server helm skaffold
# metrics-server kube-router prometheus-operator prometheus kwok helm-docs kubeconform; the last two
# are the chart's checks, test/deploy, not the cluster's)
#
# A cold build of all takes about 50 minutes on 2 cores shared with other work (measured: Traefik
# 22 min, Kubernetes 13, Prometheus 12, the Prometheus Operator 9, skaffold 7, kube-router 5, kwok 4,
# etcd 3, CoreDNS 3, Helm 3, nats-server 1; helm-docs 5 and kubeconform 0.25 with an empty Go
# build cache); a warm one, a second. Runs serialise per tool on a lock file in the cache, so two
# concurrent runs (or this and test/deploy/support/build-helm.sh) never build the same thing twice.
#
# stdout: the cache's bin directory, as the last line. stderr: progress.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/build-go.sh
source "$here/lib/build-go.sh"
# shellcheck source=versions.env
source "$here/versions.env"

command -v go >/dev/null 2>&1 || { echo "build.sh: go not found in PATH" >&2; exit 1; }
command -v flock >/dev/null 2>&1 || { echo "build.sh: flock (util-linux) not found in PATH" >&2; exit 1; }

all=(etcd kubernetes traefik coredns nats-server helm skaffold metrics-server kube-router prometheus-operator prometheus kwok helm-docs kubeconform)

# pinned NAME MODULE VERSION: stops unless build/NAME/go.mod requires MODULE at VERSION.
pinned() {
  local got
  got="$(awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$here/build/$1/go.mod")"
  if [[ "$got" != "$3" ]]; then
    echo "build.sh: versions.env names $2 $3, but build/$1/go.mod pins ${got:-nothing}" >&2
    exit 1
  fi
}

# mod_date NAME MODULE: the release time of MODULE as the proxy gives it (reproducible build dates).
mod_date() {
  (cd "$here/build/$1" && go list -mod=readonly -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "$2")
}

# build NAME GO_BUILD_ARGS...: builds build/NAME with `go build -mod=readonly GO_BUILD_ARGS` into
# the cache unless its stamp matches. The key is the module's go.mod and go.sum, lib/build-go.sh
# and the build arguments (flags and packages), so editing this script rebuilds only what changed.
# An exclusive flock on $TOOL_BIN/.NAME.lock makes concurrent runs wait, then find it up to date.
build() {
  local name="$1" dir="$here/build/$1" key
  shift
  key="$(cat "$dir/go.mod" "$dir/go.sum" "$here/lib/build-go.sh" <(printf '%s\n' "$@") | sha256sum | cut -d' ' -f1)"
  mkdir -p "$TOOL_BIN"
  (
    if ! flock -n 9; then
      echo "$name: waiting for another build of it to finish..." >&2
      flock 9
    fi
    go_build_cached "$name" "$key" "$dir" -- -mod=readonly "$@"
  ) 9>"$TOOL_BIN/.$name.lock"
}

build_etcd() {
  # The version is a constant in go.etcd.io/etcd/api/v3/version; etcd's build stamps only the
  # commit (unknown here).
  pinned etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  build etcd -ldflags "-s -w" .
}

build_kubernetes() {
  pinned kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION"
  # Kubernetes prints v0.0.0 unless the version is stamped in (hack/lib/version.sh does the same).
  local ldflags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=${KUBERNETES_VERSION:1:1}"
    ldflags+=" -X $pkg.gitMinor=$(cut -d. -f2 <<<"$KUBERNETES_VERSION") -X $pkg.gitTreeState=clean"
  done
  build kubernetes -ldflags "$ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl
}

build_traefik() {
  local mod=github.com/traefik/traefik/v3 pkg=github.com/traefik/traefik/v3/pkg/version date
  pinned traefik "$mod" "$TRAEFIK_VERSION"
  # The Gateway API CRDs of the cluster come from this module in the Go module cache.
  pinned traefik sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION"
  date="$(mod_date traefik "$mod")"
  # As traefik's .goreleaser.yml does (version without the v); otherwise it says "dev". The
  # codename is the v3.6 line's (.github/workflows/release.yaml). The web dashboard is not in the
  # module (webui/static holds only a placeholder): the API works, the dashboard's pages do not.
  build traefik -ldflags "-s -w -X $pkg.Version=${TRAEFIK_VERSION#v} -X $pkg.Codename=ramequin -X $pkg.BuildDate=$date" \
    "$mod/cmd/traefik"
}

build_coredns() {
  # The version is a constant in coremain; the Makefile stamps only GitCommit (unknown here).
  pinned coredns github.com/coredns/coredns "$COREDNS_VERSION"
  build coredns -ldflags "-s -w" github.com/coredns/coredns
}

build_nats_server() {
  # The version is a constant in server/const.go.
  pinned nats-server github.com/nats-io/nats-server/v2 "$NATS_SERVER_VERSION"
  build nats-server -ldflags "-s -w" github.com/nats-io/nats-server/v2
}

build_helm() {
  pinned helm helm.sh/helm/v3 "$HELM_VERSION"
  # As Helm's Makefile does: without these `helm version` says "v3.19" and `helm template`/`helm
  # lint` assume Kubernetes 1.20 (.Capabilities.KubeVersion, kubeVersion checks, deprecated-API
  # lint); the Kubernetes version is that of the client-go Helm is built with (v0.34.x: 1.34).
  local clientgo pkg ldflags
  clientgo="$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$here/build/helm/go.mod")"
  [[ "$clientgo" =~ ^v0\.([0-9]+)\. ]] || { echo "build.sh: no k8s.io/client-go in build/helm/go.mod" >&2; exit 1; }
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=${BASH_REMATCH[1]}"
  done
  build helm -ldflags "$ldflags" helm.sh/helm/v3/cmd/helm
}

build_skaffold() {
  local mod=github.com/GoogleContainerTools/skaffold/v2 pkg=github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version date
  pinned skaffold "$mod" "$SKAFFOLD_VERSION"
  date="$(mod_date skaffold "$mod")"
  # As skaffold's Makefile does; otherwise `skaffold version` prints nothing.
  build skaffold -ldflags "-s -w -X $pkg.version=$SKAFFOLD_VERSION -X $pkg.buildDate=$date" \
    "$mod/cmd/skaffold"
}

build_metrics_server() {
  # As metrics-server's Makefile does: it reports client-go's version variables (otherwise
  # "v0.0.0-master"), stamped with the release.
  local mod=sigs.k8s.io/metrics-server pkg=k8s.io/client-go/pkg/version date
  pinned metrics-server "$mod" "$METRICS_SERVER_VERSION"
  date="$(mod_date metrics-server "$mod")"
  build metrics-server -ldflags "-s -w -X $pkg.gitVersion=$METRICS_SERVER_VERSION -X $pkg.buildDate=$date" \
    "$mod/cmd/metrics-server"
}

build_kube_router() {
  # The NetworkPolicy enforcer (tools/cluster/addons.sh). As kube-router's Makefile does: it
  # logs pkg/version's Version and BuildDate at start (otherwise empty). Cold: 13 min on 2 cores
  # shared with three other cold builds.
  local mod=github.com/cloudnativelabs/kube-router/v2 pkg=github.com/cloudnativelabs/kube-router/v2/pkg/version date
  pinned kube-router "$mod" "$KUBE_ROUTER_VERSION"
  date="$(mod_date kube-router "$mod")"
  build kube-router -ldflags "-s -w -X $pkg.Version=$KUBE_ROUTER_VERSION -X $pkg.BuildDate=$date" \
    "$mod/cmd/kube-router"
}

build_prometheus_operator() {
  # Two binaries, `operator` and `prometheus-config-reloader` (test/cluster/13-prometheus-operator
  # runs them as images). As the operator's Makefile does: both report prometheus/common's
  # version variables (otherwise empty), and the operator names its own version in what it makes.
  local mod=github.com/prometheus-operator/prometheus-operator pkg=github.com/prometheus/common/version date
  pinned prometheus-operator "$mod" "$PROMETHEUS_OPERATOR_VERSION"
  date="$(mod_date prometheus-operator "$mod")"
  build prometheus-operator \
    -ldflags "-s -w -X $pkg.Version=${PROMETHEUS_OPERATOR_VERSION#v} -X $pkg.BuildDate=$date" \
    "$mod/cmd/operator" "$mod/cmd/prometheus-config-reloader"
}

build_prometheus() {
  # The server the operator runs (test/cluster/13-prometheus-operator). As Prometheus's promu
  # build does: prometheus/common's version variables, the release's number (module v0.305.0 is
  # Prometheus 3.5.0). Without the builtinassets tag the web UI is not embedded; the API works.
  local mod=github.com/prometheus/prometheus pkg=github.com/prometheus/common/version date minor patch
  pinned prometheus "$mod" "$PROMETHEUS_VERSION"
  date="$(mod_date prometheus "$mod")"
  minor="${PROMETHEUS_VERSION#v0.}" && patch="${minor#*.}" && minor="${minor%%.*}"
  build prometheus \
    -ldflags "-s -w -X $pkg.Version=$((10#$minor / 100)).$((10#$minor % 100)).$patch -X $pkg.BuildDate=$date" \
    "$mod/cmd/prometheus"
}

build_kwok() {
  # The version is a constant in pkg/consts. What fake nodes and pods do comes from the stage
  # files in the module's kustomize/stage/ (the module cache), which the scale simulation names.
  pinned kwok sigs.k8s.io/kwok "$KWOK_VERSION"
  build kwok -ldflags "-s -w" sigs.k8s.io/kwok/cmd/kwok
}

build_helm_docs() {
  # The chart README's values table (make chart-docs). As helm-docs's goreleaser build does
  # (its default ldflags); otherwise `helm-docs --version` prints nothing.
  pinned helm-docs github.com/norwoodj/helm-docs "$HELM_DOCS_VERSION"
  build helm-docs -ldflags "-s -w -X main.version=${HELM_DOCS_VERSION#v}" github.com/norwoodj/helm-docs/cmd/helm-docs
}

build_kubeconform() {
  # The chart's renders against offline schemas (tools/chart/kubeconform-schemas.sh). As
  # kubeconform's .goreleaser.yml does; otherwise `kubeconform -v` says "development".
  pinned kubeconform github.com/yannh/kubeconform "$KUBECONFORM_VERSION"
  build kubeconform -ldflags "-s -w -X main.version=$KUBECONFORM_VERSION" github.com/yannh/kubeconform/cmd/kubeconform
}

names=("$@")
[[ ${#names[@]} -gt 0 ]] || names=("${all[@]}")
for name in "${names[@]}"; do
  [[ " ${all[*]} " == *" $name "* ]] || { echo "build.sh: unknown tool '$name' (known: ${all[*]})" >&2; exit 2; }
  "build_${name//-/_}"
done

echo "$TOOL_BIN"
