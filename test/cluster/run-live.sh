#!/usr/bin/env bash
# Runs cluster specs against a local cluster that is already up (`make cluster-up`, then
# `bash tools/cluster/images/build.sh --import generator provider ferretdb-dev nats-server`), for
# working on a spec: nothing is brought up or taken down, and the release the global setup
# installed stays when its record (.data/cluster/test-installation.json) is there. CI runs
# test/cluster/run.sh instead. Arguments go to jest (e.g. a spec's path).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
source tools/cluster/lib/env.sh

if [[ ! -f "$CLUSTER_PID_DIR/kube-apiserver.pid" ]]; then
  echo "run-live: no local cluster is up in $CLUSTER_DIR: make cluster-up first" >&2
  exit 1
fi
export CLUSTER_KUBECONFIG="$KUBECONFIG_FILE" CLUSTER_TOOL_BIN="$TOOL_BIN" CLUSTER_NODE_IP="$NODE_IP" \
  CLUSTER_GATEWAY_PORT="$GATEWAY_PORT" CLUSTER_FAKE_POD_CIDR="$FAKE_POD_CIDR" CLUSTER_DIR CLUSTER_REUSE_INSTALLATION=1
exec npx jest --config jest.cluster.config.js "$@"
