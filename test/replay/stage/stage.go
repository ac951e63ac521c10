// Package stage reads the objects of a migration's stage folder (or of its input) and finds in them what the replay
// needs: the InferencePools, the EPP Deployments serving them, their ConfigMaps, the InferenceModels, objectives and
// rewrites, and the route's split between the pools.
package stage

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// API groups of the pools.
const (
	AlphaGroup = "inference.networking.x-k8s.io"
	GAGroup    = "inference.networking.k8s.io"
)

// Objects are the documents of one folder (or file tree), in file order.
type Objects struct {
	Dir   string
	Items []*unstructured.Unstructured
}

// Read reads every .yaml/.yml file under dir (recursively, sorted), skipping kustomization files and empty documents.
func Read(dir string) (*Objects, error) {
	files := []string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if !d.IsDir() && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")) && base != "kustomization.yaml" && base != "Chart.yaml" && !strings.HasPrefix(base, "values") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	o := &Objects{Dir: dir}
	for _, f := range files {
		items, err := readFile(f)
		if err != nil {
			return nil, err
		}
		o.Items = append(o.Items, items...)
	}
	return o, nil
}

func readFile(path string) ([]*unstructured.Unstructured, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(data, []byte("{{")) {
		return nil, nil // a template, not a manifest until rendered
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	out := []*unstructured.Unstructured{}
	for {
		doc, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var probe map[string]any
		if err := json.Unmarshal(js, &probe); err != nil || probe == nil || probe["kind"] == nil {
			continue
		}
		// Through unstructured's JSON decoding, so integers are int64 as the API machinery expects.
		u := &unstructured.Unstructured{}
		if probe["kind"] == "List" {
			list := &unstructured.UnstructuredList{}
			if err := list.UnmarshalJSON(js); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			for i := range list.Items {
				out = append(out, &list.Items[i])
			}
			continue
		}
		if err := u.UnmarshalJSON(js); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, u)
	}
}

// Of returns the objects of a kind (and API group, "" for any).
func (o *Objects) Of(group, kind string) []*unstructured.Unstructured {
	out := []*unstructured.Unstructured{}
	for _, it := range o.Items {
		if it.GetKind() == kind && (group == "" || it.GroupVersionKind().Group == group) {
			out = append(out, it)
		}
	}
	return out
}

// Namespaced sets a namespace on namespaced objects that have none (as `kubectl apply -n` would), returning them.
func (o *Objects) Namespaced(def string) []*unstructured.Unstructured {
	for _, it := range o.Items {
		if it.GetNamespace() == "" && !clusterScoped[it.GetKind()] {
			it.SetNamespace(def)
		}
	}
	return o.Items
}

var clusterScoped = map[string]bool{"Namespace": true, "ClusterRole": true, "ClusterRoleBinding": true, "CustomResourceDefinition": true, "GatewayClass": true}

// Deployments returns the Deployments, typed.
func (o *Objects) Deployments() ([]*appsv1.Deployment, error) {
	out := []*appsv1.Deployment{}
	for _, u := range o.Of("apps", "Deployment") {
		d := &appsv1.Deployment{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, d); err != nil {
			return nil, fmt.Errorf("deployment %s: %w", u.GetName(), err)
		}
		out = append(out, d)
	}
	return out, nil
}

// ConfigMaps returns the ConfigMaps of a namespace by name.
func (o *Objects) ConfigMaps(namespace string) map[string]*corev1.ConfigMap {
	out := map[string]*corev1.ConfigMap{}
	for _, u := range o.Of("", "ConfigMap") {
		if u.GetNamespace() != namespace && u.GetNamespace() != "" {
			continue
		}
		cm := &corev1.ConfigMap{}
		if runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, cm) == nil {
			out[cm.Name] = cm
		}
	}
	return out
}

// Remove returns the objects without those matching drop.
func (o *Objects) Remove(drop func(*unstructured.Unstructured) bool) []*unstructured.Unstructured {
	out := []*unstructured.Unstructured{}
	for _, it := range o.Items {
		if !drop(it) {
			out = append(out, it)
		}
	}
	return out
}
