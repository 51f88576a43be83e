#!/usr/bin/env bash
# Finds the pinned Helm CLI in the shared tool cache (tools/cluster/lib/build-go.sh: outside the
# clone, so every clone and CI run on the machine reuses it), building it there once from the Go
# module proxy only. The pin is tools/cluster/build/helm/go.mod (HELM_VERSION in
# tools/cluster/versions.env names it); the build is tools/cluster/build.sh's, so this and a full
# cluster build share one binary, one stamp and one lock, and never build it twice.
#
# A plain `go install helm.sh/helm/v3/cmd/helm@VERSION` reports version "v3.19" and assumes
# Kubernetes 1.20 for `helm template` and `helm lint` (.Capabilities.KubeVersion, kubeVersion
# checks, deprecated-API lint). build.sh stamps both with -ldflags as Helm's Makefile does, taking
# the Kubernetes minor from the client-go version Helm is built with.
#
# A cold build takes a few minutes (about 400 packages); later runs take well under a second.
#
# stdout: the binary's absolute path, as the last (only) line. stderr: everything else.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster="$(cd "$here/../../../tools/cluster" && pwd)"
# shellcheck source=../../../tools/cluster/lib/build-go.sh
source "$cluster/lib/build-go.sh"

bash "$cluster/build.sh" helm >/dev/null

bin="$TOOL_BIN/helm"
[[ -x "$bin" ]] || { echo "build-helm.sh: $bin is missing after the build" >&2; exit 1; }
echo "$bin"
