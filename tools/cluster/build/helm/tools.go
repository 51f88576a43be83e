//go:build tools

// Package tools names the command built from helm.sh/helm/v3, so that `go mod tidy` keeps
// everything it needs in go.sum. build.sh builds it with `go build helm.sh/helm/v3/cmd/helm`.
package tools

import (
	_ "helm.sh/helm/v3/cmd/helm"
)
