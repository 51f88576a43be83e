#!/usr/bin/env bash
# `make cluster-up`: a one-node Kubernetes on this machine, from the binaries tools/cluster/build.sh
# makes (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy,
# kubectl) and Debian's containerd, runc and CNI plugins; then its add-ons: storage, CoreDNS and the
# Traefik gateway. Needs root (it adds an interface, routes, netfilter rules and cgroups, all
# recorded first and put back by down.sh).
#
# Writes the kubeconfig to .data/cluster/kubeconfig; prints it and the gateway's address at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
source "$here/lib/daemons.sh"
source "$here/lib/host-state.sh"
source "$here/lib/pki.sh"
source "$here/lib/node-config.sh"

[[ "$(id -u)" == 0 ]] || { echo "cluster-up: needs root (network, cgroups, mounts)" >&2; exit 1; }
for cmd in containerd runc ctr nft ip openssl curl; do
  command -v "$cmd" >/dev/null || { echo "cluster-up: $cmd is missing: run make install" >&2; exit 1; }
done
[[ -x /usr/lib/cni/bridge ]] || { echo "cluster-up: CNI plugins missing: run make install" >&2; exit 1; }
# Unix sockets have a 108-byte path limit.
((${#CONTAINERD_SOCK} < 100)) || { echo "cluster-up: $CLUSTER_DIR is too deep for a socket path" >&2; exit 1; }

started=$SECONDS
bash "$here/build.sh" >/dev/null
KUBECTL="$TOOL_BIN/kubectl"
kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

mkdir -p "$CLUSTER_DIR"
host_state_record

# The node's address lives on an interface of its own: a bridge with no ports, which works as a
# dummy (this kernel has no dummy driver) and drops whatever is sent to it. The Service range is
# routed into it too, so a Service address that no kube-proxy rule translates goes nowhere instead
# of out of the machine.
if ! ip link show "$NODE_IFACE" >/dev/null 2>&1; then
  ip link add "$NODE_IFACE" type bridge
  ip addr add "$NODE_IP/32" dev "$NODE_IFACE"
  ip link set "$NODE_IFACE" up
  ip route add "$SERVICE_CIDR" dev "$NODE_IFACE"
fi
# Bridged pod-to-pod replies must pass kube-proxy's rules; pods reach Services through the node.
sysctl -q -w net.bridge.bridge-nf-call-iptables=1 net.ipv4.ip_forward=1
# Pods have no default route; this drops anything a pod still sends past the cluster's own bridge.
nft -f - <<EOF
table ip discounts-local
delete table ip discounts-local
table ip discounts-local {
  chain forward {
    type filter hook forward priority -10; policy accept;
    ip saddr $POD_CIDR oifname != "cni0" drop
  }
}
EOF

pki_ensure
write_node_config

start_daemon etcd "$TOOL_BIN/etcd" --name discounts-local --data-dir "$CLUSTER_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "discounts-local=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 2147483648
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

# The --requestheader-*/--proxy-client-* flags configure the aggregation layer (metrics-server's
# metrics.k8s.io, which the HPA reads): the API server forwards those requests with the front-proxy
# client certificate and the caller in X-Remote-* headers. --enable-aggregator-routing: it runs
# on the host, not behind kube-proxy, so it dials the extension's endpoint, not its Service IP.
start_daemon kube-apiserver "$TOOL_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$APISERVER_PORT" \
  --service-cluster-ip-range "$SERVICE_CIDR" --service-node-port-range 30000-32767 \
  --client-ca-file "$PKI_DIR/ca.crt" \
  --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
  --kubelet-client-certificate "$PKI_DIR/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$PKI_DIR/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types InternalIP,Hostname \
  --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
  --service-account-key-file "$PKI_DIR/service-account.pub" \
  --service-account-signing-key-file "$PKI_DIR/service-account.key" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --requestheader-client-ca-file "$PKI_DIR/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI_DIR/front-proxy-client.crt" --proxy-client-key-file "$PKI_DIR/front-proxy-client.key" \
  --enable-aggregator-routing=true \
  --profiling=false --v=1
wait_for kube-apiserver 90 kubectl get --raw /readyz

start_daemon kube-controller-manager "$TOOL_BIN/kube-controller-manager" \
  --kubeconfig "$PKI_DIR/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI_DIR/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$PKI_DIR/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "$PKI_DIR/service-account.key" --root-ca-file "$PKI_DIR/ca.crt" \
  --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
  --profiling=false --v=1
start_daemon kube-scheduler "$TOOL_BIN/kube-scheduler" \
  --kubeconfig "$PKI_DIR/scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI_DIR/scheduler.kubeconfig" \
  --authorization-kubeconfig "$PKI_DIR/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false --v=1

start_daemon containerd containerd --config "$CLUSTER_DIR/config/containerd.toml"
wait_for containerd 30 ctr --address "$CONTAINERD_SOCK" version
# The sandbox image and the add-ons' images: nothing can be pulled.
bash "$here/images/build.sh" --import pause coredns traefik metrics-server kube-router >&2

start_daemon kubelet "$TOOL_BIN/kubelet" --config "$CLUSTER_DIR/config/kubelet.yaml" \
  --kubeconfig "$PKI_DIR/kubelet.kubeconfig" --root-dir "$CLUSTER_DIR/kubelet" --cert-dir "$CLUSTER_DIR/kubelet/pki" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1
start_daemon kube-proxy "$TOOL_BIN/kube-proxy" --config "$CLUSTER_DIR/config/kube-proxy.yaml" --v=1
wait_for "node $NODE_NAME" 90 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s

bash "$here/addons.sh"
start_daemon volume-recycler bash "$here/recycle-volumes.sh"

echo "cluster-up: ready in $((SECONDS - started)) s" >&2
echo "  kubeconfig: $KUBECONFIG_FILE   (export KUBECONFIG=$KUBECONFIG_FILE; kubectl: $KUBECTL)" >&2
echo "  gateway:    http://$NODE_IP:$GATEWAY_PORT (Traefik; send the Host header your values name)" >&2
