# Sourced by up.sh: configuration files of containerd, the CNI network, the kubelet and kube-proxy.
# Every path they write to is under $CLUSTER_DIR, so a cluster never touches /var/lib or /etc.

write_node_config() {
  local conf="$CLUSTER_DIR/config"
  mkdir -p "$conf" "$CLUSTER_DIR/cni/net.d" "$CLUSTER_DIR/run" "$CLUSTER_DIR/volumes"
  # An empty resolv.conf: nothing in the cluster learns the machine's upstream resolvers.
  : >"$conf/resolv.conf"

  cat >"$conf/containerd.toml" <<EOF
version = 2
root = "$CLUSTER_DIR/containerd/root"
state = "$CLUSTER_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CLUSTER_DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  # Nothing can be pulled here: the sandbox image is made and imported by tools/cluster/images.
  sandbox_image = "$IMAGE_PAUSE"
  # This VM lacks CAP_SYS_RESOURCE: a negative oom_score_adj makes runc fail to start containers.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # cgroup v1 host without systemd as PID 1.
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_DIR/cni/net.d"
EOF

  # Pods get routes to the Service range and the node only: no default route, so nothing in a pod
  # can reach past this machine.
  cat >"$CLUSTER_DIR/cni/net.d/10-discounts.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "discounts",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CLUSTER_DIR/cni/ipam",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "$SERVICE_CIDR" }, { "dst": "$NODE_IP/32" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF

  cat >"$conf/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI_DIR/ca.crt }
authorization: { mode: Webhook }
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
# The host has cgroup v1 and no systemd; kubelet 1.35+ refuses cgroup v1, hence 1.34.
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: [$DNS_SERVICE_IP]
resolvConf: $conf/resolv.conf
podLogsDir: $CLUSTER_DIR/pod-logs
maxPods: 40
# Images cannot be pulled again once collected, and the machine is shared: never collect them,
# and evict only when the machine is really out of memory or disk.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 200Mi
  nodefs.available: 2%
  imagefs.available: 2%
serializeImagePulls: false
EOF

  # conntrack 0 and no localhost NodePorts: kube-proxy leaves those kernel settings as they are.
  cat >"$conf/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: { kubeconfig: $PKI_DIR/kube-proxy.kubeconfig }
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [$NODE_IP/32]
iptables: { localhostNodePorts: false }
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
EOF
}
