//go:build tools

// Package tools names the command built from github.com/prometheus/prometheus, so that `go mod
// tidy` keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
)
