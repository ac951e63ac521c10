package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/flux"
)

// live reads objects from the cluster by their apiVersion and kind.
type live struct {
	client dynamic.Interface
	mapper meta.ResettableRESTMapper
}

func newLive(cp *controlplane.ControlPlane) (*live, error) {
	cfg := cp.RESTConfig()
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &live{client: client, mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))}, nil
}

// resource resolves a GroupVersionKind, re-reading discovery once when the kind is new (a CRD just
// installed).
func (l *live) resource(gvk schema.GroupVersionKind, namespace string) (dynamic.ResourceInterface, error) {
	mapping, err := l.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		l.mapper.Reset()
		if mapping, err = l.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			return nil, err
		}
	}
	if mapping.Scope.Name() == meta.RESTScopeNameRoot {
		return l.client.Resource(mapping.Resource), nil
	}
	return l.client.Resource(mapping.Resource).Namespace(namespace), nil
}

// get returns the live object, or nil when it does not exist (or its kind is not served).
func (l *live) get(ctx context.Context, o *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	r, err := l.resource(o.GroupVersionKind(), o.GetNamespace())
	if err != nil {
		if meta.IsNoMatchError(err) {
			return nil, nil
		}
		return nil, err
	}
	got, err := r.Get(ctx, o.GetName(), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	return got, err
}

// list returns every object of a kind in all namespaces; none when the kind is not served.
func (l *live) list(ctx context.Context, gvk schema.GroupVersionKind) ([]unstructured.Unstructured, error) {
	r, err := l.resource(gvk, "")
	if err != nil {
		if meta.IsNoMatchError(err) {
			return nil, nil
		}
		return nil, err
	}
	if nr, ok := r.(dynamic.NamespaceableResourceInterface); ok {
		r = nr
	}
	list, err := r.List(ctx, metav1.ListOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return list.Items, nil
}

// uids maps each object's ID to its live UID ("" when absent).
func (l *live) uids(ctx context.Context, objects []*unstructured.Unstructured) (map[string]types.UID, error) {
	out := map[string]types.UID{}
	for _, o := range objects {
		got, err := l.get(ctx, o)
		if err != nil {
			return nil, err
		}
		if got != nil {
			out[flux.ID(o)] = got.GetUID()
		}
	}
	return out, nil
}

// differences lists where the live objects do not hold the desired fields: every field of the
// desired object must be in the live one with the same value (the API server may add defaults, never
// change or drop what was applied). Missing objects are differences too.
func (l *live) differences(ctx context.Context, desired []*unstructured.Unstructured) ([]string, error) {
	var diffs []string
	for _, want := range desired {
		got, err := l.get(ctx, want)
		if err != nil {
			return nil, err
		}
		if got == nil {
			diffs = append(diffs, flux.ID(want)+": missing")
			continue
		}
		for _, d := range subsetDiff("", plain(want.Object), plain(got.Object)) {
			diffs = append(diffs, flux.ID(want)+": "+d)
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}

// plain round-trips a value through JSON, so numbers compare as numbers whatever their Go type.
func plain(v any) any {
	data, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

func subsetDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case nil:
		return nil // a null the client sent (normalize's creationTimestamp: null) sets nothing
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, live has %s", orRoot(path), short(got))}
		}
		var diffs []string
		for k, v := range w {
			if path == "" && k == "status" {
				continue
			}
			gv, present := g[k]
			if !present {
				if isEmpty(v) {
					continue // an empty value the API server drops (omitempty) is no difference
				}
				diffs = append(diffs, fmt.Sprintf("%s.%s: missing (want %s)", path, k, short(v)))
				continue
			}
			diffs = append(diffs, subsetDiff(path+"."+k, v, gv)...)
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %s, live has %s", path, short(want), short(got))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, subsetDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return diffs
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: want %s, live has %s", path, short(want), short(got))}
		}
		return nil
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func orRoot(path string) string {
	if path == "" {
		return "(object)"
	}
	return path
}

func short(v any) string {
	data, _ := json.Marshal(v)
	s := string(data)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return strings.TrimSpace(s)
}

var (
	httpRouteGVK  = schema.GroupVersionKind{Group: "gateway.networking.k8s.io", Version: "v1", Kind: "HTTPRoute"}
	alphaPoolGVK  = schema.GroupVersionKind{Group: "inference.networking.x-k8s.io", Version: "v1alpha2", Kind: "InferencePool"}
	alphaModelGVK = schema.GroupVersionKind{Group: "inference.networking.x-k8s.io", Version: "v1alpha2", Kind: "InferenceModel"}
	gaPoolGVK     = schema.GroupVersionKind{Group: "inference.networking.k8s.io", Version: "v1", Kind: "InferencePool"}
	alphaCRDs     = []string{"inferencepools.inference.networking.x-k8s.io", "inferencemodels.inference.networking.x-k8s.io"}
)

// danglingRoutes lists every HTTPRoute backendRef to an InferencePool that does not exist now.
func (l *live) danglingRoutes(ctx context.Context) ([]string, error) {
	routes, err := l.list(ctx, httpRouteGVK)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, route := range routes {
		rules, _, _ := unstructured.NestedSlice(route.Object, "spec", "rules")
		for _, rule := range rules {
			refs, _, _ := unstructured.NestedSlice(rule.(map[string]any), "backendRefs")
			for _, ref := range refs {
				m := ref.(map[string]any)
				if m["kind"] != "InferencePool" {
					continue
				}
				gvk := gaPoolGVK
				if m["group"] == alphaPoolGVK.Group {
					gvk = alphaPoolGVK
				}
				ns := route.GetNamespace()
				if s, ok := m["namespace"].(string); ok && s != "" {
					ns = s
				}
				pool := &unstructured.Unstructured{}
				pool.SetGroupVersionKind(gvk)
				pool.SetNamespace(ns)
				pool.SetName(fmt.Sprint(m["name"]))
				got, err := l.get(ctx, pool)
				if err != nil {
					return nil, err
				}
				if got == nil {
					out = append(out, fmt.Sprintf("HTTPRoute %s/%s -> %s InferencePool %s/%s, which does not exist", route.GetNamespace(), route.GetName(), gvk.Group, ns, pool.GetName()))
				}
			}
		}
	}
	return out, nil
}

// alphaLeft counts alpha InferencePools and InferenceModels in every namespace, and alpha CRDs.
func (l *live) alphaLeft(ctx context.Context) (int, []string, error) {
	var left []string
	for _, gvk := range []schema.GroupVersionKind{alphaPoolGVK, alphaModelGVK} {
		items, err := l.list(ctx, gvk)
		if err != nil {
			return 0, nil, err
		}
		for _, it := range items {
			left = append(left, fmt.Sprintf("%s %s/%s", gvk.Kind, it.GetNamespace(), it.GetName()))
		}
	}
	crdGVK := schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"}
	for _, name := range alphaCRDs {
		crd := &unstructured.Unstructured{}
		crd.SetGroupVersionKind(crdGVK)
		crd.SetName(name)
		got, err := l.get(ctx, crd)
		if err != nil {
			return 0, nil, err
		}
		if got != nil {
			left = append(left, "CustomResourceDefinition "+name)
		}
	}
	return len(left), left, nil
}
