package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
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
	GIE     string `json:"gie"`
	Objects int    `json:"objects"`
	// Differences are those not on the list of deliberate ones: each fails the test.
	Differences []string `json:"differences"`
	// Deliberate are the differences on the list of deliberate ones, with the reason.
	Deliberate []string `json:"deliberate"`
}

// deliberateDifference is a difference between the library's rendering and upstream's chart that is
// wanted, with the reason (docs/development.md, "Deliberate differences from upstream's chart", lists
// them for users). It matches the object's kind, the field's path and, when set, the chart's and the
// library's values (an empty pattern matches anything; "null" stands for an absent value); releases,
// when set, limits it to those GIE releases.
type deliberateDifference struct {
	kind, path, chart, library *regexp.Regexp
	releases                   []string
	reason                     string
}

func dd(kind, path, reason string) deliberateDifference {
	return deliberateDifference{kind: regexp.MustCompile(kind), path: regexp.MustCompile(path), reason: reason}
}

// valued limits a deliberate difference to the chart's and the library's values (JSON, e.g. `^null$`).
func (d deliberateDifference) valued(chart, library string) deliberateDifference {
	d.chart, d.library = regexp.MustCompile(chart), regexp.MustCompile(library)
	return d
}

// at limits a deliberate difference to some GIE releases.
func (d deliberateDifference) at(releases ...string) deliberateDifference {
	d.releases = releases
	return d
}

const (
	metricsAuthReason = "/metrics stays authenticated on every release, as the EPP defaults and as the stage READMEs scrape it (with a token): " +
		"the charts of v1.1.0 and v1.2.0 alone turn authentication off while Prometheus monitoring is off"
	reviewsRoleReason = "the EPP reviews its callers' tokens on /metrics (authentication is on by default on every release), which needs this ClusterRole: " +
		"the charts from v1.2.0 render it only with Prometheus monitoring on, and then an authenticated /metrics refuses every scrape; compared with the chart's monitoring-on rendering"
	metricsURLReason = "the EPP's own ServiceAccount is not allowed GET /metrics: the chart grants it so that Prometheus scrapes with the EPP's token (the Secret it renders with monitoring on); " +
		"the library leaves the scrape to the scraper's own identity, as the stage README shows"
	clusterNameReason = "v1.0.2's name <pool>-<namespace>-epp on v1.0.0 too: v1.0.0's <pool>-epp is cluster-scoped, so two namespaces with a pool of the same name would share one ClusterRole and overwrite one binding"
)

// deliberateDifferences: docs/development.md, "Deliberate differences from upstream's chart", lists them for users.
var deliberateDifferences = []deliberateDifference{
	dd(`.*`, `^metadata\.annotations\.argocd\.argoproj\.io/sync-wave$`, "sync waves order a stage for Argo CD: pools and EPP 0, objectives 1, routes 2"),
	dd(`.*`, `^metadata\.labels\.app\.kubernetes\.io/(name|version)$`, "recommended labels on every object, with the GIE release as version (an unpackaged chart says 0.0.0)"),
	dd(`^Deployment$`, `^spec\.template\.spec\.(securityContext\.|volumes\[\d+\]\.)|^spec\.template\.spec\.containers\[\d+\]\.(securityContext\.|volumeMounts\[)`,
		"hardening: the restricted Pod Security Standard (non-root 65532, no privilege escalation, capabilities dropped, RuntimeDefault seccomp, read-only root with a /tmp emptyDir)"),
	dd(`^Service$`, `^spec\.ports\[\d+\]\.(targetPort|appProtocol)$`, "explicit defaults: targetPort written out (the API server would copy port), appProtocol http2 for the gRPC ext-proc port"),
	dd(`^InferencePool$`, `^spec\.endpointPickerRef\.(kind|group)$`, "explicit defaults: the CRD's defaults (kind Service, core group) written out"),
	dd(`^InferencePool$`, `^spec\.endpointPickerRef\.failureMode$`, "the GA pool keeps the alpha pool's failure mode (FailClose when the alpha pool had none), so a migration does not change what happens when the EPP is down"),
	dd(`^InferencePool$`, `^spec\.appProtocol$`, "explicit default: appProtocol http written out (v1.4 CRD)"),
	dd(`^Deployment$`, `^spec\.strategy\.type$`, "explicit Recreate strategy on every release (one EPP replica owns the pool; the chart sets it from v1.0.2)").at("v1.0.0"),
	dd(`^Deployment$`, `^spec\.template\.spec\.containers\[0\]\.args\[\d+\]$`, metricsAuthReason).valued(`^"--metrics-endpoint-auth=false"$`, `^null$`).at("v1.1.0", "v1.2.0"),
	dd(`^ClusterRole$`, `^rules\[2\]\.(nonResourceURLs\[0\]|verbs\[0\])$`, metricsURLReason).valued(`^("/metrics"|"get")$`, `^null$`).at("v1.2.0", "v1.3.1", "v1.4.0"),
	dd(`^(ClusterRole|ClusterRoleBinding)$`, `^metadata\.name$|^roleRef\.name$`, clusterNameReason).at("v1.0.0"),
}

// clusterRBACReason says why the chart's cluster RBAC was rendered with monitoring on, when it was.
func clusterRBACReason(release string) string {
	if release >= "v1.2.0" {
		return reviewsRoleReason
	}
	return ""
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
	addClusterRBAC(t, ctx, target, pool, provider, chart, library)
	res := HelmParityResult{GIE: target, Objects: len(chart), Differences: []string{}, Deliberate: []string{}}
	for _, d := range compareRenderings(chart, library) {
		if reason := deliberateReason(target, d); reason != "" {
			res.Deliberate = append(res.Deliberate, d.String()+" ("+reason+")")
		} else {
			res.Differences = append(res.Differences, d.String())
		}
	}
	return res
}

// addClusterRBAC pairs the chart's ClusterRole and ClusterRoleBinding with the library's, which are
// named <pool>-<namespace>-epp on every release: v1.0.0's chart names them <pool>-epp (compared under
// the library's name, the name itself a deliberate difference); the charts from v1.2.0 render them only
// with Prometheus monitoring on, so they come from a second rendering with monitoring on.
func addClusterRBAC(t *testing.T, ctx context.Context, release string, pool *unstructured.Unstructured, provider string,
	chart, library map[string]*unstructured.Unstructured) {
	name := pool.GetName() + "-" + pool.GetNamespace() + "-epp"
	for _, kind := range []string{"ClusterRole", "ClusterRoleBinding"} {
		legacy := kind + " " + pool.GetName() + "-epp"
		if o, ok := chart[legacy]; ok && release == "v1.0.0" {
			delete(chart, legacy)
			chart[kind+" "+name] = o
		}
	}
	if _, ok := chart["ClusterRole "+name]; ok || clusterRBACReason(release) == "" {
		return
	}
	monitored := renderChart(t, ctx, release, pool, provider, "--set", "inferenceExtension.monitoring.prometheus.enabled=true")
	for _, kind := range []string{"ClusterRole", "ClusterRoleBinding"} {
		o, ok := monitored[kind+" "+name]
		if !ok {
			t.Fatalf("the chart of %s renders no %s %s even with Prometheus monitoring on", release, kind, name)
		}
		chart[kind+" "+name] = o
	}
}

// renderChart runs `helm template` of the chart at the release, in a temporary copy (a chart with a
// file:// dependency, v1.4.0's on epplib, gets `helm dependency build` there, offline).
func renderChart(t *testing.T, ctx context.Context, release string, pool *unstructured.Unstructured, provider string, extra ...string) map[string]*unstructured.Unstructured {
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
	rendered, err := runTool(ctx, suite.binaries.Helm, env, append(args, extra...)...)
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

func deliberateReason(release string, d difference) string {
	for _, dd := range deliberateDifferences {
		if len(dd.releases) > 0 && !slices.Contains(dd.releases, release) {
			continue
		}
		if !dd.kind.MatchString(d.kind) || !dd.path.MatchString(d.path) {
			continue
		}
		if dd.chart != nil && (!dd.chart.MatchString(jsonValue(d.chart)) || !dd.library.MatchString(jsonValue(d.library))) {
			continue
		}
		return dd.reason
	}
	return ""
}

func jsonValue(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
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
