package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/flux"
)

// HelmParityResult is one entry of "helmParity" in e2e-results.json.
type HelmParityResult struct {
	GIE         string   `json:"gie"`
	Objects     int      `json:"objects"`
	Differences []string `json:"differences"`
	// Deliberate are the differences on the list of deliberate ones, with the reason.
	Deliberate []string `json:"deliberate"`
	// Unexplained are differences seen and listed in openDifferences, not yet reconciled with the
	// chart nor made deliberate: reported, not failing (issue 20 leaves them open).
	Unexplained []string `json:"unexplained"`
}

// openDifferences are per-release differences found by this test and not yet resolved (fix the library
// or give the reason): each is reported in the results, and one not listed here fails the test.
var openDifferences = []struct {
	release string
	kind    *regexp.Regexp
	path    *regexp.Regexp
}{
	{"v1.0.0", regexp.MustCompile(`^Deployment$`), regexp.MustCompile(`\.(args\[\d+\]|readinessProbe\..*|env\[\d+\]\..*)$`)},
	{"v1.0.0", regexp.MustCompile(`^(ClusterRole|ClusterRoleBinding|Role)$`), regexp.MustCompile(`.*`)},
	{"", regexp.MustCompile(`^Deployment$`), regexp.MustCompile(`\.args\[\d+\]$`)},
	{"", regexp.MustCompile(`^(ClusterRole|ClusterRoleBinding)$`), regexp.MustCompile(`^\(object\)$`)},
}

func unexplainedReason(release string, d difference) string {
	for _, o := range openDifferences {
		if (o.release == "" || o.release == release) && o.kind.MatchString(d.kind) && o.path.MatchString(d.path) {
			return "open: not yet reconciled with the chart"
		}
	}
	return ""
}

// deliberateDifference is a difference between the library's rendering and upstream's chart that is
// wanted, with the reason (docs/development.md, "Helm parity", lists them for users).
type deliberateDifference struct {
	kind, path *regexp.Regexp
	reason     string
}

func dd(kind, path, reason string) deliberateDifference {
	return deliberateDifference{kind: regexp.MustCompile(kind), path: regexp.MustCompile(path), reason: reason}
}

// deliberateDifferences: docs/development.md, "Helm parity", lists them for users.
var deliberateDifferences = []deliberateDifference{
	dd(`.*`, `^metadata\.annotations\.argocd\.argoproj\.io/sync-wave$`, "sync waves order a stage for Argo CD: pools and EPP 0, objectives 1, routes 2"),
	dd(`.*`, `^metadata\.labels\.app\.kubernetes\.io/(name|version)$`, "recommended labels on every object, with the GIE release as version (an unpackaged chart says 0.0.0)"),
	dd(`^Deployment$`, `^spec\.template\.spec\.(securityContext\.|volumes\[\d+\]\.)|^spec\.template\.spec\.containers\[\d+\]\.(securityContext\.|volumeMounts\[)`,
		"hardening: the restricted Pod Security Standard (non-root 65532, no privilege escalation, capabilities dropped, RuntimeDefault seccomp, read-only root with a /tmp emptyDir)"),
	dd(`^Service$`, `^spec\.ports\[\d+\]\.(targetPort|appProtocol)$`, "explicit defaults: targetPort written out (the API server would copy port), appProtocol http2 for the gRPC ext-proc port"),
	dd(`^InferencePool$`, `^spec\.endpointPickerRef\.(kind|group)$`, "explicit defaults: the CRD's defaults (kind Service, core group) written out"),
	dd(`^InferencePool$`, `^spec\.endpointPickerRef\.failureMode$`, "the GA pool keeps the alpha pool's failure mode (FailClose when the alpha pool had none), so a migration does not change what happens when the EPP is down"),
	dd(`^InferencePool$`, `^spec\.appProtocol$`, "explicit default: appProtocol http written out (v1.4 CRD)"),
	dd(`^Deployment$`, `^spec\.strategy\.type$`, "explicit Recreate strategy on every release (one EPP replica owns the pool; the chart sets it from v1.0.2)"),
}

// chartKinds are the kinds the inferencepool chart renders for a pool (with provider none, gke or istio).
var chartKinds = map[string]bool{
	"InferencePool": true, "Deployment": true, "Service": true, "ServiceAccount": true, "ConfigMap": true,
	"Role": true, "RoleBinding": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"HealthCheckPolicy": true, "GCPBackendPolicy": true, "DestinationRule": true, "Secret": true,
}

// TestHelmParity renders upstream's inferencepool chart at each target release with the values the
// library's props stand for, and compares it object by object with what the library writes for the
// same pool: identical but for the deliberate differences.
func TestHelmParity(t *testing.T) {
	if os.Getenv("E2E_INPUT") != "" {
		t.Skip("E2E_INPUT runs the migrations of one folder only")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var results []HelmParityResult
	for _, target := range []string{"v1.0.0", "v1.0.2", "v1.1.0", "v1.2.0", "v1.3.1", "v1.4.0"} {
		target := target
		t.Run(target, func(t *testing.T) {
			r := helmParity(t, ctx, target)
			results = append(results, r)
			for _, d := range r.Differences {
				t.Errorf("not a deliberate difference: %s", d)
			}
		})
	}
	if err := writeResult("helm-parity", results); err != nil {
		t.Error(err)
	}
}

func helmParity(t *testing.T, ctx context.Context, target string) HelmParityResult {
	out := t.TempDir()
	fixture := filepath.Join(suite.root, "test", "fixtures", "repos", "one-pool")
	run, err := runCLI(ctx, nil, "plan", "--from", fixture, "--out", out, "--target-gie", target)
	if err != nil || run.Code != 0 {
		t.Fatalf("plan --target-gie %s: %v %s", target, err, run.Stderr)
	}
	dirs, err := migrationDirs(out)
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no migration planned (%v)", err)
	}
	p, err := readPlan(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	objects, err := flux.Build(filepath.Join(dirs[0], p.Stages[0].Folder))
	if err != nil {
		t.Fatal(err)
	}
	library := map[string]*unstructured.Unstructured{}
	var pool *unstructured.Unstructured
	provider := "none"
	for _, o := range objects {
		if o.GroupVersionKind() == gaPoolGVK {
			pool = o
		}
	}
	if pool == nil {
		t.Fatalf("stage %s has no GA InferencePool", p.Stages[0].Folder)
	}
	for _, o := range objects {
		// The GA stack only: the stage also carries the alpha stack, which the chart does not render.
		if !chartKinds[o.GetKind()] || !strings.HasPrefix(o.GetName(), pool.GetName()) || (o.GetKind() == "InferencePool" && o.GroupVersionKind() != gaPoolGVK) {
			continue
		}
		library[o.GetKind()+" "+o.GetName()] = o
		switch o.GetKind() {
		case "HealthCheckPolicy":
			provider = "gke"
		case "DestinationRule":
			provider = "istio"
		}
	}
	chart := renderChart(t, ctx, target, pool, provider)
	res := HelmParityResult{GIE: target, Objects: len(chart), Differences: []string{}, Deliberate: []string{}, Unexplained: []string{}}
	for _, d := range compareRenderings(chart, library) {
		if reason := deliberateReason(d); reason != "" {
			res.Deliberate = append(res.Deliberate, d.String()+" ("+reason+")")
		} else if reason := unexplainedReason(target, d); reason != "" {
			res.Unexplained = append(res.Unexplained, d.String()+" ("+reason+")")
		} else {
			res.Differences = append(res.Differences, d.String())
		}
	}
	return res
}

// renderChart runs `helm template` of the chart at the release, in a temporary copy (a chart with a
// file:// dependency, v1.4.0's on epplib, gets `helm dependency build` there, offline).
func renderChart(t *testing.T, ctx context.Context, release string, pool *unstructured.Unstructured, provider string) map[string]*unstructured.Unstructured {
	work := t.TempDir()
	src := filepath.Join(suite.root, "imports", "charts", "gie-"+release)
	if err := os.CopyFS(work, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(work, "inferencepool")
	env := []string{"HELM_CACHE_HOME=" + filepath.Join(work, ".helm", "cache"), "HELM_CONFIG_HOME=" + filepath.Join(work, ".helm", "config"), "HELM_DATA_HOME=" + filepath.Join(work, ".helm", "data")}
	if _, err := os.Stat(filepath.Join(work, "epplib")); err == nil {
		if _, err := runTool(ctx, suite.binaries.Helm, env, "dependency", "build", chart); err != nil {
			t.Fatalf("helm dependency build: %v", err)
		}
	}
	args := []string{"template", pool.GetName(), chart, "-n", pool.GetNamespace(), "--set", "provider.name=" + provider}
	labels, _, _ := unstructured.NestedStringMap(pool.Object, "spec", "selector", "matchLabels")
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--set-string", fmt.Sprintf("inferencePool.modelServers.matchLabels.%s=%s", strings.ReplaceAll(k, ".", `\.`), labels[k]))
	}
	ports, _, _ := unstructured.NestedSlice(pool.Object, "spec", "targetPorts")
	for i, port := range ports {
		args = append(args, "--set", fmt.Sprintf("inferencePool.targetPorts[%d].number=%v", i, port.(map[string]any)["number"]))
	}
	rendered, err := runTool(ctx, suite.binaries.Helm, env, args...)
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	objects, err := controlplane.DecodeObjects([]byte(rendered))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*unstructured.Unstructured{}
	for _, o := range objects {
		if chartKinds[o.GetKind()] {
			out[o.GetKind()+" "+o.GetName()] = o
		}
	}
	return out
}

// difference is one field (or object) where the chart and the library differ.
type difference struct {
	object, path   string
	chart, library any
	onlyIn, kind   string
}

func (d difference) String() string {
	if d.onlyIn != "" {
		return fmt.Sprintf("%s: only in the %s", d.object, d.onlyIn)
	}
	return fmt.Sprintf("%s: %s: chart %s, library %s", d.object, d.path, short(d.chart), short(d.library))
}

func deliberateReason(d difference) string {
	for _, dd := range deliberateDifferences {
		if dd.kind.MatchString(d.kind) && dd.path.MatchString(d.path) {
			return dd.reason
		}
	}
	return ""
}

// compareRenderings compares every leaf field of the objects both render, and names the objects only
// one renders.
func compareRenderings(chart, library map[string]*unstructured.Unstructured) []difference {
	var diffs []difference
	keys := map[string]bool{}
	for k := range chart {
		keys[k] = true
	}
	for k := range library {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		c, l := chart[k], library[k]
		kind := strings.SplitN(k, " ", 2)[0]
		switch {
		case c == nil:
			diffs = append(diffs, difference{object: k, kind: kind, onlyIn: "library", path: "(object)"})
		case l == nil:
			diffs = append(diffs, difference{object: k, kind: kind, onlyIn: "chart", path: "(object)"})
		default:
			cl, ll := leaves("", plain(c.Object)), leaves("", plain(l.Object))
			paths := map[string]bool{}
			for p := range cl {
				paths[p] = true
			}
			for p := range ll {
				paths[p] = true
			}
			ps := make([]string, 0, len(paths))
			for p := range paths {
				ps = append(ps, p)
			}
			sort.Strings(ps)
			for _, p := range ps {
				if !reflect.DeepEqual(cl[p], ll[p]) {
					diffs = append(diffs, difference{object: k, kind: kind, path: p, chart: cl[p], library: ll[p]})
				}
			}
		}
	}
	return diffs
}

// leaves flattens an object into path -> scalar (lists by index).
func leaves(path string, v any) map[string]any {
	out := map[string]any{}
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			for lp, lv := range leaves(p, c) {
				out[lp] = lv
			}
		}
	case []any:
		for i, c := range x {
			for lp, lv := range leaves(fmt.Sprintf("%s[%d]", path, i), c) {
				out[lp] = lv
			}
		}
	default:
		out[path] = v
	}
	return out
}
