// Command pause is the sandbox ("infra") container of every pod in the local cluster: it holds
// the pod's namespaces open, so it must live as long as the pod and do nothing else.
//
// It runs as PID 1 of the pod's PID namespace when the namespace is shared, so it reaps any
// orphaned child that is re-parented to it (otherwise zombies would pile up), and it exits 0 on
// SIGTERM or SIGINT, because PID 1 gets no default signal handling from the kernel and the
// kubelet stops a sandbox with SIGTERM.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-v" || os.Args[1] == "--version") {
		fmt.Println("pause (discounts local cluster)")
		return
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		switch sig {
		case syscall.SIGCHLD:
			reap()
		default:
			fmt.Fprintf(os.Stderr, "pause: %v, exiting\n", sig)
			os.Exit(0)
		}
	}
}

// reap collects every exited child; one SIGCHLD may stand for several exits (signals coalesce).
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
