// Package e2e holds the real-cluster tests of issue 20: every stage of the migrations applied as
// Flux applies them, against a real kube-apiserver, with the manual steps run as a user runs them.
//
// The project's compiled CLI (lib/, `npx projen compile`) plans the migrations; the tests find the
// project root from E2E_PROJECT_ROOT (default: three folders up) and write their part of
// e2e-results.json into E2E_RESULTS_DIR (default: a temporary folder), which scripts/e2e.js merges.
package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// suite is what every test of the package shares: where the project is, the component binaries and
// the results being collected.
var suite struct {
	root       string
	resultsDir string
	binaries   controlplane.Binaries
	kubernetes string
	// work holds what the tests write for the whole run (plans, see planned; derived CRDs), removed
	// at the end.
	work string
}

func TestMain(m *testing.M) {
	if err := setUp(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := writeResult("clusters", clusters.stats()); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
	}
	if err := clusters.stopAll(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		if code == 0 {
			code = 1
		}
	}
	_ = os.RemoveAll(suite.work)
	os.Exit(code)
}

func setUp() error {
	root := os.Getenv("E2E_PROJECT_ROOT")
	if root == "" {
		root = filepath.Join("..", "..", "..")
	}
	var err error
	if suite.root, err = filepath.Abs(root); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(suite.root, "lib", "cli", "main.js")); err != nil {
		return fmt.Errorf("the compiled CLI is missing under %s/lib: run `npx projen compile` first", suite.root)
	}
	if suite.resultsDir = os.Getenv("E2E_RESULTS_DIR"); suite.resultsDir == "" {
		if suite.resultsDir, err = os.MkdirTemp("", "e2e-results-"); err != nil {
			return err
		}
	}
	if suite.work, err = os.MkdirTemp("", "e2e-work-"); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()
	k8s, err := toolchain.Ensure(ctx, toolchain.Kubernetes, nil)
	if err != nil {
		return err
	}
	etcd, err := toolchain.Ensure(ctx, toolchain.Etcd, nil)
	if err != nil {
		return err
	}
	helm, err := toolchain.Ensure(ctx, toolchain.Helm, nil)
	if err != nil {
		return err
	}
	suite.kubernetes = k8s.Version
	suite.binaries = controlplane.Binaries{
		Etcd: etcd.Path("etcd"), APIServer: k8s.Path("kube-apiserver"), ControllerManager: k8s.Path("kube-controller-manager"),
		Kubectl: k8s.Path("kubectl"), Helm: helm.Path("helm"),
	}
	return writeResult("kubernetes", k8s.Version)
}
