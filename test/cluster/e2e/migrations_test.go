package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/flux"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// plan is the part of a migration's plan.json the cluster tests read.
type plan struct {
	Migration string      `json:"migration"`
	Kind      string      `json:"kind"`
	Namespace string      `json:"namespace"`
	Stages    []planStage `json:"stages"`
}

type planStage struct {
	Folder        string         `json:"folder"`
	Name          string         `json:"name"`
	ManualSteps   []manualStep   `json:"manualSteps"`
	Verifications []verification `json:"verifications"`
	Changes       struct {
		Deleted []planObject `json:"deleted"`
	} `json:"changes"`
}

// planObject is an object a stage's changes name.
type planObject struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

func readPlan(dir string) (plan, error) {
	var p plan
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(data, &p)
}

// knownProblems are inputs whose migration cannot be applied here, each with the reason; their
// errors are recorded in the results (knownProblem) and logged, and do not fail the test. Any other
// input that fails, fails the test.
var knownProblems = map[string]string{}

// TestMigrations plans every input and applies each migration stage by stage on a fresh cluster.
func TestMigrations(t *testing.T) {
	for _, in := range migrationInputs(t) {
		in := in
		t.Run(in.Name, func(t *testing.T) {
			if reason, known := knownProblems[in.Name]; known && os.Getenv("E2E_INPUT") == "" {
				recordMigration(t, MigrationResult{Name: in.Name, Input: in.source(), KnownProblem: reason, Stages: []StageResult{}})
				t.Skipf("known problem: %s", reason)
			}
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			t.Cleanup(cancel) // after the migrations' parallel subtests, which run once this function returns
			out, refused, err := planned(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if refused != "" {
				t.Logf("the plan refused %s: %s", in.Dir, refused)
				recordMigration(t, MigrationResult{Name: in.Name, Input: in.source(), Refused: refused, Stages: []StageResult{}})
				return
			}
			dirs, err := migrationDirs(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(dirs) == 0 {
				recordMigration(t, MigrationResult{Name: in.Name, Input: in.source(), Refused: "nothing to migrate: the plan exited 0 and wrote no migration", Stages: []StageResult{}})
				return
			}
			for _, dir := range dirs {
				dir := dir
				t.Run(filepath.Base(dir), func(t *testing.T) {
					t.Parallel()
					applyMigration(t, ctx, in, dir, dirs)
				})
			}
		})
	}
}

// source names the input in the results.
func (in input) source() string {
	if in.Source != "" {
		return in.Source
	}
	return rel(in.Dir)
}

func rel(path string) string {
	if r, err := filepath.Rel(suite.root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

func recordMigration(t *testing.T, r MigrationResult) {
	t.Helper()
	if err := writeResult(filepath.Join("migrations", fileName(r.Name)), r); err != nil {
		t.Error(err)
	}
}

// migrationRun is the state of one migration being applied.
type migrationRun struct {
	t      *testing.T
	cp     *controlplane.ControlPlane
	live   *live
	kust   *flux.Kustomization
	plan   plan
	dir    string
	result MigrationResult
	// aiGatewayGroup is the InferencePool group the cluster's Envoy AI Gateway release serves ("" when
	// none is installed).
	aiGatewayGroup string
	// siblings are the alpha objects the input's other migrations delete ("InferencePool ns/name"): a second
	// pool of the same namespace is theirs, not left over by this one.
	siblings map[string]bool
}

// siblingAlphaObjects are the alpha pools and models that the stages of the input's other migrations delete.
func siblingAlphaObjects(t *testing.T, dir string, all []string) map[string]bool {
	out := map[string]bool{}
	for _, other := range all {
		if other == dir {
			continue
		}
		p, err := readPlan(other)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.Stages {
			for _, o := range s.Changes.Deleted {
				if o.Kind == alphaPoolGVK.Kind || o.Kind == alphaModelGVK.Kind {
					out[fmt.Sprintf("%s %s/%s", o.Kind, o.Namespace, o.Name)] = true
				}
			}
		}
	}
	return out
}

// applyMigration applies one migration of an input, stage by stage, on a cluster holding the whole input;
// all are the input's migration folders (dir among them), whose other plans name what is theirs.
func applyMigration(t *testing.T, ctx context.Context, in input, dir string, all []string) {
	p, err := readPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	result := MigrationResult{Name: in.Name + "/" + p.Migration, Input: in.source(), Stages: []StageResult{}, Seconds: map[string]float64{}}
	started := time.Now()
	lap := func(part string) {
		result.Seconds[part] = time.Since(started).Round(10 * time.Millisecond).Seconds()
		started = time.Now()
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
	kust.MigrateAPIVersion = in.MigrateAPIVersion
	lap("cluster")
	m := &migrationRun{t: t, cp: cp, live: l, kust: kust, plan: p, dir: dir, result: result, siblings: siblingAlphaObjects(t, dir, all)}
	defer func() { recordMigration(t, m.result) }()
	m.loadBefore(ctx, in)
	lap("before")
	var previous []*unstructured.Unstructured
	for i, stage := range p.Stages {
		objects := m.applyStage(ctx, i, stage, previous)
		lap(stage.Folder)
		if t.Failed() {
			return
		}
		previous = objects
	}
	m.checkAlphaLeft(ctx)
}

// checkAlphaLeft checks what is alpha after the last stage: nothing of the migration's namespace but the
// input's other migrations' pools and models; alpha objects of other namespaces (other teams' pools, not
// this migration's) and those untouched, and then
// the alpha CRDs still there, since deleting a CRD deletes every object of its kind in the cluster
// (the cleanup README's "Only when this lists nothing" check must have stopped it); with no other
// alpha object left, no alpha CRD either.
func (m *migrationRun) checkAlphaLeft(ctx context.Context) {
	t := m.t
	if m.plan.Kind != "zero-downtime" && m.plan.Kind != "simple" {
		return
	}
	_, which, err := m.live.alphaLeft(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var own, others, crds []string
	for _, w := range which {
		switch {
		case strings.HasPrefix(w, "CustomResourceDefinition "):
			crds = append(crds, w)
		case strings.Contains(w, " "+m.plan.Namespace+"/") && !m.siblings[w]:
			own = append(own, w)
		default:
			others = append(others, w)
		}
	}
	m.result.AlphaLeft = len(own)
	m.result.OtherNamespacesKept = others
	if len(own) > 0 {
		t.Errorf("after the last stage, alpha objects of the migration are left: %s", strings.Join(own, ", "))
	}
	switch {
	case len(others) > 0 && len(crds) < len(alphaCRDs):
		t.Errorf("alpha CRDs were deleted while other namespaces held alpha objects (%s): a CRD deletion deletes them all", strings.Join(others, ", "))
	case len(others) == 0 && len(crds) > 0:
		m.result.AlphaLeft += len(crds)
		t.Errorf("after the last stage, alpha CRDs are left: %s", strings.Join(crds, ", "))
	}
}

// loadBefore makes the cluster as it is before the migration: platform CRDs, the alpha CRDs at the
// release the plan names, the input's own CRDs and objects, and a Helm-installed alpha stack when a
// stage says to `helm uninstall` it.
func (m *migrationRun) loadBefore(ctx context.Context, in input) {
	t := m.t
	// The platform CRDs are the cluster's baseline (acquireCluster).
	if m.plan.Kind != "zero-downtime" && m.plan.Kind != "simple" {
		m.loadInput(ctx, in)
		return
	}
	// The alpha CRDs as the guides install them: `kubectl apply -f .../releases/download/<v0.x>/manifests.yaml`,
	// a client-side apply, so a later server-side apply of the README meets the managers a cluster has.
	args := []string{"apply"}
	for _, f := range m.alphaCRDFiles(ctx) {
		args = append(args, "-f", f)
	}
	if _, err := m.cp.Kubectl(ctx, args...); err != nil {
		t.Fatal(err)
	}
	if _, err := m.cp.Kubectl(ctx, "wait", "--for=condition=Established", "--timeout=60s", "crd/"+alphaCRDs[0], "crd/"+alphaCRDs[1]); err != nil {
		t.Fatal(err)
	}
	for _, release := range helmReleases(m.plan) {
		m.installAlphaChart(ctx, release)
	}
	m.loadInput(ctx, in)
}

// loadInput installs the input's CRDs and applies its objects (and the Before files).
func (m *migrationRun) loadInput(ctx context.Context, in input) {
	t := m.t
	if len(in.CRDs) > 0 {
		installCRDs(t, ctx, m.cp, in.CRDs...)
	}
	var objects []*unstructured.Unstructured
	if in.Dir != "" {
		var err error
		if objects, err = inputObjects(in.Dir); err != nil {
			t.Fatal(err)
		}
	}
	if in.Before != nil {
		for _, f := range in.Before(m.dir) {
			more, err := controlplane.ReadObjects(f)
			if err != nil {
				t.Fatal(err)
			}
			objects = append(objects, more...)
		}
	}
	if reason := aiGatewayMissing(objects); reason != "" {
		m.result.NotRun = reason
		t.Skip(reason)
	}
	group, err := aiGatewayGroup(objects)
	if err != nil {
		t.Fatal(err)
	}
	if group != "" {
		installCRDs(t, ctx, m.cp, aiGatewayCRD(group))
		m.aiGatewayGroup = group
	}
	if m.result.InputSkipped, err = applyInput(ctx, m.cp, m.live, objects); err != nil {
		t.Fatal(err)
	}
}

var alphaRelease = regexp.MustCompile(`gateway-api-inference-extension/releases/download/(v0\.[0-9]+\.[0-9]+)/manifests\.yaml`)

// alphaCRDFiles are the alpha CRDs of the release the plan removes at cleanup (the release the user
// installed; the planner's default is v0.3.0): the pinned files, or for a release the lock does not pin
// (an outside input at v0.4.0) the release's own from its Go module, with their source in the results.
func (m *migrationRun) alphaCRDFiles(ctx context.Context) []string {
	release := alphaReleaseOf(m.plan)
	pinned := []string{}
	for _, name := range toolchain.AlphaCRDNames {
		f := crdFile("gie-" + release + "/" + name)
		if _, err := os.Stat(f); err == nil {
			pinned = append(pinned, f)
		}
	}
	if len(pinned) == len(toolchain.AlphaCRDNames) {
		return pinned
	}
	got, err := toolchain.AlphaReleaseCRDs(ctx, release)
	var files []string
	if err == nil {
		files, err = got.PoolAndModel()
	}
	if err != nil {
		m.t.Fatalf("the alpha CRDs of %s are neither pinned in imports/crds.lock.json \"cluster\" nor readable from the release's Go module: %v", release, err)
	}
	m.result.AlphaCRDs = got.Source
	return files
}

// alphaReleaseOf is the alpha release a stage's manual step deletes (`kubectl delete -f
// .../releases/download/<v0.x>/manifests.yaml`), v0.3.0 when none does.
func alphaReleaseOf(p plan) string {
	release := "v0.3.0"
	for _, s := range p.Stages {
		for _, step := range s.ManualSteps {
			for _, c := range step.Commands {
				if m := alphaRelease.FindStringSubmatch(c); m != nil {
					release = m[1]
				}
			}
		}
	}
	return release
}

var helmUninstall = regexp.MustCompile(`^helm uninstall (\S+) -n (\S+)$`)

// helmReleases are the alpha releases a stage tells the user to `helm uninstall`: "name namespace".
func helmReleases(p plan) [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	for _, s := range p.Stages {
		for _, step := range s.ManualSteps {
			for _, c := range step.Commands {
				if m := helmUninstall.FindStringSubmatch(strings.TrimSpace(c)); m != nil && !seen[m[1]+"/"+m[2]] {
					seen[m[1]+"/"+m[2]] = true
					out = append(out, [2]string{m[1], m[2]})
				}
			}
		}
	}
	return out
}

// installAlphaChart installs upstream's alpha inferencepool chart (GIE v0.5.1, the last alpha
// release) with the real helm, as the release the migration replaces: the pool selects the pods and
// port the GA pool of the first stage selects (the planner keeps the alpha pool's).
func (m *migrationRun) installAlphaChart(ctx context.Context, release [2]string) {
	t := m.t
	objects, err := flux.Build(filepath.Join(m.dir, m.plan.Stages[len(m.plan.Stages)-1].Folder))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"install", release[0], chartDir("v0.5.1", "inferencepool"), "-n", release[1], "--create-namespace"}
	// provider none even for the GKE guide's stack: the v0.5.1 chart's gke provider also renders a
	// ClusterPodMonitoring (monitoring.googleapis.com), whose CRD is not pinned here, and the migration
	// neither reads nor removes the alpha pool's GKE policies.
	for _, o := range objects {
		if o.GroupVersionKind() != gaPoolGVK {
			continue
		}
		labels, _, _ := unstructured.NestedStringMap(o.Object, "spec", "selector", "matchLabels")
		keys := make([]string, 0, len(labels))
		for k := range labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			args = append(args, "--set-string", fmt.Sprintf("inferencePool.modelServers.matchLabels.%s=%s", strings.ReplaceAll(k, ".", `\.`), labels[k]))
		}
		ports, _, _ := unstructured.NestedSlice(o.Object, "spec", "targetPorts")
		if len(ports) > 0 {
			args = append(args, "--set", fmt.Sprintf("inferencePool.targetPortNumber=%v", ports[0].(map[string]any)["number"]))
		}
		break
	}
	if _, err := m.cp.Helm(ctx, args...); err != nil {
		t.Fatalf("helm install of the alpha stack: %v", err)
	}
}

// applyStage runs one stage: the manual steps before the sync, the Flux reconciliation of the
// folder, the manual steps after it, then the assertions and the rollback.
func (m *migrationRun) applyStage(ctx context.Context, index int, stage planStage, previous []*unstructured.Unstructured) []*unstructured.Unstructured {
	t := m.t
	res := StageResult{Folder: stage.Folder, Errors: []string{}, ChecksNotRun: map[string]int{}}
	defer func() { m.result.Stages = append(m.result.Stages, res) }()
	fail := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		res.Errors = append(res.Errors, msg)
		t.Errorf("%s: %s", stage.Folder, msg)
	}
	before, err := m.live.uids(ctx, previous)
	if err != nil {
		t.Fatal(err)
	}
	m.runSteps(ctx, stage, true, &res, fail)
	built, err := flux.Build(filepath.Join(m.dir, stage.Folder))
	if err != nil {
		fail("flux build: %v", err)
		return nil
	}
	upgraded, err := m.upgradeAIGateway(ctx, stage, built)
	if err != nil {
		fail("%v", err)
		return nil
	}
	if upgraded != "" {
		res.ManualSteps = append(res.ManualSteps, upgraded)
	}
	result, err := m.kust.ReconcileObjects(ctx, built)
	if err != nil {
		fail("flux apply: %v", err)
		return nil
	}
	res.Applied, res.Pruned = len(result.Objects), len(result.Pruned)
	m.runSteps(ctx, stage, false, &res, fail)
	m.assertStage(ctx, stage, index, result, previous, before, fail)
	m.runChecks(ctx, stage, &res)
	// No rollback by re-applying the previous folder where the stage removed CRDs or a release, or
	// upgraded the gateway (the previous folder's routes need the previous release).
	if index > 0 && !deletesCRDs(stage) && upgraded == "" {
		m.rollback(ctx, index, stage, &res, fail)
	}
	return result.Objects
}

func (m *migrationRun) runSteps(ctx context.Context, stage planStage, beforeSync bool, res *StageResult, fail func(string, ...any)) {
	for _, step := range stage.ManualSteps {
		if (step.Timing == "before-sync") != beforeSync {
			continue
		}
		out, err := runManualStep(ctx, m.cp, step)
		res.ManualSteps = append(res.ManualSteps, out.Ran...)
		if out.Guarded != "" {
			res.ManualSteps = append(res.ManualSteps, "stopped by its guard: "+out.Guarded)
		}
		if err != nil {
			fail("manual step %q: %v", step.Text, err)
		}
	}
}

func deletesCRDs(stage planStage) bool {
	for _, step := range stage.ManualSteps {
		for _, c := range step.Commands {
			if strings.HasPrefix(c, "kubectl delete crd") || strings.HasPrefix(c, "kubectl delete -f") || strings.HasPrefix(c, "helm uninstall") {
				return true
			}
		}
	}
	return false
}

// assertStage checks what a promotion to this stage must leave: the folder's objects live as
// written (defaults aside); the stale objects of the previous stage pruned and nothing else deleted
// or recreated; every route pointing at a pool that exists (except the simple path's designed gap).
func (m *migrationRun) assertStage(ctx context.Context, stage planStage, index int, result flux.Result,
	previous []*unstructured.Unstructured, before map[string]types.UID, fail func(string, ...any)) {
	diffs, err := m.live.differences(ctx, result.Built)
	if err != nil {
		m.t.Fatal(err)
	}
	for _, d := range diffs {
		fail("live object differs from the folder: %s", d)
	}
	after, err := m.live.uids(ctx, result.Objects)
	if err != nil {
		m.t.Fatal(err)
	}
	for id, uid := range before {
		if now, kept := after[id]; kept && now != uid {
			fail("%s was deleted and created again between stages (uid %s -> %s)", id, uid, now)
		}
	}
	current := map[string]bool{}
	for _, o := range result.Objects {
		current[flux.ID(o)] = true
	}
	var wantPruned []string
	for _, o := range previous {
		if !current[flux.ID(o)] && o.GetLabels()[flux.Group+"/prune"] != "disabled" && o.GetAnnotations()[flux.Group+"/prune"] != "disabled" {
			wantPruned = append(wantPruned, flux.ID(o))
		}
	}
	sort.Strings(wantPruned)
	if strings.Join(wantPruned, ",") != strings.Join(result.Pruned, ",") {
		fail("pruned %v, want exactly the previous stage's objects this one lacks: %v", result.Pruned, wantPruned)
	}
	dangling, err := m.live.danglingRoutes(ctx)
	if err != nil {
		m.t.Fatal(err)
	}
	designedGap := m.plan.Kind == "simple" && index < len(m.plan.Stages)-1
	for _, d := range dangling {
		if designedGap {
			m.t.Logf("%s: %s (the simple path's designed downtime, stated in its README)", stage.Folder, d)
			continue
		}
		fail("%s", d)
	}
}

// rollback applies the previous folder again (the README's rollback), checks that it is restored,
// then applies this stage again.
func (m *migrationRun) rollback(ctx context.Context, index int, stage planStage, res *StageResult, fail func(string, ...any)) {
	prev := m.plan.Stages[index-1]
	back, err := m.kust.Reconcile(ctx, filepath.Join(m.dir, prev.Folder))
	if err == nil {
		var diffs []string
		if diffs, err = m.live.differences(ctx, back.Built); err == nil && len(diffs) > 0 {
			err = fmt.Errorf("%s not restored: %s", prev.Folder, strings.Join(diffs, "; "))
		}
	}
	if err == nil {
		var again flux.Result
		if again, err = m.kust.Reconcile(ctx, filepath.Join(m.dir, stage.Folder)); err == nil {
			var diffs []string
			if diffs, err = m.live.differences(ctx, again.Built); err == nil && len(diffs) > 0 {
				err = fmt.Errorf("%s not restored after the rollback: %s", stage.Folder, strings.Join(diffs, "; "))
			}
		}
	}
	if err != nil {
		res.RollbackError = err.Error()
		fail("rollback to %s: %v", prev.Folder, err)
		return
	}
	m.result.RollbackChecked = true
}
