// Command build-epp builds (or finds in the cache) the EPP of the GIE tags given as arguments, or of .ci/run's set
// (every release with E2E_ALL=1), and prints how long each took: `go run ./cmd/build-epp [tag...]`.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
)

func main() {
	tags := os.Args[1:]
	if len(tags) == 0 {
		tags = epp.CI
		if os.Getenv("E2E_ALL") == "1" {
			tags = epp.Known()
		}
	}
	for _, tag := range tags {
		b, err := epp.Ensure(context.Background(), tag)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		state := "built"
		if b.Cached {
			state = "cached"
		}
		fmt.Printf("%s %s %.1f s %s\n", tag, state, b.Took.Seconds(), b.Path)
	}
}
