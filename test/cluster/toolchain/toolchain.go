// Package toolchain builds the real components the cluster tests run (kube-apiserver,
// kube-controller-manager, kubectl, etcd, helm) from the small Go modules under tools/, at the
// versions their go.mod files pin, into a cache outside the repository:
//
//	${INFERENCE_MIGRATION_CACHE:-$HOME/.cache/cdk8s-inference-migration}/<tool>/<version>/<binary>
//
// A binary already in the cache is used as it is; a missing one is built once (one `go build` per
// tool module, so the binaries of one module share their compiled packages), into a temporary
// directory that is renamed into place, under a lock file, so two test runs never see half a binary.
package toolchain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// CacheVariable names the environment variable that overrides the cache root.
const CacheVariable = "INFERENCE_MIGRATION_CACHE"

// Tool is one module under tools/ and the binaries it builds.
type Tool struct {
	// Name is the folder under tools/ and under the cache root.
	Name string
	// Module is the dependency whose version (in tools/<Name>/go.mod) names the release.
	Module string
	// Packages are the main packages built, in the order of Binaries.
	Packages []string
	// Binaries are the file names the packages build to.
	Binaries []string
	// VersionFlag is the -X flag (package.variable) that carries the release into the binary, if any.
	VersionFlags func(version string) []string
}

// Kubernetes is kube-apiserver, kube-controller-manager and kubectl from k8s.io/kubernetes.
var Kubernetes = Tool{
	Name:   "kubernetes",
	Module: "k8s.io/kubernetes",
	Packages: []string{
		"k8s.io/kubernetes/cmd/kube-apiserver",
		"k8s.io/kubernetes/cmd/kube-controller-manager",
		"k8s.io/kubernetes/cmd/kubectl",
	},
	Binaries: []string{"kube-apiserver", "kube-controller-manager", "kubectl"},
	// Without gitVersion, /version and `kubectl version` say v0.0.0-master
	// (k8s.io/component-base/version/base.go).
	VersionFlags: func(version string) []string {
		major, minor := majorMinor(version)
		return []string{
			"k8s.io/component-base/version.gitVersion=" + version,
			"k8s.io/component-base/version.gitMajor=" + major,
			"k8s.io/component-base/version.gitMinor=" + minor,
			"k8s.io/component-base/version.gitTreeState=clean",
		}
	},
}

// Etcd is etcd's own main (go.etcd.io/etcd/server/v3/etcdmain); its version is compiled in.
var Etcd = Tool{
	Name:     "etcd",
	Module:   "go.etcd.io/etcd/server/v3",
	Packages: []string{"."},
	Binaries: []string{"etcd"},
}

// Helm is the helm command of helm.sh/helm/v4.
var Helm = Tool{
	Name:     "helm",
	Module:   "helm.sh/helm/v4",
	Packages: []string{"helm.sh/helm/v4/cmd/helm"},
	Binaries: []string{"helm"},
	// helm.sh/helm/v4/internal/version/version.go: `version` holds only the minor line otherwise.
	VersionFlags: func(version string) []string {
		return []string{"helm.sh/helm/v4/internal/version.version=" + version, "helm.sh/helm/v4/internal/version.gitTreeState=clean"}
	},
}

// Built is a tool's binaries in the cache and what it took to have them.
type Built struct {
	Tool    string
	Version string
	Dir     string
	// Cached is true when every binary was already in the cache.
	Cached bool
	// Took is the wall time of Ensure (the build when not cached).
	Took time.Duration
}

// Path returns the absolute path of one of the tool's binaries.
func (b Built) Path(binary string) string { return filepath.Join(b.Dir, binary) }

// CacheRoot is ${INFERENCE_MIGRATION_CACHE:-$HOME/.cache/cdk8s-inference-migration}.
func CacheRoot() (string, error) {
	if root := os.Getenv(CacheVariable); root != "" {
		return filepath.Abs(root)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("toolchain: no home directory and %s is not set: %w", CacheVariable, err)
	}
	return filepath.Join(home, ".cache", "cdk8s-inference-migration"), nil
}

// ModulesDir is the tools/ folder beside this package's module.
func ModulesDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "tools")
}

// Version reads the version of t.Module that tools/<t.Name>/go.mod requires.
func Version(t Tool) (string, error) {
	goMod := filepath.Join(ModulesDir(), t.Name, "go.mod")
	f, err := os.Open(goMod)
	if err != nil {
		return "", fmt.Errorf("toolchain: %w", err)
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(scanner.Text()), "require "))
		if len(fields) >= 2 && fields[0] == t.Module && strings.HasPrefix(fields[1], "v") {
			return fields[1], nil
		}
	}
	return "", fmt.Errorf("toolchain: %s does not require %s", goMod, t.Module)
}

// Ensure returns the tool's binaries, building them first when any is missing from the cache.
// The build output goes to log (nil: discarded).
func Ensure(ctx context.Context, t Tool, log *os.File) (Built, error) {
	start := time.Now()
	version, err := Version(t)
	if err != nil {
		return Built{}, err
	}
	root, err := CacheRoot()
	if err != nil {
		return Built{}, err
	}
	built := Built{Tool: t.Name, Version: version, Dir: filepath.Join(root, t.Name, version)}
	if allPresent(built, t) {
		built.Cached = true
		built.Took = time.Since(start)
		return built, nil
	}
	if err := os.MkdirAll(built.Dir, 0o755); err != nil {
		return Built{}, fmt.Errorf("toolchain: %w", err)
	}
	unlock, err := Lock(filepath.Join(built.Dir, ".lock"))
	if err != nil {
		return Built{}, err
	}
	defer unlock()
	if allPresent(built, t) { // another run built it while this one waited for the lock
		built.Cached = true
		built.Took = time.Since(start)
		return built, nil
	}
	if err := build(ctx, t, version, built.Dir, log); err != nil {
		return Built{}, err
	}
	built.Took = time.Since(start)
	return built, nil
}

func allPresent(b Built, t Tool) bool {
	for _, name := range t.Binaries {
		if info, err := os.Stat(b.Path(name)); err != nil || !info.Mode().IsRegular() || info.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// build runs one `go build` of every package of the tool into a temporary folder beside dir, then
// renames each binary into dir (a rename within one file system is atomic).
func build(ctx context.Context, t Tool, version, dir string, log *os.File) error {
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return fmt.Errorf("toolchain: %w", err)
	}
	defer os.RemoveAll(tmp)
	ldflags := "-s -w"
	if t.VersionFlags != nil {
		for _, x := range t.VersionFlags(version) {
			ldflags += " -X " + x
		}
	}
	args := []string{"build", "-trimpath", "-ldflags", ldflags, "-o", tmp + string(os.PathSeparator)}
	args = append(args, t.Packages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Join(ModulesDir(), t.Name)
	// Static binaries, as Kubernetes and etcd release them (kubernetes hack/lib/golang.sh).
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if log != nil {
		cmd.Stdout, cmd.Stderr = log, log
	}
	if out, err := runCombined(cmd, log == nil); err != nil {
		return fmt.Errorf("toolchain: go build of %s %s in %s failed: %w\n%s", t.Name, version, cmd.Dir, err, out)
	}
	for i, pkg := range t.Packages {
		from := filepath.Join(tmp, filepath.Base(pkg))
		if pkg == "." {
			from = filepath.Join(tmp, t.Name)
		}
		if err := os.Rename(from, filepath.Join(dir, t.Binaries[i])); err != nil {
			return fmt.Errorf("toolchain: %w", err)
		}
	}
	return nil
}

func runCombined(cmd *exec.Cmd, capture bool) (string, error) {
	if capture {
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	return "", cmd.Run()
}

// Lock takes an exclusive flock on path, waiting for another holder (retrying when interrupted).
func Lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("toolchain: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("toolchain: lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// majorMinor splits "v1.35.4" into "1" and "35".
func majorMinor(version string) (string, string) {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return "", ""
	}
	return parts[0], parts[1]
}
