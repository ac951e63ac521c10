package controlplane

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
)

var crdResource = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// FieldManager is the server-side-apply field manager of objects the harness itself applies.
const FieldManager = "cluster-tests"

// InstallCRDs server-side applies every CustomResourceDefinition in the YAML files (other kinds in
// them are an error) and waits until each is Established, so its kinds can be used at once. It
// returns the CRD names in file order.
func (c *ControlPlane) InstallCRDs(ctx context.Context, files ...string) ([]string, error) {
	client, err := dynamic.NewForConfig(c.config)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, file := range files {
		objects, err := ReadObjects(file)
		if err != nil {
			return nil, err
		}
		for _, obj := range objects {
			if obj.GetKind() != "CustomResourceDefinition" {
				return nil, fmt.Errorf("controlplane: %s holds a %s %q, not a CustomResourceDefinition", file, obj.GetKind(), obj.GetName())
			}
			data, err := obj.MarshalJSON()
			if err != nil {
				return nil, err
			}
			if err := c.applyCRD(ctx, client, obj.GetName(), data); err != nil {
				return nil, fmt.Errorf("controlplane: apply CRD %s from %s: %w", obj.GetName(), file, err)
			}
			names = append(names, obj.GetName())
		}
	}
	for _, name := range names {
		if err := waitEstablished(ctx, client, name); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// applyCRD server-side applies a CRD and records the body (Reset installs a baseline CRD again from it).
func (c *ControlPlane) applyCRD(ctx context.Context, client dynamic.Interface, name string, data []byte) error {
	force := true
	if _, err := client.Resource(crdResource).Patch(ctx, name, types.ApplyPatchType, data,
		metav1.PatchOptions{FieldManager: FieldManager, Force: &force}); err != nil {
		return err
	}
	c.crdMu.Lock()
	defer c.crdMu.Unlock()
	if c.crdBodies == nil {
		c.crdBodies = map[string][]byte{}
	}
	c.crdBodies[name] = data
	return nil
}

func waitEstablished(ctx context.Context, client dynamic.Interface, name string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		crd, err := client.Resource(crdResource).Get(ctx, name, metav1.GetOptions{})
		if err == nil && conditionTrue(crd, "Established") {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("controlplane: CRD %s not Established within 30s (%v)", name, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func conditionTrue(obj *unstructured.Unstructured, kind string) bool {
	conditions, _, _ := unstructured.NestedSlice(obj.Object, "status", "conditions")
	for _, c := range conditions {
		m, ok := c.(map[string]any)
		if ok && m["type"] == kind && m["status"] == "True" {
			return true
		}
	}
	return false
}

// ReadObjects decodes every non-empty YAML (or JSON) document of a file.
func ReadObjects(file string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	objects, err := DecodeObjects(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return objects, nil
}

// DecodeObjects decodes every non-empty document of a multi-document YAML (or JSON) stream.
func DecodeObjects(data []byte) ([]*unstructured.Unstructured, error) {
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var objects []*unstructured.Unstructured
	for {
		var obj map[string]any
		if err := decoder.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return objects, nil
			}
			return nil, err
		}
		if len(obj) == 0 {
			continue
		}
		objects = append(objects, &unstructured.Unstructured{Object: obj})
	}
}

// httpOK GETs url and returns nil on 200.
func httpOK(ctx context.Context, transport http.RoundTripper, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: transport, Timeout: 5 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s %d %s", errNotReady, url, resp.StatusCode, bytes.TrimSpace(body))
	}
	return nil
}
