// Command replay replays requests through the real Endpoint Pickers of every migration the CLI plans for the
// built-in examples and the real-repository fixtures (test/fixtures/repos), before, during and after it, and writes
// what each EPP decided under "epp" in e2e-results.json. Environment: E2E_ALL=1 runs every target release (else the
// ones .ci/run runs), E2E_INPUT=<dir> replays that input alone (its models at each target), E2E_RESULTS names the results file
// (default <repo>/e2e-results.json), INFERENCE_MIGRATION_CACHE the cache root.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/cluster"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/replay"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "epp replay: "+err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	start := time.Now()
	ctrllog.SetLogger(logr.Discard()) // envtest logs through controller-runtime; its output goes to the control plane's log
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	all := os.Getenv("E2E_ALL") == "1"
	tags, targets := epp.CI, []string{"v1.0.2", "v1.4.0"}
	if all {
		tags, targets = epp.Known(), epp.Targets
	}
	only := flag.String("only", "", "replay only the migrations whose name contains this (e.g. criticalities@v1.4.0)")
	tagList := flag.String("tags", "", "comma-separated EPP releases to build and run instead of the default set")
	targetList := flag.String("targets", "", "comma-separated target releases to plan instead of the default set")
	flag.Parse()
	if *tagList != "" {
		tags = strings.Split(*tagList, ",")
	}
	if *targetList != "" {
		targets = strings.Split(*targetList, ",")
	}
	builds, bins, err := buildAll(ctx, tags)
	if err != nil {
		return err
	}
	kube, err := cluster.Binaries(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "epp-replay-")
	if err != nil {
		return err
	}
	if os.Getenv("E2E_REPLAY_KEEP") == "1" {
		fmt.Fprintf(os.Stderr, "epp replay: keeping %s (logs of every EPP and control plane)\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	helm, err := cluster.Helm(ctx)
	if err != nil {
		return err
	}
	env := &replay.Env{Repo: repo, CRDs: filepath.Join(repo, "imports", "crds"), Work: work, Kube: kube, EPPs: bins, Log: os.Stderr,
		Helm: helm, Charts: filepath.Join(repo, "imports", "charts"),
		Requests: 20, WeightedRequests: 200, Saturated: 10, Pods: 3}
	if os.Getenv("E2E_INPUT") != "" {
		// An outside input's alpha EPP may be of a release no fixture uses (upstream's quickstart at v0.4.0).
		env.Build = func(ctx context.Context, tag string) (string, error) {
			more, bin, err := buildAll(ctx, []string{tag})
			builds = append(builds, more...)
			return bin[tag], err
		}
	}
	planStart := time.Now()
	planned, err := plans(repo, work, targets, *only)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "epp replay: %d migrations planned in %.1f s (%d plans at once)\n", len(planned), time.Since(planStart).Seconds(), planWorkers())
	results := []replay.EPPResult{}
	for _, p := range planned {
		if *only != "" && !strings.Contains(p.Name, *only) {
			continue
		}
		if p.Refused != "" {
			results = append(results, replay.Refused(p)...)
			continue
		}
		t := time.Now()
		rs := env.Run(ctx, p)
		results = append(results, rs...)
		fmt.Fprintf(os.Stderr, "epp replay: %s in %.1f s\n", p.Name, time.Since(t).Seconds())
	}
	path := os.Getenv("E2E_RESULTS")
	if path == "" {
		path = filepath.Join(repo, "e2e-results.json")
	}
	if err := replay.WriteResults(path, results, builds); err != nil {
		return err
	}
	failures := replay.Failed(results)
	started, models := 0, 0
	for _, r := range results {
		if r.Started {
			started++
		}
		models += len(r.Models)
	}
	fmt.Fprintf(os.Stderr, "epp replay: %d EPPs started, %d model runs, %d failures, %.0f s (results in %s)\n", started, models, len(failures), time.Since(start).Seconds(), path)
	if len(failures) > 0 {
		return fmt.Errorf("%d failures:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	return nil
}

func buildAll(ctx context.Context, tags []string) ([]replay.Build, map[string]string, error) {
	builds := []replay.Build{}
	bins := map[string]string{}
	for _, tag := range tags {
		b, err := epp.Ensure(ctx, tag)
		if err != nil {
			return nil, nil, err
		}
		builds = append(builds, replay.Build{GIE: tag, Cached: b.Cached, Seconds: b.Took.Seconds()})
		bins[tag] = b.Path
		fmt.Fprintf(os.Stderr, "epp replay: EPP %s %s in %.1f s\n", tag, map[bool]string{true: "cached", false: "built"}[b.Cached], b.Took.Seconds())
	}
	return builds, bins, nil
}

// plans plans the built-in examples and every fixture with an InferencePool at each target; with E2E_INPUT, that
// input alone (as the real-cluster part runs only its migrations), so a user's folder is replayed in minutes.
func plans(repo, work string, targets []string, only string) ([]replay.Planned, error) {
	if extra := os.Getenv("E2E_INPUT"); extra != "" {
		abs, err := filepath.Abs(extra)
		if err != nil {
			return nil, err
		}
		return planInputs(repo, work, []string{abs}, targets, only)
	}
	out := []replay.Planned{}
	if only == "" || strings.Contains("example/", only) || strings.HasPrefix(only, "example") {
		examples, err := replay.PlanExamples(repo, filepath.Join(work, "plans", "examples"))
		if err != nil {
			return nil, err
		}
		out = append(out, examples...)
	}
	inputs, err := fixtureInputs(filepath.Join(repo, "test", "fixtures", "repos"))
	if err != nil {
		return nil, err
	}
	// Upstream's v0.5.1 quickstart holds one route per gateway (gke/, istio/) beside the app: each is one input.
	for _, variant := range []string{"gke", "istio"} {
		dir, err := overlay(work, filepath.Join(repo, "test", "fixtures", "repos", "quickstart-v0.5.1"), "app", variant)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, dir)
	}
	planned, err := planInputs(repo, work, inputs, targets, only)
	if err != nil {
		return nil, err
	}
	return append(out, planned...), nil
}

// planInputs plans each input folder at each target.
func planInputs(repo, work string, inputs, targets []string, only string) ([]replay.Planned, error) {
	out := []replay.Planned{}
	type job struct{ input, target string }
	jobs := []job{}
	for _, in := range inputs {
		for _, t := range targets {
			if only != "" && !strings.Contains(filepath.Base(in)+"@"+t, strings.SplitN(only, "/", 2)[0]) {
				continue
			}
			jobs = append(jobs, job{in, t})
		}
	}
	// Each plan is its own CLI process, mostly waiting on its start-up and file reads: run several at once (before
	// any EPP starts, so no replay shares the CPU with them), keeping the results in input and target order.
	results := make([][]replay.Planned, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, planWorkers())
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i], errs[i] = replay.PlanInput(repo, j.input, j.target, filepath.Join(work, "plans", filepath.Base(j.input)+"@"+j.target))
		}()
	}
	wg.Wait()
	for i := range jobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	return out, nil
}

// planWorkers is how many plans run at once: E2E_PLAN_PARALLEL, else twice the CPUs (at most 8).
func planWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("E2E_PLAN_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return min(2*runtime.NumCPU(), 8)
}

// fixtureInputs are the fixture folders whose files name an alpha InferencePool.
func fixtureInputs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		found := false
		_ = filepath.WalkDir(filepath.Join(dir, e.Name()), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || found {
				return nil
			}
			data, _ := os.ReadFile(path)
			found = strings.Contains(string(data), "inference.networking.x-k8s.io/v1alpha2") && strings.Contains(string(data), "kind: InferencePool")
			return nil
		})
		if found {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// overlay copies the given subfolders of a fixture into one input folder named <fixture>+<last>.
func overlay(work, fixture string, parts ...string) (string, error) {
	dir := filepath.Join(work, "inputs", filepath.Base(fixture)+"+"+parts[len(parts)-1])
	for _, part := range parts {
		files, err := filepath.Glob(filepath.Join(fixture, part, "*.yaml"))
		if err != nil {
			return "", err
		}
		if err := os.MkdirAll(filepath.Join(dir, part), 0o755); err != nil {
			return "", err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return "", err
			}
			if err := os.WriteFile(filepath.Join(dir, part, filepath.Base(f)), data, 0o644); err != nil {
				return "", err
			}
		}
	}
	return dir, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "bin", "inference-migrate")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no bin/inference-migrate above %s: run from the repository", dir)
		}
	}
}
