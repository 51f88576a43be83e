#!/usr/bin/env bash
# `make cluster-down`: stops what up.sh started (by the PIDs it recorded, and the containers through
# containerd), then puts back what the cluster changed on this machine (tools/cluster/lib/host-state.sh)
# and fails, naming it, if anything is still different. `--purge` also deletes .data/cluster.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
source "$here/lib/daemons.sh"
source "$here/lib/host-state.sh"

purge=false
[[ "${1:-}" == "--purge" ]] && purge=true
[[ -d "$CLUSTER_DIR" ]] || { echo "cluster-down: no cluster in $CLUSTER_DIR" >&2; exit 0; }

# The node first, so that nothing restarts the containers about to be killed.
for name in volume-recycler kubelet kube-proxy kube-scheduler kube-controller-manager; do stop_daemon "$name"; done

# Every container and its shim, through containerd while it still runs.
if daemon_alive containerd; then
  ctr_() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }
  for task in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -a -s SIGKILL "$task" >/dev/null 2>&1 || true; done
  for task in $(ctr_ tasks ls -q 2>/dev/null); do
    for _ in 1 2 3 4 5 6 7 8 9 10; do ctr_ tasks delete -f "$task" >/dev/null 2>&1 && break; sleep 0.5; done
  done
fi
stop_daemon containerd
# A shim whose task could not be deleted outlives containerd: its PID is in the task's bundle.
for pidfile in "$CLUSTER_DIR"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid; do
  [[ -f "$pidfile" ]] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
done
# Whatever still runs in the pods' cgroups (the kubelet made them, so they are ours to empty).
for procs in $(find /sys/fs/cgroup/pids/kubepods* -name cgroup.procs 2>/dev/null); do
  while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$procs"
done

for name in kube-apiserver etcd; do stop_daemon "$name"; done

host_state_restore
status=0
host_state_compare || status=1

if ((status != 0)); then
  echo "cluster-down: the snapshot stays in $SNAPSHOT_DIR; run cluster-down again once the cause is gone" >&2
  exit 1
fi
# A clean stop forgets the snapshot: the next cluster-up records the machine as it is then.
rm -rf "$SNAPSHOT_DIR"
if $purge; then
  # Overlay snapshots may still be mounted read-only by a kernel that is slow to let go.
  rm -rf "$CLUSTER_DIR" 2>/dev/null || { sleep 1; rm -rf "$CLUSTER_DIR"; }
fi
echo "cluster-down: stopped; the machine is as it was before cluster-up" >&2
