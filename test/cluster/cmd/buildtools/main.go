// Command buildtools makes sure the real components are in the cache (building what is missing) and
// prints one JSON line per tool: {"tool", "version", "dir", "cached", "seconds"}. `npx projen e2e`
// runs it before the tests so that build time and test time are reported apart.
//
// Usage: go run ./cmd/buildtools [kubernetes|etcd|helm ...]   (default: all three)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

func main() {
	tools := map[string]toolchain.Tool{"kubernetes": toolchain.Kubernetes, "etcd": toolchain.Etcd, "helm": toolchain.Helm}
	names := os.Args[1:]
	if len(names) == 0 {
		names = []string{"etcd", "kubernetes", "helm"}
	}
	for _, name := range names {
		tool, ok := tools[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "buildtools: unknown tool %q (known: kubernetes, etcd, helm)\n", name)
			os.Exit(2)
		}
		built, err := toolchain.Ensure(context.Background(), tool, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		line, _ := json.Marshal(map[string]any{
			"tool": built.Tool, "version": built.Version, "dir": built.Dir,
			"cached": built.Cached, "seconds": built.Took.Seconds(),
		})
		fmt.Println(string(line))
	}
}
