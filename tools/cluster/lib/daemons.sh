# Sourced by up.sh and down.sh: the cluster's processes, started in the background with a PID file
# each, and stopped by that PID only.

start_daemon() { # NAME COMMAND...
  local name="$1"
  shift
  mkdir -p "$CLUSTER_LOG_DIR" "$CLUSTER_PID_DIR"
  if daemon_alive "$name"; then
    echo "$name: already running (pid $(cat "$CLUSTER_PID_DIR/$name.pid"))" >&2
    return 0
  fi
  # setsid: a Ctrl-C in the terminal that ran `make cluster-up` must not take the cluster down.
  setsid "$@" >>"$CLUSTER_LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_PID_DIR/$name.pid"
}

daemon_alive() {
  local file="$CLUSTER_PID_DIR/$1.pid"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

# stop_daemon NAME [SECONDS]: SIGTERM, then SIGKILL after the grace period.
stop_daemon() {
  local name="$1" grace="${2:-15}" file="$CLUSTER_PID_DIR/$1.pid" pid i
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    # A killed process still holds its ports until it is reaped.
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$file"
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND every half second until it succeeds.
wait_for() {
  local what="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "cluster: $what not ready within ${seconds} s; logs in $CLUSTER_LOG_DIR" >&2
  return 1
}
