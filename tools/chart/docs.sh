#!/usr/bin/env bash
# Writes a chart's README.md from its README.md.gotmpl and the `# --` comments of its values.yaml
# with the pinned helm-docs (tools/cluster/build/helm-docs, built once into the tool cache), in
# values.yaml's order. `make chart-docs` runs it on helm/discounts; test/deploy/chart-docs runs it
# on a copy and fails when the committed README.md differs.
#
# Usage: docs.sh [CHART_DIR]   (default helm/discounts). HELM_DOCS_BIN, when set, is used as is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="${1:-$here/../../helm/discounts}"
[[ -f "$chart/Chart.yaml" && -f "$chart/README.md.gotmpl" ]] ||
  { echo "docs.sh: $chart has no Chart.yaml and README.md.gotmpl" >&2; exit 1; }
bin="${HELM_DOCS_BIN:-}"
if [[ -z "$bin" ]]; then
  bin="$(bash "$here/../cluster/build.sh" helm-docs | tail -n 1)/helm-docs"
fi
# --chart-search-root is the chart itself: helm-docs looks for charts below it, and only this one
# is wanted.
"$bin" --chart-search-root "$chart" --template-files README.md.gotmpl --output-file README.md \
  --sort-values-order file --log-level warning
