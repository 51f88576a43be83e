//go:build tools

// Package tools names the commands built from github.com/prometheus-operator/prometheus-operator
// (the operator and the config reloader it runs beside each Prometheus), so that `go mod tidy`
// keeps everything they need in go.sum.
package tools

import (
	_ "github.com/prometheus-operator/prometheus-operator/cmd/operator"
	_ "github.com/prometheus-operator/prometheus-operator/cmd/prometheus-config-reloader"
)
