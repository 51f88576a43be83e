//go:build tools

// Package tools names the command built from sigs.k8s.io/kwok, so that `go mod tidy` keeps
// everything it needs in go.sum.
package tools

import (
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
