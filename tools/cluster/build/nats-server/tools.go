//go:build tools

// Package tools names the command built from github.com/nats-io/nats-server/v2 (its root package
// is the main package), so that `go mod tidy` keeps everything it needs in go.sum.
package tools

import (
	_ "github.com/nats-io/nats-server/v2"
)
