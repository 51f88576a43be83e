//go:build tools

// Package tools names the command built from github.com/yannh/kubeconform, so that `go mod tidy`
// keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/yannh/kubeconform/cmd/kubeconform"
)
