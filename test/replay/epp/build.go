package epp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// CacheVariable overrides the cache root, as in test/cluster's toolchain.
const CacheVariable = "INFERENCE_MIGRATION_CACHE"

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

// CacheRoot is ${INFERENCE_MIGRATION_CACHE:-$HOME/.cache/cdk8s-inference-migration}.
func CacheRoot() (string, error) {
	if root := os.Getenv(CacheVariable); root != "" {
		return filepath.Abs(root)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("epp: no home directory and %s is not set: %w", CacheVariable, err)
	}
	return filepath.Join(home, ".cache", "cdk8s-inference-migration"), nil
}

// Ensure returns the EPP of a tag from <cache>/epp/<tag>/epp, building it first when missing: `go install` with
// GOBIN set to a fresh directory beside it, renamed into place under a lock, so no run ever sees half a binary.
// The build's own output is returned in the error when it fails.
func Ensure(ctx context.Context, tag string) (Built, error) {
	if _, err := Lookup(tag); err != nil {
		return Built{}, err
	}
	root, err := CacheRoot()
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
	unlock, err := lock(filepath.Join(root, "epp", "."+tag+".lock"))
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
	if err := os.Rename(tmp, dir); err != nil {
		return Built{}, fmt.Errorf("epp: moving the build of %s into %s: %w", tag, dir, err)
	}
	return Built{Tag: tag, Path: bin, Took: time.Since(start)}, nil
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, errors.Join(fmt.Errorf("epp: locking %s", path), err)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

func tail(text string, lines int) string {
	all := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
