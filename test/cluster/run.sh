#!/usr/bin/env bash
# `npm run test:cluster` (part of `make test`): the cluster tier from scratch. Brings the local
# cluster up (tools/cluster/up.sh; the binaries come from the tool cache, built once by
# `make install`), builds both images from deploy/Dockerfile with buildah and imports them with the
# local dependencies' images, runs the specs (jest.cluster.config.js), and takes the cluster down
# again whatever happened, failing if the machine is not as it was before.
# Extra arguments go to jest (e.g. a spec's path).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
source tools/cluster/lib/env.sh

if [[ "$(id -u)" != 0 ]]; then
  echo "cluster tier: needs root (a local Kubernetes changes interfaces, routes, netfilter rules and cgroups); not run" >&2
  exit 1
fi
if [[ -f "$CLUSTER_PID_DIR/kube-apiserver.pid" ]]; then
  echo "cluster tier: a local cluster is already up in $CLUSTER_DIR; take it down first (make cluster-down)" >&2
  exit 1
fi

down() {
  local status=$?
  echo "== cluster tier: cluster down" >&2
  bash tools/cluster/down.sh --purge || status=1
  exit "$status"
}
trap down EXIT

started=$SECONDS
echo "== cluster tier: cluster up" >&2
bash tools/cluster/up.sh
echo "== cluster tier: images (buildah from deploy/Dockerfile) and import" >&2
bash tools/cluster/images/build.sh --import generator provider ferretdb-dev nats-server
# The release a rolling upgrade moves to (14-flash-sale-upgrade): the same tree, its own tag and
# version label, so a new image as a release pipeline would push it.
bash tools/cluster/images/build.sh --import --tag next generator provider
echo "== cluster tier: up with images in $((SECONDS - started)) s" >&2

export CLUSTER_KUBECONFIG="$KUBECONFIG_FILE" CLUSTER_TOOL_BIN="$TOOL_BIN" CLUSTER_NODE_IP="$NODE_IP" \
  CLUSTER_GATEWAY_PORT="$GATEWAY_PORT" CLUSTER_FAKE_POD_CIDR="$FAKE_POD_CIDR" CLUSTER_DIR
npx jest --config jest.cluster.config.js "$@"
