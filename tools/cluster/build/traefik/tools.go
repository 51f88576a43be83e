//go:build tools

// Package tools names the command built from github.com/traefik/traefik/v3, so that `go mod tidy`
// keeps everything it needs in go.sum. build.sh builds it with `go build .../cmd/traefik`.
package tools

import (
	_ "github.com/traefik/traefik/v3/cmd/traefik"
)
