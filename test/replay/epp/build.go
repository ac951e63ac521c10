package epp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// Module is the upstream main package; every tag from v0.3.0 on has it at cmd/epp and no replace directive in its
// go.mod, so `go install <module>@<tag>` builds it as released (go.mod@v0.3.0..v1.4.0).
const Module = "sigs.k8s.io/gateway-api-inference-extension/cmd/epp"

// Built is one EPP binary in the cache and what it took to have it.
type Built struct {
	Tag    string
	Path   string
	Cached bool
	Took   time.Duration
}

// Ensure returns the EPP of a tag from <cache>/epp/<tag>/epp, building it first when missing: `go install` with
// GOBIN set to a fresh directory beside it, the binary renamed into place under a lock, so no run ever sees half a
// binary.
// The build's own output is returned in the error when it fails.
func Ensure(ctx context.Context, tag string) (Built, error) {
	if _, err := Lookup(tag); err != nil {
		return Built{}, err
	}
	root, err := toolchain.CacheRoot()
	if err != nil {
		return Built{}, err
	}
	dir := filepath.Join(root, "epp", tag)
	bin := filepath.Join(dir, "epp")
	start := time.Now()
	if isExecutable(bin) {
		return Built{Tag: tag, Path: bin, Cached: true, Took: time.Since(start)}, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Built{}, err
	}
	unlock, err := toolchain.Lock(filepath.Join(root, "epp", "."+tag+".lock"))
	if err != nil {
		return Built{}, err
	}
	defer unlock()
	if isExecutable(bin) { // built by another run while this one waited for the lock
		return Built{Tag: tag, Path: bin, Cached: true, Took: time.Since(start)}, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".build-"+tag+"-")
	if err != nil {
		return Built{}, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", "install", "-trimpath", Module+"@"+tag)
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return Built{}, fmt.Errorf("epp: go install %s@%s failed: %w\n%s", Module, tag, err, tail(string(out), 40))
	}
	// The binary alone is moved into place (the directory may exist already, e.g. with a log of an earlier build
	// by hand): nothing else in it is replaced or removed.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Built{}, err
	}
	if err := os.Rename(filepath.Join(tmp, "epp"), bin); err != nil {
		return Built{}, fmt.Errorf("epp: moving the build of %s into %s: %w", tag, dir, err)
	}
	return Built{Tag: tag, Path: bin, Took: time.Since(start)}, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func tail(text string, lines int) string {
	all := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
