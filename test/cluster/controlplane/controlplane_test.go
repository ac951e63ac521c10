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
