#!/usr/bin/env bash
# The local cluster's stand-in for a volume provisioner, run by up.sh in the background: every few
# seconds, a volume whose claim is gone (Released) is wiped and offered again, as a provisioner with
# reclaimPolicy Delete would hand out a fresh one. Without it, eight deleted claims (four test runs)
# would leave no volume for the next StatefulSet.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
kubectl() { "$TOOL_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

recycle_released() {
  local pv
  for pv in $(kubectl get pv -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name}{"\n"}{end}'); do
    find "$CLUSTER_DIR/volumes/${pv#local-}" -mindepth 1 -delete
    kubectl patch pv "$pv" --type json -p '[{"op":"remove","path":"/spec/claimRef"}]' >/dev/null
  done
}

while true; do
  recycle_released
  sleep 5
done
