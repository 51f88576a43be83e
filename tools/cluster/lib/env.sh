# Sourced by every tools/cluster script: where the local cluster lives and which addresses it uses.
#
# Everything the cluster writes is under CLUSTER_DIR (the clone's .data/cluster). Its addresses are
# reachable only inside this machine: the node's address sits on an interface of its own with no
# ports (it drops what it is sent), the Service range is routed into it (an address no kube-proxy
# rule translates goes nowhere), and pods get routes to the cluster's ranges only, no default route.

CLUSTER_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$CLUSTER_REPO/.data/cluster}"
# shellcheck source=../versions.env
source "$CLUSTER_REPO/tools/cluster/versions.env"
# shellcheck source=build-go.sh
source "$CLUSTER_REPO/tools/cluster/lib/build-go.sh"

NODE_NAME=discounts-node
NODE_IFACE=discounts0
NODE_IP=10.212.0.1
POD_CIDR=10.213.0.0/24
SERVICE_CIDR=10.214.0.0/16
# The fake pods of kwok (test/cluster/17-scale-simulation) take addresses from the top of the
# Service range, which is routed into the node's black hole: whatever tries to reach one (a
# Prometheus discovering pods) goes nowhere, never off the machine.
FAKE_POD_CIDR=10.214.255.0/24
KUBERNETES_SERVICE_IP=10.214.0.1
DNS_SERVICE_IP=10.214.0.10
CLUSTER_DOMAIN=cluster.local
APISERVER_PORT=6443
ETCD_CLIENT_PORT=23791
ETCD_PEER_PORT=23792
# The gateway (Traefik) is a NodePort Service on the node's address.
GATEWAY_PORT=30080

# Images the cluster itself runs, made by tools/cluster/images (nothing can be pulled here).
source "$CLUSTER_REPO/tools/cluster/images/versions.env"
IMAGE_PAUSE="localhost/discounts-local/pause:$PAUSE_VERSION"
IMAGE_COREDNS="localhost/discounts-local/coredns:$COREDNS_VERSION"
IMAGE_TRAEFIK="localhost/discounts-local/traefik:$TRAEFIK_VERSION"
IMAGE_METRICS_SERVER="localhost/discounts-local/metrics-server:$METRICS_SERVER_VERSION"
IMAGE_KUBE_ROUTER="localhost/discounts-local/kube-router:$KUBE_ROUTER_VERSION"

KUBECONFIG_FILE="$CLUSTER_DIR/kubeconfig"
CONTAINERD_SOCK="$CLUSTER_DIR/run/containerd.sock"
CLUSTER_LOG_DIR="$CLUSTER_DIR/logs"
CLUSTER_PID_DIR="$CLUSTER_DIR/pids"
