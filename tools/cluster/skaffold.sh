#!/usr/bin/env bash
# skaffold against the local cluster (make cluster-up), e.g.
#   tools/cluster/skaffold.sh run -p local          build, import, deploy; then `... delete -p local`
#   tools/cluster/skaffold.sh dev -p local          the same, rebuilt on every change
# with the pinned skaffold and helm of the tool cache and the cluster's kubeconfig. skaffold's local
# builder asks a Docker Engine API for the ID of each image it built, even with a custom build
# script; podman's API service answers from the same store buildah builds into, so one is started
# here for the duration of the command (and stopped by its PID afterwards).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
[[ -f "$KUBECONFIG_FILE" ]] || { echo "skaffold.sh: no cluster ($KUBECONFIG_FILE): make cluster-up" >&2; exit 1; }
command -v podman >/dev/null || { echo "skaffold.sh: podman is missing: make install" >&2; exit 1; }

socket="$CLUSTER_DIR/run/podman.sock"
mkdir -p "$CLUSTER_DIR/run" "$CLUSTER_LOG_DIR"
podman system service --time=0 "unix://$socket" >>"$CLUSTER_LOG_DIR/podman-api.log" 2>&1 &
api=$!
trap 'kill "$api" 2>/dev/null; wait "$api" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do [[ -S "$socket" ]] && break; sleep 0.1; done

cd "$CLUSTER_REPO"
# No update check, no metrics, no survey prompt: nothing leaves this machine, nothing waits for a
# person. No artifact cache: on a hit skaffold would skip the build script, which is what imports
# the image into the cluster (buildah's layer cache keeps a rebuild short).
DOCKER_HOST="unix://$socket" KUBECONFIG="$KUBECONFIG_FILE" PATH="$TOOL_BIN:$PATH" \
  SKAFFOLD_UPDATE_CHECK=false SKAFFOLD_INTERACTIVE=false SKAFFOLD_COLLECT_METRICS=false \
  SKAFFOLD_CACHE_ARTIFACTS=false \
  "$TOOL_BIN/skaffold" "$@"
