// Package flux applies a folder of manifests the way Flux's kustomize-controller v1.8.5 does on each
// reconciliation of a Kustomization with `prune: true` (internal/controller/kustomization_controller.go
// at that tag: generate, build, apply, prune), with the same libraries at the versions it ships:
// github.com/fluxcd/pkg/kustomize v1.27.2 (generator.WriteFile, SecureBuild) and
// github.com/fluxcd/pkg/ssa v0.67.6 (normalize, SetOwnerLabels, ApplyAllStaged, DeleteAll). v1.8.5 ships
// ssa v0.67.5, which the Go module proxy does not serve; v0.67.6 differs from it only in the
// normalization of autoscaling/v2beta2 HorizontalPodAutoscalers, a kind no stage holds.
//
// A Kustomization keeps an inventory of what it applied; pointing it at another folder (a promotion)
// applies the new folder and deletes what the old inventory has and the new one lacks, unless the
// object is labelled or annotated kustomize.toolkit.fluxcd.io/prune: disabled. The controller's
// MigrateAPIVersion feature gate (opt-in from v1.8.4) is Kustomization.MigrateAPIVersion.
package flux

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling"
	"github.com/fluxcd/cli-utils/pkg/object"
	generator "github.com/fluxcd/pkg/kustomize"
	"github.com/fluxcd/pkg/ssa"
	"github.com/fluxcd/pkg/ssa/normalize"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// Group is kustomize-controller's API group, the prefix of its labels and annotations.
const Group = "kustomize.toolkit.fluxcd.io"

// ControllerName is the field manager kustomize-controller applies with.
const ControllerName = "kustomize-controller"

// Kustomization is one Flux Kustomization: its identity (the owner labels of what it applies) and
// the inventory of its last successful apply.
type Kustomization struct {
	Name, Namespace string
	// MigrateAPIVersion is kustomize-controller's feature gate of that name (--feature-gates=
	// MigrateAPIVersion=true, off by default): before each apply, every managed fields entry of the
	// live object is moved to the applied object's apiVersion, so that an object applied before at an
	// older version of its CRD (whose schema lacks a new field) can be applied at the new one.
	MigrateAPIVersion bool
	manager           *ssa.ResourceManager
	inventory         []*unstructured.Unstructured
}

// Result is what one reconciliation did.
type Result struct {
	// Applied are the objects of the folder ("Kind namespace/name"), with the action ssa took.
	Applied []string
	// Pruned are the objects of the previous inventory deleted because the folder lacks them.
	Pruned []string
	// Skipped are stale objects kept because they carry prune: disabled (or are not owned).
	Skipped []string
	// Objects are the built and normalized objects, as applied.
	Objects []*unstructured.Unstructured
	// Built are the objects as the folder holds them (before normalize and the owner labels): what the
	// live objects must hold.
	Built []*unstructured.Unstructured
}

// NewKustomization returns a Kustomization with an empty inventory that applies through cfg.
func NewKustomization(cfg *rest.Config, name, namespace string) (*Kustomization, error) {
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	mapper, err := apiutil.NewDynamicRESTMapper(cfg, httpClient)
	if err != nil {
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Mapper: mapper, HTTPClient: httpClient})
	if err != nil {
		return nil, err
	}
	poller := polling.NewStatusPoller(c, mapper, polling.Options{})
	manager := ssa.NewResourceManager(c, poller, ssa.Owner{Field: ControllerName, Group: Group})
	return &Kustomization{Name: name, Namespace: namespace, manager: manager}, nil
}

// Inventory returns the objects of the last successful apply, sorted.
func (k *Kustomization) Inventory() []string { return ids(k.inventory) }

// Build runs kustomize-controller's build of a folder: its generator completes or writes the
// kustomization.yaml (in a temporary copy, as the controller works on a copy of the artifact), then
// kustomize builds it with remote bases disallowed and the folder as the file-system root.
func Build(dir string) ([]*unstructured.Unstructured, error) {
	work, err := os.MkdirTemp("", "flux-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	root := filepath.Join(work, "source")
	if err := os.CopyFS(root, os.DirFS(dir)); err != nil {
		return nil, fmt.Errorf("flux: copy %s: %w", dir, err)
	}
	spec := unstructured.Unstructured{Object: map[string]any{
		"apiVersion": Group + "/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": "stage", "namespace": "flux-system"},
		"spec":     map[string]any{"path": "./", "prune": true},
	}}
	if _, err := generator.NewGenerator(root, spec).WriteFile(root); err != nil {
		return nil, fmt.Errorf("flux: generate kustomization for %s: %w", dir, err)
	}
	resources, err := generator.SecureBuild(root, root, false)
	if err != nil {
		return nil, fmt.Errorf("flux: kustomize build %s: %w", dir, err)
	}
	var objects []*unstructured.Unstructured
	for _, res := range resources.Resources() {
		if res.GetName() == "" || res.GetKind() == "" || res.GetApiVersion() == "" {
			return nil, fmt.Errorf("flux: %s: an object without apiVersion, kind or name: %s", dir, res.String())
		}
		// Through JSON, so numbers are int64 or float64 as unstructured objects need them.
		data, err := res.MarshalJSON()
		if err != nil {
			return nil, err
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(data); err != nil {
			return nil, err
		}
		objects = append(objects, u)
	}
	return objects, nil
}

// Reconcile builds dir and applies it as kustomize-controller does: normalize, set the owner labels,
// ApplyAllStaged (CRDs and namespaces first, then the rest), then prune the stale objects of the
// previous inventory. On an apply error the inventory is left as it was.
func (k *Kustomization) Reconcile(ctx context.Context, dir string) (Result, error) {
	objects, err := Build(dir)
	if err != nil {
		return Result{}, err
	}
	return k.ReconcileObjects(ctx, objects)
}

// ReconcileObjects applies already built objects (see Reconcile).
func (k *Kustomization) ReconcileObjects(ctx context.Context, objects []*unstructured.Unstructured) (Result, error) {
	built := make([]*unstructured.Unstructured, len(objects))
	for i, o := range objects {
		built[i] = o.DeepCopy()
	}
	if err := normalize.UnstructuredList(objects); err != nil {
		return Result{}, err
	}
	k.manager.SetOwnerLabels(objects, k.Name, k.Namespace)
	result := Result{Objects: objects, Built: built}
	if len(objects) > 0 {
		opts := applyOptions()
		opts.MigrateAPIVersion = k.MigrateAPIVersion
		changes, err := k.manager.ApplyAllStaged(ctx, objects, opts)
		if changes != nil {
			for _, e := range changes.Entries {
				result.Applied = append(result.Applied, fmt.Sprintf("%s %s", e.Subject, e.Action))
			}
		}
		if err != nil {
			return result, fmt.Errorf("flux: apply: %w", err)
		}
	}
	stale := staleObjects(k.inventory, objects)
	if len(stale) > 0 {
		changes, err := k.manager.DeleteAll(ctx, stale, deleteOptions(k.manager, k.Name, k.Namespace))
		if changes != nil {
			for _, e := range changes.Entries {
				if e.Action == ssa.DeletedAction {
					result.Pruned = append(result.Pruned, metadataID(e.ObjMetadata))
				} else {
					result.Skipped = append(result.Skipped, fmt.Sprintf("%s %s", e.Subject, e.Action))
				}
			}
		}
		if err != nil {
			return result, fmt.Errorf("flux: prune: %w", err)
		}
	}
	k.inventory = inventoryOf(objects)
	sort.Strings(result.Applied)
	sort.Strings(result.Pruned)
	return result, nil
}

// applyOptions are kustomize-controller's (apply, v1.8.5) with force off, as a Kustomization without
// spec.force has it.
func applyOptions() ssa.ApplyOptions {
	opts := ssa.DefaultApplyOptions()
	opts.Force = false
	opts.ExclusionSelector = map[string]string{Group + "/reconcile": "disabled", Group + "/ssa": "Ignore"}
	opts.IfNotPresentSelector = map[string]string{Group + "/ssa": "IfNotPresent"}
	opts.ForceSelector = map[string]string{Group + "/force": "enabled"}
	opts.WaitTimeout = 60 * time.Second
	opts.Cleanup = ssa.ApplyCleanupOptions{
		Annotations: []string{"kubectl.kubernetes.io/last-applied-configuration", Group + "/checksum", "fluxcd.io/sync-checksum"},
		Labels:      []string{"fluxcd.io/sync-gc-mark"},
		FieldManagers: []ssa.FieldManager{
			{Name: "kubectl", OperationType: metav1.ManagedFieldsOperationApply},
			{Name: "kubectl", OperationType: metav1.ManagedFieldsOperationUpdate},
			{Name: "before-first-apply", OperationType: metav1.ManagedFieldsOperationUpdate},
			{Name: ControllerName, OperationType: metav1.ManagedFieldsOperationUpdate},
		},
		Exclusions: map[string]string{Group + "/ssa": "Merge"},
	}
	return opts
}

// deleteOptions are kustomize-controller's (deleteObjects, v1.8.5): only objects that carry this
// Kustomization's owner labels, never those marked prune: disabled.
func deleteOptions(m *ssa.ResourceManager, name, namespace string) ssa.DeleteOptions {
	return ssa.DeleteOptions{
		PropagationPolicy: metav1.DeletePropagationBackground,
		Inclusions:        m.GetOwnerLabels(name, namespace),
		Exclusions: map[string]string{
			Group + "/prune":     "disabled",
			Group + "/reconcile": "disabled",
			Group + "/ssa":       "Ignore",
		},
	}
}

// staleObjects are the inventory entries (group, kind, namespace, name) the new objects lack, as
// kustomize-controller's inventory.Diff finds them.
func staleObjects(inventory, objects []*unstructured.Unstructured) []*unstructured.Unstructured {
	current := map[object.ObjMetadata]bool{}
	for _, o := range objects {
		current[object.UnstructuredToObjMetadata(o)] = true
	}
	var stale []*unstructured.Unstructured
	for _, o := range inventory {
		if !current[object.UnstructuredToObjMetadata(o)] {
			stale = append(stale, o)
		}
	}
	return stale
}

// inventoryOf keeps the identity of each applied object (apiVersion, kind, namespace, name).
func inventoryOf(objects []*unstructured.Unstructured) []*unstructured.Unstructured {
	inv := make([]*unstructured.Unstructured, 0, len(objects))
	for _, o := range objects {
		entry := &unstructured.Unstructured{}
		entry.SetAPIVersion(o.GetAPIVersion())
		entry.SetKind(o.GetKind())
		entry.SetNamespace(o.GetNamespace())
		entry.SetName(o.GetName())
		inv = append(inv, entry)
	}
	return inv
}

func ids(objects []*unstructured.Unstructured) []string {
	out := make([]string, 0, len(objects))
	for _, o := range objects {
		out = append(out, ID(o))
	}
	sort.Strings(out)
	return out
}

// ID names an object as "Kind namespace/name" (or "Kind name" when cluster-scoped).
func ID(o *unstructured.Unstructured) string {
	if o.GetNamespace() == "" {
		return o.GetKind() + " " + o.GetName()
	}
	return o.GetKind() + " " + o.GetNamespace() + "/" + o.GetName()
}

func metadataID(m object.ObjMetadata) string {
	if m.Namespace == "" {
		return m.GroupKind.Kind + " " + m.Name
	}
	return m.GroupKind.Kind + " " + m.Namespace + "/" + m.Name
}

// Manager exposes the ssa.ResourceManager (its client reads live objects).
func (k *Kustomization) Manager() *ssa.ResourceManager { return k.manager }
