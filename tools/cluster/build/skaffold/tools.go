//go:build tools

// Package tools names the command built from github.com/GoogleContainerTools/skaffold/v2, so that
// `go mod tidy` keeps everything it needs in go.sum. build.sh builds it with `go build .../cmd/skaffold`.
package tools

import (
	_ "github.com/GoogleContainerTools/skaffold/v2/cmd/skaffold"
)
