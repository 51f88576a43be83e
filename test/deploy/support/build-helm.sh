#!/usr/bin/env bash
# Builds the pinned Helm CLI into <repo>/.cache/bin/helm, once, with `go install` (no binary
# downloads: only the Go module proxy is needed).
#
# A plain `go install helm.sh/helm/v3/cmd/helm@VERSION` reports version "v3.19" and assumes
# Kubernetes 1.20 for `helm template` and `helm lint` (.Capabilities.KubeVersion, kubeVersion
# checks, deprecated-API lint). Helm's own Makefile fixes both with -ldflags; this does the same,
# taking the Kubernetes minor from the client-go version in Helm's go.mod, as that Makefile does.
#
# Cached like tools/ferretdb-dev/build.sh: a stamp beside the binary holds a hash of the version,
# the ldflags and the Go toolchain, and the build is skipped while it matches. A cold build takes
# a few minutes (about 400 packages); later runs take well under a second.
#
# stdout: the binary's absolute path, as the last (only) line. stderr: everything else.
set -euo pipefail

HELM_VERSION=v3.19.5

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
bindir="$repo/.cache/bin"
bin="$bindir/helm"
stamp="$bin.stamp"

command -v go >/dev/null 2>&1 || { echo "build-helm.sh: go not found in PATH" >&2; exit 1; }

want="$(printf '%s\n' "$HELM_VERSION" "$(go env GOVERSION)" "$(sha256sum "${BASH_SOURCE[0]}")" | sha256sum | cut -d' ' -f1)"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "helm $HELM_VERSION: up to date" >&2
else
  echo "helm $HELM_VERSION: building with go install (the first build takes a few minutes)..." >&2
  mkdir -p "$bindir"
  work="$(mktemp -d "$bindir/.helm.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # Outside any module, so that a go.mod around the caller's cwd cannot interfere.
  cd "$work"
  gomod="$(GOFLAGS=-mod=mod go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  clientgo="$(awk '$1 == "k8s.io/client-go" { print $2 }' "$gomod")" # e.g. v0.34.2
  [[ "$clientgo" =~ ^v0\.([0-9]+)\. ]] || { echo "build-helm.sh: no k8s.io/client-go in $gomod" >&2; exit 1; }
  k8s_minor="${BASH_REMATCH[1]}"
  ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$k8s_minor"
  done
  GOBIN="$work" CGO_ENABLED=0 go install -trimpath -buildvcs=false -ldflags "$ldflags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  # Rename is atomic: a concurrent caller sees the old or the new binary. The stamp comes last.
  mv -f "$work/helm" "$bin"
  printf '%s\n' "$want" >"$stamp"
  echo "helm $HELM_VERSION: built (Kubernetes 1.$k8s_minor by default)" >&2
fi

echo "$bin"
