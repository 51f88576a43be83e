//go:build tools

// Package tools names the command built from github.com/norwoodj/helm-docs, so that `go mod tidy`
// keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/norwoodj/helm-docs/cmd/helm-docs"
)
