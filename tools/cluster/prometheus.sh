#!/usr/bin/env bash
# `make cluster-prometheus`: Debian's Prometheus on the node, scraping the apps' pods in the local
# cluster directly at their pod addresses, with the alert rules of deploy/prometheus loaded. The job
# label is the app (generator, provider), as the Grafana dashboards of deploy/grafana expect; point
# a Grafana's Prometheus data source at the printed URL.
#
# Debian builds Prometheus without its Kubernetes service discovery, so the pods are discovered
# here, from the Kubernetes API, every few seconds into a file_sd targets file that Prometheus
# watches: the same targets and labels kubernetes_sd_configs (role pod) would give.
#
#   tools/cluster/prometheus.sh [--listen 127.0.0.1:9090] [--namespace NS]   (foreground)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"

listen=127.0.0.1:9090
scope=(--all-namespaces)
while (($#)); do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    --namespace) scope=(--namespace "$2"); shift 2 ;;
    *) echo "prometheus.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v prometheus >/dev/null || { echo "prometheus.sh: install Debian's prometheus package (make install)" >&2; exit 1; }
[[ -f "$KUBECONFIG_FILE" ]] || { echo "prometheus.sh: no cluster ($KUBECONFIG_FILE): make cluster-up" >&2; exit 1; }

work="$CLUSTER_DIR/prometheus"
mkdir -p "$work"
targets="$work/pods.json"
echo '[]' >"$targets"

# One file_sd group per running app pod: its address and http port, labelled as the dashboards need.
TEMPLATE='[{{range $i, $p := .items}}{{if $i}},{{end}}{"targets":["{{$p.status.podIP}}:{{range $p.spec.containers}}{{range .ports}}{{if eq .name "http"}}{{.containerPort}}{{end}}{{end}}{{end}}"],"labels":{"job":"{{index $p.metadata.labels "app.kubernetes.io/component"}}","namespace":"{{$p.metadata.namespace}}","pod":"{{$p.metadata.name}}"}}{{end}}]'
discover() {
  while true; do
    if "$TOOL_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" get pods "${scope[@]}" \
      -l 'app.kubernetes.io/name=discounts,app.kubernetes.io/component in (generator,provider)' \
      --field-selector status.phase=Running -o go-template="$TEMPLATE" >"$targets.new" 2>/dev/null; then
      # Renamed into place: Prometheus never reads a half-written file.
      mv -f "$targets.new" "$targets"
    fi
    sleep 5
  done
}

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $CLUSTER_REPO/deploy/prometheus/rules.yaml
scrape_configs:
  - job_name: discounts-pods
    file_sd_configs:
      - files: [$targets]
        refresh_interval: 5s
YAML

discover &
discovery=$!
trap 'kill "$discovery" 2>/dev/null || true' EXIT
echo "prometheus: http://$listen (config $work/prometheus.yml)" >&2
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="$listen" --log.level=warn &
server=$!
# SIGTERM/SIGINT go to Prometheus, which shuts down cleanly; this script then ends the discovery.
trap 'kill -TERM "$server" 2>/dev/null || true' TERM INT
wait "$server" || wait "$server"
