#!/usr/bin/env bash
# The local cluster's add-ons, applied by up.sh once the node is Ready: a default StorageClass
# backed by volumes made here, CoreDNS, the Gateway API CRDs, Traefik, metrics-server and the
# NetworkPolicy controller (kube-router). Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"

kubectl() { "$TOOL_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
export CLUSTER_DOMAIN DNS_SERVICE_IP NODE_IP GATEWAY_PORT
export IMAGE_COREDNS IMAGE_TRAEFIK
render() { envsubst '${CLUSTER_DOMAIN} ${DNS_SERVICE_IP} ${NODE_IP} ${GATEWAY_PORT} ${IMAGE_COREDNS} ${IMAGE_TRAEFIK}' <"$1"; }

# Storage: no provisioner can run here, so up.sh makes the volumes. hostPath ignores fsGroup, so
# the directories are open to the pods' non-root users. recycle-volumes.sh (started by up.sh)
# offers a volume again once its claim is gone, as a provisioner would give a new one. Enough for
# the cluster tier's namespaces at once (each release's NATS and MongoDB; three NATS servers in
# the operating specs' release).
VOLUMES=24
storage() {
  local i dir
  echo "apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations:
    storageclass.kubernetes.io/is-default-class: 'true'
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain"
  for ((i = 1; i <= VOLUMES; i++)); do
    dir="$CLUSTER_DIR/volumes/pv-$i"
    mkdir -p "$dir"
    chmod 1777 "$dir"
    echo "---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-pv-$i
spec:
  storageClassName: local
  capacity: { storage: 4Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: $dir, type: Directory }"
  done
}
storage | kubectl apply -f - >/dev/null

render "$here/manifests/coredns.yaml" | kubectl apply -f - >/dev/null

# The Gateway API's standard-channel CRDs, from the module Traefik is built against.
gateway_api_dir="$(cd "$here/build/traefik" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" |
  sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
kubectl apply --server-side --force-conflicts -f "$gateway_api_dir/config/crd/standard/" >/dev/null
kubectl wait --for condition=Established --timeout=60s crd/gateways.gateway.networking.k8s.io \
  crd/httproutes.gateway.networking.k8s.io crd/gatewayclasses.gateway.networking.k8s.io >/dev/null
render "$here/manifests/traefik.yaml" | kubectl apply -f - >/dev/null

kubectl -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null
kubectl -n gateway-system rollout status deployment/traefik --timeout=120s >/dev/null
kubectl wait --for=condition=Programmed --timeout=60s -n gateway-system gateway/local >/dev/null

# metrics-server (metrics.k8s.io, what the HPA reads): its image is imported by up.sh with the
# sandbox's; the API server reaches it through the aggregation layer up.sh configures.
IMAGE_METRICS_SERVER="$IMAGE_METRICS_SERVER" envsubst '${IMAGE_METRICS_SERVER}' <"$here/manifests/metrics-server.yaml" |
  kubectl apply -f - >/dev/null
kubectl -n kube-system rollout status deployment/metrics-server --timeout=180s >/dev/null
kubectl wait --for=condition=Available --timeout=60s apiservice/v1beta1.metrics.k8s.io >/dev/null

# The NetworkPolicy controller (kube-router, firewall only), so that policies hold here as in a
# user's cluster; its image is imported by up.sh with the sandbox's.
IMAGE_KUBE_ROUTER="$IMAGE_KUBE_ROUTER" SERVICE_CIDR="$SERVICE_CIDR" \
  envsubst '${IMAGE_KUBE_ROUTER} ${SERVICE_CIDR}' <"$here/manifests/kube-router.yaml" | kubectl apply -f - >/dev/null
kubectl -n kube-system rollout status daemonset/kube-router --timeout=120s >/dev/null
echo "add-ons ready: storage ($VOLUMES volumes), CoreDNS, Gateway API $GATEWAY_API_VERSION, Traefik, metrics-server, kube-router" >&2
