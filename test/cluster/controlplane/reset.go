package controlplane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// A control plane can be handed from one test to the next instead of starting a new one, which
// costs an API server start and the CRDs every test needs: Baseline records what the cluster holds,
// Reset brings it back there. Reset deletes through the API, as a user would (namespaces with their
// contents, then the objects left in the namespaces of the baseline, then cluster-scoped objects such
// as CRDs, which delete their instances), waits until they are gone, and installs again each CRD of
// the baseline that was changed or deleted in between. The system namespaces (kube-system,
// kube-public, kube-node-lease) and the objects the control plane itself keeps writing (events,
// leases, APIServices, API priority and fairness) are left alone.

// systemNamespaces are never reset: the control plane's own objects live there.
var systemNamespaces = map[string]bool{"kube-system": true, "kube-public": true, "kube-node-lease": true}

// unmanaged are resources Reset neither deletes nor waits for: written by the control plane itself
// (APIServices follow the CRDs; leases and events are written all the time) or not objects at all.
var unmanaged = map[string]bool{
	"events": true, "leases": true, "apiservices": true, "flowschemas": true, "prioritylevelconfigurations": true,
	"componentstatuses": true, "nodes": true, "bindings": true,
}

// baseline is what Baseline recorded.
type baseline struct {
	uids map[types.UID]bool
	// crds are the CRDs of the baseline by name, with their resourceVersion and the body InstallCRDs
	// applied (nil for a CRD not installed by InstallCRDs).
	crds map[string]baselineCRD
}

type baselineCRD struct {
	resourceVersion string
	body            []byte
}

// Baseline records every object the cluster holds now (outside the system namespaces), so that Reset
// can bring the cluster back to this state. Call it after installing what every user of the cluster
// needs (e.g. platform CRDs).
func (c *ControlPlane) Baseline(ctx context.Context) error {
	objects, err := c.listAll(ctx)
	if err != nil {
		return fmt.Errorf("controlplane: baseline: %w", err)
	}
	b := &baseline{uids: map[types.UID]bool{}, crds: map[string]baselineCRD{}}
	for _, o := range objects {
		b.uids[o.GetUID()] = true
		if o.GetKind() == "CustomResourceDefinition" {
			c.crdMu.Lock()
			b.crds[o.GetName()] = baselineCRD{resourceVersion: o.GetResourceVersion(), body: c.crdBodies[o.GetName()]}
			c.crdMu.Unlock()
		}
	}
	c.baseline = b
	return nil
}

// Reset deletes every object created since Baseline and restores the baseline's CRDs that were
// changed or deleted; it returns once nothing of the deleted is left (or fails after timeout, and the
// control plane should then be stopped rather than reused). The kubectl discovery cache is cleared,
// since the served kinds change.
func (c *ControlPlane) Reset(ctx context.Context, timeout time.Duration) error {
	if c.baseline == nil {
		return fmt.Errorf("controlplane: Reset without Baseline")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	objects, err := c.listAll(ctx)
	if err != nil {
		return fmt.Errorf("controlplane: reset: %w", err)
	}
	stale, restore := c.staleObjects(objects)
	for _, o := range stale {
		if o.GetKind() == "Namespace" && c.controllers == nil {
			return fmt.Errorf("controlplane: reset: namespace %s would stay Terminating: deleting namespaces needs kube-controller-manager (Options.WithoutControllerManager is set)", o.GetName())
		}
	}
	if err := c.deleteInOrder(ctx, stale); err != nil {
		return fmt.Errorf("controlplane: reset: %w", err)
	}
	if err := c.waitGone(ctx, stale); err != nil {
		return fmt.Errorf("controlplane: reset: %w", err)
	}
	if err := c.restoreCRDs(ctx, restore); err != nil {
		return fmt.Errorf("controlplane: reset: %w", err)
	}
	return os.RemoveAll(filepath.Join(c.dir, "kubecache"))
}

// staleObjects are the objects not in the baseline, and the baseline CRDs to install again (changed
// since, so deleted with the stale objects, or already gone).
func (c *ControlPlane) staleObjects(objects []*unstructured.Unstructured) ([]*unstructured.Unstructured, []string) {
	var stale []*unstructured.Unstructured
	present := map[string]bool{}
	for _, o := range objects {
		if o.GetKind() == "CustomResourceDefinition" {
			present[o.GetName()] = true
			if b, ok := c.baseline.crds[o.GetName()]; ok && b.resourceVersion != o.GetResourceVersion() && b.body != nil {
				stale = append(stale, o)
				continue
			}
		}
		if !c.baseline.uids[o.GetUID()] {
			stale = append(stale, o)
		}
	}
	var restore []string
	for name, b := range c.baseline.crds {
		changed := false
		for _, o := range stale {
			changed = changed || (o.GetKind() == "CustomResourceDefinition" && o.GetName() == name)
		}
		if (changed || !present[name]) && b.body != nil {
			restore = append(restore, name)
		}
	}
	sort.Strings(restore)
	return stale, restore
}

// deleteInOrder deletes namespaces first (their contents go with them), then the other namespaced
// objects, then cluster-scoped objects (CRDs last), each group in parallel.
func (c *ControlPlane) deleteInOrder(ctx context.Context, stale []*unstructured.Unstructured) error {
	var namespaces, namespaced, cluster, crds []*unstructured.Unstructured
	staleNamespace := map[string]bool{}
	for _, o := range stale {
		if o.GetKind() == "Namespace" {
			staleNamespace[o.GetName()] = true
		}
	}
	for _, o := range stale {
		switch {
		case o.GetKind() == "Namespace":
			namespaces = append(namespaces, o)
		case o.GetKind() == "CustomResourceDefinition":
			crds = append(crds, o)
		case o.GetNamespace() != "" && staleNamespace[o.GetNamespace()]:
			// deleted with its namespace
		case o.GetNamespace() != "":
			namespaced = append(namespaced, o)
		default:
			cluster = append(cluster, o)
		}
	}
	for _, group := range [][]*unstructured.Unstructured{namespaces, namespaced, cluster, crds} {
		if err := c.deleteAll(ctx, group); err != nil {
			return err
		}
	}
	return nil
}

func (c *ControlPlane) deleteAll(ctx context.Context, objects []*unstructured.Unstructured) error {
	client, err := dynamic.NewForConfig(c.quiet())
	if err != nil {
		return err
	}
	errs := make([]error, len(objects))
	var wg sync.WaitGroup
	limit := make(chan struct{}, 8)
	for i, o := range objects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			limit <- struct{}{}
			defer func() { <-limit }()
			r := c.resourceOf(client, o)
			policy := metav1.DeletePropagationBackground
			err := r.Delete(ctx, o.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy, Preconditions: &metav1.Preconditions{UID: ptr(o.GetUID())}})
			if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
				errs[i] = fmt.Errorf("delete %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// waitGone polls until none of the objects exists any more (by UID: a new object of the same name,
// e.g. a CRD installed again, does not count).
func (c *ControlPlane) waitGone(ctx context.Context, objects []*unstructured.Unstructured) error {
	client, err := dynamic.NewForConfig(c.quiet())
	if err != nil {
		return err
	}
	pending := objects
	for {
		var left []*unstructured.Unstructured
		for _, o := range pending {
			got, err := c.resourceOf(client, o).Get(ctx, o.GetName(), metav1.GetOptions{})
			if apierrors.IsNotFound(err) || (err == nil && got.GetUID() != o.GetUID()) {
				continue
			}
			left = append(left, o)
		}
		if len(left) == 0 {
			return nil
		}
		pending = left
		select {
		case <-ctx.Done():
			var names []string
			for _, o := range left {
				names = append(names, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName())
			}
			return fmt.Errorf("still present: %s", strings.Join(names, ", "))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// restoreCRDs installs again the baseline CRDs that were changed or deleted, from the bodies
// InstallCRDs applied, and records their new resourceVersion.
func (c *ControlPlane) restoreCRDs(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	client, err := dynamic.NewForConfig(c.quiet())
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := c.applyCRD(ctx, client, name, c.baseline.crds[name].body); err != nil {
			return err
		}
	}
	for _, name := range names {
		if err := waitEstablished(ctx, client, name); err != nil {
			return err
		}
		crd, err := client.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		c.baseline.uids[crd.GetUID()] = true
		c.baseline.crds[name] = baselineCRD{resourceVersion: crd.GetResourceVersion(), body: c.baseline.crds[name].body}
	}
	return nil
}

func (c *ControlPlane) resourceOf(client dynamic.Interface, o *unstructured.Unstructured) dynamic.ResourceInterface {
	gvr := c.resources[o.GroupVersionKind()]
	if o.GetNamespace() != "" {
		return client.Resource(gvr).Namespace(o.GetNamespace())
	}
	return client.Resource(gvr)
}

// listAll lists every object of every listable, deletable resource outside the system namespaces
// (one version per group, the preferred), and remembers each kind's resource.
func (c *ControlPlane) listAll(ctx context.Context) ([]*unstructured.Unstructured, error) {
	dc, err := discovery.NewDiscoveryClientForConfig(c.quiet())
	if err != nil {
		return nil, err
	}
	lists, err := dc.ServerPreferredResources()
	if err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	client, err := dynamic.NewForConfig(c.quiet())
	if err != nil {
		return nil, err
	}
	if c.resources == nil {
		c.resources = map[schema.GroupVersionKind]schema.GroupVersionResource{}
	}
	var gvrs []schema.GroupVersionResource
	for _, list := range lists {
		gv, err := schema.ParseGroupVersion(list.GroupVersion)
		if err != nil {
			return nil, err
		}
		for _, r := range list.APIResources {
			if strings.Contains(r.Name, "/") || unmanaged[r.Name] || !hasVerbs(r.Verbs, "list", "delete") {
				continue
			}
			gvr := gv.WithResource(r.Name)
			c.resources[gv.WithKind(r.Kind)] = gvr
			gvrs = append(gvrs, gvr)
		}
	}
	results := make([][]*unstructured.Unstructured, len(gvrs))
	errs := make([]error, len(gvrs))
	var wg sync.WaitGroup
	for i, gvr := range gvrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			list, err := client.Resource(gvr).List(ctx, metav1.ListOptions{})
			if apierrors.IsNotFound(err) || apierrors.IsMethodNotSupported(err) {
				return // a CRD deleted since discovery
			}
			if err != nil {
				errs[i] = fmt.Errorf("list %s: %w", gvr, err)
				return
			}
			for j := range list.Items {
				o := &list.Items[j]
				if !systemNamespaces[o.GetNamespace()] && !(o.GetKind() == "Namespace" && systemNamespaces[o.GetName()]) {
					o.SetAPIVersion(gvr.GroupVersion().String())
					results[i] = append(results[i], o)
				}
			}
		}()
	}
	wg.Wait()
	var all []*unstructured.Unstructured
	for i := range gvrs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, results[i]...)
	}
	return all, nil
}

func hasVerbs(verbs metav1.Verbs, want ...string) bool {
	for _, w := range want {
		found := false
		for _, v := range verbs {
			found = found || v == w
		}
		if !found {
			return false
		}
	}
	return true
}

func ptr[T any](v T) *T { return &v }

// quiet is the admin configuration without the deprecation warnings a list of every resource draws
// (v1 Endpoints).
func (c *ControlPlane) quiet() *rest.Config {
	cfg := rest.CopyConfig(c.config)
	cfg.WarningHandler = rest.NoWarnings{}
	return cfg
}
