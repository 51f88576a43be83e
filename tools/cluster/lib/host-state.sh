# Sourced by up.sh and down.sh: what the cluster changes on this machine, recorded before it starts
# and put back after it stops.
#
# The kubelet, kube-proxy and the CNI plugins change kernel settings (vm.overcommit_memory,
# kernel.panic, kernel.panic_on_oops, ip_forward, conntrack timeouts, ...), add netfilter chains
# (KUBE-*), links (cni0, veths), mounts (network namespaces, volumes, overlay root filesystems) and
# cgroups (kubepods). None of them undoes that when it stops, so up.sh takes a snapshot first and
# down.sh restores it and then compares, naming whatever is still different.

SNAPSHOT_DIR="$CLUSTER_DIR/host-before"

# Kernel settings that are counters or change by themselves: never compared, never restored.
VOLATILE_SYSCTLS='^(fs\.(dentry-state|file-nr|inode-nr|inode-state|quota\.)|kernel\.(ns_last_pid|random\.|sched_domain|pty\.nr|perf_event_max)|net\.netfilter\.nf_conntrack_(count|buckets)|vm\.stat_|dev\.cdrom|net\.ipv(4|6)\.(route\.gc_|neigh\.)|net\.ipv4\.conf\.(veth|cni0)|net\.ipv6\.conf\.(veth|cni0)|net\.ipv4\.tcp_(fastopen_key|mem)|net\.core\.netdev_rss_key|fs\.binfmt_misc|kernel\.(tainted|hung_task_detect_count|warn_count|oops_count))'

snapshot_sysctls() { sysctl -a 2>/dev/null | grep -Ev "$VOLATILE_SYSCTLS" | LC_ALL=C sort; }
snapshot_links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | LC_ALL=C sort; }
# Mounts the cluster makes: its own directory (volumes, root filesystems, shm) and network
# namespaces. Others (buildah's storage, say) come and go with other work and are not the cluster's.
snapshot_mounts() {
  awk -v dir="$CLUSTER_DIR/" '{ if (index($5, dir) == 1 || $5 ~ "^/(var/)?run/netns/") print $5 }' /proc/self/mountinfo |
    LC_ALL=C sort -u
}
# Directories of every cgroup v1 hierarchy (and the v2 one, where mounted), as paths.
snapshot_cgroups() { { find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -name "kubepods*" 2>/dev/null || true; } | LC_ALL=C sort; }
snapshot_netns() { { ls -1 /run/netns 2>/dev/null || true; } | LC_ALL=C sort; }
snapshot_nft() { nft list ruleset; }
# Paths outside CLUSTER_DIR that the kubelet, containerd and the CNI plugins write to whatever they
# are told (device plugins' sockets, the /var/log/containers links, the CNI result cache, runc's
# state, network namespaces), and the links to pod logs in /var/log/containers.
FIXED_PATHS=(/var/lib/kubelet /var/log/containers /var/lib/cni /run/containerd /run/netns)
snapshot_paths() {
  local path
  {
    for path in "${FIXED_PATHS[@]}"; do if [[ -e "$path" ]]; then echo "$path"; fi; done
    find /var/log/containers -mindepth 1 2>/dev/null || true
  } | LC_ALL=C sort
}
snapshot_legacy_iptables() { { iptables-legacy-save; ip6tables-legacy-save; } 2>/dev/null | grep -Ev '^#|^:' || true; }

# The kernel's IP sets (not part of the nft ruleset): kube-router, the NetworkPolicy controller,
# keeps its pod and policy address lists there (KUBE-SRC-*, KUBE-DST-*, kube-router-*).
snapshot_ipsets() { if command -v ipset >/dev/null; then ipset list -n | LC_ALL=C sort; fi; }

HOST_STATE_PARTS=(sysctls links mounts cgroups netns paths nft legacy_iptables ipsets)

# Records every part into $SNAPSHOT_DIR, once: a second `up` keeps the first (pristine) snapshot.
host_state_record() {
  if [[ -f "$SNAPSHOT_DIR/complete" ]]; then return 0; fi
  mkdir -p "$SNAPSHOT_DIR"
  local part
  for part in "${HOST_STATE_PARTS[@]}"; do "snapshot_$part" >"$SNAPSHOT_DIR/$part"; done
  touch "$SNAPSHOT_DIR/complete"
}

# Lines of a part that are there now and were not in the snapshot (each part is sorted).
new_since() { { "snapshot_$1" | comm -13 --nocheck-order "$SNAPSHOT_DIR/$1" - || true; } | LC_ALL=C sort "${@:2}"; }

# Puts back what the cluster changed. Every step is best effort, so one failure does not keep the
# others from running; host_state_compare then names whatever is left. Runs after every process of the cluster has stopped.
host_state_restore() {
  [[ -f "$SNAPSHOT_DIR/complete" ]] || { echo "no snapshot in $SNAPSHOT_DIR: nothing to restore" >&2; return 0; }
  local line

  # Mounts first (deepest first): network namespaces and volumes keep links and cgroups alive.
  new_since mounts -r | while read -r line; do
    umount -l "$line" 2>/dev/null || true
  done
  new_since netns | while read -r line; do
    ip netns delete "$line" 2>/dev/null || rm -f "/run/netns/$line"
  done
  new_since links | while read -r line; do
    ip link delete "$line" 2>/dev/null || true
  done
  # Children before parents; a cgroup with a live process in it cannot go (reported below).
  new_since cgroups | while read -r line; do
    find "$line" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done

  new_since paths -r | while read -r line; do
    rm -rf "$line"
  done

  # The whole ruleset as it was: iptables-nft chains (KUBE-*, CNI-*) and any table made since.
  { echo 'flush ruleset'; cat "$SNAPSHOT_DIR/nft"; } | nft -f - || echo "cluster-down: nft could not restore the ruleset" >&2
  # A set still named by a rule cannot go: so after the ruleset.
  new_since ipsets | while read -r line; do
    ipset destroy "$line" 2>/dev/null || true
  done

  # Only settings that are still writable and differ; a key that vanished (a link's) is skipped.
  { snapshot_sysctls | diff "$SNAPSHOT_DIR/sysctls" - || true; } | sed -n 's/^< //p' | while IFS= read -r line; do
    sysctl -q -w "${line%% = *}=${line#* = }" >/dev/null 2>&1 || true
  done
}

# Prints every part that still differs from the snapshot; returns 1 when one does.
host_state_compare() {
  [[ -f "$SNAPSHOT_DIR/complete" ]] || return 0
  local part differs=0 delta
  for part in "${HOST_STATE_PARTS[@]}"; do
    delta="$("snapshot_$part" | diff "$SNAPSHOT_DIR/$part" - || true)"
    if [[ -n "$delta" ]]; then
      differs=1
      echo "host state still differs after cluster-down: $part" >&2
      printf '%s\n' "$delta" | head -n 20 >&2
    fi
  done
  return "$differs"
}
