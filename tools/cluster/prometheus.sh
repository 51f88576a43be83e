#!/usr/bin/env bash
# `make cluster-prometheus`: Debian's Prometheus on the node, finding the apps' pods in the local
# cluster by Kubernetes service discovery (role pod, through the cluster's kubeconfig) and scraping
# them directly at their pod addresses, with the alert rules of deploy/prometheus loaded. The job
# label is the app (generator, provider), as the Grafana dashboards of deploy/grafana expect; point
# a Grafana's Prometheus data source at the printed URL.
#
#   tools/cluster/prometheus.sh [--listen 127.0.0.1:9090] [--namespace NS]   (foreground)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"

listen=127.0.0.1:9090
namespaces=""
while (($#)); do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    --namespace) namespaces+="            - $2"$'\n'; shift 2 ;;
    *) echo "prometheus.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v prometheus >/dev/null || { echo "prometheus.sh: install Debian's prometheus package (make install)" >&2; exit 1; }
[[ -f "$KUBECONFIG_FILE" ]] || { echo "prometheus.sh: no cluster ($KUBECONFIG_FILE): make cluster-up" >&2; exit 1; }

work="$CLUSTER_DIR/prometheus"
mkdir -p "$work"
namespace_filter=""
[[ -n "$namespaces" ]] && namespace_filter="        namespaces:
          names:
$namespaces"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $CLUSTER_REPO/deploy/prometheus/rules.yaml
scrape_configs:
  - job_name: discounts-pods
    kubernetes_sd_configs:
      - role: pod
        kubeconfig_file: $KUBECONFIG_FILE
$namespace_filter
    relabel_configs:
      # The apps' pods (the chart's selector labels), on their http port.
      - source_labels:
          - __meta_kubernetes_pod_label_app_kubernetes_io_name
          - __meta_kubernetes_pod_label_app_kubernetes_io_component
          - __meta_kubernetes_pod_container_port_name
        regex: discounts;(generator|provider);http
        action: keep
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_component]
        target_label: job
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
YAML
echo "prometheus: http://$listen (config $work/prometheus.yml)" >&2
exec prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="$listen" --log.level=warn
