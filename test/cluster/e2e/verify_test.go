package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/flux"
)

// VerifyResult is the "verify" part of e2e-results.json: runs of `inference-migrate verify` against
// the real API server, and how many ended as the test expected.
type VerifyResult struct {
	Runs   int `json:"runs"`
	Passed int `json:"passed"`
}

type verifyOutput struct {
	Stage  string `json:"stage"`
	Checks []struct {
		Check, Outcome, Command, Detail string
	} `json:"checks"`
	Failed int `json:"failed"`
}

// TestVerify runs `inference-migrate verify` through the real kubectl against a real API server: a
// stage not yet applied, the active stage found by itself, and a route pointing at a missing pool.
func TestVerify(t *testing.T) {
	if os.Getenv("E2E_INPUT") != "" {
		t.Skip("E2E_INPUT runs the migrations of one folder only")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out := t.TempDir()
	if run, err := runCLI(ctx, nil, "example", "--out", out); err != nil || run.Code != 0 {
		t.Fatalf("example: %v %s", err, run.Stderr)
	}
	dir := filepath.Join(out, "vllm-llama3-8b-instruct")
	p, err := readPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	cp := acquireCluster(t, ctx)
	l, err := newLive(cp)
	if err != nil {
		t.Fatal(err)
	}
	kust, err := flux.NewKustomization(cp.RESTConfig(), "inference-migration", "flux-system")
	if err != nil {
		t.Fatal(err)
	}
	m := &migrationRun{t: t, cp: cp, live: l, kust: kust, plan: p, dir: dir}
	m.loadBefore(ctx, input{})
	result := VerifyResult{}
	verify := func(name string, wantExit int, args ...string) verifyOutput {
		t.Helper()
		result.Runs++
		env := []string{"PATH=" + filepath.Dir(cp.Binaries().Kubectl) + string(os.PathListSeparator) + os.Getenv("PATH")}
		run, err := runCLI(ctx, env, append([]string{"verify", dir, "--kubeconfig", cp.Kubeconfig(), "--output", "json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var got verifyOutput
		if run.Code != 2 && run.Stdout != "" {
			if err := json.Unmarshal([]byte(run.Stdout), &got); err != nil {
				t.Fatalf("%s: verify printed no JSON (%v): %s %s", name, err, run.Stdout, run.Stderr)
			}
		}
		if run.Code != wantExit {
			t.Errorf("%s: verify exited %d, want %d\n%s%s", name, run.Code, wantExit, run.Stdout, run.Stderr)
			return got
		}
		result.Passed++
		return got
	}

	t.Run("a stage not yet applied fails", func(t *testing.T) {
		got := verify("not applied", 1, "--stage", "02-shift-50")
		if !hasOutcome(got, "fail", "not found: the stage is not applied") {
			t.Errorf("no check says the stage is not applied: %+v", got.Checks)
		}
	})

	t.Run("the applied stage is found and passes", func(t *testing.T) {
		for _, step := range p.Stages[0].ManualSteps {
			if _, err := runManualStep(ctx, cp, step); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := kust.Reconcile(ctx, filepath.Join(dir, p.Stages[0].Folder)); err != nil {
			t.Fatal(err)
		}
		got := verify("applied", 0)
		if got.Stage != p.Stages[0].Folder {
			t.Errorf("active stage %q, want %q", got.Stage, p.Stages[0].Folder)
		}
		if !hasOutcome(got, "pass", "") || !hasOutcome(got, "not-run", "no gateway has written") {
			t.Errorf("checks: %+v", got.Checks)
		}
	})

	t.Run("a route pointing at a missing pool fails", func(t *testing.T) {
		if _, err := cp.Kubectl(ctx, "delete", "inferencepools.inference.networking.x-k8s.io", "--all", "-n", "default"); err != nil {
			t.Fatal(err)
		}
		got := verify("missing pool", 1, "--stage", p.Stages[0].Folder)
		if !hasOutcome(got, "fail", "points at a pool that does not exist") {
			t.Errorf("no check names the missing pool: %+v", got.Checks)
		}
	})
	if err := writeResult("verify", result); err != nil {
		t.Error(err)
	}
}

func hasOutcome(v verifyOutput, outcome, detail string) bool {
	for _, c := range v.Checks {
		if c.Outcome == outcome && strings.Contains(c.Detail, detail) {
			return true
		}
	}
	return false
}
