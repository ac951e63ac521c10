package controlplane_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

const widgetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, minimum: 1, default: 3}
`

// One control plane for the smoke test: start, use every part of the API, stop.
func TestControlPlaneSmoke(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	// Given a control plane started from the cached (or freshly built) binaries
	cp, err := controlplane.Start(ctx, controlplane.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = cp.Stop()
		}
	})
	clients := kubernetes.NewForConfigOrDie(cp.RESTConfig())

	t.Run("the API server reports the pinned release", func(t *testing.T) {
		want, err := toolchain.Version(toolchain.Kubernetes)
		if err != nil {
			t.Fatal(err)
		}
		if got := cp.Version().GitVersion; got != want {
			t.Fatalf("/version gitVersion = %q, want %q", got, want)
		}
		out, err := cp.Kubectl(ctx, "version", "-o", "json")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(out, `"gitVersion": "`+want+`"`) != 2 {
			t.Fatalf("kubectl version does not name %s for both client and server:\n%s", want, out)
		}
	})

	t.Run("a CRD is established and its defaults applied", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "crd.yaml")
		if err := os.WriteFile(file, []byte(widgetCRD), 0o600); err != nil {
			t.Fatal(err)
		}
		names, err := cp.InstallCRDs(ctx, file)
		if err != nil || len(names) != 1 || names[0] != "widgets.example.com" {
			t.Fatalf("InstallCRDs = %v, %v", names, err)
		}
		widgets := dynamic.NewForConfigOrDie(cp.RESTConfig()).
			Resource(schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}).Namespace("default")
		created, err := widgets.Create(ctx, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w"}, "spec": map[string]any{},
		}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if size, _, _ := unstructured.NestedInt64(created.Object, "spec", "size"); size != 3 {
			t.Fatalf("spec.size = %d, want the schema default 3", size)
		}
	})

	t.Run("the garbage collector deletes dependents of a deleted owner", func(t *testing.T) {
		owner, err := clients.CoreV1().ConfigMaps("default").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "owner"}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		dependent := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "dependent", OwnerReferences: []metav1.OwnerReference{
			{APIVersion: "v1", Kind: "ConfigMap", Name: owner.Name, UID: owner.UID},
		}}}
		if _, err := clients.CoreV1().ConfigMaps("default").Create(ctx, dependent, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := clients.CoreV1().ConfigMaps("default").Delete(ctx, "owner", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		eventuallyGone(t, func() error {
			_, err := clients.CoreV1().ConfigMaps("default").Get(ctx, "dependent", metav1.GetOptions{})
			return err
		})
	})

	t.Run("a deleted namespace empties and disappears", func(t *testing.T) {
		if _, err := clients.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "doomed"}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := clients.CoreV1().ConfigMaps("doomed").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c"}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := clients.CoreV1().Namespaces().Delete(ctx, "doomed", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		eventuallyGone(t, func() error {
			_, err := clients.CoreV1().Namespaces().Get(ctx, "doomed", metav1.GetOptions{})
			return err
		})
	})

	// When it is stopped, then its port is closed and its folder removed.
	host := strings.TrimPrefix(cp.RESTConfig().Host, "https://")
	dir := cp.Dir()
	if err := cp.Stop(); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if conn, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after Stop", host)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists after Stop (%v)", dir, err)
	}
}

func eventuallyGone(t *testing.T, get func() error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := get()
		if apierrors.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still present after 60s (last error: %v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Reset brings a control plane back to its Baseline: what was created since is deleted (namespaces
// with their contents, objects in baseline namespaces, cluster-scoped objects, CRDs with their
// instances), and a baseline CRD changed in between is installed again as it was.
func TestControlPlaneReset(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cp, err := controlplane.Start(ctx, controlplane.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cp.Stop() })
	clients := kubernetes.NewForConfigOrDie(cp.RESTConfig())
	dyn := dynamic.NewForConfigOrDie(cp.RESTConfig())
	dir := t.TempDir()
	widgetFile := filepath.Join(dir, "widget.yaml")
	gadgetFile := filepath.Join(dir, "gadget.yaml")
	if err := os.WriteFile(widgetFile, []byte(widgetCRD), 0o600); err != nil {
		t.Fatal(err)
	}
	gadget := strings.NewReplacer("widgets", "gadgets", "Widget", "Gadget", "widget", "gadget").Replace(widgetCRD)
	if err := os.WriteFile(gadgetFile, []byte(gadget), 0o600); err != nil {
		t.Fatal(err)
	}
	// Given a baseline with the Widget CRD and a ConfigMap in default
	if _, err := cp.InstallCRDs(ctx, widgetFile); err != nil {
		t.Fatal(err)
	}
	if _, err := clients.CoreV1().ConfigMaps("default").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "kept"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := cp.Baseline(ctx); err != nil {
		t.Fatal(err)
	}

	// When a test adds a namespace with objects, objects in default, a ClusterRole, another CRD with an
	// instance, and changes the Widget CRD's default
	if _, err := cp.Kubectl(ctx, "create", "namespace", "scratch"); err != nil {
		t.Fatal(err)
	}
	for _, ns := range []string{"scratch", "default"} {
		if _, err := cp.Kubectl(ctx, "create", "configmap", "added", "-n", ns); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cp.Kubectl(ctx, "create", "clusterrole", "added", "--verb=get", "--resource=pods"); err != nil {
		t.Fatal(err)
	}
	if _, err := cp.InstallCRDs(ctx, gadgetFile); err != nil {
		t.Fatal(err)
	}
	gadgets := dyn.Resource(schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "gadgets"}).Namespace("default")
	if _, err := gadgets.Create(ctx, &unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": map[string]any{"name": "g"}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, "widget-changed.yaml")
	if err := os.WriteFile(changed, []byte(strings.Replace(widgetCRD, "default: 3", "default: 7", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Kubectl(ctx, "apply", "-f", changed); err != nil {
		t.Fatal(err)
	}

	// Then Reset leaves the baseline only
	if err := cp.Reset(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := clients.CoreV1().Namespaces().Get(ctx, "scratch", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace scratch: %v, want NotFound", err)
	}
	if _, err := clients.CoreV1().ConfigMaps("default").Get(ctx, "added", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("configmap default/added: %v, want NotFound", err)
	}
	if _, err := clients.CoreV1().ConfigMaps("default").Get(ctx, "kept", metav1.GetOptions{}); err != nil {
		t.Errorf("configmap default/kept of the baseline: %v", err)
	}
	if _, err := clients.RbacV1().ClusterRoles().Get(ctx, "added", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("clusterrole added: %v, want NotFound", err)
	}
	crds := dyn.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	if _, err := crds.Get(ctx, "gadgets.example.com", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("CRD gadgets.example.com: %v, want NotFound", err)
	}
	widgets := dyn.Resource(schema.GroupVersionResource{Group: "example.com", Version: "v1", Resource: "widgets"}).Namespace("default")
	created, err := widgets.Create(ctx, &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "after-reset"}, "spec": map[string]any{},
	}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if size, _, _ := unstructured.NestedInt64(created.Object, "spec", "size"); size != 3 {
		t.Errorf("spec.size = %d after Reset, want the baseline CRD's default 3", size)
	}

	// And a second Reset removes what was created after the first
	if err := cp.Reset(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := widgets.Get(ctx, "after-reset", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("widget after-reset: %v, want NotFound", err)
	}
}
