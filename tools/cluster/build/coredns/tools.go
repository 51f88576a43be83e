//go:build tools

// Package tools names the command built from github.com/coredns/coredns (its root package is the
// main package), so that `go mod tidy` keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/coredns/coredns"
)
