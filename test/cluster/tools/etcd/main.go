// Command etcd is etcd's own entry point (go.etcd.io/etcd/server/v3/etcdmain), built from the Go module
// proxy at the version go.mod pins, so the tests need no download from anywhere else.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
