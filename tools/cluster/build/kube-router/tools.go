//go:build tools

// Package tools names the command built from github.com/cloudnativelabs/kube-router/v2, so that
// `go mod tidy` keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
)
