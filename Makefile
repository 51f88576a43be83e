# Discount codes platform: local development and CI entry points. `make help` lists the targets.
#
# Settings come from the environment (see tools/devstack/launch.ts): MONGODB_URI, DEV_POSTGRESQL_URL, NATS_URL,
# GENERATOR_ADMIN_TOKEN, PROVIDER_ADMIN_TOKEN, JWT_SECRET, WEBHOOK_SECRET_KEYS, USER_SECRET_PEPPER,
# DEV_OPEN_BRAND_API, GENERATOR_PORT, PROVIDER_PORT, LOG_LEVEL.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

NPM  ?= npm
NODE ?= node

.PHONY: help install app-install prometheus-tools cluster-install chart-tools chart-docs deps build launch shutdown test lint unit integration e2e deploy cluster cluster-up cluster-down cluster-prometheus audit clean clean-data

## help: list the targets
help:
	@awk '/^## / { line = substr($$0, 4); i = index(line, ": "); printf "  %-26s %s\n", substr(line, 1, i - 1), substr(line, i + 2) }' $(MAKEFILE_LIST)

## install: everything `make test` needs: app-install, Prometheus (Debian's package) for the monitoring tests when root with apt, the local cluster's parts (cluster-install) and the chart's checks (chart-tools)
install: prometheus-tools cluster-install chart-tools app-install

## app-install: npm ci, build the FerretDB dev server (tools/ferretdb-dev) and both apps: what `make launch` needs (a fresh clone runs it by itself)
app-install:
	$(NPM) ci
	@if [ -n "$${MONGODB_URI:-}" ] && ! command -v go >/dev/null; then \
	  echo "MONGODB_URI is set and go is not installed: not building the FerretDB dev server"; \
	else \
	  echo "bash tools/ferretdb-dev/build.sh"; bash tools/ferretdb-dev/build.sh >/dev/null; \
	fi
	$(NPM) run build

# prometheus and promtool prove the dashboards and alert rules (test/deploy/monitoring, test/e2e/prometheus).
# Installed from Debian's package when missing and possible; otherwise those tests fail naming it.
prometheus-tools:
	@if command -v prometheus >/dev/null && command -v promtool >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install -y prometheus"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null \
	    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >/dev/null; }; \
	else \
	  echo "prometheus/promtool not installed (Debian package 'prometheus'): the monitoring tests will fail"; \
	fi

# The local Kubernetes of tools/cluster: Debian's containerd, runc, CNI plugins, buildah and
# friends (as root with apt), then every Go binary built once into the tool cache outside the clone
# (~/.cache/discounts-tools; cold about 50 minutes on 2 cores, warm a second).
CLUSTER_PACKAGES := containerd runc containernetworking-plugins buildah podman mmdebstrap nftables conntrack iptables ipset openssl jq file python3-yaml
## cluster-install: Debian packages and cached binaries for the local cluster (part of install)
cluster-install:
	@missing=$$(for p in $(CLUSTER_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install -y $$(echo $$missing)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing >/dev/null \
	    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing >/dev/null; }; \
	else \
	  echo "missing Debian packages for the local cluster: $$(echo $$missing) (the cluster tier will fail)"; \
	fi
	bash tools/cluster/build.sh >/dev/null

# helm-docs and kubeconform (pinned in tools/cluster/build/, built once into the tool cache) and
# kubeconform's schemas, made offline from Go modules (tools/chart/kubeconform-schemas.sh).
## chart-tools: build helm-docs and kubeconform and make kubeconform's schemas (part of install)
chart-tools:
	bash tools/cluster/build.sh helm-docs kubeconform >/dev/null
	bash tools/chart/kubeconform-schemas.sh >/dev/null

## chart-docs: rewrite helm/discounts/README.md from README.md.gotmpl and values.yaml's `# --` comments (helm-docs)
chart-docs:
	bash tools/chart/docs.sh

# Dependencies for targets that need them: a fresh clone gets `make app-install` first; the tiers
# that need more ask for it themselves (each of those targets is a second's check once done).
deps:
	@if [ ! -d node_modules ]; then $(MAKE) --no-print-directory app-install; fi

## build: compile both apps into dist/
build: deps
	$(NPM) run build

## launch: build, then start MongoDB (FerretDB dev server) / NATS if missing and both apps in the background
launch: deps
	$(NPM) run --silent devstack:build
	$(NODE) .cache/devstack/tools/devstack/launch.js --build

## shutdown: stop exactly what `make launch` started
shutdown:
	@if [ -f .data/launch.json ]; then \
	  $(NPM) run --silent devstack:build && $(NODE) .cache/devstack/tools/devstack/shutdown.js; \
	else echo "shutdown: nothing to stop (no .data/launch.json)"; fi

## test: lint, typecheck and format check, then build and the unit, integration, e2e, deploy and cluster tiers (what CI runs)
test: deps prometheus-tools cluster-install chart-tools lint
	$(NPM) run build
	$(NPM) run test:unit
	$(NPM) run test:integration
	$(NPM) run test:e2e
	$(NPM) run test:deploy
	$(NPM) run test:cluster

## lint: eslint, tsc --noEmit and prettier --check
lint: deps
	$(NPM) run lint
	$(NPM) run typecheck
	$(NPM) run format:check

## unit / integration / e2e: one test tier (e2e needs `make build` first)
unit: deps
	$(NPM) run test:unit
integration: deps
	$(NPM) run test:integration
e2e: deps prometheus-tools
	$(NPM) run test:e2e

## cluster: the cluster tier alone: cluster up, images, helm install, tests through the gateway, cluster down
cluster: deps cluster-install
	$(NPM) run test:cluster

## cluster-up: start the local Kubernetes (root; kubeconfig in .data/cluster/kubeconfig, gateway on 10.212.0.1:30080)
cluster-up: cluster-install
	bash tools/cluster/up.sh

## cluster-down: stop it and put back what it changed on the machine (add ARGS=--purge to delete .data/cluster)
cluster-down:
	bash tools/cluster/down.sh $(ARGS)

## cluster-prometheus: Debian's Prometheus on 127.0.0.1:9090 scraping the apps' pods in the local cluster
cluster-prometheus:
	bash tools/cluster/prometheus.sh

## audit: npm audit of the production dependencies, failing on high or critical advisories (needs the registry's advisory endpoint)
audit: deps
	$(NPM) audit --omit=dev --audit-level=high

## deploy: the deployment tier: Helm chart, skaffold.yaml, deploy/ and the Dockerfile (builds the pinned Helm once)
deploy: deps prometheus-tools chart-tools
	$(NPM) run test:deploy

## clean: remove build and test output (dist/, coverage/); keeps .data/ and the cached FerretDB binary
clean:
	rm -rf dist coverage

## clean-data: `make shutdown`, then delete the launch's database (.data/ferretdb, or its PostgreSQL database discounts_dev), logs and state
clean-data: shutdown
	@if [ -d node_modules ]; then $(NPM) run --silent devstack:build && $(NODE) .cache/devstack/tools/devstack/clean-data.js; fi
	rm -rf .data
