// Command etcd is etcd's own server command (etcd's main.go calls the same function), built from
// the module go.etcd.io/etcd/server/v3 because the proxy serves that module, not etcd's root one.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
