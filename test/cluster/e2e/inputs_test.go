package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
)

// input is one folder the CLI plans, or a built-in set of migrations.
type input struct {
	// Name names the test and the results entry.
	Name string
	// Dir is the folder of manifests as the user has them (the cluster before the migration).
	Dir string
	// Source names the input in the results when Dir is a copy made for the run (default: Dir).
	Source string
	// Plan writes the migrations into out and returns the refusal when the CLI refused.
	Plan func(ctx context.Context, out string) (refused string, err error)
	// CRDs are pinned CRD files (as named in the lock) of the kinds the input holds, installed first.
	CRDs []string
	// Before names files of objects the cluster holds before the migration beside Dir's (for the
	// built-in examples, whose input is the guide's cluster): given the migration's folder.
	Before func(migrationDir string) []string
	// MigrateAPIVersion turns on kustomize-controller's MigrateAPIVersion gate for the stages (see
	// flux.Kustomization): for migrations that change the apiVersion of objects in place.
	MigrateAPIVersion bool
}

// platformCRDs are installed in every cluster before the input: the kinds a gateway platform
// provides (Gateway API v1.3.0, GKE's policies, Istio 1.27's networking kinds), so that objects of
// those kinds apply against their real schemas. The GKE files are installed as released (see
// gkeReleaseCRD).
var platformCRDs = []string{
	"gateway-api-v1.3.0/gateway.networking.k8s.io_gatewayclasses.yaml",
	"gateway-api-v1.3.0/gateway.networking.k8s.io_gateways.yaml",
	"gateway-api-v1.3.0/gateway.networking.k8s.io_httproutes.yaml",
	"gateway-api-v1.3.0/gateway.networking.k8s.io_grpcroutes.yaml",
	"gateway-api-v1.3.0/gateway.networking.k8s.io_referencegrants.yaml",
	"gke-gateway-api-fc40d60/networking.gke.io_healthcheckpolicies.yaml",
	"gke-gateway-api-fc40d60/networking.gke.io_gcpbackendpolicies.yaml",
	"istio-api-1.27.9/customresourcedefinitions.gen.yaml",
}

// platformCRDFiles are the files of platformCRDs to install, the GKE ones as released.
func platformCRDFiles() ([]string, error) {
	files := make([]string, len(platformCRDs))
	for i, name := range platformCRDs {
		files[i] = crdFile(name)
		if strings.HasPrefix(name, "gke-gateway-api-fc40d60/") {
			var err error
			if files[i], err = gkeReleaseCRD(name); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

var gkeReleased sync.Map // pinned file name -> derived file

// gkeReleaseCRD is GKE's policy CRD as gke-gateway-api v1.4.0, its latest release, publishes it: the
// pinned file (commit fc40d60 on the main branch, the one the team's CRD mirror holds) without its
// x-kubernetes-validations. Every CEL rule of fc40d60 came after v1.4.0 (983ac3d "Cross-validate
// portSpecification vs port+portName", 5af7d92 "Cross-validate health check config vs type" and the
// GCPBackendPolicy rules), and with them removed the schema equals v1.4.0's
// (config/crd/networking.gke.io_healthcheckpolicies.yaml@v1.4.0, sha256 84ab87aa...; _gcpbackendpolicies
// 4386a156...) but for descriptions, as compared on 2026-12-07. The unreleased rules refuse what GKE
// serves: upstream GIE's own chart (config/charts/inferencepool/templates/gke.yaml, v0.5.1..v1.4.0)
// writes httpHealthCheck.port without portSpecification, which the first rule cannot even evaluate
// ("no such key: portSpecification") and the third refuses.
func gkeReleaseCRD(name string) (string, error) {
	if f, ok := gkeReleased.Load(name); ok {
		return f.(string), nil
	}
	objects, err := controlplane.ReadObjects(crdFile(name))
	if err != nil {
		return "", err
	}
	var docs [][]byte
	for _, o := range objects {
		stripped := withoutKey(o.Object, "x-kubernetes-validations")
		data, err := json.Marshal(stripped)
		if err != nil {
			return "", err
		}
		docs = append(docs, data)
	}
	file := filepath.Join(suite.work, "gke-gateway-api-v1.4.0-"+filepath.Base(name))
	if err := os.WriteFile(file, bytes.Join(docs, []byte("\n---\n")), 0o644); err != nil {
		return "", err
	}
	gkeReleased.Store(name, file)
	return file, nil
}

// withoutKey is a copy of v without every map entry of the key, at any depth.
func withoutKey(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, c := range x {
			if k != key {
				out[k] = withoutKey(c, key)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = withoutKey(c, key)
		}
		return out
	}
	return v
}

// planInput plans a folder with the CLI's default options, as `E2E_INPUT=<dir>` does.
func planInput(dir string) func(context.Context, string) (string, error) {
	return func(ctx context.Context, out string) (string, error) {
		run, err := runCLI(ctx, nil, "plan", "--from", dir, "--out", out)
		if err != nil {
			return "", err
		}
		if run.Code != 0 {
			return refusal(run), nil
		}
		return "", nil
	}
}

// refusal is the CLI's error lines (what it says to the user), without the progress lines.
func refusal(run cliRun) string {
	var lines []string
	for _, l := range strings.Split(run.Stderr, "\n") {
		if strings.HasPrefix(l, "error") || (len(lines) > 0 && strings.HasPrefix(l, "  ")) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return fmt.Sprintf("exit %d: %s", run.Code, strings.TrimSpace(run.Stderr))
	}
	return fmt.Sprintf("exit %d: %s", run.Code, strings.Join(lines, "\n"))
}

// migrationDirs are the folders under out that hold a plan.json, sorted.
func migrationDirs(out string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "plan.json" {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	sort.Strings(dirs)
	return dirs, err
}

var templateMarker = regexp.MustCompile(`\{\{`)

// clusterScoped are the cluster-scoped kinds inputs hold; kustomize's namespace does not apply to them.
var clusterScoped = map[string]bool{
	"ClusterRole": true, "ClusterRoleBinding": true, "Namespace": true, "CustomResourceDefinition": true, "GatewayClass": true,
}

// kustomization is the part of a kustomization.yaml that says how to read the files beside it.
type kustomization struct {
	Namespace             string   `json:"namespace"`
	PatchesStrategicMerge []string `json:"patchesStrategicMerge"`
	Patches               []struct {
		Path string `json:"path"`
	} `json:"patches"`
}

// readKustomizations reads every kustomization.yaml under dir: the namespace each sets for its
// folder (and the folders below), and the files that are patches (not objects of their own).
func readKustomizations(dir string) (map[string]string, map[string]bool) {
	namespaces, patches := map[string]string{}, map[string]bool{}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "kustomization.yaml" {
			return nil
		}
		data, err := os.ReadFile(path)
		var k kustomization
		if err != nil || sigsyaml.Unmarshal(data, &k) != nil {
			return nil
		}
		if k.Namespace != "" {
			namespaces[filepath.Dir(path)] = k.Namespace
		}
		for _, p := range k.PatchesStrategicMerge {
			patches[filepath.Join(filepath.Dir(path), p)] = true
		}
		for _, p := range k.Patches {
			if p.Path != "" {
				patches[filepath.Join(filepath.Dir(path), p.Path)] = true
			}
		}
		return nil
	})
	return namespaces, patches
}

// namespaceFor is the namespace the nearest kustomization.yaml (in the file's folder or above,
// within root) sets, or "".
func namespaceFor(file, root string, namespaces map[string]string) string {
	for dir := filepath.Dir(file); strings.HasPrefix(dir, root); dir = filepath.Dir(dir) {
		if ns, ok := namespaces[dir]; ok {
			return ns
		}
		if dir == root {
			break
		}
	}
	return ""
}

// inputObjects reads every Kubernetes object of the plain YAML files under dir (not kustomizations,
// their patches, Helm charts or values), as the user has them applied today; an object without a
// namespace takes the one its kustomization.yaml sets, as kustomize build would give it.
func inputObjects(dir string) ([]*unstructured.Unstructured, error) {
	var objects []*unstructured.Unstructured
	namespaces, patches := readKustomizations(dir)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if _, err := os.Stat(filepath.Join(path, "Chart.yaml")); err == nil {
				return filepath.SkipDir // a Helm chart: templates, not manifests
			}
			return nil
		}
		ext := filepath.Ext(path)
		if (ext != ".yaml" && ext != ".yml") || d.Name() == "kustomization.yaml" || strings.HasPrefix(d.Name(), "values") || patches[path] {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if templateMarker.Match(data) {
			return nil
		}
		docs, err := controlplane.DecodeObjects(data)
		if err != nil {
			return nil // not YAML a user could apply; the CLI reports it
		}
		for _, o := range docs {
			if o.GetAPIVersion() != "" && o.GetKind() != "" && o.GetName() != "" && !strings.HasPrefix(o.GetAPIVersion(), "kustomize.config.k8s.io") {
				if o.GetNamespace() == "" && !clusterScoped[o.GetKind()] {
					o.SetNamespace(namespaceFor(path, dir, namespaces))
				}
				objects = append(objects, o)
			}
		}
		return nil
	})
	return objects, err
}

// applyInput applies the input's objects with kubectl (server-side, field manager kubectl, as
// `kubectl apply --server-side` leaves them), namespaces first. Objects of a kind the cluster does
// not serve are returned as skipped: no schema is known for them.
func applyInput(ctx context.Context, cp *controlplane.ControlPlane, l *live, objects []*unstructured.Unstructured) ([]string, error) {
	var skipped []string
	var docs [][]byte
	namespaces := map[string]bool{}
	for _, o := range objects {
		if _, err := l.resource(o.GroupVersionKind(), o.GetNamespace()); err != nil {
			skipped = append(skipped, fmt.Sprintf("%s %s (%s: no CRD in this cluster)", o.GetKind(), o.GetName(), o.GetAPIVersion()))
			continue
		}
		if ns := o.GetNamespace(); ns != "" {
			namespaces[ns] = true
		}
		data, err := o.MarshalJSON()
		if err != nil {
			return nil, err
		}
		docs = append(docs, data)
	}
	for ns := range namespaces {
		if _, err := cp.Kubectl(ctx, "create", "namespace", ns); err != nil && !strings.Contains(err.Error(), "AlreadyExists") {
			return nil, err
		}
	}
	if len(docs) == 0 {
		return skipped, nil
	}
	file := filepath.Join(cp.Dir(), fmt.Sprintf("input-%d.yaml", len(docs)))
	if err := os.WriteFile(file, bytes.Join(docs, []byte("\n---\n")), 0o600); err != nil {
		return nil, err
	}
	if _, err := cp.Kubectl(ctx, "apply", "--server-side", "-f", file); err != nil {
		return nil, fmt.Errorf("the input does not apply as it is: %w", err)
	}
	return skipped, nil
}

// installCRDs installs pinned CRD files named as in the lock.
func installCRDs(t *testing.T, ctx context.Context, cp *controlplane.ControlPlane, names ...string) {
	t.Helper()
	files := make([]string, len(names))
	for i, n := range names {
		files[i] = crdFile(n)
	}
	if _, err := cp.InstallCRDs(ctx, files...); err != nil {
		t.Fatal(err)
	}
}
