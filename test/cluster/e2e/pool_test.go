package e2e

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
)

// clusters are the control planes the tests share. Each is started once, gets the platform CRDs,
// and is recorded as its baseline; a test takes one with acquireCluster and, when the test ends, it is
// reset to that baseline (everything the test created deleted, platform CRDs the test changed
// installed again) and handed to the next test. A cluster whose reset fails is stopped, never reused.
// So every test starts from a cluster that holds the platform CRDs and nothing else, as a fresh one
// would, without paying an API server start and the CRD installation each time. There are at most as
// many clusters as tests run at once (go test -parallel).
var clusters = &clusterPool{}

type clusterPool struct {
	mu      sync.Mutex
	idle    []*controlplane.ControlPlane
	all     []*controlplane.ControlPlane
	started int
	resets  int
	// seconds spent starting clusters (with their platform CRDs) and resetting them
	startSeconds, resetSeconds float64
}

// resetTimeout bounds a reset; a cluster that needs longer is stopped instead.
const resetTimeout = 2 * time.Minute

// acquireCluster returns a cluster holding the platform CRDs and nothing else, reset and given back
// when t ends (also on failure).
func acquireCluster(t *testing.T, ctx context.Context) *controlplane.ControlPlane {
	t.Helper()
	cp, err := clusters.get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := clusters.put(cp); err != nil {
			t.Logf("the cluster was stopped instead of reused: %v", err)
		}
	})
	return cp
}

func (p *clusterPool) get(ctx context.Context) (*controlplane.ControlPlane, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		cp := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return cp, nil
	}
	p.started++
	p.mu.Unlock()
	began := time.Now()
	cp, err := startPlatformCluster(ctx)
	p.mu.Lock()
	p.startSeconds += time.Since(began).Seconds()
	p.mu.Unlock()
	return cp, err
}

// put resets the cluster and makes it available again; when the reset fails, it stops it.
func (p *clusterPool) put(cp *controlplane.ControlPlane) error {
	began := time.Now()
	err := cp.Reset(context.Background(), resetTimeout)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resetSeconds += time.Since(began).Seconds()
	if err != nil {
		return errors.Join(err, cp.Stop())
	}
	p.resets++
	p.idle = append(p.idle, cp)
	return nil
}

func (p *clusterPool) stopAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, cp := range p.all {
		if err := cp.Stop(); err != nil {
			errs = append(errs, err)
		}
	}
	p.all, p.idle = nil, nil
	return errors.Join(errs...)
}

// PoolStats is the "clusters" part of e2e-results.json: how many control planes were started, how
// often one was reset for the next test, and the seconds both took (summed over parallel tests).
type PoolStats struct {
	Started      int     `json:"started"`
	Reused       int     `json:"reused"`
	StartSeconds float64 `json:"startSeconds"`
	ResetSeconds float64 `json:"resetSeconds"`
}

func (p *clusterPool) stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Started: p.started, Reused: p.resets, StartSeconds: float64(int(p.startSeconds)), ResetSeconds: float64(int(p.resetSeconds))}
}

// startPlatformCluster starts a control plane, installs the platform CRDs and records the baseline.
func startPlatformCluster(ctx context.Context) (*controlplane.ControlPlane, error) {
	binaries := suite.binaries
	cp, err := controlplane.Start(ctx, controlplane.Options{Binaries: &binaries})
	if err != nil {
		return nil, err
	}
	clusters.mu.Lock()
	clusters.all = append(clusters.all, cp)
	clusters.mu.Unlock()
	files, err := platformCRDFiles()
	if err != nil {
		return nil, err
	}
	if _, err := cp.InstallCRDs(ctx, files...); err != nil {
		return nil, fmt.Errorf("platform CRDs: %w", err)
	}
	if err := cp.Baseline(ctx); err != nil {
		return nil, err
	}
	return cp, nil
}

// planWorkers is how many CLI runs plan at once: node is single-threaded, so two keep both cores busy
// while one of them waits on the file system.
const planWorkers = 3

// inParallel calls f(0..n-1) on at most workers goroutines and returns when all are done.
func inParallel(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	limit := make(chan struct{}, workers)
	for i := 0; i < n; i++ {
		wg.Add(1)
		limit <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-limit }()
			f(i)
		}()
	}
	wg.Wait()
}
