package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/flux"
)

// corpusItem is one object sent to both the project's validator and the API server.
type corpusItem struct {
	ID      string         `json:"id"`
	Bundles []string       `json:"bundles"`
	Object  map[string]any `json:"object"`
	// Invalid marks a mutation made to be refused (what was broken is in ID).
	Invalid bool `json:"-"`
	// Validator's verdict: its problems.
	Problems []map[string]any `json:"-"`
	Defaults []map[string]any `json:"-"`
}

// Disagreement is one object on which the validator and the API server disagree.
type Disagreement struct {
	Object    string `json:"object"`
	APIServer string `json:"apiServer"`
	Validator string `json:"validator"`
	Reason    string `json:"reason"`
}

// DifferentialResult is the "differential" part of e2e-results.json.
type DifferentialResult struct {
	Objects        int            `json:"objects"`
	InvalidObjects int            `json:"invalidObjects"`
	Disagreements  []Disagreement `json:"disagreements"`
	Defaults       DefaultsResult `json:"defaults"`
	// Coverage counts the GIE CRDs' CEL rules broken and required fields removed by the invalid corpus.
	Coverage CorpusCoverage `json:"coverage"`
	// CELObjects counts the objects of the CEL fixture (test/fixtures/cel), each also checked against the verdict
	// its annotation records.
	CELObjects int `json:"celObjects"`
	// Seconds are the wall-clock seconds of each phase: plan (every input), validate (the project's
	// validator), apiServer (the dry runs, bundle sets in parallel).
	Seconds map[string]float64 `json:"seconds,omitempty"`
}

// DefaultsResult compares the defaults of CRD kinds: the fields the API server adds on a dry run
// against those the validator says it would add.
type DefaultsResult struct {
	Compared      int      `json:"compared"`
	ServerOnly    []string `json:"serverOnly"`
	ValidatorOnly []string `json:"validatorOnly"`
}

// knownDisagreements are the cases where the validator cannot agree with the API server, each with
// the reason; matched against "<object id> | <apiServer> | <validator>".
var knownDisagreements = []struct {
	pattern *regexp.Regexp
	reason  string
}{}

// TestDifferential sends every object the migrations write, and mutations of them made to be
// invalid, to the real API server as server-side-apply dry runs with strict field validation against
// the CRDs of its stage, and compares each verdict with the project's validator.
func TestDifferential(t *testing.T) {
	if os.Getenv("E2E_INPUT") != "" {
		t.Skip("E2E_INPUT runs the migrations of one folder only")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	seconds := map[string]float64{}
	started := time.Now()
	lap := func(phase string) {
		seconds[phase] = time.Since(started).Round(10 * time.Millisecond).Seconds()
		started = time.Now()
	}
	valid := validCorpus(t, ctx)
	lap("plan")
	invalid, covered := invalidCorpus(valid)
	cel := celCorpus(t)
	items := append(append(append([]*corpusItem{}, valid...), invalid...), cel...)
	validate(t, ctx, items)
	lap("validate")
	groups := map[string][]*corpusItem{}
	for _, it := range items {
		key := strings.Join(it.Bundles, ",")
		groups[key] = append(groups[key], it)
	}
	result := DifferentialResult{Objects: len(valid), InvalidObjects: len(invalid), CELObjects: len(cel), Disagreements: []Disagreement{}, Coverage: corpusCoverage(valid, covered)}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// One subtest per set of CRD bundles, in parallel, each on a cluster of the pool; merged in key order.
	parts := make([]DifferentialResult, len(keys))
	t.Run("bundles", func(t *testing.T) {
		for i, key := range keys {
			t.Run(key, func(t *testing.T) {
				t.Parallel()
				parts[i] = compareGroup(t, ctx, groups[key])
			})
		}
	})
	lap("apiServer")
	result.Seconds = seconds
	for _, part := range parts {
		result.Disagreements = append(result.Disagreements, part.Disagreements...)
		result.Defaults.Compared += part.Defaults.Compared
		result.Defaults.ServerOnly = append(result.Defaults.ServerOnly, part.Defaults.ServerOnly...)
		result.Defaults.ValidatorOnly = append(result.Defaults.ValidatorOnly, part.Defaults.ValidatorOnly...)
	}
	sort.Strings(result.Defaults.ServerOnly)
	sort.Strings(result.Defaults.ValidatorOnly)
	if err := writeResult("differential", result); err != nil {
		t.Error(err)
	}
	for _, d := range result.Disagreements {
		if d.Reason == "" {
			t.Errorf("%s: the API server says %q, the validator %q", d.Object, d.APIServer, d.Validator)
		}
	}
	t.Logf("%d valid and %d invalid objects compared; %d disagreements", len(valid), len(invalid), len(result.Disagreements))
}

// validCorpus plans every input (as TestMigrations does, plus the examples at every target GIE
// release) and takes each distinct object of each stage folder, with the CRD bundles of its migration.
func validCorpus(t *testing.T, ctx context.Context) []*corpusItem {
	var items []*corpusItem
	seen := map[string]bool{}
	add := func(source string, bundles []string, objects []*unstructured.Unstructured) {
		for _, o := range objects {
			data, _ := json.Marshal(o.Object)
			key := strings.Join(bundles, ",") + string(data)
			if seen[key] {
				continue
			}
			seen[key] = true
			items = append(items, &corpusItem{ID: source + ": " + flux.ID(o), Bundles: bundles, Object: o.Object})
		}
	}
	inputs := migrationInputs(t)
	for _, target := range []string{"v1.0.0", "v1.0.2", "v1.1.0", "v1.2.0", "v1.3.1", "v1.4.0"} {
		for _, fixture := range []string{"one-pool", "criticalities", "shared-pool", "header-matches"} {
			target := target
			dir := filepath.Join(suite.root, "test", "fixtures", "repos", fixture)
			inputs = append(inputs, input{Name: fixture + " --target-gie " + target, Dir: dir,
				Plan: func(ctx context.Context, out string) (string, error) {
					run, err := runCLI(ctx, nil, "plan", "--from", dir, "--out", out, "--target-gie", target, "--steps", "10,50")
					if err != nil || run.Code != 0 {
						return refusal(run), err
					}
					return "", nil
				}})
		}
	}
	outs := make([]string, len(inputs))
	refusals := make([]string, len(inputs))
	errs := make([]error, len(inputs))
	inParallel(len(inputs), planWorkers, func(i int) { outs[i], refusals[i], errs[i] = planned(ctx, inputs[i]) })
	for i, in := range inputs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if refusals[i] != "" {
			continue
		}
		dirs, err := migrationDirs(outs[i])
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs {
			p, err := readPlan(dir)
			if err != nil {
				t.Fatal(err)
			}
			bundles := bundlesOf(t, dir, p)
			for _, s := range p.Stages {
				objects, err := flux.Build(filepath.Join(dir, s.Folder))
				if err != nil {
					t.Fatal(err)
				}
				add(in.Name+"/"+p.Migration+"/"+s.Folder, bundles, objects)
			}
		}
	}
	return items
}

var gieRelease = regexp.MustCompile(`gateway-api-inference-extension/(?:raw|releases/download)/(v1\.[0-9]+\.[0-9]+)/`)

// bundlesOf are the CRD bundles the writer validated a migration with: for an inference migration
// the default bundles with GIE v1.0.2 replaced by its target release (src/discover/source-validation.ts,
// bundlesFor); for KServe Gateway API v1.2.1 and KServe v0.15.1 (src/kserve).
func bundlesOf(t *testing.T, dir string, p plan) []string {
	switch p.Kind {
	case "kserve":
		return []string{"gateway-api-v1.2.1", "kserve-v0.15.1"}
	case "convert":
		return defaultBundles("v1.0.2")
	}
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	target := "v1.0.2"
	if m := gieRelease.FindSubmatch(data); m != nil {
		target = string(m[1])
	}
	return defaultBundles(target)
}

func defaultBundles(gie string) []string {
	return []string{"gie-" + gie, "gie-v0.3.0", "gateway-api-v1.3.0", "kserve-v0.15.1", "llamastack-operator-pr253"}
}

// validate runs the project's validator (scripts/e2e-validate.js over lib/) on every item.
func validate(t *testing.T, ctx context.Context, items []*corpusItem) {
	payload, err := json.Marshal(map[string]any{"items": items})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "node", filepath.Join(suite.root, "scripts", "e2e-validate.js"))
	cmd.Stdin = bytes.NewReader(payload)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/e2e-validate.js: %v\n%s", err, stderr.String())
	}
	var verdicts []struct {
		Problems []map[string]any `json:"problems"`
		Defaults []map[string]any `json:"defaults"`
	}
	if err := json.Unmarshal(out, &verdicts); err != nil || len(verdicts) != len(items) {
		t.Fatalf("scripts/e2e-validate.js returned %d verdicts for %d objects (%v)", len(verdicts), len(items), err)
	}
	for i, v := range verdicts {
		items[i].Problems, items[i].Defaults = v.Problems, v.Defaults
	}
}

// crdFilesOf are the pinned CRD files of the bundles that define a kind some item has (the others
// would cost the API server an OpenAPI rebuild each and serve nothing the items use). The platform
// kinds (Gateway API, GKE, Istio) are in every cluster of the pool; a bundle's own copy replaces them
// where it has one (KServe's Gateway API v1.2.1).
func crdFilesOf(t *testing.T, bundles []string, items []*corpusItem) []string {
	lock, err := readLock()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, b := range bundles {
		want[b] = true
	}
	files := []string{}
	for _, b := range bundles {
		if f, ok := strings.CutPrefix(b, fixtureBundle); ok {
			files = append(files, filepath.Join(suite.root, filepath.FromSlash(f)))
		}
	}
	kinds := map[string]bool{}
	for _, it := range items {
		u := unstructured.Unstructured{Object: it.Object}
		kinds[u.GroupVersionKind().GroupKind().String()] = true
	}
	for _, e := range append(append([]lockEntry{}, lock.CRDs...), lock.Cluster...) {
		if !want[e.Bundle] {
			continue
		}
		defined, err := crdKinds(crdFile(e.File))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range defined {
			if kinds[k] {
				files = append(files, crdFile(e.File))
				break
			}
		}
	}
	return files
}

// crdKinds are the kinds ("Kind.group") the CRDs of a file define.
func crdKinds(file string) ([]string, error) {
	objects, err := controlplane.ReadObjects(file)
	if err != nil {
		return nil, err
	}
	var kinds []string
	for _, o := range objects {
		group, _, _ := unstructured.NestedString(o.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(o.Object, "spec", "names", "kind")
		kinds = append(kinds, kind+"."+group)
	}
	return kinds, nil
}

// compareGroup takes a cluster, installs the group's CRDs and dry-runs each object of the group (a
// few at once: the API server answers them concurrently), then compares each verdict with the
// validator's, in order.
func compareGroup(t *testing.T, ctx context.Context, items []*corpusItem) DifferentialResult {
	result := DifferentialResult{Disagreements: []Disagreement{}}
	cp := acquireCluster(t, ctx)
	if _, err := cp.InstallCRDs(ctx, crdFilesOf(t, items[0].Bundles, items)...); err != nil {
		t.Fatal(err)
	}
	l, err := newLive(cp)
	if err != nil {
		t.Fatal(err)
	}
	createNamespaces(t, ctx, cp, items)
	verdicts := make([]string, len(items))
	stored := make([]*unstructured.Unstructured, len(items))
	inParallel(len(items), dryRunWorkers, func(i int) { verdicts[i], stored[i] = dryRunApply(ctx, l, items[i].Object) })
	for i, it := range items {
		verdict, dryRun := verdicts[i], stored[i]
		validatorSays := validatorVerdict(it)
		if !it.Invalid && dryRun != nil && len(it.Problems) == 0 {
			compareDefaults(it, dryRun, &result.Defaults)
		}
		if want, ok := recordedVerdict(it); ok && !verdictMatches(verdict, want) {
			t.Errorf("%s: the API server says %q, the fixture records %q", it.ID, verdict, want)
		}
		if (verdict == "accepted") == (validatorSays == "accepted") {
			continue
		}
		d := Disagreement{Object: it.ID, APIServer: verdict, Validator: validatorSays}
		for _, k := range knownDisagreements {
			if k.pattern.MatchString(d.Object + " | " + d.APIServer + " | " + d.Validator) {
				d.Reason = k.reason
				break
			}
		}
		result.Disagreements = append(result.Disagreements, d)
	}
	return result
}

// dryRunWorkers is how many dry runs are in flight at once against one API server.
const dryRunWorkers = 8

func createNamespaces(t *testing.T, ctx context.Context, cp *controlplane.ControlPlane, items []*corpusItem) {
	seen := map[string]bool{"default": true}
	for _, it := range items {
		u := unstructured.Unstructured{Object: it.Object}
		if ns := u.GetNamespace(); ns != "" && !seen[ns] && len(ns) < 64 && !strings.ContainsAny(ns, " /") {
			seen[ns] = true
			if _, err := cp.Kubectl(ctx, "create", "namespace", ns); err != nil && !strings.Contains(err.Error(), "AlreadyExists") {
				t.Logf("namespace %s: %v", ns, err)
			}
		}
	}
}

// dryRunApply server-side applies the object with dryRun=All and strict field validation; it returns
// "accepted" or "refused: <message>", and the object the API server would store.
func dryRunApply(ctx context.Context, l *live, obj map[string]any) (string, *unstructured.Unstructured) {
	u := &unstructured.Unstructured{Object: obj}
	r, err := l.resource(u.GroupVersionKind(), u.GetNamespace())
	if err != nil {
		return "refused: " + err.Error(), nil
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return "refused: " + err.Error(), nil
	}
	force := true
	got, err := r.Patch(ctx, u.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{
		DryRun: []string{metav1.DryRunAll}, Force: &force, FieldManager: controlplane.FieldManager, FieldValidation: "Strict",
	})
	if err != nil {
		if status, ok := err.(apierrors.APIStatus); ok {
			return "refused: " + status.Status().Message, nil
		}
		return "refused: " + err.Error(), nil
	}
	return "accepted", got
}

func validatorVerdict(it *corpusItem) string {
	if len(it.Problems) == 0 {
		return "accepted"
	}
	var msgs []string
	for _, p := range it.Problems {
		msgs = append(msgs, fmt.Sprintf("%v: %v [%v]", p["field"], p["message"], p["source"]))
	}
	return "refused: " + strings.Join(msgs, "; ")
}

// compareDefaults compares, for a CRD kind, the leaf fields the API server added with the
// defaults the validator reports.
func compareDefaults(it *corpusItem, stored *unstructured.Unstructured, out *DefaultsResult) {
	if !strings.Contains(stored.GetAPIVersion(), ".") || strings.HasSuffix(stored.GroupVersionKind().Group, "k8s.io") && !strings.Contains(stored.GroupVersionKind().Group, "networking") {
		return
	}
	added := map[string]bool{}
	collectAdded("", plain(it.Object), plain(stored.Object), added)
	claimed := map[string]bool{}
	for _, d := range it.Defaults {
		claimed[fmt.Sprint(d["field"])] = true
	}
	out.Compared++
	for f := range added {
		if !claimed[f] && !coveredBy(f, claimed) {
			out.ServerOnly = append(out.ServerOnly, it.ID+": "+f)
		}
	}
	for f := range claimed {
		if !added[f] && !coveredBy(f, added) {
			out.ValidatorOnly = append(out.ValidatorOnly, it.ID+": "+f)
		}
	}
}

// coveredBy says whether a field lies inside (or contains) one of the others.
func coveredBy(field string, others map[string]bool) bool {
	for o := range others {
		if strings.HasPrefix(field, o+".") || strings.HasPrefix(field, o+"[") || strings.HasPrefix(o, field+".") || strings.HasPrefix(o, field+"[") {
			return true
		}
	}
	return false
}

// collectAdded records the paths present in got and absent from want (status and metadata aside).
func collectAdded(path string, want, got any, added map[string]bool) {
	switch g := got.(type) {
	case map[string]any:
		w, _ := want.(map[string]any)
		for k, v := range g {
			if path == "" && (k == "status" || k == "metadata") {
				continue
			}
			p := k
			if path != "" {
				p = path + "." + k
			}
			wv, present := w[k]
			if !present {
				added[p] = true
				continue
			}
			collectAdded(p, wv, v, added)
		}
	case []any:
		w, _ := want.([]any)
		for i := range g {
			if i < len(w) {
				collectAdded(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], added)
			}
		}
	}
}

// fixtureBundle starts a bundle name that is a CRD file of the repository (scripts/e2e-validate.js reads it with
// extraCrdPaths), not a bundle of the lock.
const fixtureBundle = "file:"

// celFixture is the CRD and the objects of the CEL differential: rules on every kind of value the project's CEL
// evaluator gives to `self` (src/validation/cel.ts), each object with the API server's verdict in an annotation.
const celFixture, celVerdict = "test/fixtures/cel", "cel.example.com/verdict"

// celCorpus is the objects of the CEL fixture, with its CRD file as their bundle.
func celCorpus(t *testing.T) []*corpusItem {
	objects, err := controlplane.ReadObjects(filepath.Join(suite.root, filepath.FromSlash(celFixture), "widgets.objects.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	items := []*corpusItem{}
	for _, o := range objects {
		items = append(items, &corpusItem{ID: "cel fixture: " + flux.ID(o), Bundles: []string{fixtureBundle + celFixture + "/widgets.crd.yaml"}, Object: o.Object})
	}
	return items
}

// recordedVerdict is the verdict an object's annotation records ("accepted" or "<field>: <message>"), if any.
func recordedVerdict(it *corpusItem) (string, bool) {
	u := unstructured.Unstructured{Object: it.Object}
	v, ok := u.GetAnnotations()[celVerdict]
	return v, ok
}

// verdictMatches compares the API server's verdict with a recorded one: the same acceptance, and for a refusal the
// recorded field first and the recorded message at the end of the API server's ("spec.port: Invalid value: 0: <msg>").
func verdictMatches(verdict, want string) bool {
	if want == "accepted" || verdict == "accepted" {
		return verdict == want
	}
	field, message, _ := strings.Cut(want, ": ")
	return strings.Contains(verdict, field+": ") && strings.HasSuffix(verdict, ": "+message)
}
